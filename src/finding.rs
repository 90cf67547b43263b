//! Findings: what a check found wrong, as data. Reporters format them; checks never do.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Where in a case file the step or expectation that produced a finding is: the file as the
/// user gave it, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePos {
    /// The case file.
    pub file: Arc<Path>,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column number, in characters.
    pub col: usize,
}

impl std::fmt::Display for SourcePos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.col)
    }
}

/// One deviation found by a check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The finding kind, e.g. `status`, `schema`, `pagination.count`, `transport.timeout`.
    pub kind: FindingKind,
    /// Which step of the case it is about (`step 2 (find-a-key)`), empty for the case itself.
    pub step: String,
    /// The JSON pointer into the response body the finding is about (empty for the whole).
    pub pointer: String,
    /// What the spec or case expected.
    pub expected: Value,
    /// What the target answered.
    pub actual: Value,
    /// One sentence for people.
    pub message: String,
    /// The step of the case file that produced it, when a step did (not for a finding merged
    /// from a report). Not in reports yet: the console prints it.
    #[serde(skip)]
    pub source: Option<SourcePos>,
}

impl Finding {
    /// Creates a finding about the whole response.
    pub fn new(kind: FindingKind, message: impl Into<String>) -> Self {
        Finding {
            kind,
            step: String::new(),
            pointer: String::new(),
            expected: Value::Null,
            actual: Value::Null,
            message: message.into(),
            source: None,
        }
    }

    /// Sets the pointer.
    pub fn at(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = pointer.into();
        self
    }

    /// Sets what was expected and what was found.
    pub fn values(mut self, expected: impl Into<Value>, actual: impl Into<Value>) -> Self {
        self.expected = expected.into();
        self.actual = actual.into();
        self
    }

    /// True for findings about the exchange itself (transport, auth) or about the harness
    /// (a request the case cannot build, specgate's own failure), which make a case an error
    /// rather than a conformance failure.
    pub fn is_error(&self) -> bool {
        self.kind.is_transport()
            || self.kind.is_auth()
            || self.kind == FindingKind::Internal
            || self.kind == FindingKind::Harness
    }

    /// True when the request may not have done what it asked: the exchange broke
    /// ([`Finding::is_error`]) or the answer's status or error code is not the one expected (a
    /// refusal). Other findings are about the form of an answer to a request that did its work:
    /// a set-up step with only those goes on, a fixture's removal with only those removed it.
    pub fn may_have_failed(&self) -> bool {
        self.is_error() || matches!(self.kind, FindingKind::Status | FindingKind::ErrorCode)
    }
}

