//! The case model: requests to send and what to expect of the answers.

use std::path::PathBuf;

use serde_json::Value;

use crate::pointer::PointerPath;
use crate::yaml::Pos;

/// All cases of one file.
#[derive(Debug, Clone)]
pub struct CaseFile {
    /// The file they were read from.
    pub path: PathBuf,
    /// The default operation of every step, `<service>/<Operation>`.
    pub operation: String,
    /// The cases in file order.
    pub cases: Vec<Case>,
}

/// Where a case's expectation comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provenance {
    /// The page states it.
    Documented,
    /// An interpretation of an ambiguous page; failures are "documentation ambiguity".
    Inferred,
    /// Seen on a real target, not documented.
    Observed,
}

impl Provenance {
    /// The word used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::Documented => "documented",
            Provenance::Inferred => "inferred",
            Provenance::Observed => "observed",
        }
    }
}

/// One case: a named scenario of one or more steps.
#[derive(Debug, Clone)]
pub struct Case {
    /// The name, unique in its file.
    pub name: String,
    /// The file's default operation, `<service>/<Operation>`.
    pub operation: String,
    /// Where the expectation comes from.
    pub provenance: Provenance,
    /// For inferred cases: the spec's doc note it interprets.
    pub doc_note: Option<String>,
    /// One line on what the case proves.
    pub summary: String,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// Steps that run after `steps`, even when one of them failed.
    pub teardown: Vec<Step>,
    /// True when any step sends a mutating operation.
    pub mutating: bool,
    /// The file and place it was declared.
    pub file: PathBuf,
    /// Where it starts in the file.
    pub pos: Pos,
}

impl Case {
    /// The trial name, `<service>/<Operation>::<case>`.
    pub fn id(&self) -> String {
        format!("{}::{}", self.operation, self.name)
    }
}

/// One request and its expectations.
#[derive(Debug, Clone)]
pub struct Step {
    /// An optional label for reports.
    pub name: Option<String>,
    /// The operation to call, `<service>/<Operation>`.
    pub operation: String,
    /// Parameters by the spec's names; strings may hold `${vars}`.
    pub params: Vec<(String, Value)>,
    /// Parameters the spec does not know, sent as given.
    pub extra_params: Vec<(String, Value)>,
    /// REST only: the exact body to send instead of one built from params.
    pub raw_body: Option<String>,
    /// Values to keep for later steps.
    pub capture: Vec<(String, PointerPath)>,
    /// Repeat the step for each element of a captured array.
    pub for_each: Option<ForEach>,
    /// What the answer must look like.
    pub expect: Expect,
    /// What the account must have for this step's capture to find something ("a key pending
    /// deletion among the first 100 keys"). When the capture finds nothing the case is skipped
    /// with these words instead of failing.
    pub precondition: Option<String>,
    /// Where the step starts in the file.
    pub pos: Pos,
}

/// `for_each: { var, in }`.
#[derive(Debug, Clone)]
pub struct ForEach {
    /// The variable bound to each element.
    pub var: String,
    /// The captured array to iterate.
    pub over: String,
}

/// How to check pagination on a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaginationMode {
    /// Check this one page against its request.
    Page,
    /// Walk every page with the request's page size.
    Walk,
}

/// The expectations of a step; all optional.
#[derive(Debug, Clone, Default)]
pub struct Expect {
    /// The HTTP status.
    pub status: Option<u16>,
    /// The documented error code.
    pub error: Option<String>,
    /// Validate against the spec's schema (default: on for documented success statuses).
    pub schema: Option<bool>,
    /// Pointer → regex (with `${vars}`, substituted escaped).
    pub matches: Vec<(PointerPath, String)>,
    /// Pointer → exact JSON value (with `${vars}`).
    pub equals: Vec<(PointerPath, Value)>,
    /// Pointer → array length bounds.
    pub count: Vec<(PointerPath, CountBounds)>,
    /// Pagination invariants.
    pub pagination: Option<PaginationMode>,
    /// Structural diff against the documented sample.
    pub sample: bool,
}

/// Inclusive bounds on an array's length; values may be `${vars}`.
#[derive(Debug, Clone, Default)]
pub struct CountBounds {
    /// At least this many.
    pub min: Option<Value>,
    /// At most this many.
    pub max: Option<Value>,
}
