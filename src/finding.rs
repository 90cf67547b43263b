//! Findings: what a check found wrong, as data. Reporters format them; checks never do.

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The finding kind, e.g. `status`, `schema`, `pagination.total_stable`, `transport.timeout`
    /// (see [`kinds`]).
    pub kind: String,
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
    pub fn new(kind: &str, message: impl Into<String>) -> Self {
        Finding {
            kind: kind.to_string(),
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
        self.kind.starts_with("transport.")
            || self.kind.starts_with("auth.")
            || self.kind == kinds::INTERNAL
            || self.kind == kinds::HARNESS
    }
}

/// The finding kinds, as constants so that checks and tests agree on spelling.
pub mod kinds {
    /// Every kind below, in this order: what a baseline entry's `kind` may name.
    pub const ALL: &[&str] = &[
        STATUS,
        SCHEMA,
        PATTERN,
        VALUE,
        COUNT,
        MISSING,
        ERROR_CODE,
        ERROR_SHAPE,
        DIFF,
        CONTENT_TYPE,
        CAPTURE,
        PAGE_OVERSIZE,
        PAGE_ECHO,
        PAGE_TOTAL,
        PAGE_DUPLICATE,
        PAGE_COUNT,
        PAGE_ORDER,
        PAGE_PAST_END,
        PAGE_SHORT,
        PAGE_ITEMS,
        CONNECT,
        TIMEOUT,
        TLS,
        RESET,
        TOO_LARGE,
        NOT_JSON,
        NOT_XML,
        REDIRECT,
        PROTOCOL,
        OTHER,
        AUTH,
        INTERNAL,
        HARNESS,
    ];

    /// The HTTP status differs from the documented one.
    pub const STATUS: &str = "status";
    /// The body does not validate against the JSON Schema.
    pub const SCHEMA: &str = "schema";
    /// A value does not match a regex.
    pub const PATTERN: &str = "pattern";
    /// A value differs from the expected value.
    pub const VALUE: &str = "value";
    /// An array's length is out of bounds.
    pub const COUNT: &str = "count";
    /// A value addressed by an expectation is missing.
    pub const MISSING: &str = "missing";
    /// The error code differs from the documented one.
    pub const ERROR_CODE: &str = "error.code";
    /// The error body does not have the service's error shape.
    pub const ERROR_SHAPE: &str = "error.shape";
    /// The masked response differs from the documented sample.
    pub const DIFF: &str = "diff";
    /// The Content-Type of a JSON answer is not JSON.
    pub const CONTENT_TYPE: &str = "content-type";
    /// A capture found nothing at its pointer.
    pub const CAPTURE: &str = "capture";
    /// Pagination: more items than the page size.
    pub const PAGE_OVERSIZE: &str = "pagination.oversize";
    /// Pagination: PageNumber or PageSize not echoed.
    pub const PAGE_ECHO: &str = "pagination.echo";
    /// Pagination: TotalCount changed between pages or is inconsistent with the items.
    pub const PAGE_TOTAL: &str = "pagination.total";
    /// Pagination: an item appears on two pages.
    pub const PAGE_DUPLICATE: &str = "pagination.duplicate";
    /// Pagination: walking every page did not yield TotalCount items.
    pub const PAGE_COUNT: &str = "pagination.count";
    /// Pagination: two walks gave different orders.
    pub const PAGE_ORDER: &str = "pagination.order";
    /// Pagination: a page past the end is not empty.
    pub const PAGE_PAST_END: &str = "pagination.past_end";
    /// Pagination: a page before the last is not full.
    pub const PAGE_SHORT: &str = "pagination.short_page";
    /// Pagination: the items array is missing or not an array, or an item has no id.
    pub const PAGE_ITEMS: &str = "pagination.items";
    /// Transport: the connection could not be made.
    pub const CONNECT: &str = "transport.connect";
    /// Transport: no complete answer within the timeout.
    pub const TIMEOUT: &str = "transport.timeout";
    /// Transport: TLS failed.
    pub const TLS: &str = "transport.tls";
    /// Transport: the connection was reset or closed mid-answer.
    pub const RESET: &str = "transport.reset";
    /// Transport: the body is larger than the cap.
    pub const TOO_LARGE: &str = "transport.body_too_large";
    /// Transport: the body is not JSON where JSON was expected.
    pub const NOT_JSON: &str = "transport.not_json";
    /// Transport: the body is not well-formed XML where XML was asked for (`format: xml`).
    pub const NOT_XML: &str = "transport.not_xml";
    /// Transport: the target answered with a redirect (never followed).
    pub const REDIRECT: &str = "transport.redirect";
    /// Transport: the answer is not HTTP.
    pub const PROTOCOL: &str = "transport.protocol";
    /// Transport: anything else that broke the exchange.
    pub const OTHER: &str = "transport.other";
    /// Auth: the target rejected the credentials or signature.
    pub const AUTH: &str = "auth.rejected";
    /// specgate itself failed on this case (a panic, a lost task): an error, never a pass.
    pub const INTERNAL: &str = "internal";
    /// The step's request could not be built or sent as the case, spec and target files
    /// describe it (a path parameter neither given nor a target variable, an endpoint without a
    /// host, a page size of 0): a mistake in those files (or in specgate), not in the target's
    /// answer. An error, like a transport failure, never a conformance failure.
    pub const HARNESS: &str = "harness.error";
}

#[cfg(test)]
mod kinds_tests {
    /// `kinds::ALL` lists every constant of the module: a kind left out would make baselines
    /// that name it invalid.
    #[test]
    fn all_lists_every_kind() {
        let source = include_str!("finding.rs");
        let module = source
            .split("pub mod kinds {")
            .nth(1)
            .and_then(|rest| rest.split("\n}\n").next())
            .expect("the kinds module");
        let declared: Vec<&str> = module
            .lines()
            .filter_map(|l| l.trim().strip_prefix("pub const "))
            .filter_map(|l| l.split_once(": &str = \"").map(|(_, v)| v))
            .filter_map(|v| v.strip_suffix("\";"))
            .collect();
        assert!(declared.len() > 20, "{declared:?}");
        let mut listed: Vec<&str> = super::kinds::ALL.to_vec();
        let mut declared_sorted = declared.clone();
        listed.sort_unstable();
        declared_sorted.sort_unstable();
        assert_eq!(listed, declared_sorted);
    }
}
