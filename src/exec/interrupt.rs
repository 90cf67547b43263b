//! How a stop request (Ctrl-C, SIGTERM) reaches a running case.
//!
//! A stop has two stages. At the first, a case stops its steps where they are and runs its
//! teardown, so that what it created on the target is removed. At the second (a second signal,
//! or the grace period being over), it abandons the teardown too. The case reports what it did
//! in either stage; nothing it sent goes uncounted.

use tokio::sync::watch;

/// Where the run is, as the cases see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Keep going.
    Running,
    /// Stop the steps; run the teardown.
    Stopping,
    /// Stop everything now, the teardown included.
    Abandon,
}

/// A case's view of the run's stop stage; cheap to clone.
#[derive(Debug, Clone)]
pub struct Interrupt(Option<watch::Receiver<Stage>>);

/// The sending side of an [`Interrupt`], held by whoever watches for signals.
pub type InterruptSender = watch::Sender<Stage>;

impl Interrupt {
    /// A new stop channel at [`Stage::Running`].
    pub fn channel() -> (InterruptSender, Interrupt) {
        let (tx, rx) = watch::channel(Stage::Running);
        (tx, Interrupt(Some(rx)))
    }

    /// An interrupt that never comes (a case run on its own, or a test).
    pub fn never() -> Interrupt {
        Interrupt(None)
    }

    /// Resolves when the run reaches `stage` (or beyond); never, if it never does.
    pub async fn reached(&mut self, stage: Stage) {
        if let Some(rx) = &mut self.0
            && rx.wait_for(|s| *s >= stage).await.is_ok()
        {
            return;
        }
        // No sender left: the stage cannot come any more.
        std::future::pending::<()>().await
    }
}

/// How the reason of a case stopped by an interrupt begins.
pub(super) const INTERRUPTED_REASON: &str = "interrupted: ";

/// True when the outcome is of a case that an interrupt stopped before it ended.
pub fn was_interrupted(o: &super::CaseOutcome) -> bool {
    o.reason
        .as_deref()
        .is_some_and(|r| r.starts_with(INTERRUPTED_REASON))
}
