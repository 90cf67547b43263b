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
    /// RPC only: the `Format` to ask for (`format:`); default JSON.
    pub format: RequestFormat,
    /// Values to keep for later steps.
    pub capture: Vec<(String, PointerPath)>,
    /// Repeat the step for each element of a captured array.
    pub for_each: Option<ForEach>,
    /// What the answer must look like.
    pub expect: Expect,
    /// Where the step starts in the file.
    pub pos: Pos,
}

/// What a step asks for with the RPC `Format` parameter (`format: json | xml | none`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RequestFormat {
    /// `Format=JSON` (the default).
    #[default]
    Json,
    /// `Format=XML`.
    Xml,
    /// No `Format` parameter at all: the service's default answers.
    None,
}

impl RequestFormat {
    /// The word used in case files.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestFormat::Json => "json",
            RequestFormat::Xml => "xml",
            RequestFormat::None => "none",
        }
    }
}

/// The format an answer must have (`expect: { format: json | xml }`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BodyFormat {
    /// A JSON body with a JSON Content-Type.
    #[default]
    Json,
    /// An XML body with an XML Content-Type, read into the JSON tree (`crate::xml`).
    Xml,
}

impl Step {
    /// The format the answer must have: `expect.format`, else XML for `format: xml` and JSON
    /// otherwise.
    pub fn body_format(&self) -> BodyFormat {
        Self::body_format_of(self.format, &self.expect)
    }

    /// [`Step::body_format`] of a format and an expectation.
    pub fn body_format_of(format: RequestFormat, expect: &Expect) -> BodyFormat {
        expect.format.unwrap_or(match format {
            RequestFormat::Xml => BodyFormat::Xml,
            RequestFormat::Json | RequestFormat::None => BodyFormat::Json,
        })
    }
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
    /// The format the answer must have; default from the step's `format`.
    pub format: Option<BodyFormat>,
}

/// Inclusive bounds on an array's length; values may be `${vars}`.
#[derive(Debug, Clone, Default)]
pub struct CountBounds {
    /// At least this many.
    pub min: Option<Value>,
    /// At most this many.
    pub max: Option<Value>,
}
