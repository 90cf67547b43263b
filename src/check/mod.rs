//! Checks: turn one answer and a step's expectations into findings.
//!
//! Every check is a pure function of the answer, the spec and the expectation; none sends a
//! request. Pagination walks are driven by the executor, which hands the pages it fetched to
//! [`pagination::check_walk`].

pub mod pagination;

use serde_json::Value;

use crate::case::Expect;
use crate::finding::Finding;
use crate::spec::{Operation, Service};
use crate::vars::Vars;

/// What a check knows about the request that was sent.
pub struct Context<'a> {
    /// The service of the operation.
    pub service: &'a Service,
    /// The operation called.
    pub op: &'a Operation,
    /// Variables in scope (target vars, run prefix, captures), for `${var}` in expectations.
    pub vars: &'a Vars,
    /// The parameters sent, after substitution, by the spec's names.
    pub params: &'a [(String, Value)],
}

/// The answer as the checks see it.
pub struct Observed<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The Content-Type header, if any.
    pub content_type: Option<&'a str>,
    /// The raw body.
    pub body: &'a [u8],
    /// The body parsed as JSON, when it is JSON.
    pub json: Option<&'a Value>,
}

/// Runs every check the expectation asks for (and the defaults) on one answer.
pub fn check_step(_expect: &Expect, _ctx: &Context<'_>, _observed: &Observed<'_>) -> Vec<Finding> {
    Vec::new()
}

/// The readable unified diff of the masked documented sample against the masked answer
/// (placeholder until the checks branch lands).
pub fn sample_diff_for(_ctx: &Context<'_>, _observed: &Observed<'_>) -> String {
    String::new()
}
