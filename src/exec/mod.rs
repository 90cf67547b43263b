//! Execution: build, sign and send the steps of a case, and record what happened.

mod auth_reject;
mod build;
mod client;
mod error;
mod fixture;
mod interrupt;
mod observe;
mod outcome;
mod resolve;
mod scenario;
mod throttle;

pub use crate::redact::Redactor;
pub use build::{build_request, build_request_as};
pub use client::{Client, ClientOptions, HttpResponse, full_url};
pub use error::ExecError;
pub use fixture::{Created, Fixtures};
pub use interrupt::{Interrupt, InterruptSender, Stage, was_interrupted};
pub use observe::{StepEvent, StepObserver};
pub use outcome::{CaseOutcome, Exchange, RecordedRequest, RecordedResponse, Verdict};
pub use scenario::{RunContext, run_case, run_case_counted, run_case_interruptible};
pub use throttle::{RateLimiter, RetryPolicy, is_throttled, retry_after};
