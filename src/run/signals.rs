//! The signals that stop a run: Ctrl-C (SIGINT) and, on Unix, SIGTERM (what CI cancellation and
//! `timeout` send). Both are handled alike: the run stops starting cases, the started cases run
//! their teardowns for a grace period, and the partial report is written. A second signal skips
//! the teardowns.

use std::time::Duration;

use crate::exec::{InterruptSender, Stage};

/// How long the teardowns of started cases may take after the first signal.
pub(super) const GRACE: Duration = Duration::from_secs(10);

/// Which signal stopped the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StopSignal {
    /// Ctrl-C.
    Interrupt,
    /// SIGTERM.
    Terminate,
}

impl StopSignal {
    /// The name printed on the console.
    pub(crate) fn name(self) -> &'static str {
        match self {
            StopSignal::Interrupt => "interrupted",
            StopSignal::Terminate => "terminated (SIGTERM)",
        }
    }
}

/// Listens for the stop signals from the moment it is made (so that a signal that comes early
/// is not lost to the default action, which would kill the process without a report).
pub(super) struct Signals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    /// Starts listening. Must be called inside the tokio runtime.
    pub(super) fn listen() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Signals {
                term: signal(SignalKind::terminate()).ok(),
                int: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        {
            Signals {}
        }
    }

    /// The next stop signal.
    pub(super) async fn next(&mut self) -> StopSignal {
        #[cfg(unix)]
        {
            async fn recv(s: &mut Option<tokio::signal::unix::Signal>) {
                if let Some(s) = s
                    && s.recv().await.is_some()
                {
                    return;
                }
                std::future::pending().await
            }
            tokio::select! {
                () = recv(&mut self.int) => StopSignal::Interrupt,
                () = recv(&mut self.term) => StopSignal::Terminate,
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            StopSignal::Interrupt
        }
    }
}

/// Watches for signals for as long as the run lasts: the first moves `tx` to
/// [`Stage::Stopping`] and calls `on_stop`; a second one, or the end of the grace period, to
/// [`Stage::Abandon`].
pub(super) async fn watch(
    mut signals: Signals,
    tx: InterruptSender,
    on_stop: impl FnOnce(StopSignal),
) {
    let first = signals.next().await;
    on_stop(first);
    let _ = tx.send(Stage::Stopping);
    eprintln!(
        "\n{}: stopping; the teardowns of started cases run for up to {} s (press Ctrl-C again to skip them); the report covers what ran",
        first.name(),
        GRACE.as_secs()
    );
    tokio::select! {
        _ = signals.next() => eprintln!("second signal: the remaining teardowns are skipped"),
        () = tokio::time::sleep(GRACE) => eprintln!(
            "the grace period of {} s is over: the remaining teardowns are abandoned",
            GRACE.as_secs()
        ),
    }
    let _ = tx.send(Stage::Abandon);
}
