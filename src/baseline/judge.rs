//! Judging a run against a baseline: which entry accepts each finding, and what the run made of
//! every entry (reproduced, stale, expired, not run, unverified).

use std::collections::HashMap;

use serde::Serialize;
use time::Date;

use super::entry::{Baseline, NewEntry, ReadingPin};
use crate::exec::Verdict;
use crate::finding::Finding;

/// Applies a baseline to a run's outcomes one at a time, and keeps what each entry made of them.
#[derive(Debug)]
pub(crate) struct BaselineTally {
    baseline: Baseline,
    today: Date,
    /// Entry indices by target, then case (looked up without allocating).
    by_case: HashMap<String, HashMap<String, Vec<usize>>>,
    /// Per entry: findings accepted, whether its case ran, whether it gave a verdict.
    matched: Vec<usize>,
    ran: Vec<bool>,
    judged: Vec<bool>,
}

impl BaselineTally {
    /// A tally of `baseline` for a run that started on `today` (UTC).
    pub(crate) fn new(baseline: Baseline, today: Date) -> BaselineTally {
        let mut by_case: HashMap<String, HashMap<String, Vec<usize>>> = HashMap::new();
        for (i, e) in baseline.entries.iter().enumerate() {
            by_case
                .entry(e.target.clone())
                .or_default()
                .entry(e.case.clone())
                .or_default()
                .push(i);
        }
        let n = baseline.entries.len();
        BaselineTally {
            baseline,
            today,
            by_case,
            matched: vec![0; n],
            ran: vec![false; n],
            judged: vec![false; n],
        }
    }

    /// Judges one outcome of `case` (a case id, without any repetition number): per finding,
    /// the entry that accepts it.
    ///
    /// Only findings of failed cases can be accepted: an error (transport, auth) is never a
    /// known deviation, it is a broken exchange.
    pub(crate) fn accept(
        &mut self,
        target: &str,
        case: &str,
        verdict: Verdict,
        findings: &[Finding],
    ) -> Vec<Option<usize>> {
        let Some(candidates) = self.by_case.get(target).and_then(|c| c.get(case)) else {
            return vec![None; findings.len()];
        };
        for &i in candidates {
            self.ran[i] = true;
            self.judged[i] |= matches!(verdict, Verdict::Pass | Verdict::Fail);
        }
        findings
            .iter()
            .map(|f| {
                if verdict != Verdict::Fail {
                    return None;
                }
                let entries = &self.baseline.entries;
                let i = candidates.iter().copied().find(|&i| {
                    let e = &entries[i];
                    !e.expired(self.today) && e.matches(target, case, f)
                })?;
                self.matched[i] += 1;
                Some(i)
            })
            .collect()
    }

    /// Every entry with its state in this run.
    pub(crate) fn finish(self) -> BaselineReport {
        let entries = self
            .baseline
            .entries
            .iter()
            .enumerate()
            .map(|(i, en)| {
                let n = self.matched[i];
                let state = if en.expired(self.today) {
                    EntryState::Expired
                } else if n > 0 {
                    EntryState::Reproduced
                } else if !self.ran[i] {
                    EntryState::NotRun
                } else if self.judged[i] {
                    EntryState::Stale
                } else {
                    EntryState::Unverified
                };
                EntryReport {
                    entry: en.written(),
                    line: en.pos.line,
                    state,
                    matched: n,
                    ran: self.ran[i],
                }
            })
            .collect();
        BaselineReport {
            file: self.baseline.file.display().to_string(),
            entries,
            pins: self.baseline.pins,
        }
    }
}

/// The baseline the gate used.
#[derive(Debug, Clone, Serialize)]
pub struct BaselineReport {
    /// The file, as given on the command line.
    pub file: String,
    /// Every entry, in file order, with its state in this run.
    pub entries: Vec<EntryReport>,
    /// The reading pins, in file order (the *Readings* table says whether each holds).
    pub pins: Vec<ReadingPin>,
}

/// One baseline entry and what this run made of it: the entry as written (its fields first in
/// report.json, reached through `Deref`: `e.target`), then its line and state.
#[derive(Debug, Clone, Serialize)]
pub struct EntryReport {
    /// The entry as the file writes it.
    #[serde(flatten)]
    pub entry: NewEntry,
    /// Its line in the baseline file.
    pub line: usize,
    /// What this run made of it.
    pub state: EntryState,
    /// How many findings it accepted.
    pub matched: usize,
    /// Whether its case ran against its target (with or without a verdict).
    #[serde(skip)]
    pub ran: bool,
}

impl std::ops::Deref for EntryReport {
    type Target = NewEntry;

    fn deref(&self) -> &NewEntry {
        &self.entry
    }
}

