//! Executing the plan: every selected case × target, concurrently; each outcome goes to the
//! report's [`Collector`] as soon as its case finishes, and the run's [`Event`]s to the
//! subscribers of its [`Hub`] as they happen (see `events.rs`).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use tokio::sync::Semaphore;
use tokio::task::{JoinError, JoinSet};

use super::config::RunConfig;
use super::events::{Event, Hub};
use super::guard;
use super::plan::Plan;
use super::signals::{self, Signals, StopSignal};
use crate::case::Case;
use crate::exec::{
    CaseOutcome, Client, Fixtures, Interrupt, Redactor, RunContext, StepEvent, StepObserver,
    run_case_interruptible, was_interrupted,
};
use crate::report::Collector;
use crate::suite::Suite;
use crate::vars::Vars;

/// How the execution went; the outcomes themselves are in the collector.
#[derive(Debug, Clone)]
pub(crate) struct RunStats {
    /// True when Ctrl-C or SIGTERM stopped the run early.
    pub interrupted: bool,
    /// The signal that stopped the run, if one did.
    pub signal: Option<StopSignal>,
    /// How many started cases the stop cut short (their teardowns ran within the grace period).
    pub stopped: usize,
    /// Wall time of the run in milliseconds.
    pub duration_ms: u64,
    /// The number of targets.
    pub targets: usize,
    /// How many case × target runs were planned (more than finished when interrupted).
    pub planned: usize,
    /// How many requests were sent.
    pub requests: usize,
}

/// A fresh, run-unique prefix for resource names: `sg-` and 8 lowercase hex digits.
pub(crate) fn new_run_prefix() -> String {
    format!("sg-{:08x}", rand::random::<u32>())
}

/// Where the finished cases of a run go: the parity check of `--reference` (when given), then
/// the collector, then the event subscribers (the console).
pub(crate) struct Outlets {
    /// Judges and keeps every outcome for the reports.
    pub(crate) collector: Collector,
    /// The subscribers of the run's events.
    pub(crate) hub: Hub,
    /// `--reference`: the recording the answers are held to.
    pub(crate) parity: Option<crate::record::parity::ParityCheck>,
}

/// Runs the plan with at most `--jobs` cases at once, giving each outcome to `collector` as
/// its case finishes; Ctrl-C or SIGTERM stops starting new cases and stops those in flight
/// after their teardowns (see `run/signals.rs`). Exchanges
/// are recorded only when a report will be written (`--no-report` not given): nothing else
/// reads them. Fails only if the task driving the run panicked.
pub(crate) async fn execute(
    suite: Arc<Suite>,
    plan: Arc<Plan>,
    config: &RunConfig,
    client: Client,
    run_prefix: &str,
    outlets: Outlets,
) -> Result<(RunStats, Collector, Hub), String> {
    let Outlets {
        collector,
        hub,
        parity,
    } = outlets;
    let started = std::time::Instant::now();
    let redactor = Redactor::for_targets(plan.targets());
    // The collector redacts every outcome it takes, whoever made it.
    let collector = collector.redacting(redactor.clone());
    let mut hub = hub;
    hub.emit(&Event::Planned { total: plan.len() });
    let watch_steps = hub.wants_steps();
    // A recording and parity read the exchanges too.
    let record = config.report.dir.is_some() || config.record.is_some() || parity.is_some();
    let sink = Arc::new(Mutex::new(Sink {
        collector,
        hub,
        requests: 0,
        parity,
        run_prefix: run_prefix.to_string(),
        plan: plan.clone(),
    }));
    let one_at_a_time = repetition_locks(plan.cases(), plan.targets().len(), config.repeat);
    let shared = Arc::new(Shared {
        one_at_a_time,
        // The plan's targets hold the `--var` values; only those of built-ins are left.
        overrides: plan.late_overrides().clone(),
        plan: plan.clone(),
        suite,
        client,
        run_prefix: run_prefix.to_string(),
        allow_mutations: config.allow_mutations,
        record,
        redactor,
        limiter: config.rate_limit.map(crate::exec::RateLimiter::new),
        fixtures: Fixtures::new(run_prefix),
        stop: AtomicBool::new(false),
        signal: OnceLock::new(),
        stopped: AtomicUsize::new(0),
        watch_steps,
    });
    let (stop_tx, interrupt) = Interrupt::channel();
    let planned = plan.len();
    let watcher = {
        let shared = shared.clone();
        tokio::spawn(signals::watch(Signals::listen(), stop_tx, move |sig| {
            let _ = shared.signal.set(sig);
            shared.stop.store(true, Ordering::SeqCst);
        }))
    };
    // The loop that starts and joins the cases runs as a task next to them, not on the thread
    // that waits for the run: a case that finishes then wakes no other thread.
    let driver = tokio::spawn(drive(
        shared.clone(),
        plan,
        config.jobs,
        interrupt,
        sink.clone(),
    ));
    let ticker = {
        let sink = sink.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(TICK);
            every.tick().await;
            loop {
                every.tick().await;
                lock_sink(&sink).hub.emit(&Event::Tick);
            }
        })
    };
    let joined = driver.await;
    ticker.abort();
    let _ = ticker.await;
    watcher.abort();
    // The shared fixtures go after the last case, even after Ctrl-C.
    for problem in shared.remove_fixtures().await {
        let problem = crate::redact::escape_controls(&shared.redactor.text(&problem)).into_owned();
        eprintln!("warning: could not remove {problem}; `specgate sweep` finds what is left");
    }
    // A failed driver took the collector with it: nothing can be reported.
    joined.map_err(|e| format!("the run failed: {e}"))?;
    // Every case task and the ticker are gone: the sink is ours alone.
    let Sink {
        collector,
        hub,
        requests,
        ..
    } = Arc::try_unwrap(sink)
        .map_err(|_| "the run failed: a case task outlived it".to_string())?
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let stats = RunStats {
        interrupted: shared.stop.load(Ordering::SeqCst),
        signal: shared.signal.get().copied(),
        stopped: shared.stopped.load(Ordering::SeqCst),
        duration_ms: started.elapsed().as_millis() as u64,
        targets: shared.plan.targets().len(),
        planned,
        requests,
    };
    Ok((stats, collector, hub))
}

