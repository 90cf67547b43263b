//! The report as data: what `report.json` holds and what every other format renders.
//!
//! The schema of this data is committed as `docs/report-schema.json`; bump
//! [`SCHEMA_VERSION`] when a field changes meaning or disappears.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::matrix::{Matrix, TargetCoverage};
use super::store::Outcomes;
pub use crate::baseline::{BaselineReport, EntryReport, EntryState};
use crate::case::Provenance;
use crate::exec::{Exchange, Verdict};

/// The version of the `report.json` layout.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything a run produced, ready to render.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The version of this layout ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The program that wrote the report.
    pub tool: Tool,
    /// When, how and how long the run ran.
    pub run: RunMeta,
    /// The gate: does this run pass, and if not, why.
    pub gate: Gate,
    /// How many outcomes have each status.
    pub counts: Counts,
    /// The targets, in the order given.
    pub targets: Vec<TargetInfo>,
    /// Operation × target and case × target.
    pub matrix: Matrix,
    /// Per target, which documented response fields the passing cases compared.
    pub coverage: Vec<TargetCoverage>,
    /// Per doc note with readings and per target: which reading the target follows.
    pub readings: Vec<super::readings::ReadingRow>,
    /// The baseline the gate used, with the state of every entry.
    pub baseline: Option<BaselineReport>,
    /// Every outcome, in plan order, read from disk as it is written out.
    pub outcomes: Outcomes,
}

/// The program that wrote a report.
#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    /// Always `specgate`.
    pub name: String,
    /// The crate version.
    pub version: String,
}

/// Facts about the run as a whole.
#[derive(Debug, Clone, Serialize)]
pub struct RunMeta {
    /// The run id, also the report folder's name.
    pub id: String,
    /// UTC start time, RFC 3339.
    pub started_at: String,
    /// Wall time in milliseconds.
    pub duration_ms: u64,
    /// The prefix of every resource the run created.
    pub run_prefix: String,
    /// True when the run was interrupted: the report covers only the cases that finished.
    pub partial: bool,
    /// True when volatile values (times, ports, the run prefix, random ids) were replaced by
    /// placeholders so that the report is reproducible (`--stable-report`).
    pub stable: bool,
    /// True when invalid TLS certificates were accepted (`--insecure`).
    pub insecure: bool,
    /// True when mutating cases were allowed against real targets (`--allow-mutations`).
    pub allow_mutations: bool,
    /// The suite the run read: `specgate merge` joins only reports of the same suite.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suite: Option<SuiteDigest>,
    /// `K/N` for a run of one shard (`--shard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    /// `--strict-readings`: documentation ambiguities fail the gate (and are failures in
    /// junit.xml); without it they are reported but do not.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub strict_readings: bool,
}

/// A digest of a suite's files: SHA-256 of every spec and case file, and of them all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuiteDigest {
    /// `sha256:` and the hex digest of the file list with each file's digest.
    pub digest: String,
    /// Each file (`/` separators, as given on the command line) and its `sha256:` digest.
    pub files: std::collections::BTreeMap<String, String>,
}

/// Whether the run passes, and every reason it does not.
#[derive(Debug, Clone, Serialize)]
pub struct Gate {
    /// `pass` or `fail`.
    pub verdict: GateVerdict,
    /// One sentence per reason the gate failed; empty when it passed.
    pub reasons: Vec<String>,
}

impl Gate {
    /// Fails the gate for one more reason.
    pub fn fail(&mut self, reason: String) {
        self.reasons.push(reason);
        self.verdict = GateVerdict::Fail;
    }
}

/// The verdict of the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GateVerdict {
    /// Nothing new failed and the baseline is exact.
    Pass,
    /// Something fails the gate (see the reasons).
    Fail,
}

impl GateVerdict {
    /// `PASS` or `FAIL`.
    pub fn upper(self) -> &'static str {
        match self {
            GateVerdict::Pass => "PASS",
            GateVerdict::Fail => "FAIL",
        }
    }
}

/// What an outcome means once the baseline has been applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Every check passed.
    Pass,
    /// A documented (or observed) expectation failed, and the baseline does not list it.
    Fail,
    /// An `inferred` case failed: the page is ambiguous and our reading of it did not hold.
    Ambiguity,
    /// It failed, but every finding is a known deviation listed in the baseline.
    Known,
    /// The exchange itself broke (transport, auth): not a conformance verdict.
    Error,
    /// Not run.
    Skipped,
    /// Still throttled after every retry.
    Inconclusive,
    /// A set-up step deviated: the operation under test was never reached. Not judged and not a
    /// gate failure by itself: the set-up operation's own cases report the deviation.
    Blocked,
    /// A case that tests one reading of an ambiguous page failed: the target follows another
    /// reading. Not a conformance failure unless a pin (`--strict-readings`, a baseline
    /// `reading:` entry) expects the reading the case tests; then the outcome is [`Status::Fail`].
    #[serde(rename = "other-reading")]
    OtherReading,
}

