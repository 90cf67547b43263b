//! What happens during a run, as it happens: the executor emits [`Event`]s and every
//! [`Subscriber`] of the run's [`Hub`] sees them in order (the console, the JSON event stream,
//! the progress line). The report's collector is fed first, by the same hand and under the
//! same lock (see `execute.rs`): it judges each outcome against the baseline, and the
//! `CaseFinished` event carries that judged, redacted outcome.
//!
//! Events are delivered on the thread of the case that caused them, one at a time: a
//! subscriber writes without locking and never sees two events interleaved.

use super::execute::RunStats;
use crate::report::{OutcomeReport, Report};

/// One thing that happened in a run.
#[derive(Debug)]
pub(crate) enum Event<'a> {
    /// The plan is made: `total` case × target trials will run.
    Planned {
        /// The number of trials.
        total: usize,
    },
    /// The trial at `index` of the plan started.
    CaseStarted {
        /// Its index in the plan.
        index: usize,
    },
    /// The trial at `index` of the plan finished (completion order, not plan order).
    CaseFinished {
        /// Its index in the plan.
        index: usize,
        /// Its outcome, judged (`status`) and redacted by the collector.
        outcome: &'a OutcomeReport,
        /// The requests it sent, retries included.
        requests: usize,
    },
    /// Half a second passed (sent while cases run, so that a progress line can tick while a
    /// slow case holds every line back).
    Tick,
    /// The run ended and its report is complete.
    RunFinished {
        /// The report, with its outcomes in plan order.
        report: &'a Report,
        /// How the execution went.
        stats: &'a RunStats,
    },
}

/// Something that follows the run.
pub(crate) trait Subscriber: Send {
    /// Called for each event, in the order they happened.
    fn event(&mut self, event: &Event<'_>);
}

/// The subscribers of a run.
#[derive(Default)]
pub(crate) struct Hub {
    subscribers: Vec<Box<dyn Subscriber>>,
}

impl Hub {
    /// A hub with these subscribers.
    pub(crate) fn new(subscribers: Vec<Box<dyn Subscriber>>) -> Hub {
        Hub { subscribers }
    }

    /// Gives `event` to every subscriber.
    pub(crate) fn emit(&mut self, event: &Event<'_>) {
        for s in &mut self.subscribers {
            s.event(event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    struct Tape(Arc<Mutex<Vec<String>>>);

    impl Subscriber for Tape {
        fn event(&mut self, event: &Event<'_>) {
            let line = match event {
                Event::Planned { total } => format!("planned {total}"),
                Event::CaseStarted { index } => format!("started {index}"),
                _ => "other".into(),
            };
            self.0.lock().unwrap().push(line);
        }
    }

    #[test]
    fn every_subscriber_sees_every_event_in_order() {
        let (a, b) = (Arc::default(), Arc::default());
        let mut hub = Hub::new(vec![
            Box::new(Tape(Arc::clone(&a))),
            Box::new(Tape(Arc::clone(&b))),
        ]);
        hub.emit(&Event::Planned { total: 2 });
        hub.emit(&Event::CaseStarted { index: 1 });
        for tape in [a, b] {
            assert_eq!(*tape.lock().unwrap(), ["planned 2", "started 1"]);
        }
    }
}
