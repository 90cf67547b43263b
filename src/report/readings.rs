//! Readings: which reading of each ambiguous page a target follows, and which reading a run
//! expects (a pin).
//!
//! A spec's doc note may list several readings of an ambiguous page (`readings: [a, b]`), and
//! each case of such a note says which reading it tests (`reading: a`). A case of a reading
//! fails when the target follows another reading; that is not a conformance failure, so its
//! outcome is [`Status::OtherReading`] and it does not fail the gate, unless the run expects the
//! reading the case tests. A run expects a reading of a note when
//!
//! - the baseline pins it for the target (`reading: { note: page-size-101, follows: a }`), or
//! - `--strict-readings` is given: then every note's reference reading (its `emulator:` reading,
//!   the one the suite's own emulator follows) is expected, unless a pin says otherwise.
//!
//! (A `--reference` recording will pin readings too: it adds a [`PinSource`] and feeds
//! [`ReadingPolicy::pins`].)
//!
//! Under an expected reading, a failed case of that reading is a [`Status::Fail`], and a target
//! that does not follow it fails the gate with a reason naming the note. The *Readings* table
//! of the report ([`ReadingRow`]) says, per doc note with readings and per target, how the cases
//! of each reading fared and which reading the target follows.

use std::collections::BTreeMap;

use serde::Serialize;

use super::status::Status;
use crate::baseline::ReadingPin;
use crate::exec::Verdict;

/// The readings of one doc note, as the suite's specs list them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteInfo {
    /// The operation whose spec holds the note, `<service>/<Operation>`.
    pub operation: String,
    /// The note's id.
    pub note: String,
    /// Every reading, in spec order: `(id, what the target does under it)`.
    pub readings: Vec<(String, String)>,
    /// The reading the suite's emulator follows by default: the reference reading.
    pub emulator: Option<String>,
}

/// Every doc note with readings in the suite, in operation order.
pub fn reading_notes(suite: &crate::suite::Suite) -> Vec<NoteInfo> {
    let mut out = Vec::new();
    for (op_id, op) in &suite.operations {
        for n in op.doc_notes.iter().filter(|n| !n.readings.is_empty()) {
            out.push(NoteInfo {
                operation: op_id.clone(),
                note: n.id.clone(),
                readings: n
                    .readings
                    .iter()
                    .map(|r| (r.id.clone(), r.says.clone()))
                    .collect(),
                emulator: n.emulator.clone(),
            });
        }
    }
    out
}

/// Checks a baseline's pins against the suite's notes: each must name a doc note with readings
/// and one of its readings. Every problem is a diagnostic at the pin, with a did-you-mean.
pub fn check_pins(
    file: &std::path::Path,
    pins: &[ReadingPin],
    notes: &[NoteInfo],
) -> Vec<crate::diag::Diagnostic> {
    use crate::diag::{Diagnostic, did_you_mean, did_you_mean_or};
    let text = std::fs::read_to_string(file).ok();
    let mut out = Vec::new();
    for p in pins {
        let of_note: Vec<&NoteInfo> = notes.iter().filter(|n| n.note == p.note).collect();
        let (message, hint) = if of_note.is_empty() {
            let ids: Vec<&str> = notes.iter().map(|n| n.note.as_str()).collect();
            let hint = did_you_mean_or(&p.note, ids.iter().copied(), || {
                if ids.is_empty() {
                    "the suite's specs list no doc note with readings".into()
                } else {
                    format!("the doc notes with readings are: {}", ids.join(", "))
                }
            });
            (format!("no doc note `{}` lists readings", p.note), hint)
        } else if !of_note
            .iter()
            .any(|n| n.readings.iter().any(|(id, _)| *id == p.follows))
        {
            let ids: Vec<&str> = of_note[0]
                .readings
                .iter()
                .map(|(id, _)| id.as_str())
                .collect();
            let hint = match did_you_mean(&p.follows, ids.iter().copied()) {
                Some(best) => format!("did you mean `{best}`? (one of: {})", ids.join(", ")),
                None => format!("use one of: {}", ids.join(", ")),
            };
            (
                format!("doc note `{}` has no reading `{}`", p.note, p.follows),
                hint,
            )
        } else {
            continue;
        };
        let mut d = Diagnostic::new(file, p.pos, message)
            .with_class("unknown-reading")
            .with_hint(hint);
        if let Some(t) = &text {
            d.attach(t);
        }
        out.push(d);
    }
    out
}