/// How often [`Event::Tick`] is sent.
const TICK: std::time::Duration = std::time::Duration::from_millis(500);

/// Where finished cases go, one at a time: the collector first, then the event's subscribers.
struct Sink {
    collector: Collector,
    hub: Hub,
    /// The requests the finished cases sent.
    requests: usize,
    /// `--reference`: the recording the answers are held to.
    parity: Option<crate::record::parity::ParityCheck>,
    /// The run's prefix (a repetition's is `<prefix>-rN`), masked when answers are compared.
    run_prefix: String,
    /// The plan, for the case-file places of parity findings.
    plan: Arc<Plan>,
}

impl Sink {
    /// Takes the outcome of the plan's trial `i`, which sent `requests` requests.
    fn finished(&mut self, i: usize, mut outcome: CaseOutcome, requests: usize) {
        self.requests += requests;
        // `--reference`: the answers are also held to the recording's.
        if let Some(parity) = &self.parity {
            let prefix = match outcome.id.repetition {
                0 => self.run_prefix.clone(),
                r => format!("{}-r{r}", self.run_prefix),
            };
            if let Some(p) = parity.judge(&mut outcome, &prefix) {
                let case = outcome.id.case().to_string();
                self.collector.add_parity(&outcome.target, &case, &p);
            }
            if let Some(case) = self.plan.trials().get(i).and_then(|p| self.plan.case(p)) {
                place_parity_findings(&mut outcome.findings, case);
            }
        }
        let outcome = self.collector.add_shown(i, outcome);
        self.hub.emit(&Event::CaseFinished {
            index: i,
            outcome: &outcome,
        });
    }
}

/// Parity findings are made from the exchanges after the case ran, under the label of the step
/// that sent each (`step 2 (find-a-key)`, `teardown 1`): each gets the case-file place of that
/// step, as the findings of the step's own checks do.
fn place_parity_findings(findings: &mut [crate::finding::Finding], case: &crate::case::Case) {
    for f in findings
        .iter_mut()
        .filter(|f| f.kind == crate::finding::kinds::PARITY && f.source.is_none())
    {
        let mut words = f.step.split_whitespace();
        let steps = match words.next() {
            Some("step") => &case.steps,
            Some("teardown") => &case.teardown,
            _ => continue,
        };
        let index = words
            .next()
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| n.checked_sub(1));
        if let Some(step) = index.and_then(|i| steps.get(i)) {
            f.source = Some(step.source());
        }
    }
}

/// Gives the answers and retries of the plan's trial `index` to the run's subscribers, as they
/// happen.
struct CaseWatch<'a> {
    index: usize,
    sink: &'a Mutex<Sink>,
}

