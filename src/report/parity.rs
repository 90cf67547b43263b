//! What a `--reference` run adds to the report (`docs/parity.md`): the matrix's parity row
//! (per target, the share of steps whose answers are identical in shape to the recording) and
//! the *Spec vs. recording* section (the spec's findings on answers identical to the
//! recording: the recorded target does the same, and the page says otherwise). Both are absent
//! from a run without `--reference`, so its report does not change. The row's cell,
//! [`ParityCell`], is the matrix's (`matrix.rs`); this module builds it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::matrix::{ParityCell, score};
use crate::finding::Finding;

/// The report's *Spec vs. recording* section.
#[derive(Debug, Clone, Serialize)]
pub struct SpecVsRecording {
    /// The recording's folder, as given to `--reference`.
    pub recording: String,
    /// False under `--checks parity`: the spec's checks were off, so nothing is listed.
    pub spec_checks: bool,
    /// Every spec finding on an answer identical in shape to the recorded one, sorted by
    /// target, case, step, kind, pointer and message; repetitions that found the same are one.
    pub disagreements: Vec<Disagreement>,
}

/// One spec finding the recording shares: the answer is identical in shape to the recorded
/// one at that step, and fails the spec's check there.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Disagreement {
    /// The target that answered.
    pub target: String,
    /// The case id, `<service>/<Operation>::<case>` (no repetition number).
    pub case: String,
    /// The step label (`step 2 (find-a-key)`; empty for a single-step case).
    pub step: String,
    /// The spec finding's kind.
    pub kind: String,
    /// Where in the answer (a JSON pointer), empty for the answer as a whole.
    pub pointer: String,
    /// The spec finding's message.
    pub message: String,
    /// The recording's verdict of the case (`fail`: the recorded target failed the spec too).
    pub recorded_verdict: Option<String>,
    /// Where the step that got the answer is written in its case file, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<super::outcome::SourceRef>,
}

/// What makes two disagreements one: target, case, step, kind, pointer, message.
type Key = (String, String, String, String, String, String);

/// Builds both parts as outcomes arrive.
#[derive(Debug)]
pub(crate) struct ParityBuilder {
    recording: String,
    spec_checks: bool,
    /// Per target name: (steps, identical).
    per_target: BTreeMap<String, (usize, usize)>,
    shared: BTreeMap<Key, Disagreement>,
}

impl ParityBuilder {
    /// A builder for a run against the recording in `recording`; `spec_checks` is false under
    /// `--checks parity`.
    pub(crate) fn new(recording: String, spec_checks: bool) -> ParityBuilder {
        ParityBuilder {
            recording,
            spec_checks,
            per_target: BTreeMap::new(),
            shared: BTreeMap::new(),
        }
    }

    /// Adds one compared outcome of `case` on `target`: `steps` compared, `identical` of them
    /// identical, and the spec findings `shared` with the recording (already redacted).
    pub(crate) fn add(
        &mut self,
        target: &str,
        case: &str,
        steps: usize,
        identical: usize,
        shared: &[Finding],
        recorded_verdict: Option<&str>,
    ) {
        let t = self.per_target.entry(target.to_string()).or_default();
        t.0 += steps;
        t.1 += identical;
        for f in shared {
            let key = (
                target.to_string(),
                case.to_string(),
                f.step.clone(),
                f.kind.as_str().to_string(),
                f.pointer.clone(),
                f.message.clone(),
            );
            self.shared.entry(key).or_insert_with(|| Disagreement {
                target: target.to_string(),
                case: case.to_string(),
                step: f.step.clone(),
                kind: f.kind.as_str().to_string(),
                pointer: f.pointer.clone(),
                message: f.message.clone(),
                recorded_verdict: recorded_verdict.map(String::from),
                source: f.source.as_ref().map(Into::into),
            });
        }
    }

    /// The parity row for `targets` (the matrix's columns, in order) and the section.
    pub(crate) fn finish(self, targets: &[String]) -> (Vec<ParityCell>, SpecVsRecording) {
        let cells = targets
            .iter()
            .map(|t| {
                let (steps, identical) = self.per_target.get(t).copied().unwrap_or_default();
                ParityCell {
                    target: t.clone(),
                    steps,
                    identical,
                    percent: score(identical, steps),
                }
            })
            .collect();
        let section = SpecVsRecording {
            recording: self.recording,
            spec_checks: self.spec_checks,
            disagreements: self.shared.into_values().collect(),
        };
        (cells, section)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Finding, FindingKind};

    #[test]
    fn cells_sum_every_outcome_and_repetitions_of_one_finding_are_one_entry() {
        let mut b = ParityBuilder::new("rec".into(), true);
        let mut f = Finding::new(FindingKind::Schema, "`Keys` is required");
        f.step = "step 1".into();
        b.add("a", "s/Op::c", 3, 3, std::slice::from_ref(&f), Some("fail"));
        b.add("a", "s/Op::c", 3, 2, std::slice::from_ref(&f), Some("fail"));
        b.add("b", "s/Op::c", 1, 0, &[], None);
        let (cells, section) = b.finish(&["a".into(), "b".into(), "c".into()]);
        let got: Vec<(usize, usize, Option<f64>)> = cells
            .iter()
            .map(|c| (c.steps, c.identical, c.percent))
            .collect();
        assert_eq!(got, [(6, 5, Some(83.3)), (1, 0, Some(0.0)), (0, 0, None)]);
        assert_eq!(cells[0].text(), "83.3% (5/6 steps)");
        assert_eq!(cells[2].text(), "—");
        assert_eq!(section.disagreements.len(), 1);
        assert_eq!(section.disagreements[0].kind, "schema");
    }
}