/// What makes a run expect a reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PinSource {
    /// A baseline `reading:` entry, at this line.
    Baseline {
        /// The entry's line in the baseline file.
        line: usize,
    },
    /// `--strict-readings`: the note's reference (`emulator:`) reading.
    Strict,
}

impl PinSource {
    /// How reports name it: `baseline line 4`, `--strict-readings`.
    pub fn describe(&self) -> String {
        match self {
            PinSource::Baseline { line } => format!("baseline line {line}"),
            PinSource::Strict => "--strict-readings".to_string(),
        }
    }
}

/// Which readings a run expects; see the module documentation.
#[derive(Debug, Clone, Default)]
pub struct ReadingPolicy {
    /// The suite's notes with readings (for the table's rows and the reference readings).
    pub notes: Vec<NoteInfo>,
    /// `--strict-readings`.
    pub strict: bool,
    /// Pins from the baseline (and, later, from a reference recording).
    pub pins: Vec<ReadingPin>,
}

impl ReadingPolicy {
    /// The reading the run expects `target` to follow for `note` of `operation`, and why.
    pub fn expected(
        &self,
        target: &str,
        operation: &str,
        note: &str,
    ) -> Option<(String, PinSource)> {
        if let Some(p) = self
            .pins
            .iter()
            .find(|p| p.target == target && p.note == note)
        {
            return Some((p.follows.clone(), PinSource::Baseline { line: p.line }));
        }
        if self.strict {
            let n = self
                .notes
                .iter()
                .find(|n| n.operation == operation && n.note == note)?;
            return Some((n.emulator.clone()?, PinSource::Strict));
        }
        None
    }

    /// The status of a failed case that tests `reading` of `note`, unless the baseline accepted
    /// every finding: [`Status::Fail`] when the run expects that reading, else
    /// [`Status::OtherReading`].
    pub fn failed_status(
        &self,
        target: &str,
        operation: &str,
        note: &str,
        reading: &str,
    ) -> Status {
        match self.expected(target, operation, note) {
            Some((r, _)) if r == reading => Status::Fail,
            _ => Status::OtherReading,
        }
    }
}

/// How the cases of one reading fared against one target.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReadingTally {
    /// The reading's id.
    pub id: String,
    /// What the target does under this reading (from the spec; empty when unknown).
    pub says: String,
    /// Cases of this reading that passed.
    pub passed: usize,
    /// Cases of this reading that failed (whatever the baseline made of them).
    pub failed: usize,
    /// Cases of this reading that gave no verdict (error, skipped, inconclusive).
    pub unjudged: usize,
}

impl ReadingTally {
    /// Cases with a verdict.
    pub fn judged(&self) -> usize {
        self.passed + self.failed
    }

    /// True when cases of this reading ran and every one passed.
    pub fn holds(&self) -> bool {
        self.judged() > 0 && self.failed == 0
    }
}

/// Which reading a target follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReadingVerdict {
    /// Every case of exactly one reading passed, and no other reading holds.
    Follows,
    /// The cases do not single out one reading (two hold, or none does).
    Mixed,
    /// No case of the note gave a verdict.
    Untested,
}

/// One row of the *Readings* table: one doc note against one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadingRow {
    /// The operation whose spec holds the note, `<service>/<Operation>`.
    pub operation: String,
    /// The doc note's id.
    pub note: String,
    /// The target's name.
    pub target: String,
    /// Each reading, in spec order (readings only the cases name come last).
    pub readings: Vec<ReadingTally>,
    /// `follows`, `mixed` or `untested`.
    pub verdict: ReadingVerdict,
    /// The reading the target follows, when the verdict is `follows`.
    pub follows: Option<String>,
    /// The reading the run expects, if any (a baseline pin, `--strict-readings`).
    pub expected: Option<String>,
    /// What made the run expect it: `baseline line 4`, `--strict-readings`.
    pub pinned_by: Option<String>,
}

impl ReadingRow {
    /// `follows a`, `mixed`, `untested`.
    pub fn verdict_text(&self) -> String {
        match (&self.verdict, &self.follows) {
            (ReadingVerdict::Follows, Some(r)) => format!("follows {r}"),
            (ReadingVerdict::Follows | ReadingVerdict::Mixed, _) => "mixed".to_string(),
            (ReadingVerdict::Untested, _) => "untested".to_string(),
        }
    }