impl StepObserver for CaseWatch<'_> {
    fn step_event(&self, event: StepEvent<'_>) {
        let index = self.index;
        let event = match event {
            StepEvent::Answered {
                step,
                status,
                duration,
            } => Event::StepAnswered {
                index,
                step,
                status,
                duration,
            },
            StepEvent::Retry {
                step,
                attempt,
                status,
                delay,
            } => Event::Retry {
                index,
                step,
                attempt,
                status,
                delay,
            },
        };
        lock_sink(self.sink).hub.emit(&event);
    }
}

/// Locks the sink; a panic of another holder (a subscriber's) does not lose the run.
fn lock_sink(sink: &Mutex<Sink>) -> std::sync::MutexGuard<'_, Sink> {
    sink.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Starts the planned cases, at most `jobs` at once, until the plan is done or a stop; each
/// case gives its outcome to the sink as it finishes, before it lets the next case start (so
/// that `--jobs 1` reports in plan order).
/// A case task that ends without an outcome (a panic, a cancelled task) still becomes an
/// `error` outcome of its case, so no case vanishes from counts and reports.
async fn drive(
    shared: Arc<Shared>,
    plan: Arc<Plan>,
    jobs: usize,
    interrupt: Interrupt,
    sink: Arc<Mutex<Sink>>,
) {
    let semaphore = Arc::new(Semaphore::new(jobs));
    let mut tasks = JoinSet::new();
    // Which plan index each running task has: a task that fails (panics outside the case's
    // guard, or is cancelled) still becomes an outcome of its case.
    let mut running: HashMap<tokio::task::Id, usize> = HashMap::new();
    // A finished task is joined at once, so that neither it nor its outcome waits in the
    // runtime for the whole run.
    // A task that ended normally gave its outcome to the sink itself.
    let collect = |running: &mut HashMap<tokio::task::Id, usize>,
                   joined: Result<(tokio::task::Id, usize), JoinError>| {
        let (i, done) = match joined {
            Ok((id, _)) => {
                running.remove(&id);
                return;
            }
            Err(e) => {
                let Some(i) = running.remove(&e.id()) else {
                    let e = crate::redact::escape_controls(&shared.redactor.text(&e.to_string()))
                        .into_owned();
                    eprintln!("internal error: a case task failed: {e}");
                    return;
                };
                let why = if e.is_panic() {
                    format!(
                        "its task panicked: {}",
                        guard::panic_message(&e.into_panic())
                    )
                } else {
                    "its task was cancelled".to_string()
                };
                (i, lost(&plan, i, &why))
            }
        };
        if let Some((o, n)) = done {
            lock_sink(&sink).finished(i, o, n);
        }
    };
    for (i, &p) in plan.trials().iter().enumerate() {
        // Take the permit before spawning, so that at most `--jobs` cases exist at once
        // however many are planned.
        let Ok(permit) = semaphore.clone().acquire_owned().await else {
            break;
        };
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        while let Some(joined) = tasks.try_join_next_with_id() {
            collect(&mut running, joined);
        }
        let task_shared = shared.clone();
        let interrupt = interrupt.clone();
        let task_plan = plan.clone();
        let task_sink = sink.clone();
        // Boxed: a case's future is large (every step's requests, checks and walks), and a
        // future spawned by value is copied whole several times on its way into the task and
        // again when its output is stored and read (a fifth of a request's instructions,
        // docs/benchmarks.md); boxed, only the pointer moves.
        let handle = tasks.spawn(Box::pin(async move {
            let shared = task_shared;
            let _permit = permit;
            let (Some(case), Some(target)) = (shared.plan.case(&p), shared.plan.target(&p)) else {
                return i;
            };
            // Each repetition creates its resources under its own prefix.
            let prefix = if p.repetition > 0 {
                format!("{}-r{}", shared.run_prefix, p.repetition)
            } else {
                shared.run_prefix.clone()
            };
            // The repetitions of a case that changes state run one after another on a target
            // (see `repetition_locks`); other cases still run beside them.
            let _alone = match shared.one_at_a_time.get(&(p.case, p.target_index)) {
                Some(lock) => Some(lock.lock().await),
                None => None,
            };
            lock_sink(&task_sink)
                .hub
                .emit(&Event::CaseStarted { index: i });
            let watch = shared.watch_steps.then(|| CaseWatch {
                index: i,
                sink: &task_sink,
            });
            let ctx = RunContext {
                suite: &shared.suite,
                client: &shared.client,
                run_prefix: &prefix,
                allow_mutations: shared.allow_mutations,
                redactor: &shared.redactor,
                overrides: &shared.overrides,
                retry: crate::exec::RetryPolicy::default(),
                limiter: shared.limiter.as_ref(),
                fixtures: Some(&shared.fixtures),
                observer: watch.as_ref().map(|w| w as &dyn StepObserver),
            };
            // A stop cuts the case short but lets its teardown run; it is reported with what
            // it did, and every request it sent is counted. A panic inside the case is caught
            // here and becomes its `error` outcome.
            let run = run_case_interruptible(case, target, &ctx, shared.record, interrupt);
            let done = match guard::catch_panic(run).await {
                Ok((mut outcome, requests)) => {
                    if was_interrupted(&outcome) {
                        shared.stopped.fetch_add(1, Ordering::SeqCst);
                    }
                    // The outcome is named after its case; a repetition after itself.
                    outcome.id.repetition = p.repetition;
                    Some((outcome, requests))
                }
                Err(panic) => {
                    let why = format!("it panicked: {}", shared.redactor.text(&panic));
                    lost(&task_plan, i, &why)
                }
            };
            // Before the permit goes: the next case starts after this one is shown.
            if let Some((outcome, requests)) = done {
                lock_sink(&task_sink).finished(i, outcome, requests);
            }
            i
        }));
        running.insert(handle.id(), i);
    }
    while let Some(joined) = tasks.join_next_with_id().await {
        collect(&mut running, joined);
    }
}