/// What a finding is about: the check (or the broken exchange) that found it. Serialised, in
/// reports and baselines, as its name (`schema`, `pagination.count`, `transport.timeout`, ...);
/// read from a baseline with [`FindingKind::parse`], which suggests the nearest kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum FindingKind {
    /// The HTTP status differs from the documented one.
    #[serde(rename = "status")]
    Status,
    /// The body does not validate against the JSON Schema.
    #[serde(rename = "schema")]
    Schema,
    /// A value does not match a regex.
    #[serde(rename = "pattern")]
    Pattern,
    /// A value differs from the expected value.
    #[serde(rename = "value")]
    Value,
    /// An array's length is out of bounds.
    #[serde(rename = "count")]
    Count,
    /// A value addressed by an expectation is missing.
    #[serde(rename = "missing")]
    Missing,
    /// The error code differs from the documented one.
    #[serde(rename = "error.code")]
    ErrorCode,
    /// The error body does not have the service's error shape.
    #[serde(rename = "error.shape")]
    ErrorShape,
    /// The masked response differs from the documented sample.
    #[serde(rename = "diff")]
    Diff,
    /// The Content-Type of a JSON answer is not JSON.
    #[serde(rename = "content-type")]
    ContentType,
    /// A capture found nothing at its pointer.
    #[serde(rename = "capture")]
    Capture,
    /// Pagination: more items than the page size.
    #[serde(rename = "pagination.oversize")]
    PageOversize,
    /// Pagination: PageNumber or PageSize not echoed.
    #[serde(rename = "pagination.echo")]
    PageEcho,
    /// Pagination: TotalCount changed between pages or is inconsistent with the items.
    #[serde(rename = "pagination.total")]
    PageTotal,
    /// Pagination: an item appears on two pages.
    #[serde(rename = "pagination.duplicate")]
    PageDuplicate,
    /// Pagination: walking every page did not yield TotalCount items.
    #[serde(rename = "pagination.count")]
    PageCount,
    /// Pagination: two walks gave different orders.
    #[serde(rename = "pagination.order")]
    PageOrder,
    /// Pagination: a page past the end is not empty.
    #[serde(rename = "pagination.past_end")]
    PagePastEnd,
    /// Pagination: a page before the last is not full.
    #[serde(rename = "pagination.short_page")]
    PageShort,
    /// Pagination: the items array is missing or not an array, or an item has no id.
    #[serde(rename = "pagination.items")]
    PageItems,
    /// Marker pagination: the "more" flag and the next marker disagree, a marker repeats, or a
    /// walk does not end within its bound.
    #[serde(rename = "pagination.marker")]
    PageMarker,
    /// Transport: the connection could not be made.
    #[serde(rename = "transport.connect")]
    Connect,
    /// Transport: no complete answer within the timeout.
    #[serde(rename = "transport.timeout")]
    Timeout,
    /// Transport: TLS failed.
    #[serde(rename = "transport.tls")]
    Tls,
    /// Transport: the connection was reset or closed mid-answer.
    #[serde(rename = "transport.reset")]
    Reset,
    /// Transport: the body is larger than the cap.
    #[serde(rename = "transport.body_too_large")]
    TooLarge,
    /// Transport: the body is not JSON where JSON was expected.
    #[serde(rename = "transport.not_json")]
    NotJson,
    /// Transport: the body is not well-formed XML where XML was asked for (`format: xml`).
    #[serde(rename = "transport.not_xml")]
    NotXml,
    /// Transport: the target answered with a redirect (never followed).
    #[serde(rename = "transport.redirect")]
    Redirect,
    /// Transport: the answer is not HTTP.
    #[serde(rename = "transport.protocol")]
    Protocol,
    /// Transport: anything else that broke the exchange.
    #[serde(rename = "transport.other")]
    Other,
    /// Auth: the target rejected the credentials or signature.
    #[serde(rename = "auth.rejected")]
    Auth,
    /// specgate itself failed on this case (a panic, a lost task): an error, never a pass.
    #[serde(rename = "internal")]
    Internal,
    /// The case could not be sent as written (a request that cannot be built, an operation
    /// without a spec, a target without the service): the case author's or harness's error,
    /// an error outcome, never a conformance failure.
    #[serde(rename = "harness.error")]
    Harness,
    /// The answer differs from the recorded answer of the same case and step (`run
    /// --reference`, docs/parity.md).
    #[serde(rename = "parity")]
    Parity,
}

impl FindingKind {
    /// Every kind, in a fixed order: what a baseline entry's `kind` may name.
    pub const ALL: &[FindingKind] = &[
        FindingKind::Status,
        FindingKind::Schema,
        FindingKind::Pattern,
        FindingKind::Value,
        FindingKind::Count,
        FindingKind::Missing,
        FindingKind::ErrorCode,
        FindingKind::ErrorShape,
        FindingKind::Diff,
        FindingKind::ContentType,
        FindingKind::Capture,
        FindingKind::PageOversize,
        FindingKind::PageEcho,
        FindingKind::PageTotal,
        FindingKind::PageDuplicate,
        FindingKind::PageCount,
        FindingKind::PageOrder,
        FindingKind::PagePastEnd,
        FindingKind::PageShort,
        FindingKind::PageItems,
        FindingKind::PageMarker,
        FindingKind::Connect,
        FindingKind::Timeout,
        FindingKind::Tls,
        FindingKind::Reset,
        FindingKind::TooLarge,
        FindingKind::NotJson,
        FindingKind::NotXml,
        FindingKind::Redirect,
        FindingKind::Protocol,
        FindingKind::Other,
        FindingKind::Auth,
        FindingKind::Internal,
        FindingKind::Harness,
        FindingKind::Parity,
    ];

