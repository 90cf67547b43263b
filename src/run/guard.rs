//! Every planned case ends in an outcome. A case task that ends any other way (a panic in
//! specgate's code, a task that the runtime cancelled or lost) becomes an `error` outcome with an
//! `internal` finding, so that it is counted, reported and fails the gate: a gate must never pass
//! because cases vanished.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::task::Poll;

use crate::case::Case;
use crate::exec::{CaseOutcome, Verdict};
use crate::finding::{Finding, kinds};
use crate::id::CaseId;

/// Runs `fut` to its end, turning a panic while it is polled into `Err` with the panic's
/// message. The future is not polled again after it panicked.
pub(super) async fn catch_panic<F: Future>(fut: F) -> Result<F::Output, String> {
    let mut fut = std::pin::pin!(fut);
    std::future::poll_fn(move |cx| {
        match std::panic::catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(cx))) {
            Ok(Poll::Ready(v)) => Poll::Ready(Ok(v)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => Poll::Ready(Err(panic_message(payload.as_ref()))),
        }
    })
    .await
}

/// The text of a panic's payload (`panic!("...")` gives a `&str` or a `String`).
pub(super) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// The outcome of a case whose task ended without one: an `error` with one `internal` finding
/// that says why. `id` is the trial's (with its repetition under `--repeat`).
pub(super) fn lost_outcome(case: &Case, target: &str, id: CaseId, why: &str) -> CaseOutcome {
    CaseOutcome {
        id,
        operation: case.operation.clone(),
        target: target.to_string(),
        provenance: case.provenance,
        verdict: Verdict::Error,
        reason: None,
        blocked_by: None,
        set_aside_by: Vec::new(),
        doc_note: case.doc_note.clone(),
        reading: case.reading.clone(),
        retries: 0,
        findings: vec![Finding::new(
            kinds::INTERNAL,
            format!(
                "the case ended without an outcome ({why}); its teardown may not have run. This is a bug in specgate: please report it"
            ),
        )],
        exchanges: Vec::new(),
        diff: None,
        duration_ms: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_future_is_an_error_not_a_lost_task() {
        let got = catch_panic(async {
            tokio::task::yield_now().await;
            if std::hint::black_box(true) {
                panic!("cannot convert float seconds to Duration: value is infinite");
            }
            1
        })
        .await;
        assert_eq!(
            got,
            Err("cannot convert float seconds to Duration: value is infinite".to_string())
        );
        let formatted = catch_panic(async { panic!("{} levels", 3) as u8 }).await;
        assert_eq!(formatted, Err("3 levels".to_string()));
        assert_eq!(catch_panic(async { 7 }).await, Ok(7));
    }
}
