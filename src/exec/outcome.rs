//! What running a case produced: a verdict, findings and the recorded exchanges.

use serde::{Deserialize, Serialize};

use crate::case::Provenance;
use crate::finding::Finding;

/// The verdict of one case against one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every check passed.
    Pass,
    /// A conformance check failed.
    Fail,
    /// The exchange itself broke (transport, auth, a capture that found nothing), or the
    /// harness did: a request the case cannot build (`harness.error`), a panic (`internal`).
    Error,
    /// Not run, or stopped before the operation under test (mutating case against a real
    /// target, a service the target lacks, a `precondition` the account does not meet).
    Skipped,
    /// A set-up step deviated (a discovery request of another operation that the suite checks
    /// in its own cases) in a way that spoils what the case needs (a wrong status, a capture
    /// that found nothing or a deviating captured value), so the operation under test was never
    /// reached: not a verdict on it. A set-up deviation that leaves it intact is set aside
    /// instead (`set_aside_by`).
    Blocked,
    /// Still throttled after every retry.
    Inconclusive,
}

impl Verdict {
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Error => "error",
            Verdict::Skipped => "skipped",
            Verdict::Inconclusive => "inconclusive",
            Verdict::Blocked => "blocked",
        }
    }
}

/// The result of one case against one target.
#[derive(Debug, Clone, Serialize)]
pub struct CaseOutcome {
    /// The trial: `<service>/<Operation>::<case>`, with `#N` for repetition N under `--repeat`.
    pub id: crate::id::CaseId,
    /// The operation of the case file.
    pub operation: String,
    /// The target's name.
    pub target: String,
    /// Where the expectation comes from.
    pub provenance: Provenance,
    /// The spec's doc note the case interprets, if any.
    pub doc_note: Option<String>,
    /// The reading of `doc_note` the case tests, if the note lists several.
    pub reading: Option<String>,
    /// The verdict.
    pub verdict: Verdict,
    /// Why it was skipped, blocked or inconclusive; for a case that went on past a deviating
    /// set-up step, the note saying so.
    pub reason: Option<String>,
    /// For a blocked case: the set-up operation that deviated, `<service>/<Operation>`.
    pub blocked_by: Option<String>,
    /// For a passed or failed case that went on past deviating set-up steps (or fixture
    /// creations) whose answers still gave what it needed: those operations,
    /// `<service>/<Operation>`. Their own cases report the deviations; `reason` holds the note.
    pub set_aside_by: Vec<String>,
    /// Requests re-sent because the target throttled.
    pub retries: u32,
    /// Every deviation found, in step order.
    pub findings: Vec<Finding>,
    /// Every request sent and answer received, redacted.
    pub exchanges: Vec<Exchange>,
    /// The readable diff against the documented sample, if a sample check failed.
    pub diff: Option<String>,
    /// Wall time of the case in milliseconds.
    pub duration_ms: u64,
}

/// One request and its answer, as recorded for reports (secrets already redacted).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Exchange {
    /// Which step sent it.
    pub step: String,
    /// The request.
    pub request: RecordedRequest,
    /// The answer, if one came.
    pub response: Option<RecordedResponse>,
    /// Round-trip time in milliseconds.
    pub elapsed_ms: u64,
}

/// A sent request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// Full URL, redacted.
    pub url: String,
    /// Headers, redacted.
    pub headers: Vec<(String, String)>,
    /// Body text.
    pub body: String,
}

/// A received answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordedResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body text (lossy UTF-8, truncated for reports).
    pub body: String,
}