    /// The kind's name, as reports and baselines write it.
    pub const fn as_str(self) -> &'static str {
        match self {
            FindingKind::Status => "status",
            FindingKind::Schema => "schema",
            FindingKind::Pattern => "pattern",
            FindingKind::Value => "value",
            FindingKind::Count => "count",
            FindingKind::Missing => "missing",
            FindingKind::ErrorCode => "error.code",
            FindingKind::ErrorShape => "error.shape",
            FindingKind::Diff => "diff",
            FindingKind::ContentType => "content-type",
            FindingKind::Capture => "capture",
            FindingKind::PageOversize => "pagination.oversize",
            FindingKind::PageEcho => "pagination.echo",
            FindingKind::PageTotal => "pagination.total",
            FindingKind::PageDuplicate => "pagination.duplicate",
            FindingKind::PageCount => "pagination.count",
            FindingKind::PageOrder => "pagination.order",
            FindingKind::PagePastEnd => "pagination.past_end",
            FindingKind::PageShort => "pagination.short_page",
            FindingKind::PageItems => "pagination.items",
            FindingKind::PageMarker => "pagination.marker",
            FindingKind::Connect => "transport.connect",
            FindingKind::Timeout => "transport.timeout",
            FindingKind::Tls => "transport.tls",
            FindingKind::Reset => "transport.reset",
            FindingKind::TooLarge => "transport.body_too_large",
            FindingKind::NotJson => "transport.not_json",
            FindingKind::NotXml => "transport.not_xml",
            FindingKind::Redirect => "transport.redirect",
            FindingKind::Protocol => "transport.protocol",
            FindingKind::Other => "transport.other",
            FindingKind::Auth => "auth.rejected",
            FindingKind::Internal => "internal",
            FindingKind::Harness => "harness.error",
            FindingKind::Parity => "parity",
        }
    }

    /// The kind named `name`; an unknown name is an error whose text suggests the nearest kind
    /// (or lists them all).
    pub fn parse(name: &str) -> Result<FindingKind, UnknownKind> {
        FindingKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == name)
            .ok_or_else(|| UnknownKind {
                name: name.to_string(),
                hint: crate::diag::did_you_mean_or(
                    name,
                    FindingKind::ALL.iter().map(|k| k.as_str()),
                    || {
                        format!(
                            "the finding kinds are: {}",
                            FindingKind::ALL
                                .iter()
                                .map(|k| k.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    },
                ),
            })
    }

    /// True for a broken transport (`transport.*`).
    pub fn is_transport(self) -> bool {
        self.as_str().starts_with("transport.")
    }

    /// True for a rejected signature or credentials (`auth.*`).
    pub fn is_auth(self) -> bool {
        self.as_str().starts_with("auth.")
    }
}

impl std::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not a finding kind, with a hint (the nearest kind, or the list).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no check reports a finding of kind `{name}`")]
pub struct UnknownKind {
    /// The name as written.
    pub name: String,
    /// `did you mean `...`?`, or every kind.
    pub hint: String,
}

impl std::str::FromStr for FindingKind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<FindingKind, UnknownKind> {
        FindingKind::parse(s)
    }
}

/// Short names for the [`FindingKind`]s, so that checks and tests read `kinds::DIFF`.
pub mod kinds {
    use super::FindingKind;

