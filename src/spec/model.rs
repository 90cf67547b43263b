//! The spec model: services and operations as the documentation describes them.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use regex::Regex;
use serde_json::Value;

use super::evidence::{Evidence, Reading};
use crate::pointer::PointerPath;
use crate::yaml::Pos;

/// How a service carries requests on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Alibaba-style RPC: `Action` and `Version` plus parameters in the query string.
    Rpc,
    /// REST: method and path per operation, JSON bodies.
    Rest,
    /// The AWS JSON protocol (1.1): `POST /`, the operation in `X-Amz-Target:
    /// <target_prefix>.<Operation>`, the parameters as a JSON body of type
    /// `application/x-amz-json-1.1`, errors as `{"__type", "message"}`.
    AwsJson,
}

impl Protocol {
    /// The media type of the JSON bodies the protocol carries: what a request is sent as, and
    /// what a `content-type` finding says a JSON answer should have been labelled.
    pub const fn json_media_type(self) -> &'static str {
        match self {
            Protocol::AwsJson => "application/x-amz-json-1.1",
            Protocol::Rpc | Protocol::Rest => "application/json",
        }
    }
}

/// A compiled JSON Schema together with its source, shared between cases.
#[derive(Clone)]
pub struct Schema {
    /// The schema as written in the spec.
    pub source: Value,
    /// The compiled validator.
    pub validator: Arc<jsonschema::Validator>,
}

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schema")
            .field("source", &self.source)
            .finish()
    }
}

/// A service: the facts shared by its operations (`specs/<service>/service.yaml`).
#[derive(Debug, Clone)]
pub struct Service {
    /// The service name, equal to its directory name (`alibaba-kms`).
    pub name: String,
    /// A human title.
    pub title: String,
    /// The wire protocol.
    pub protocol: Protocol,
    /// The API version sent with RPC requests.
    pub version: Option<String>,
    /// The `X-Amz-Target` prefix of an aws-json service (`TrentService` for KMS).
    pub target_prefix: Option<String>,
    /// The endpoint template, with `{var}` placeholders.
    pub endpoint: String,
    /// The auth kinds the service accepts.
    pub auth: Vec<String>,
    /// Target variables this service's cases may use.
    pub vars: Vec<String>,
    /// Where the error code and message are in an error body, and its schema.
    pub error: ErrorShape,
    /// Errors any operation of the service may return.
    pub common_errors: Vec<DocumentedError>,
    /// Field names whose values differ per target, with their masking kind.
    pub volatile: BTreeMap<String, super::VolatileKind>,
    /// The file the service was read from.
    pub file: PathBuf,
}

/// The shape of a service's error bodies.
#[derive(Debug, Clone)]
pub struct ErrorShape {
    /// Pointer to the error code.
    pub code: PointerPath,
    /// Pointer to the error message.
    pub message: PointerPath,
    /// Schema every error body must satisfy.
    pub schema: Schema,
}

/// An error the documentation names, with its HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentedError {
    /// The HTTP status.
    pub status: u16,
    /// The error code in the body.
    pub code: String,
    /// Whether a client should retry (throttling).
    pub retryable: bool,
    /// Where the fact comes from (`page` or `reference`, or free text).
    pub source: String,
    /// The sources that state the error and its trigger.
    pub evidence: Vec<Evidence>,
}

/// One operation (`specs/<service>/<Operation>.yaml`).
#[derive(Debug, Clone)]
pub struct Operation {
    /// The service it belongs to.
    pub service: String,
    /// The operation name, equal to the file stem.
    pub name: String,
    /// What it does, in one line.
    pub summary: String,
    /// True for operations used only for set-up and clean-up.
    pub supporting: bool,
    /// True when the operation creates, changes or deletes a resource.
    pub mutating: bool,
    /// The documentation page or reference the facts come from.
    pub source: String,
    /// How to send a request.
    pub request: Request,
    /// Page-number pagination, for list operations.
    pub pagination: Option<Pagination>,
    /// Marker pagination (`pagination: { style: marker, ... }`), for list operations that page
    /// with an opaque marker instead of page numbers (AWS `Limit`/`Marker`).
    pub marker_pagination: Option<MarkerPagination>,
    /// Documented responses by status.
    pub responses: BTreeMap<u16, Response>,
    /// Documented errors of this operation.
    pub errors: Vec<DocumentedError>,
    /// Where the page is ambiguous or wrong, and what we test.
    pub doc_notes: Vec<DocNote>,
    /// The file it was read from.
    pub file: PathBuf,
}

impl Operation {
    /// The full name, `<service>/<Operation>`.
    pub fn id(&self) -> String {
        format!("{}/{}", self.service, self.name)
    }
}

/// The request side of an operation.
#[derive(Debug, Clone)]
pub struct Request {
    /// The HTTP method the harness sends.
    pub method: String,
    /// REST path template with `{param}` placeholders.
    pub path: Option<String>,
    /// The documented success status.
    pub success: u16,
    /// Parameters in file order.
    pub params: Vec<Param>,
}

