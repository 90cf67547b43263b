//! The case model: requests to send and what to expect of the answers.

use std::path::PathBuf;

use serde_json::Value;

use crate::pointer::PointerPath;
use crate::spec::Evidence;
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
    /// The shared resources its cases may use (`fixtures:`).
    pub fixtures: Vec<std::sync::Arc<Fixture>>,
}

/// A resource that several cases of a file use as it is ("a key of mine"): created once per run
/// when the first case needs it, named by a variable the cases use (`${shared_key}`), and torn
/// down after the last case of the run. Without a run to share it (a case run on its own), each
/// case creates and tears down its own.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// The variable that holds the resource's id, captured by `create`.
    pub name: String,
    /// The file that declares it: fixtures of different files are different resources.
    pub file: PathBuf,
    /// One line on what it is and why it can be shared.
    pub summary: String,
    /// The step that creates it; its `capture` sets `name`.
    pub create: Step,
    /// The steps that remove it, with `name` set.
    pub teardown: Vec<Step>,
}

impl Fixture {
    /// A run-wide key: `<file>#<name>`.
    pub fn key(&self) -> String {
        format!("{}#{}", self.file.display(), self.name)
    }
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
    /// The reading of `doc_note` this case tests, when the note lists several.
    pub reading: Option<String>,
    /// The sources that state what the case expects.
    pub evidence: Vec<Evidence>,
    /// One line on what the case proves.
    pub summary: String,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// Steps that run after `steps`, even when one of them failed.
    pub teardown: Vec<Step>,
    /// True when any step (or a fixture it uses) sends a mutating operation.
    pub mutating: bool,
    /// The file's fixtures this case uses, by their variable.
    pub fixtures: Vec<std::sync::Arc<Fixture>>,
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

    /// The case's id (not a repetition): its file's operation and its name.
    pub fn case_id(&self) -> crate::id::CaseId {
        // Loading checked that the operation is `<service>/<Operation>`.
        let operation = match self.operation.split_once('/') {
            Some((service, op)) => crate::id::OperationId::new(service, op),
            None => crate::id::OperationId::new(String::new(), self.operation.clone()),
        };
        crate::id::CaseId::new(operation, self.name.clone())
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
    /// What the account must have for this step's capture to find something ("a key pending
    /// deletion among the first 100 keys"). When the capture finds nothing the case is skipped
    /// with these words instead of failing.
    pub precondition: Option<String>,
    /// Where the step starts in the file.
    pub pos: Pos,
    /// The case file the step is in (shared by its steps).
    pub file: std::sync::Arc<std::path::Path>,
}

impl Step {
    /// The step's place in its case file, for the findings it produces.
    pub fn source(&self) -> crate::finding::SourcePos {
        crate::finding::SourcePos {
            file: self.file.clone(),
            line: self.pos.line,
            col: self.pos.col,
        }
    }
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
