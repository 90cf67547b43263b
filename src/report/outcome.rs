//! One case against one target as the report keeps it: its status, findings (each with the
//! baseline entry that accepts it), diff and exchanges.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::status::Status;
use crate::case::Provenance;
use crate::exec::{Exchange, Verdict};
use crate::finding::FindingKind;

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
    /// Why it was skipped, blocked or inconclusive.
    pub reason: Option<String>,
    /// For a blocked case: the set-up operation that deviated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_by: Option<String>,
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

/// One finding, and the baseline entry that accepts it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FindingReport {
    /// The finding kind, e.g. `schema`.
    pub kind: FindingKind,
    /// Which step it is about; empty for the case itself.
    pub step: String,
    /// The JSON pointer into the response body; empty for the whole.
    pub pointer: String,
    /// What the spec or case expected.
    pub expected: Value,
    /// What the target answered.
    pub actual: Value,
    /// One sentence for people.
    pub message: String,
    /// The index of the baseline entry that accepts it, if any.
    pub baseline_entry: Option<usize>,
}
