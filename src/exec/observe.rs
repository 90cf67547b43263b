//! Watching a case as it runs: what the executor tells, request by request, to whoever follows
//! the run (`specgate run`'s event hub: the JSON event stream, the progress line). Nothing is
//! told unless the run's context carries an observer, so a run nobody watches pays nothing.

use std::time::Duration;

/// One thing that happened inside a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepEvent<'a> {
    /// A request was answered, or failed without an answer (`status` is then `None`).
    Answered {
        /// The step's label as findings name it (`step 2 (find-a-key)`, `teardown 1`; `step 1`
        /// for a case of one step); a retried request's label ends in ` (retry N)` (is
        /// `retry N` in a case of one step), as its recorded exchange's.
        step: &'a str,
        /// The HTTP status, or `None` when the exchange broke (timeout, connection refused).
        status: Option<u16>,
        /// From sending the request to the whole answer read.
        duration: Duration,
    },
    /// The target throttled a request and the executor sends it again after `delay`.
    Retry {
        /// The step's label, as in [`StepEvent::Answered`] (without the retry suffix).
        step: &'a str,
        /// The number of this retry, from 1.
        attempt: u32,
        /// The throttling answer's status.
        status: u16,
        /// The wait before the retry (the server's Retry-After, else the backoff).
        delay: Duration,
    },
}

/// Something told about every [`StepEvent`] of the cases run with it, on the case's own task,
/// as it happens.
pub trait StepObserver: Sync {
    /// Called once per event, in the order they happen within the case.
    fn step_event(&self, event: StepEvent<'_>);
}