impl Request {
    /// Finds a parameter by name.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The query string.
    Query,
    /// A `{name}` segment of the path.
    Path,
    /// A member of the JSON body.
    Body,
    /// An HTTP header.
    Header,
}

/// The JSON type of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// Text.
    String,
    /// A whole number.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// A JSON array.
    Array,
    /// A JSON object.
    Object,
}

/// A documented request parameter and its constraints.
#[derive(Debug, Clone)]
pub struct Param {
    /// The name on the wire.
    pub name: String,
    /// Where it travels.
    pub location: Location,
    /// Its type.
    pub ty: ParamType,
    /// Whether the page says it is required.
    pub required: bool,
    /// The documented default.
    pub default: Option<Value>,
    /// Inclusive integer bounds.
    pub minimum: Option<i64>,
    /// Inclusive integer bounds.
    pub maximum: Option<i64>,
    /// String length bounds in characters.
    pub min_length: Option<u64>,
    /// String length bounds in characters.
    pub max_length: Option<u64>,
    /// A regex the value must match.
    pub pattern: Option<Regex>,
    /// A suffix the value must not have.
    pub not_suffix: Option<String>,
    /// The allowed values.
    pub enum_values: Vec<Value>,
    /// A format of the string, e.g. `json`.
    pub format: Option<String>,
    /// For JSON arrays in a string: the most entries allowed.
    pub max_items: Option<u64>,
    /// The page's own words about the parameter.
    pub source: String,
    /// The sources behind its constraints.
    pub evidence: Vec<Evidence>,
    /// Where it is declared.
    pub pos: Pos,
}

/// Page-number pagination of a list operation.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// The page-number request parameter.
    pub page: String,
    /// The page-size request parameter.
    pub size: String,
    /// The total count in the response.
    pub total: PointerPath,
    /// The array of items in the response.
    pub items: PointerPath,
    /// What identifies an item, inside the item.
    pub item_id: PointerPath,
    /// The echoed page number in the response.
    pub page_echo: PointerPath,
    /// The echoed page size in the response.
    pub size_echo: PointerPath,
}

/// Marker (token) pagination of a list operation: a request asks for at most `limit` items and
/// continues at `marker`; an answer says whether more follow (`more`) and where (`next`). There
/// is no total count.
#[derive(Debug, Clone)]
pub struct MarkerPagination {
    /// The request parameter that bounds the items of a page (`Limit`).
    pub limit: String,
    /// The request parameter that continues a walk (`Marker`).
    pub marker: String,
    /// The marker of the next page in the response (`/NextMarker`).
    pub next: PointerPath,
    /// The flag that says more items follow (`/Truncated`); without it, a next marker alone
    /// says so.
    pub more: Option<PointerPath>,
    /// The array of items in the response.
    pub items: PointerPath,
    /// What identifies an item, inside the item.
    pub item_id: PointerPath,
    /// Where the block is, for lint.
    pub pos: Pos,
}

/// A documented response.
#[derive(Debug, Clone)]
pub struct Response {
    /// Its JSON Schema, if documented.
    pub schema: Option<Schema>,
    /// The documented sample, in the wire shape.
    pub sample: Option<Value>,
    /// How the sample was taken from the page.
    pub sample_source: String,
    /// The documented XML sample (`sample_xml`), in the wire shape, if the page gives one.
    pub sample_xml: Option<XmlSample>,
}

/// A documented XML sample: the text in the spec and the JSON tree it reads as (the tree is
/// what the masked sample diff of a `format: xml` step compares with).
#[derive(Debug, Clone)]
pub struct XmlSample {
    /// The XML text, as written in the spec.
    pub text: String,
    /// The tree [`crate::xml::read`] makes of it with the response's schema.
    pub tree: Value,
    /// The page's own XML sample, verbatim, where `text` corrects it (`sample_xml_page`).
    pub page: Option<String>,
    /// How the XML sample was taken from the page (`sample_xml_source`).
    pub source: String,
}

/// An inconsistency of the page, recorded with the reading that the cases test.
#[derive(Debug, Clone)]
pub struct DocNote {
    /// A short id that cases refer to.
    pub id: String,
    /// What the page literally says.
    pub page_says: String,
    /// What specgate tests.
    pub interpretation: String,
    /// The cases that test the interpretation.
    pub cases: Vec<String>,
    /// The sources behind the note.
    pub evidence: Vec<Evidence>,
    /// The readings the page allows; empty when the note is not an open ambiguity.
    pub readings: Vec<Reading>,
    /// The id of the reading the embedded emulator follows by default (set when `readings` is).
    pub emulator: Option<String>,
    /// Where the note's `cases` list is (or the note itself), for errors about it.
    pub pos: Pos,
}

impl DocNote {
    /// The reading with this id.
    pub fn reading(&self, id: &str) -> Option<&Reading> {
        self.readings.iter().find(|r| r.id == id)
    }
}