    /// `a: 3/3, b: 0/3` (passed of judged); `b: –` for a reading no case judged.
    pub fn tallies_text(&self) -> String {
        self.readings
            .iter()
            .map(|t| {
                if t.judged() == 0 {
                    format!("{}: –", t.id)
                } else {
                    format!("{}: {}/{}", t.id, t.passed, t.judged())
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// True when the run expects a reading and a judged target does not follow it.
    pub fn breaks_pin(&self) -> bool {
        match &self.expected {
            Some(e) => self.verdict != ReadingVerdict::Untested && self.follows.as_ref() != Some(e),
            None => false,
        }
    }
}

/// Tallies the outcomes of reading cases while a run goes on.
#[derive(Debug, Default)]
pub(crate) struct ReadingsBuilder {
    /// By (target number, operation, note), then reading id.
    tallies: BTreeMap<(usize, String, String), BTreeMap<String, ReadingTally>>,
}

impl ReadingsBuilder {
    /// Counts one outcome of a case that tests `reading` of `note`.
    pub(crate) fn add(
        &mut self,
        target: usize,
        operation: &str,
        note: &str,
        reading: &str,
        verdict: Verdict,
    ) {
        let t = self
            .tallies
            .entry((target, operation.to_string(), note.to_string()))
            .or_default()
            .entry(reading.to_string())
            .or_default();
        match verdict {
            Verdict::Pass => t.passed += 1,
            Verdict::Fail => t.failed += 1,
            Verdict::Error | Verdict::Skipped | Verdict::Inconclusive | Verdict::Blocked => {
                t.unjudged += 1
            }
        }
    }

    /// The table: for each target (in `columns` order), every note of the policy, then notes
    /// only the outcomes name; `numbered` names the targets by the numbers given to `add`.
    pub(crate) fn finish(
        mut self,
        columns: &[String],
        numbered: &[String],
        policy: &ReadingPolicy,
    ) -> Vec<ReadingRow> {
        let mut rows = Vec::new();
        for target in columns {
            let ti = numbered
                .iter()
                .position(|t| t == target)
                .unwrap_or(usize::MAX);
            for n in &policy.notes {
                let counted = self
                    .tallies
                    .remove(&(ti, n.operation.clone(), n.note.clone()))
                    .unwrap_or_default();
                rows.push(row(
                    target,
                    &n.operation,
                    &n.note,
                    &n.readings,
                    counted,
                    policy,
                ));
            }
            let rest: Vec<_> = self.tallies.keys().filter(|k| k.0 == ti).cloned().collect();
            for key in rest {
                let counted = self.tallies.remove(&key).unwrap_or_default();
                rows.push(row(target, &key.1, &key.2, &[], counted, policy));
            }
        }
        rows
    }
}

/// One row from the spec's readings and the counted tallies.
fn row(
    target: &str,
    operation: &str,
    note: &str,
    listed: &[(String, String)],
    mut counted: BTreeMap<String, ReadingTally>,
    policy: &ReadingPolicy,
) -> ReadingRow {
    let mut readings: Vec<ReadingTally> = listed
        .iter()
        .map(|(id, says)| ReadingTally {
            id: id.clone(),
            says: says.clone(),
            ..counted.remove(id).unwrap_or_default()
        })
        .collect();
    readings.extend(counted.into_iter().map(|(id, t)| ReadingTally { id, ..t }));
    let holding: Vec<&ReadingTally> = readings.iter().filter(|t| t.holds()).collect();
    let (verdict, follows) = if readings.iter().all(|t| t.judged() == 0) {
        (ReadingVerdict::Untested, None)
    } else if holding.len() == 1 {
        (ReadingVerdict::Follows, Some(holding[0].id.clone()))
    } else {
        (ReadingVerdict::Mixed, None)
    };
    let expected = policy.expected(target, operation, note);
    ReadingRow {
        operation: operation.to_string(),
        note: note.to_string(),
        target: target.to_string(),
        readings,
        verdict,
        follows,
        expected: expected.as_ref().map(|e| e.0.clone()),
        pinned_by: expected.map(|e| e.1.describe()),
    }
}

/// The gate's reasons from the table: each target that does not follow an expected reading.
pub(crate) fn gate_reasons(rows: &[ReadingRow]) -> Vec<String> {
    rows.iter()
        .filter(|r| r.breaks_pin())
        .map(|r| {
            format!(
                "{} does not follow reading {} of {} `{}` ({}): {} ({})",
                r.target,
                r.expected.as_deref().unwrap_or("?"),
                r.operation,
                r.note,
                r.pinned_by.as_deref().unwrap_or("pinned"),
                r.verdict_text(),
                r.tallies_text()
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(strict: bool, pins: Vec<ReadingPin>) -> ReadingPolicy {
        ReadingPolicy {
            notes: vec![NoteInfo {
                operation: "alibaba-kms/ListKeys".into(),
                note: "page-size-101".into(),
                readings: vec![
                    ("a".into(), "101 is refused".into()),
                    ("b".into(), "101 is accepted".into()),
                ],
                emulator: Some("a".into()),
            }],
            strict,
            pins,
        }
    }

    fn built(p: &ReadingPolicy, outcomes: &[(&str, Verdict)]) -> ReadingRow {
        let mut b = ReadingsBuilder::default();
        for (r, v) in outcomes {
            b.add(0, "alibaba-kms/ListKeys", "page-size-101", r, *v);
        }
        let names = ["t".to_string()];
        let rows = b.finish(&names, &names, p);
        assert_eq!(rows.len(), 1);
        rows.into_iter().next().unwrap()
    }

    #[test]
    fn a_target_follows_the_one_reading_whose_cases_all_pass() {
        let p = policy(false, Vec::new());
        let r = built(
            &p,
            &[
                ("a", Verdict::Pass),
                ("a", Verdict::Pass),
                ("b", Verdict::Fail),
                ("b", Verdict::Error),
            ],
        );
        assert_eq!(r.verdict, ReadingVerdict::Follows);
        assert_eq!(r.follows.as_deref(), Some("a"));
        assert_eq!(r.verdict_text(), "follows a");
        assert_eq!(r.tallies_text(), "a: 2/2, b: 0/1");
        assert_eq!(r.readings[1].unjudged, 1);
        assert_eq!(r.readings[0].says, "101 is refused");
        assert!(!r.breaks_pin());
    }

    #[test]
    fn no_single_holding_reading_is_mixed_and_no_verdict_is_untested() {
        let p = policy(false, Vec::new());
        let r = built(&p, &[("a", Verdict::Pass), ("a", Verdict::Fail)]);
        assert_eq!(r.verdict_text(), "mixed");
        let r = built(&p, &[("a", Verdict::Pass), ("b", Verdict::Pass)]);
        assert_eq!(r.verdict_text(), "mixed");
        let r = built(&p, &[("a", Verdict::Skipped)]);
        assert_eq!(r.verdict, ReadingVerdict::Untested);
        assert_eq!(r.tallies_text(), "a: –, b: –");
    }

    #[test]
    fn failed_reading_cases_fail_only_under_an_expected_reading() {
        let free = policy(false, Vec::new());
        let op = "alibaba-kms/ListKeys";
        assert_eq!(
            free.failed_status("t", op, "page-size-101", "a"),
            Status::OtherReading
        );
        let strict = policy(true, Vec::new());
        assert_eq!(
            strict.failed_status("t", op, "page-size-101", "a"),
            Status::Fail
        );
        assert_eq!(
            strict.failed_status("t", op, "page-size-101", "b"),
            Status::OtherReading
        );
        let pinned = policy(
            true,
            vec![ReadingPin {
                target: "t".into(),
                note: "page-size-101".into(),
                follows: "b".into(),
                reason: "r".into(),
                link: None,
                line: 4,
                pos: Default::default(),
            }],
        );
        assert_eq!(
            pinned.failed_status("t", op, "page-size-101", "b"),
            Status::Fail
        );
        assert_eq!(
            pinned.failed_status("other", op, "page-size-101", "b"),
            Status::OtherReading
        );
        let r = built(&pinned, &[("a", Verdict::Pass), ("b", Verdict::Fail)]);
        assert_eq!(r.pinned_by.as_deref(), Some("baseline line 4"));
        assert!(r.breaks_pin());
        let reasons = gate_reasons(&[r]);
        assert_eq!(reasons.len(), 1);
        assert!(
            reasons[0].contains("does not follow reading b"),
            "{reasons:?}"
        );
        let r = built(&strict, &[("a", Verdict::Pass), ("b", Verdict::Fail)]);
        assert!(!r.breaks_pin());
    }
}
