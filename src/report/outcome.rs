//! One case against one target as the report keeps it: its status, findings (each with the
//! baseline entry that accepts it), diff and exchanges.

use serde::{Deserialize, Serialize};

use super::status::Status;
use crate::case::Provenance;
use crate::exec::{Exchange, Verdict};
use crate::finding::Finding;

/// One case against one target, with the baseline applied.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutcomeReport {
    /// The trial name, `<service>/<Operation>::<case>`.
    pub id: String,
    /// The operation of the case file.
    pub operation: String,
    /// The case name (the part after `::`).
    pub case: String,
    /// The target's name.
    pub target: String,
    /// Where the expectation comes from.
    pub provenance: Provenance,
    /// The spec's doc note the case interprets, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_note: Option<String>,
    /// The reading of `doc_note` the case tests, if the note lists several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
    /// The verdict of the checks.
    pub verdict: Verdict,
    /// The verdict with the baseline applied.
    pub status: Status,
    /// Why it was skipped, blocked or inconclusive; for a case that went on past a deviating
    /// set-up step, the note saying so.
    pub reason: Option<String>,
    /// For a blocked case: the set-up operation that deviated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_by: Option<String>,
    /// For a case that went on past deviating set-up steps (their answers still gave what it
    /// needed): those operations; `reason` holds the note. Their own cases report them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set_aside_by: Vec<String>,
    /// Wall time in milliseconds.
    pub duration_ms: u64,
    /// Requests re-sent because the target throttled.
    pub retries: u32,
    /// Every finding, in step order.
    pub findings: Vec<FindingReport>,
    /// The masked diff against the documented sample, if a sample check failed.
    pub diff: Option<String>,
    /// Every request sent and answer received, redacted.
    pub exchanges: Vec<Exchange>,
}

/// One finding, and the baseline entry that accepts it: the run's [`Finding`], its fields
/// written first (reached through `Deref`: `f.kind`), then `baseline_entry`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FindingReport {
    /// What the check found.
    #[serde(flatten)]
    pub finding: Finding,
    /// The index of the baseline entry that accepts it, if any.
    pub baseline_entry: Option<usize>,
    /// Where the step that produced it is written in its case file, when a step did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

/// A place in a case file, as report.json writes it: the file as the case root was given
/// (`cases/alibaba-kms/ListKeys.yaml`, `/` separators), 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// The case file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

impl From<&crate::finding::SourcePos> for SourceRef {
    fn from(p: &crate::finding::SourcePos) -> Self {
        SourceRef {
            file: p.file.to_string_lossy().replace('\\', "/"),
            line: p.line,
            col: p.col,
        }
    }
}

impl From<&SourceRef> for crate::finding::SourcePos {
    /// Back to the run's form, for `specgate merge`, which judges findings anew.
    fn from(s: &SourceRef) -> Self {
        crate::finding::SourcePos {
            file: std::path::Path::new(&s.file).into(),
            line: s.line,
            col: s.col,
        }
    }
}

impl std::fmt::Display for SourceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

impl std::ops::Deref for FindingReport {
    type Target = Finding;

    fn deref(&self) -> &Finding {
        &self.finding
    }
}

impl std::ops::DerefMut for FindingReport {
    fn deref_mut(&mut self) -> &mut Finding {
        &mut self.finding
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::kinds;

    #[test]
    fn a_finding_report_writes_the_findings_fields_then_its_entry_and_reads_back() {
        let f = FindingReport {
            finding: Finding::new(kinds::VALUE, "differs")
                .at("/A/0")
                .values(1, serde_json::json!({"b": [2]})),
            baseline_entry: Some(3),
            source: None,
        };
        let json = serde_json::to_string(&f).expect("serialises");
        assert_eq!(
            json,
            r#"{"kind":"value","step":"","pointer":"/A/0","expected":1,"actual":{"b":[2]},"message":"differs","baseline_entry":3}"#
        );
        let back: FindingReport = serde_json::from_str(&json).expect("reads back");
        assert_eq!(
            (back.finding, back.baseline_entry),
            (f.finding.clone(), Some(3))
        );
        let none: FindingReport =
            serde_json::from_str(&json.replace("\"baseline_entry\":3", "\"baseline_entry\":null"))
                .expect("reads back");
        assert_eq!(none.baseline_entry, None);
    }
}
