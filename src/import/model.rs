//! The intermediate model every source reader fills and the deriver and writer read: one
//! documented operation with its parameters (each constraint with the sentence it came from),
//! its response fields and samples, its error rows and where all of it was read.

use serde_json::Value;

/// The API style of the vendor the source documents: decides the spec's `request` shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Alibaba RPC: `?Action=<Op>&...`, parameters in the query.
    Rpc,
    /// Huawei REST: a method and a path, parameters in the path and the JSON body.
    Rest,
    /// AWS JSON (`protocol: aws-json`): `POST /` with the operation in `X-Amz-Target`, every
    /// parameter a member of the JSON body.
    AwsJson,
}

/// Where a fact was read: the spec's `evidence` entries are built from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRef {
    /// The evidence kind: `page` for a documentation page, `metadata` for an API definition.
    pub kind: &'static str,
    /// The file's name, as the evidence's `at`.
    pub at: String,
}

/// One documented operation, as read from a source.
#[derive(Debug, Clone)]
pub struct ImportedOperation {
    /// The operation's name (`ListKeys`, `UpdateKeyAlias`).
    pub name: String,
    /// The vendor's API style.
    pub style: Style,
    /// The first sentence of the page: what the operation does.
    pub summary: String,
    /// The source read.
    pub source: SourceRef,
    /// The HTTP method the spec records.
    pub method: String,
    /// REST: the path with `{name}` placeholders.
    pub path: Option<String>,
    /// The documented success status.
    pub success: u16,
    /// The request parameters, in the order of the source (common ones such as `Action` and
    /// the token header left out).
    pub params: Vec<Param>,
    /// The documented sample request's parameters (query or body), in source order.
    pub sample_request: Vec<(String, Value)>,
    /// The response fields of the success answer, as a tree.
    pub response: Vec<Field>,
    /// The documented success sample in the wire shape, when the source has one.
    pub sample: Option<Value>,
    /// How the sample was obtained (verbatim, re-wrapped, built from the table).
    pub sample_source: String,
    /// Documented error rows.
    pub errors: Vec<ErrorRow>,
    /// What the source says where the import had to choose (they become doc notes).
    pub notes: Vec<Note>,
    /// Bounds the prose states that differ from the structure's (botocore: the shape says
    /// 1–1000, the member's documentation 1 to 100): cases derived from them are inferred under
    /// the note that records the disagreement.
    pub prose_bounds: Vec<ProseBound>,
    /// botocore: the operation's paginator (`paginators-1.json`), when it pages by marker.
    pub paginator: Option<Paginator>,
}

/// How an operation pages by marker, as botocore's `paginators-1.json` says: the request
/// member that continues a walk and the one that bounds a page, the answer's next marker, its
/// "more" flag and its list of items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paginator {
    /// `input_token`: the request member that continues at a marker (`Marker`).
    pub input_token: String,
    /// `output_token`: the answer's member with the next marker (`NextMarker`).
    pub output_token: String,
    /// `limit_key`: the request member that bounds a page (`Limit`), when there is one.
    pub limit_key: Option<String>,
    /// `more_results`: the answer's "more follow" flag (`Truncated`), when there is one.
    pub more_results: Option<String>,
    /// `result_key`: the answer's list of items (`Aliases`).
    pub result_key: String,
}

/// A bound the description states where the structure states another one.
#[derive(Debug, Clone, PartialEq)]
pub struct ProseBound {
    /// The parameter.
    pub param: String,
    /// The bound the prose states, with its sentence.
    pub constraint: Constraint,
    /// The bound the structure states, with its quote (`LimitType max: 1000`).
    pub structure: Constraint,
    /// The doc note (in `notes`) that records both sentences.
    pub note: String,
}

/// A request parameter with its constraints.
#[derive(Debug, Clone)]
pub struct Param {
    /// The name on the wire.
    pub name: String,
    /// `query`, `path`, `body` or `header`.
    pub location: &'static str,
    /// `string`, `integer`, `boolean`, `array` or `object`.
    pub ty: &'static str,
    /// Whether the source marks it required.
    pub required: bool,
    /// The source's example value, as text.
    pub example: Option<String>,
    /// The description, one entry per line of the source (bullets kept as written, trimmed).
    pub description: Vec<String>,
    /// Every constraint parsed from the description, with its sentence.
    pub constraints: Vec<Constraint>,
    /// Sentences that state a rule the parser could not turn into a check.
    pub notes: Vec<String>,
}

/// One checkable constraint and the sentence of the source it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    /// What it constrains.
    pub kind: ConstraintKind,
    /// The source's sentence, verbatim.
    pub sentence: String,
}

/// The constraints the spec format can hold.
#[derive(Debug, Clone, PartialEq)]
pub enum ConstraintKind {
    /// Integer lower bound, inclusive.
    Minimum(i64),
    /// Integer upper bound, inclusive.
    Maximum(i64),
    /// String length lower bound, in characters.
    MinLength(u64),
    /// String length upper bound, in characters.
    MaxLength(u64),
    /// A regex the value must match.
    Pattern(String),
    /// A suffix the value must not end with.
    NotSuffix(String),
    /// The allowed values.
    Enum(Vec<String>),
    /// The value the service assumes when the parameter is not sent.
    Default(Value),
    /// A JSON array in a string parameter: at most this many entries.
    MaxItems(u64),
}

impl Param {
    /// The first constraint of a kind picked by `f`.
    pub fn find<T>(&self, f: impl Fn(&ConstraintKind) -> Option<T>) -> Option<(T, &str)> {
        self.constraints
            .iter()
            .find_map(|c| f(&c.kind).map(|v| (v, c.sentence.as_str())))
    }
}

/// The JSON type of a response field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// A string.
    String,
    /// An integer.
    Integer,
    /// A decimal number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// An object with the field's children as members.
    Object,
    /// An array whose items are objects with the field's children (or strings when none).
    Array,
}

/// One response field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The member name.
    pub name: String,
    /// Its type.
    pub ty: FieldType,
    /// Whether the documented sample has it (required in the schema).
    pub required: bool,
    /// Members of an object, or of each item of an array.
    pub children: Vec<Field>,
    /// The values a string may take, when the source lists them (botocore's `enum`).
    pub enum_values: Vec<String>,
}

/// A documented error.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorRow {
    /// The HTTP status.
    pub status: u16,
    /// The error code, where the source gives a real one.
    pub code: Option<String>,
    /// The row as the source writes it (the evidence quote).
    pub quote: String,
}

/// Something the source says that the import read one way among several.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// The doc note's id.
    pub id: String,
    /// The source's words.
    pub page_says: String,
    /// How the import read them.
    pub interpretation: String,
}

impl ImportedOperation {
    /// Every response field name, at every depth (for recall against a spec).
    pub fn response_names(&self) -> Vec<String> {
        fn walk(fields: &[Field], out: &mut Vec<String>) {
            for f in fields {
                out.push(f.name.clone());
                walk(&f.children, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.response, &mut out);
        out
    }
}