/// The `error` outcome of the planned case `i` whose task ended without an outcome.
fn lost(plan: &Plan, i: usize, why: &str) -> Option<(CaseOutcome, usize)> {
    let p = plan.trials().get(i)?;
    let case = plan.case(p)?;
    let target = plan.target(p)?;
    Some((guard::lost_outcome(case, &target.name, plan.id(p)?, why), 0))
}

/// Under `--repeat`, one lock per mutating case and target: its repetitions take turns.
///
/// The suite is written so that its cases do not disturb one another on a target (each mutating
/// case works on resources or keys no other case touches, e.g. `created-alias-listed-last` alone
/// creates aliases on the third key, so that "the last alias" is its own). Copies of one case
/// would break that: twenty repetitions creating aliases on the same key at once each find
/// another's alias last. So each repetition of a case that changes state sees the target as a
/// single run does; read-only cases (the benchmarks' kind) repeat concurrently.
fn repetition_locks(
    cases: &[Case],
    targets: usize,
    repeat: u32,
) -> HashMap<(usize, usize), tokio::sync::Mutex<()>> {
    if repeat <= 1 {
        return HashMap::new();
    }
    cases
        .iter()
        .enumerate()
        .filter(|(_, c)| c.mutating)
        .flat_map(|(ci, _)| (0..targets).map(move |ti| ((ci, ti), tokio::sync::Mutex::new(()))))
        .collect()
}

/// What every case task shares.
struct Shared {
    /// The turns of mutating cases' repetitions (empty without `--repeat`).
    one_at_a_time: HashMap<(usize, usize), tokio::sync::Mutex<()>>,
    /// The cases and targets to run.
    plan: Arc<Plan>,
    suite: Arc<Suite>,
    client: Client,
    run_prefix: String,
    allow_mutations: bool,
    /// Whether exchanges are recorded (a report, a recording or parity will read them).
    record: bool,
    redactor: Redactor,
    /// The `--var` values of built-in variables (the others are in the plan's targets).
    overrides: Vars,
    limiter: Option<crate::exec::RateLimiter>,
    /// The fixtures the cases share, created once per run.
    fixtures: Fixtures,
    stop: AtomicBool,
    /// The signal that stopped the run.
    signal: OnceLock<StopSignal>,
    /// How many started cases a stop cut short.
    stopped: AtomicUsize,
    /// Whether a subscriber wants the events inside each case (answers, retries).
    watch_steps: bool,
}

impl Shared {
    /// Removes the fixtures the run created; one line per problem.
    async fn remove_fixtures(&self) -> Vec<String> {
        let ctx = RunContext {
            suite: &self.suite,
            client: &self.client,
            run_prefix: &self.run_prefix,
            allow_mutations: self.allow_mutations,
            redactor: &self.redactor,
            overrides: &self.overrides,
            retry: crate::exec::RetryPolicy::default(),
            limiter: self.limiter.as_ref(),
            fixtures: None,
            observer: None,
        };
        self.fixtures.teardown_all(self.plan.targets(), &ctx).await
    }
}
