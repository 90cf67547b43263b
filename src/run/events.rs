//! What happens during a run, as it happens: the executor emits [`Event`]s and every
//! [`Subscriber`] of the run's [`Hub`] sees them in order (the console, the JSON event stream,
//! the progress line). The report's collector is fed first, by the same hand and under the
//! same lock (see `execute.rs`): it judges each outcome against the baseline, and the
//! `CaseFinished` event carries that judged, redacted outcome.
//!
//! Events are delivered on the thread of the case that caused them, one at a time: a
//! subscriber writes without locking and never sees two events interleaved.
//!
//! The events inside a case ([`Event::StepAnswered`], [`Event::Retry`]) are sent only when a
//! subscriber asks for them ([`Subscriber::wants_steps`]): a run that nobody watches request by
//! request (the plain console in a pipe, the benchmarks) does not pay for them.

use std::time::Duration;

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
    /// A request of the trial at `index` was answered (or failed without an answer).
    StepAnswered {
        /// Its index in the plan.
        index: usize,
        /// The step's label (`step 2 (find-a-key)`, `teardown 1`, `step 1 (retry 1)`).
        step: &'a str,
        /// The HTTP status; `None` when the exchange broke (timeout, refused connection).
        status: Option<u16>,
        /// From sending the request to the whole answer read.
        duration: Duration,
    },
    /// The target throttled a request of the trial at `index`; it is sent again after `delay`.
    Retry {
        /// Its index in the plan.
        index: usize,
        /// The step's label, without the retry suffix.
        step: &'a str,
        /// The number of this retry, from 1.
        attempt: u32,
        /// The throttling answer's status.
        status: u16,
        /// The wait before the retry.
        delay: Duration,
    },
    /// The trial at `index` of the plan finished (completion order, not plan order).
    CaseFinished {
        /// Its index in the plan.
        index: usize,
        /// Its outcome, judged (`status`) and redacted by the collector.
        outcome: &'a OutcomeReport,
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

    /// Whether this subscriber wants the events inside a case ([`Event::StepAnswered`],
    /// [`Event::Retry`]); asked once, when the run starts.
    fn wants_steps(&self) -> bool {
        false
    }
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

    /// Whether any subscriber wants the events inside a case.
    pub(crate) fn wants_steps(&self) -> bool {
        self.subscribers.iter().any(|s| s.wants_steps())
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

    struct Watcher;

    impl Subscriber for Watcher {
        fn event(&mut self, _: &Event<'_>) {}
        fn wants_steps(&self) -> bool {
            true
        }
    }

    #[test]
    fn step_events_are_wanted_when_one_subscriber_wants_them() {
        let tape = || Box::new(Tape(Arc::default())) as Box<dyn Subscriber>;
        assert!(!Hub::new(vec![tape(), tape()]).wants_steps());
        assert!(Hub::new(vec![tape(), Box::new(Watcher)]).wants_steps());
        assert!(!Hub::default().wants_steps());
    }
}