/// What a run made of a baseline entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    /// It accepted at least one finding.
    Reproduced,
    /// The case ran and gave a verdict, but no finding matches: the deviation is gone (fails
    /// the gate: remove the entry).
    Stale,
    /// Past its `expires` date (fails the gate: fix the target or renew the entry).
    Expired,
    /// The case did not run against that target (filtered out, or not in the suite).
    NotRun,
    /// The case ran but gave no verdict (error, skipped, inconclusive): cannot tell.
    Unverified,
}

impl EntryState {
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryState::Reproduced => "reproduced",
            EntryState::Stale => "stale",
            EntryState::Expired => "expired",
            EntryState::NotRun => "not run",
            EntryState::Unverified => "unverified",
        }
    }

    /// True when an entry in this state fails the gate.
    pub fn fails_gate(self) -> bool {
        matches!(self, EntryState::Stale | EntryState::Expired)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::finding::FindingKind;

    const FILE: &str = "\
- target: t
  case: s/O::a
  kind: schema
  pointer: /Keys/*
  reason: r
- target: t
  case: s/O::b
  kind: diff
  reason: r
- target: t
  case: s/O::c
  kind: diff
  reason: r
- target: t
  case: s/O::d
  kind: diff
  reason: r
  expires: 2026-01-31
- target: t
  case: s/O::e
  kind: diff
  reason: r
";

    fn tally(today: Date) -> BaselineTally {
        let b = Baseline::parse(Path::new("b.yaml"), FILE).expect("valid");
        BaselineTally::new(b, today)
    }

    fn states(report: &BaselineReport) -> Vec<(EntryState, usize)> {
        report
            .entries
            .iter()
            .map(|e| (e.state, e.matched))
            .collect()
    }

    #[test]
    fn each_entry_ends_reproduced_stale_expired_not_run_or_unverified() {
        let today = time::macros::date!(2026 - 06 - 01);
        let mut t = tally(today);
        let schema = Finding::new(FindingKind::Schema, "m").at("/Keys/3");
        let diff = Finding::new(FindingKind::Diff, "m");
        // a: a matching finding of a failed case is accepted by entry 0.
        assert_eq!(
            t.accept(
                "t",
                "s/O::a",
                Verdict::Fail,
                &[schema.clone(), diff.clone()]
            ),
            [Some(0), None]
        );
        // b: passed, so the deviation is gone.
        assert_eq!(
            t.accept("t", "s/O::b", Verdict::Pass, &[]),
            Vec::<Option<usize>>::new()
        );
        // c: not run. d: expired, even though its finding is there (and not accepted).
        assert_eq!(
            t.accept("t", "s/O::d", Verdict::Fail, std::slice::from_ref(&diff)),
            [None]
        );
        // e: an error is never accepted and judges nothing.
        assert_eq!(
            t.accept("t", "s/O::e", Verdict::Error, std::slice::from_ref(&diff)),
            [None]
        );
        // Another target's outcome touches no entry.
        assert_eq!(t.accept("u", "s/O::c", Verdict::Fail, &[diff]), [None]);
        let r = t.finish();
        assert_eq!(
            states(&r),
            [
                (EntryState::Reproduced, 1),
                (EntryState::Stale, 0),
                (EntryState::NotRun, 0),
                (EntryState::Expired, 0),
                (EntryState::Unverified, 0),
            ]
        );
        assert_eq!(r.entries[3].expires.as_deref(), Some("2026-01-31"));
        assert_eq!(r.entries[1].line, 6);
        assert!(r.entries[4].ran && !r.entries[2].ran);
        assert!(r.entries.iter().filter(|e| e.state.fails_gate()).count() == 2);
    }

    #[test]
    fn an_entry_accepts_through_its_expiry_day() {
        let day = time::macros::date!(2026 - 01 - 31);
        let diff = [Finding::new(FindingKind::Diff, "m")];
        let mut t = tally(day);
        assert_eq!(t.accept("t", "s/O::d", Verdict::Fail, &diff), [Some(3)]);
        assert_eq!(t.finish().entries[3].state, EntryState::Reproduced);
    }

    #[test]
    fn an_entry_report_serialises_its_fields_in_the_file_order() {
        let mut t = tally(time::macros::date!(2026 - 06 - 01));
        t.accept(
            "t",
            "s/O::a",
            Verdict::Fail,
            &[Finding::new(FindingKind::Schema, "m").at("/Keys/1")],
        );
        let r = t.finish();
        assert_eq!(
            serde_json::to_string(&r.entries[0]).expect("serialises"),
            r#"{"target":"t","case":"s/O::a","kind":"schema","pointer":"/Keys/*","reason":"r","link":null,"expires":null,"line":1,"state":"reproduced","matched":1}"#
        );
        assert_eq!(
            serde_json::to_string(&r.entries[3]).expect("serialises"),
            r#"{"target":"t","case":"s/O::d","kind":"diff","pointer":"","reason":"r","link":null,"expires":"2026-01-31","line":14,"state":"expired","matched":0}"#
        );
    }
}