    /// The HTTP status differs from the documented one.
    pub const STATUS: FindingKind = FindingKind::Status;
    /// The body does not validate against the JSON Schema.
    pub const SCHEMA: FindingKind = FindingKind::Schema;
    /// A value does not match a regex.
    pub const PATTERN: FindingKind = FindingKind::Pattern;
    /// A value differs from the expected value.
    pub const VALUE: FindingKind = FindingKind::Value;
    /// An array's length is out of bounds.
    pub const COUNT: FindingKind = FindingKind::Count;
    /// A value addressed by an expectation is missing.
    pub const MISSING: FindingKind = FindingKind::Missing;
    /// The error code differs from the documented one.
    pub const ERROR_CODE: FindingKind = FindingKind::ErrorCode;
    /// The error body does not have the service's error shape.
    pub const ERROR_SHAPE: FindingKind = FindingKind::ErrorShape;
    /// The masked response differs from the documented sample.
    pub const DIFF: FindingKind = FindingKind::Diff;
    /// The Content-Type of a JSON answer is not JSON.
    pub const CONTENT_TYPE: FindingKind = FindingKind::ContentType;
    /// A capture found nothing at its pointer.
    pub const CAPTURE: FindingKind = FindingKind::Capture;
    /// Pagination: more items than the page size.
    pub const PAGE_OVERSIZE: FindingKind = FindingKind::PageOversize;
    /// Pagination: PageNumber or PageSize not echoed.
    pub const PAGE_ECHO: FindingKind = FindingKind::PageEcho;
    /// Pagination: TotalCount changed between pages or is inconsistent with the items.
    pub const PAGE_TOTAL: FindingKind = FindingKind::PageTotal;
    /// Pagination: an item appears on two pages.
    pub const PAGE_DUPLICATE: FindingKind = FindingKind::PageDuplicate;
    /// Pagination: walking every page did not yield TotalCount items.
    pub const PAGE_COUNT: FindingKind = FindingKind::PageCount;
    /// Pagination: two walks gave different orders.
    pub const PAGE_ORDER: FindingKind = FindingKind::PageOrder;
    /// Pagination: a page past the end is not empty.
    pub const PAGE_PAST_END: FindingKind = FindingKind::PagePastEnd;
    /// Pagination: a page before the last is not full.
    pub const PAGE_SHORT: FindingKind = FindingKind::PageShort;
    /// Pagination: the items array is missing or not an array, or an item has no id.
    pub const PAGE_ITEMS: FindingKind = FindingKind::PageItems;
    /// Marker pagination: the "more" flag and the next marker disagree, a marker repeats, or a
    /// walk does not end within its bound.
    pub const PAGE_MARKER: FindingKind = FindingKind::PageMarker;
    /// Transport: the connection could not be made.
    pub const CONNECT: FindingKind = FindingKind::Connect;
    /// Transport: no complete answer within the timeout.
    pub const TIMEOUT: FindingKind = FindingKind::Timeout;
    /// Transport: TLS failed.
    pub const TLS: FindingKind = FindingKind::Tls;
    /// Transport: the connection was reset or closed mid-answer.
    pub const RESET: FindingKind = FindingKind::Reset;
    /// Transport: the body is larger than the cap.
    pub const TOO_LARGE: FindingKind = FindingKind::TooLarge;
    /// Transport: the body is not JSON where JSON was expected.
    pub const NOT_JSON: FindingKind = FindingKind::NotJson;
    /// Transport: the body is not well-formed XML where XML was asked for (`format: xml`).
    pub const NOT_XML: FindingKind = FindingKind::NotXml;
    /// Transport: the target answered with a redirect (never followed).
    pub const REDIRECT: FindingKind = FindingKind::Redirect;
    /// Transport: the answer is not HTTP.
    pub const PROTOCOL: FindingKind = FindingKind::Protocol;
    /// Transport: anything else that broke the exchange.
    pub const OTHER: FindingKind = FindingKind::Other;
    /// Auth: the target rejected the credentials or signature.
    pub const AUTH: FindingKind = FindingKind::Auth;
    /// specgate itself failed on this case (a panic, a lost task): an error, never a pass.
    pub const INTERNAL: FindingKind = FindingKind::Internal;
    /// The case could not be sent as written: an error outcome, not a conformance failure.
    pub const HARNESS: FindingKind = FindingKind::Harness;
    /// The answer differs from the recorded answer of the same case and step.
    pub const PARITY: FindingKind = FindingKind::Parity;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_serialise_as_their_names_and_parse_back() {
        for &k in FindingKind::ALL {
            let json = serde_json::to_string(&k).expect("serialises");
            assert_eq!(json, format!("\"{}\"", k.as_str()));
            assert_eq!(
                serde_json::from_str::<FindingKind>(&json).expect("reads"),
                k
            );
            assert_eq!(FindingKind::parse(k.as_str()), Ok(k));
            assert_eq!(k.to_string(), k.as_str());
        }
        assert_eq!(kinds::PAGE_PAST_END.as_str(), "pagination.past_end");
        assert_eq!(kinds::TOO_LARGE.as_str(), "transport.body_too_large");
        assert_eq!(kinds::AUTH.as_str(), "auth.rejected");
    }

    /// `FindingKind::ALL` and the `kinds` names list every variant: a kind left out of `ALL`
    /// would make baselines that name it invalid.
    #[test]
    fn all_lists_every_variant() {
        let source = include_str!("finding.rs");
        let body = |start: &str| {
            source
                .split(start)
                .nth(1)
                .and_then(|rest| rest.split("\n}\n").next())
                .expect("the block")
        };
        let variants = body("pub enum FindingKind {")
            .lines()
            .filter(|l| l.trim().starts_with("#[serde(rename"))
            .count();
        let names = body("pub mod kinds {")
            .lines()
            .filter(|l| l.trim().starts_with("pub const "))
            .count();
        assert!(variants > 20, "{variants}");
        assert_eq!(FindingKind::ALL.len(), variants);
        assert_eq!(names, variants);
        let distinct: std::collections::BTreeSet<_> = FindingKind::ALL.iter().collect();
        assert_eq!(distinct.len(), variants);
    }

    #[test]
    fn an_unknown_kind_suggests_the_nearest() {
        let e = FindingKind::parse("pagination.cont").unwrap_err();
        assert_eq!(e.hint, "did you mean `pagination.count`?");
        assert_eq!(
            e.to_string(),
            "no check reports a finding of kind `pagination.cont`"
        );
        let far = FindingKind::parse("zzzzzzzzzzzz").unwrap_err();
        assert!(
            far.hint
                .starts_with("the finding kinds are: status, schema,"),
            "{}",
            far.hint
        );
    }

    #[test]
    fn transport_and_auth_kinds_are_errors() {
        assert!(Finding::new(kinds::TIMEOUT, "m").is_error());
        assert!(Finding::new(kinds::AUTH, "m").is_error());
        assert!(Finding::new(kinds::INTERNAL, "m").is_error());
        assert!(Finding::new(kinds::HARNESS, "m").is_error());
        assert!(!Finding::new(kinds::SCHEMA, "m").is_error());
        assert!(!Finding::new(kinds::ERROR_CODE, "m").is_error());
    }
}