impl Status {
    /// The word used in reports and in `report.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Ambiguity => "ambiguity",
            Status::Known => "known",
            Status::Error => "error",
            Status::Skipped => "skipped",
            Status::Inconclusive => "inconclusive",
            Status::Blocked => "blocked",
            Status::OtherReading => "other-reading",
        }
    }

    /// A short label for people.
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "passed",
            Status::Fail => "failed",
            Status::Ambiguity => "documentation ambiguity",
            Status::Known => "known deviation",
            Status::Error => "error",
            Status::Skipped => "skipped",
            Status::Inconclusive => "inconclusive",
            Status::Blocked => "blocked by a set-up step",
            Status::OtherReading => "follows another reading",
        }
    }

    /// True when an outcome with this status fails the gate: a failure or an error, and a
    /// documentation ambiguity under `--strict-readings`.
    pub fn fails_gate(self, strict_readings: bool) -> bool {
        match self {
            Status::Fail | Status::Error => true,
            Status::Ambiguity => strict_readings,
            _ => false,
        }
    }

    /// True when the outcome is a conformance verdict (it counts in scores).
    pub fn is_judged(self) -> bool {
        matches!(
            self,
            Status::Pass | Status::Fail | Status::Ambiguity | Status::Known
        )
    }
}

/// How many outcomes have each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Every outcome.
    pub total: usize,
    /// Passed.
    pub pass: usize,
    /// New conformance failures.
    pub fail: usize,
    /// New failures of inferred cases.
    pub ambiguity: usize,
    /// Failures whose every finding is baselined.
    pub known: usize,
    /// Transport or auth errors.
    pub error: usize,
    /// Not run.
    pub skipped: usize,
    /// Throttled.
    pub inconclusive: usize,
    /// Blocked by a deviating set-up step (written only when above 0).
    #[serde(skip_serializing_if = "is_zero")]
    pub blocked: usize,
    /// Failed cases of a reading the target does not follow (not conformance failures).
    pub other_reading: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Counts {
    /// Adds one outcome of status `s`.
    pub fn add(&mut self, s: Status) {
        self.total += 1;
        *self.slot(s) += 1;
    }

    /// The count of one status.
    pub fn get(&self, s: Status) -> usize {
        match s {
            Status::Pass => self.pass,
            Status::Fail => self.fail,
            Status::Ambiguity => self.ambiguity,
            Status::Known => self.known,
            Status::Error => self.error,
            Status::Skipped => self.skipped,
            Status::Inconclusive => self.inconclusive,
            Status::Blocked => self.blocked,
            Status::OtherReading => self.other_reading,
        }
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &Counts) {
        self.total += other.total;
        self.pass += other.pass;
        self.fail += other.fail;
        self.ambiguity += other.ambiguity;
        self.known += other.known;
        self.error += other.error;
        self.skipped += other.skipped;
        self.inconclusive += other.inconclusive;
        self.blocked += other.blocked;
        self.other_reading += other.other_reading;
    }

    fn slot(&mut self, s: Status) -> &mut usize {
        match s {
            Status::Pass => &mut self.pass,
            Status::Fail => &mut self.fail,
            Status::Ambiguity => &mut self.ambiguity,
            Status::Known => &mut self.known,
            Status::Error => &mut self.error,
            Status::Skipped => &mut self.skipped,
            Status::Inconclusive => &mut self.inconclusive,
            Status::Blocked => &mut self.blocked,
            Status::OtherReading => &mut self.other_reading,
        }
    }

    /// Conformance verdicts: passed, failed, ambiguities and known deviations.
    pub fn judged(&self) -> usize {
        self.pass + self.fail + self.ambiguity + self.known
    }
}

/// A target as the report shows it: no credentials, only the auth kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetInfo {
    /// The target's name.
    pub name: String,
    /// True for the embedded emulator.
    pub embedded: bool,
    /// The services it serves.
    pub services: Vec<ServiceInfo>,
}

/// One service of a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceInfo {
    /// The service name, e.g. `alibaba-kms`.
    pub name: String,
    /// The base URL, without any user:password part.
    pub endpoint: String,
    /// The auth kind, e.g. `alibaba-v1`.
    pub auth: String,
}

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
    pub kind: String,
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

impl Report {
    /// True when the gate passed.
    pub fn passed(&self) -> bool {
        self.gate.verdict == GateVerdict::Pass
    }
}
