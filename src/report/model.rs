//! The report as data: what `report.json` holds and what every other format renders.
//!
//! The schema of this data is committed as `docs/report-schema.json`; bump
//! [`SCHEMA_VERSION`] when a field changes meaning or disappears.

use serde::{Deserialize, Serialize};

pub use super::history::HistoryEntry;
pub use super::latency::OperationLatency;
use super::matrix::{Matrix, TargetCoverage};
pub use super::outcome::{FindingReport, OutcomeReport, SourceRef};
pub use super::status::{Counts, Status};
use super::store::Outcomes;
pub use crate::baseline::{BaselineReport, EntryReport, EntryState};

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
    /// With `--reference`: the spec's findings on answers identical to the recording (the
    /// recorded target does the same; the page says otherwise). Absent without `--reference`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec_vs_recording: Option<super::parity::SpecVsRecording>,
    /// Per target, which documented response fields the passing cases compared.
    pub coverage: Vec<TargetCoverage>,
    /// Per doc note with readings and per target: which reading the target follows.
    pub readings: Vec<super::readings::ReadingRow>,
    /// The baseline the gate used, with the state of every entry.
    pub baseline: Option<BaselineReport>,
    /// Per operation: p50, p95 and max of every recorded exchange's time (all outcomes).
    pub latency: Vec<OperationLatency>,
    /// With `--history FILE`: the last runs of FILE, oldest first, this one last.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<HistoryEntry>,
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
    /// The selected cases left out of the plan because their target does not serve their
    /// service, one line per service and target (`aws-kms: 0 of 144 cases planned: the target
    /// `embedded-emulator` serves alibaba-kms, huawei-kms`); absent when none was.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<String>,
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
    /// `pass` or `fail`, as report.json writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            GateVerdict::Pass => "pass",
            GateVerdict::Fail => "fail",
        }
    }

    /// `PASS` or `FAIL`.
    pub fn upper(self) -> &'static str {
        match self {
            GateVerdict::Pass => "PASS",
            GateVerdict::Fail => "FAIL",
        }
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

impl Report {
    /// True when the gate passed.
    pub fn passed(&self) -> bool {
        self.gate.verdict == GateVerdict::Pass
    }
}
