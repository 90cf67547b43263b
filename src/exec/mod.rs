//! Execution: build, sign and send the steps of a case, and record what happened.

mod auth_reject;
mod build;
mod client;
mod outcome;
mod redact;
mod resolve;
mod scenario;
mod throttle;

pub use build::build_request;
pub use client::{Client, ClientOptions, HttpResponse, full_url};
pub use outcome::{CaseOutcome, Exchange, RecordedRequest, RecordedResponse, Verdict};
pub use redact::Redactor;
pub use scenario::{RunContext, run_case, run_case_counted};
pub use throttle::{RateLimiter, RetryPolicy, is_throttled, retry_after};
