//! Running one case against one target: steps in order, captures, `for_each`, pagination
//! walks, and a teardown that always runs.

use std::time::Instant;

use serde_json::Value;

use super::auth_reject::auth_rejection;
use super::build::{build_request, build_request_as};
use super::client::{Client, HttpResponse, full_url};
use super::fixture::{self, Fixtures};
use super::interrupt::{INTERRUPTED_REASON, Interrupt, Stage};
use super::observe::{StepEvent, StepObserver};
use super::outcome::{CaseOutcome, Exchange, RecordedRequest, RecordedResponse, Verdict};
use super::throttle::{RateLimiter, RetryPolicy, is_throttled, retry_after};
use crate::case::{BodyFormat, Case, Fixture, PaginationMode, Step};
use crate::check::{self, Context, Observed};
use crate::finding::{Finding, kinds};
use crate::redact::Redactor;
use crate::sign::SignableRequest;
use crate::spec::{Operation, Service};
use crate::suite::Suite;
use crate::target::{ServiceTarget, Target};
use crate::vars::{self, Vars};

/// The largest body kept in a recorded exchange.
const RECORDED_BODY_LIMIT: usize = 64 * 1024;
/// The most pages a walk fetches before it gives up.
const MAX_WALK_PAGES: u64 = 200;

/// What every case of a run shares.
pub struct RunContext<'a> {
    /// Specs and cases.
    pub suite: &'a Suite,
    /// The HTTP client.
    pub client: &'a Client,
    /// The prefix of every resource the run creates.
    pub run_prefix: &'a str,
    /// Whether mutating cases may run against a target that is not the embedded emulator.
    pub allow_mutations: bool,
    /// Removes secrets from everything recorded.
    pub redactor: &'a Redactor,
    /// `--var k=v` values, which override target variables.
    pub overrides: &'a Vars,
    /// How throttled requests are retried.
    pub retry: RetryPolicy,
    /// The run-wide request rate cap, if any.
    pub limiter: Option<&'a RateLimiter>,
    /// The run's shared fixtures; without them (`None`) a case creates and removes the
    /// fixtures it uses itself.
    pub fixtures: Option<&'a Fixtures>,
    /// Told about every answer and retry as it happens (`None`: nobody watches).
    pub observer: Option<&'a dyn StepObserver>,
}

impl<'a> RunContext<'a> {
    /// The same context with another resource prefix.
    pub fn with_prefix<'b>(&self, run_prefix: &'b str) -> RunContext<'b>
    where
        'a: 'b,
    {
        RunContext {
            run_prefix,
            ..*self
        }
    }
}

/// What [`run_steps`] gives back.
pub(crate) struct Detached {
    /// The variables set at the end (the given ones and the captures).
    pub captures: Vars,
    /// Every finding.
    pub findings: Vec<Finding>,
    /// The exchanges, when recorded.
    pub exchanges: Vec<Exchange>,
    /// What the last step that found something would have captured, and whether it took
    /// every capture: for the set-up rule ([`set_aside`]).
    pub held: Held,
}

/// Runs steps outside a case (a fixture's creation or removal), with `vars` set, labelled
/// `<kind> N`. With `stop`, the first failing step ends it; with `record`, exchanges are kept.
pub(crate) async fn run_steps(
    kind: &str,
    steps: &[&Step],
    vars: Vars,
    target: &Target,
    ctx: &RunContext<'_>,
    (stop, record): (bool, bool),
) -> Detached {
    let mut run = CaseRun::new(ctx, target, record);
    run.captures = vars;
    for (i, step) in steps.iter().enumerate() {
        if !run.step(step, &step_label(kind, i, step)).await && stop {
            break;
        }
    }
    Detached {
        captures: run.captures,
        findings: run.findings,
        exchanges: run.exchanges,
        held: run.held,
    }
}

/// Runs a case against a target and returns its outcome; never panics on target behaviour.
pub async fn run_case(case: &Case, target: &Target, ctx: &RunContext<'_>) -> CaseOutcome {
    run_case_counted(case, target, ctx, true).await.0
}

/// Runs a case like [`run_case`] and also returns how many requests it sent. With `record`
/// false, the outcome's `exchanges` stay empty: for runs whose exchanges nobody reads (no report
/// is written), which then neither copy every request and answer nor keep them in memory.
pub async fn run_case_counted(
    case: &Case,
    target: &Target,
    ctx: &RunContext<'_>,
    record: bool,
) -> (CaseOutcome, usize) {
    run_case_interruptible(case, target, ctx, record, Interrupt::never()).await
}

/// Runs a case like [`run_case_counted`] while watching `interrupt`: when the run is stopped,
/// the steps stop where they are and the teardown still runs (until the run is abandoned), and
/// the case is reported with what it did (`inconclusive`, unless a step had already failed).
pub async fn run_case_interruptible(
    case: &Case,
    target: &Target,
    ctx: &RunContext<'_>,
    record: bool,
    mut interrupt: Interrupt,
) -> (CaseOutcome, usize) {
    let started = Instant::now();
    let mut stopped: Option<&'static str> = None;
    let mut run = CaseRun::new(ctx, target, record);
    let mut blocked: Option<(String, String)> = None;
    let skip = skip_reason(case, target, ctx);
    if skip.is_none() {
        let single = case.steps.len() == 1 && case.teardown.is_empty() && case.fixtures.is_empty();
        let set_up = set_up_steps(case);
        let mut own = Vec::new();
        let steps = async {
            let (created, fixtures_ok) = run.fixtures(case).await;
            own = created;
            if !fixtures_ok {
                return;
            }
            for (i, step) in case.steps.iter().enumerate() {
                let label = if single {
                    String::new()
                } else {
                    step_label("step", i, step)
                };
                let before = run.findings.len();
                if !run.step(step, &label).await {
                    if i < set_up && run.unmet.is_none() && !run.throttled_out {
                        if run.go_on_past(step, &label, before) {
                            continue;
                        }
                        blocked = run.blocked_by(step, &label, before);
                    }
                    break;
                }
            }
        };
        tokio::select! {
            biased;
            () = steps => {}
            () = interrupt.reached(Stage::Stopping) => stopped = Some("its steps were stopped"),
        }
        // After a failed step (or an unmet precondition, or a stop) the teardown is best effort:
        // it still runs (to clean up), and its exchanges are recorded, but what it finds about
        // resources that may never have been created is noise, not a second verdict.
        let failed_before_teardown =
            !run.findings.is_empty() || run.unmet.is_some() || stopped.is_some();
        let kept = run.findings.len();
        let teardown = async {
            for (i, step) in case.teardown.iter().enumerate() {
                run.step(step, &step_label("teardown", i, step)).await;
            }
            // The fixtures this case created for itself (no run to share them).
            let prefix = local_prefix(ctx.run_prefix, case);
            for fixture in own {
                // Only fixtures whose value was captured are in `own`.
                let Some(value) = run.captures.get(&fixture.name).cloned() else {
                    continue;
                };
                let ctx = ctx.with_prefix(&prefix);
                let done = fixture::remove(fixture, &value, target, &ctx, record).await;
                run.findings.extend(done.findings);
                run.exchanges.extend(done.exchanges);
            }
        };
        let abandoned = tokio::select! {
            biased;
            () = teardown => false,
            () = interrupt.reached(Stage::Abandon) => true,
        };
        stopped = match (stopped.is_some(), abandoned, case.teardown.is_empty()) {
            (true, _, true) => Some("its steps were stopped"),
            (true, false, false) => Some("its steps were stopped; its teardown ran"),
            (true, true, false) => Some("its steps were stopped and its teardown abandoned"),
            (false, true, _) => Some("its teardown was abandoned"),
            (false, false, _) => None,
        };
        if failed_before_teardown {
            run.findings.truncate(kept);
        }
    }
    let verdict = if skip.is_some() {
        Verdict::Skipped
    } else if run.throttled_out || (stopped.is_some() && run.findings.is_empty()) {
        Verdict::Inconclusive
    } else if run.findings.iter().any(Finding::is_error) {
        Verdict::Error
    } else if run.unmet.is_some() {
        Verdict::Skipped
    } else if blocked.is_some() {
        Verdict::Blocked
    } else if run.findings.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Fail
    };
    let outcome = CaseOutcome {
        id: case.case_id(),
        operation: case.operation.clone(),
        target: target.name.clone(),
        provenance: case.provenance,
        doc_note: case.doc_note.clone(),
        reading: case.reading.clone(),
        verdict,
        reason: skip
            .or_else(|| {
                stopped.map(|what| {
                    format!(
                        "{INTERRUPTED_REASON}{what} ({} request{} sent)",
                        run.requests,
                        if run.requests == 1 { "" } else { "s" }
                    )
                })
            })
            .or_else(|| match verdict {
                Verdict::Inconclusive => {
                    Some(format!("still throttled after {} retries", run.retries))
                }
                Verdict::Skipped => run
                    .unmet
                    .as_ref()
                    .map(|words| format!("precondition not met: {words}")),
                Verdict::Blocked => blocked.as_ref().map(|(_, why)| why.clone()),
                Verdict::Pass | Verdict::Fail if !run.notes.is_empty() => Some(run.notes.join(" ")),
                _ => None,
            }),
        blocked_by: match verdict {
            Verdict::Blocked => blocked.map(|(op, _)| op),
            _ => None,
        },
        set_aside_by: match verdict {
            Verdict::Pass | Verdict::Fail => run.set_aside_by,
            _ => Vec::new(),
        },
        retries: run.retries,
        findings: run.findings,
        exchanges: run.exchanges,
        diff: run.diff,
        duration_ms: started.elapsed().as_millis() as u64,
    };
    (outcome, run.requests)
}

/// Why a case does not run against this target, if it doesn't.
fn skip_reason(case: &Case, target: &Target, ctx: &RunContext<'_>) -> Option<String> {
    if case.mutating && !target.embedded && !target.disposable && !ctx.allow_mutations {
        return Some(
            "mutating case against a real target; pass --allow-mutations to run it, or declare `disposable: true` in the profile of a target whose state may be changed (your own emulator)".into(),
        );
    }
    for step in case.steps.iter().chain(&case.teardown) {
        let service = step.operation.split('/').next().unwrap_or("");
        if !target.services.contains_key(service) {
            return Some(format!(
                "target `{}` has no `{service}` service",
                target.name
            ));
        }
    }
    None
}

/// The resource prefix of the fixtures a case creates for itself: the run prefix and the case.
fn local_prefix(run_prefix: &str, case: &Case) -> String {
    format!("{run_prefix}-{}", case.name)
}

/// How many of a case's first steps are set-up: the steps before the first one that sends the
/// case's own operation, each of them sending another operation (a discovery or a creation).
fn set_up_steps(case: &Case) -> usize {
    case.steps
        .iter()
        .position(|s| s.operation == case.operation)
        .unwrap_or(case.steps.len())
}

/// The label a step event names: a case of one step labels its findings with nothing, its
/// events `step 1`.
fn step_name(label: &str) -> &str {
    if label.is_empty() { "step 1" } else { label }
}

fn step_label(kind: &str, i: usize, step: &Step) -> String {
    match &step.name {
        Some(n) => format!("{kind} {} ({n})", i + 1),
        None => format!("{kind} {}", i + 1),
    }
}

/// The state of one case while it runs.
struct CaseRun<'a, 'c> {
    ctx: &'a RunContext<'c>,
    target: &'a Target,
    captures: Vars,
    findings: Vec<Finding>,
    exchanges: Vec<Exchange>,
    /// Whether exchanges are recorded.
    record: bool,
    /// Requests sent, recorded or not.
    requests: usize,
    diff: Option<String>,
    retries: u32,
    waited: std::time::Duration,
    throttled_out: bool,
    /// The words of the `precondition` of a step whose capture found nothing.
    unmet: Option<String>,
    /// What the step now running captured from an answer with findings (kept aside).
    held: Held,
    /// The set-up operations whose deviations the case went on past, and the notes saying so.
    set_aside_by: Vec<String>,
    notes: Vec<String>,
}

/// The captures of a step that found something, kept aside rather than set: the case may still
/// go on past it ([`set_aside`]), and otherwise nothing may use them.
#[derive(Debug, Default)]
pub(crate) struct Held {
    /// The values taken.
    pub vars: Vars,
    /// Whether a capture selected nothing or could not be tried (no JSON answer).
    pub missed: bool,
    /// Where in the answer each value taken was (`/Aliases/Alias/0/AliasName`).
    pub at: Vec<String>,
}

/// Whether a case goes on past a set-up step (or a fixture's creation) of `operation` that
/// found `found`, its deviations set aside: none of them is an error (transport, auth,
/// harness), none says the status or error code differs from what the step expects, every
/// capture the step declares was taken (`held`) and no finding is about a value taken (nor
/// inside it, nor around it: a captured alias name that breaks its pattern would mislead the
/// case's own step), and the suite checks `operation` in cases of its own, which report the
/// deviation. Otherwise the old rules hold (blocked, or failed).
pub(crate) fn set_aside(suite: &Suite, operation: &str, found: &[Finding], held: &Held) -> bool {
    !found.is_empty()
        && !held.missed
        && found.iter().all(|f| {
            !f.may_have_failed()
                && f.kind != kinds::CAPTURE
                && !held.at.iter().any(|at| overlaps(&f.pointer, at))
        })
        && checked(suite, operation)
}

/// Whether two concrete pointers address the same value or one lies inside the other. A
/// finding about the whole answer (the empty pointer: a content type, a missing member) is
/// about no captured value: the capture found its value.
fn overlaps(finding: &str, taken: &str) -> bool {
    if finding.is_empty() || taken.is_empty() {
        return false;
    }
    let (a, b): (Vec<&str>, Vec<&str>) = (finding.split('/').collect(), taken.split('/').collect());
    a.iter().zip(&b).all(|(x, y)| x == y)
}

/// Whether the suite has cases of `operation` itself.
fn checked(suite: &Suite, operation: &str) -> bool {
    suite
        .case_files
        .iter()
        .any(|f| f.operation == operation && !f.cases.is_empty())
}

/// The note of a case that went on past a deviating set-up step: the step (`label`), its
/// operation and its first finding.
pub(crate) fn set_aside_note(label: &str, operation: &str, first: &Finding) -> String {
    let label = if label.is_empty() { "set-up" } else { label };
    format!(
        "{label} sends {operation}, which deviated ({}: {}); its own cases report it; the case went on.",
        first.kind, first.message
    )
}

impl<'a, 'c> CaseRun<'a, 'c> {
    fn new(ctx: &'a RunContext<'c>, target: &'a Target, record: bool) -> Self {
        CaseRun {
            ctx,
            target,
            captures: Vars::new(),
            findings: Vec::new(),
            exchanges: Vec::new(),
            record,
            requests: 0,
            diff: None,
            retries: 0,
            waited: std::time::Duration::ZERO,
            throttled_out: false,
            unmet: None,
            held: Held::default(),
            set_aside_by: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Sets the variables of the fixtures the case uses: from the run's shared fixtures, or
    /// created here. Returns the fixtures created here (to remove after the case) and whether
    /// every fixture is there.
    async fn fixtures(&mut self, case: &'a Case) -> (Vec<&'a Fixture>, bool) {
        let mut own = Vec::new();
        for fixture in &case.fixtures {
            match self.ctx.fixtures {
                Some(shared) => {
                    let (created, made_here) = shared
                        .get(fixture, self.target, self.ctx, self.record)
                        .await;
                    if made_here {
                        // The case that created it shows how.
                        self.exchanges.extend(created.exchanges);
                    }
                    match created.value {
                        Some(v) => {
                            self.note_fixture(fixture, &created.findings);
                            self.captures.insert(fixture.name.clone(), v);
                        }
                        None => {
                            self.findings.extend(created.findings);
                            return (own, false);
                        }
                    }
                }
                None => {
                    // Named after the case too: a removed resource may keep its name for a
                    // while (a Huawei key pending deletion keeps its alias).
                    let prefix = local_prefix(self.ctx.run_prefix, case);
                    let ctx = self.ctx.with_prefix(&prefix);
                    let created = fixture::create(fixture, self.target, &ctx, self.record).await;
                    self.exchanges.extend(created.exchanges);
                    match created.value {
                        Some(v) => {
                            self.note_fixture(fixture, &created.findings);
                            self.captures.insert(fixture.name.clone(), v);
                            own.push(fixture.as_ref());
                        }
                        None => {
                            self.findings.extend(created.findings);
                            return (own, false);
                        }
                    }
                }
            }
        }
        (own, true)
    }

    /// Notes a fixture that exists although its creation deviated (the findings it set aside).
    fn note_fixture(&mut self, fixture: &Fixture, set_aside: &[Finding]) {
        if let Some(first) = set_aside.first() {
            let op = &fixture.create.operation;
            let label = format!("fixture {}", fixture.name);
            self.notes.push(set_aside_note(&label, op, first));
            if !self.set_aside_by.contains(op) {
                self.set_aside_by.push(op.clone());
            }
        }
    }

    /// Whether the case goes on past the set-up `step`, which just found something (its
    /// findings start at `before`): when [`set_aside`] says so, its findings are taken out
    /// (its own cases report them), its captures set, and a note says so.
    fn go_on_past(&mut self, step: &Step, label: &str, before: usize) -> bool {
        if !set_aside(
            self.ctx.suite,
            &step.operation,
            &self.findings[before..],
            &self.held,
        ) {
            return false;
        }
        let first = self.findings[before].clone();
        self.findings.truncate(before);
        let held = std::mem::take(&mut self.held);
        self.captures.extend(held.vars);
        self.notes
            .push(set_aside_note(label, &step.operation, &first));
        if !self.set_aside_by.contains(&step.operation) {
            self.set_aside_by.push(step.operation.clone());
        }
        true
    }

    /// Whether the set-up `step`, which just found something (its findings start at
    /// `before`), blocks the case rather than failing it: when the findings are about the
    /// set-up operation's answer (not the exchange itself) and the suite checks that operation
    /// in cases of its own, which then report the deviation once. Gives the operation and the
    /// reason for the report.
    fn blocked_by(&self, step: &Step, label: &str, before: usize) -> Option<(String, String)> {
        let found = &self.findings[before..];
        let first = found.first()?;
        if found.iter().any(Finding::is_error) {
            return None;
        }
        if !checked(self.ctx.suite, &step.operation) {
            return None;
        }
        let label = if label.is_empty() { "set-up" } else { label };
        Some((
            step.operation.clone(),
            format!(
                "blocked: {label} sends {}, which deviated ({}: {}); its own cases report it",
                step.operation, first.kind, first.message
            ),
        ))
    }

    /// Runs one step (every `for_each` iteration); returns false when it found anything. Each
    /// finding it makes names the step's place in its case file.
    async fn step(&mut self, step: &Step, label: &str) -> bool {
        self.held = Held::default();
        let before = self.findings.len();
        let ok = self.step_findings(step, label).await;
        let source = step.source();
        for f in &mut self.findings[before..] {
            f.source.get_or_insert_with(|| source.clone());
        }
        ok
    }

    /// [`Self::step`] without the findings' source.
    async fn step_findings(&mut self, step: &Step, label: &str) -> bool {
        let suite = self.ctx.suite;
        let Some(op) = suite.operations.get(&step.operation) else {
            return self.fail(
                label,
                Finding::new(kinds::HARNESS, format!("no spec for {}", step.operation)),
            );
        };
        let Some(service) = suite.services.get(&op.service) else {
            return self.fail(
                label,
                Finding::new(kinds::HARNESS, format!("no service {}", op.service)),
            );
        };
        let Some(st) = self.target.services.get(&op.service) else {
            return self.fail(
                label,
                Finding::new(kinds::HARNESS, format!("target has no {}", op.service)),
            );
        };
        let mut base = st.vars.clone();
        base.insert(
            "run_prefix".into(),
            Value::String(self.ctx.run_prefix.to_string()),
        );
        base.extend(
            self.ctx
                .overrides
                .iter()
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        base.extend(self.captures.iter().map(|(k, v)| (k.clone(), v.clone())));

        let iterations: Vec<(String, Vars)> = match &step.for_each {
            None => vec![(label.to_string(), base)],
            Some(fe) => match base.get(&fe.over) {
                Some(Value::Array(items)) => items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let mut v = base.clone();
                        v.insert(fe.var.clone(), item.clone());
                        (format!("{label} [{i}]"), v)
                    })
                    .collect(),
                other => {
                    let f = Finding::new(
                        kinds::CAPTURE,
                        format!("`for_each` needs `{}` to be a captured list", fe.over),
                    )
                    .values("a list", other.cloned().unwrap_or(Value::Null));
                    return self.fail(label, f);
                }
            },
        };
        let mut ok = true;
        for (label, vars) in iterations {
            ok &= self
                .send_and_check(step, &label, op, service, st, &vars)
                .await;
        }
        ok
    }

    /// Records a finding for a step; always returns false.
    fn fail(&mut self, label: &str, mut f: Finding) -> bool {
        f.step = label.to_string();
        self.findings.push(f);
        false
    }

    async fn send_and_check(
        &mut self,
        step: &Step,
        label: &str,
        op: &Operation,
        service: &Service,
        st: &ServiceTarget,
        vars: &Vars,
    ) -> bool {
        let substitute =
            |list: &[(String, Value)]| -> Result<Vec<(String, Value)>, vars::UnsetVar> {
                list.iter()
                    .map(|(k, v)| Ok((k.clone(), vars::substitute_value(v, vars)?)))
                    .collect()
            };
        let (params, extra) = match (substitute(&step.params), substitute(&step.extra_params)) {
            (Ok(p), Ok(e)) => (p, e),
            (Err(vars::UnsetVar { name }), _) | (_, Err(vars::UnsetVar { name })) => {
                let f = Finding::new(
                    kinds::CAPTURE,
                    format!(
                        "`${{{name}}}` is not set: the step that captures it found nothing or did not run"
                    ),
                );
                return self.fail(label, f);
            }
        };
        let raw_body = match &step.raw_body {
            Some(b) => match vars::substitute(b, vars) {
                Ok(s) => Some(s),
                Err(unset) => {
                    return self.fail(label, Finding::new(kinds::CAPTURE, unset.to_string()));
                }
            },
            None => None,
        };
        let build = || {
            build_request_as(
                service,
                op,
                st,
                vars,
                &params,
                &extra,
                raw_body.as_deref(),
                step.format,
            )
        };
        let Some((resp, json)) = self.exchange(label, service, st, &build).await else {
            return false;
        };
        let body_format = step.body_format();
        // `raw` keeps the JSON reading of an answer expected as XML: a gateway that refuses the
        // signature answers JSON whatever was asked, and that is still an auth rejection.
        let (json, raw) = match body_format {
            BodyFormat::Json => (json, None),
            BodyFormat::Xml => (
                check::read_xml_answer(service, op, resp.status, &resp.body).ok(),
                json,
            ),
        };
        if let Some(code) = auth_rejection(service, resp.status, json.as_ref().or(raw.as_ref()))
            && step.expect.error.as_deref() != Some(code.as_str())
        {
            let f = Finding::new(
                kinds::AUTH,
                format!(
                    "the target rejected the credentials or signature ({code}, HTTP {})",
                    resp.status
                ),
            )
            .values(Value::Null, Value::String(code));
            return self.fail(label, f);
        }
        let cctx = Context {
            service,
            op,
            vars,
            params: &params,
            body_format,
        };
        let observed = Observed {
            status: resp.status,
            content_type: resp.header("content-type"),
            body: &resp.body,
            json: json.as_ref(),
        };
        let mut found = check::check_step(&step.expect, &cctx, &observed);
        // A spec has one pagination block: page numbers or markers.
        if found.is_empty()
            && step.expect.pagination == Some(PaginationMode::Walk)
            && let Some(first) = &json
        {
            let first = first.clone();
            let (params, extra) = (&params, &extra);
            if let Some(pag) = &op.pagination {
                found = self
                    .walk(label, op, service, st, vars, params, extra, pag, first)
                    .await;
            } else if let Some(pag) = &op.marker_pagination {
                found = self
                    .walk_markers(label, op, service, st, vars, params, extra, pag, first)
                    .await;
            }
        }
        if step.expect.sample && found.iter().any(|f| f.kind == kinds::DIFF) {
            self.diff = Some(check::sample_diff_for(&cctx, &observed));
        }
        if let (Some(words), Some(doc)) = (&step.precondition, &json)
            && precondition_unmet(step, doc, &found)
        {
            // Not a deviation: the account lacks what the case needs.
            self.unmet = Some(words.clone());
            return false;
        }
        if !found.is_empty() {
            // Kept aside: the case may go on past this step if it is a set-up step.
            self.hold_captures(step, json.as_ref());
        } else if let Some(doc) = &json {
            for (var, pointer) in &step.capture {
                let value = if pointer.is_multi() {
                    Some(Value::Array(
                        pointer
                            .find(doc)
                            .into_iter()
                            .map(|f| f.value.clone())
                            .collect(),
                    ))
                } else {
                    pointer.first(doc).cloned()
                };
                match value {
                    Some(v) => {
                        self.captures.insert(var.clone(), v);
                    }
                    None => found.push(
                        Finding::new(
                            kinds::CAPTURE,
                            format!("capture `{var}` found nothing at {pointer}"),
                        )
                        .at(pointer.as_str()),
                    ),
                }
            }
        }
        let ok = found.is_empty();
        for mut f in found {
            f.step = label.to_string();
            self.findings.push(f);
        }
        ok
    }

    /// Takes the captures of a step that found something into [`Held`], not into the case's
    /// variables.
    fn hold_captures(&mut self, step: &Step, json: Option<&Value>) {
        let Some(doc) = json else {
            self.held.missed |= !step.capture.is_empty();
            return;
        };
        for (var, pointer) in &step.capture {
            let found = pointer.find(doc);
            self.held.at.extend(found.iter().map(|f| pointer.at(f)));
            let value = if pointer.is_multi() {
                Some(Value::Array(
                    found.into_iter().map(|f| f.value.clone()).collect(),
                ))
            } else {
                found.into_iter().next().map(|f| f.value.clone())
            };
            match value {
                Some(v) => {
                    self.held.vars.insert(var.clone(), v);
                }
                None => self.held.missed = true,
            }
        }
    }

    /// Builds, signs and sends a request, retrying while the target throttles, and records
    /// every exchange; a broken exchange is recorded as a finding and gives `None`.
    async fn exchange(
        &mut self,
        label: &str,
        service: &Service,
        st: &ServiceTarget,
        build: &(dyn Fn() -> Result<SignableRequest, super::ExecError> + Sync),
    ) -> Option<(HttpResponse, Option<Value>)> {
        let mut attempt = 0u32;
        loop {
            // Every attempt is signed anew: a signature nonce may be used once.
            let built = match build() {
                Ok(b) => b,
                Err(e) => {
                    self.fail(label, Finding::new(kinds::HARNESS, e.to_string()));
                    return None;
                }
            };
            if let Some(l) = self.ctx.limiter {
                l.wait().await;
            }
            let step_label = match (attempt, label.is_empty()) {
                (0, _) => label.to_string(),
                (_, true) => format!("retry {attempt}"),
                (_, false) => format!("{label} (retry {attempt})"),
            };
            let (resp, json) = self.send_once(&step_label, &st.endpoint, &built).await?;
            // An XML error (`format: xml`) is read too, for its throttling code; only an error
            // status can carry one (429 and 503 are throttling whatever the body).
            let xml = match json {
                None if resp.status >= 400 && !matches!(resp.status, 429 | 503) => {
                    crate::xml::read(&resp.body, None).ok()
                }
                _ => None,
            };
            let probe = json.as_ref().or(xml.as_ref().map(|d| &d.value));
            if !is_throttled(service, resp.status, probe) {
                return Some((resp, json));
            }
            let delay = self.ctx.retry.delay(
                attempt,
                retry_after(resp.header("retry-after"), self.ctx.retry.budget),
            );
            if attempt >= self.ctx.retry.max_retries || self.waited + delay > self.ctx.retry.budget
            {
                self.throttled_out = true;
                return Some((resp, json));
            }
            self.retries += 1;
            self.waited += delay;
            attempt += 1;
            if let Some(o) = self.ctx.observer {
                o.step_event(StepEvent::Retry {
                    step: step_name(label),
                    attempt,
                    status: resp.status,
                    delay,
                });
            }
            tokio::time::sleep(delay).await;
        }
    }

    /// Sends one request and records the exchange.
    async fn send_once(
        &mut self,
        label: &str,
        endpoint: &str,
        built: &SignableRequest,
    ) -> Option<(HttpResponse, Option<Value>)> {
        let started = Instant::now();
        let client = self.ctx.client;
        let url = client.url(endpoint, built);
        let recorded_url = self.record.then(|| match &url {
            Ok(u) => u.as_str().to_string(),
            Err(_) => full_url(endpoint, built),
        });
        // Counted before the answer comes: a request cut off by an interrupt was still sent.
        self.requests += 1;
        let result = match url {
            Ok(u) => client.send_url(u, built).await,
            Err(f) => Err(f),
        };
        if let Some(o) = self.ctx.observer {
            o.step_event(StepEvent::Answered {
                step: step_name(label),
                status: result.as_ref().ok().map(|resp| resp.status),
                duration: started.elapsed(),
            });
        }
        let r = self.ctx.redactor;
        let request = recorded_url.map(|url| RecordedRequest {
            method: built.method.clone(),
            url: r.url(&url),
            headers: built
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), r.header(k, v)))
                .collect(),
            body: r.text(&truncate(&built.body)),
        });
        match result {
            Ok(resp) => {
                if let Some(request) = request {
                    self.exchanges.push(Exchange {
                        step: label.to_string(),
                        request,
                        response: Some(RecordedResponse {
                            status: resp.status,
                            headers: resp
                                .headers
                                .iter()
                                .map(|(k, v)| (k.clone(), r.header(k, v)))
                                .collect(),
                            body: r.text(&truncate(&resp.body)),
                        }),
                        elapsed_ms: resp.elapsed.as_millis() as u64,
                    });
                }
                let json = if resp.body.iter().all(u8::is_ascii_whitespace) {
                    None
                } else {
                    serde_json::from_slice::<Value>(&resp.body).ok()
                };
                Some((resp, json))
            }
            Err(mut f) => {
                if let Some(request) = request {
                    self.exchanges.push(Exchange {
                        step: label.to_string(),
                        request,
                        response: None,
                        elapsed_ms: started.elapsed().as_millis() as u64,
                    });
                }
                f.step = label.to_string();
                f.message = r.text(&f.message);
                self.findings.push(f);
                None
            }
        }
    }

    /// Walks every page of a list twice and the page past the end, then checks the walk.
    #[allow(clippy::too_many_arguments)]
    async fn walk(
        &mut self,
        label: &str,
        op: &Operation,
        service: &Service,
        st: &ServiceTarget,
        vars: &Vars,
        params: &[(String, Value)],
        extra: &[(String, Value)],
        pag: &crate::spec::Pagination,
        first: Value,
    ) -> Vec<Finding> {
        let size = param_u64(params, &pag.size)
            .or_else(|| {
                op.request
                    .param(&pag.size)
                    .and_then(|p| p.default.as_ref())
                    .and_then(as_u64)
            })
            .unwrap_or(10);
        if size == 0 {
            return vec![Finding::new(
                kinds::HARNESS,
                "a walk needs a page size above 0",
            )];
        }
        let Some(total) = check::pagination::total(pag, &first) else {
            return Vec::new(); // the page check reports a missing or non-integer total
        };
        let last = total.div_ceil(size).clamp(1, MAX_WALK_PAGES);
        let mut pages = vec![first];
        let mut second_ids = Vec::new();
        let mut past_end = None;
        // Pages 2..=last, then the whole walk again, then the page past the end.
        let plan: Vec<u64> = (2..=last)
            .chain(1..=last)
            .chain(std::iter::once(last + 1))
            .collect();
        for (n, page) in plan.into_iter().enumerate() {
            let at = PageAt {
                label,
                number: page,
                key: &pag.page,
                value: Value::from(page),
            };
            let doc = match self
                .fetch_page(at, op, service, st, vars, params, extra)
                .await
            {
                Ok(doc) => doc,
                Err(found) => return found,
            };
            let walked_first = (last - 1) as usize;
            if n < walked_first {
                pages.push(doc);
            } else if n < walked_first + last as usize {
                second_ids.extend(check::pagination::item_ids(pag, &doc));
            } else {
                past_end = Some(doc);
            }
        }
        check::pagination::check_walk(pag, size, &pages, Some(&second_ids), past_end.as_ref())
    }
}

impl CaseRun<'_, '_> {
    /// A marker walk: from the step's first page, follow each page's next marker (the step's
    /// parameters with `marker` set to it) while the page says that more follow, the marker is
    /// new and fewer than [`MAX_WALK_PAGES`] pages were fetched; then check the pages together.
    #[allow(clippy::too_many_arguments)]
    async fn walk_markers(
        &mut self,
        label: &str,
        op: &Operation,
        service: &Service,
        st: &ServiceTarget,
        vars: &Vars,
        params: &[(String, Value)],
        extra: &[(String, Value)],
        pag: &crate::spec::MarkerPagination,
        first: Value,
    ) -> Vec<Finding> {
        let bound = MAX_WALK_PAGES as usize;
        let limit = check::marker::requested_limit(pag, op, params);
        let mut sent = std::collections::HashSet::new();
        let mut pages = vec![first];
        while pages.len() < bound {
            let Some(next) = pages
                .last()
                .and_then(|p| check::marker::continues_at(pag, p))
            else {
                break;
            };
            if !sent.insert(next.clone()) {
                break; // the check reports the marker that came back
            }
            let number = (pages.len() + 1) as u64;
            let at = PageAt {
                label,
                number,
                key: &pag.marker,
                value: Value::from(next),
            };
            match self
                .fetch_page(at, op, service, st, vars, params, extra)
                .await
            {
                Ok(doc) => pages.push(doc),
                Err(found) => return found,
            }
        }
        check::marker::check_marker_walk(pag, limit, &pages, bound)
    }

    /// Fetches one more page of a walk: the step's parameters with `at.key` set to `at.value`
    /// (a page number, a marker). `Err` ends the walk with what it found: nothing more when the
    /// exchange broke (its transport finding is already recorded), a `transport.not_json`
    /// finding when the page is not JSON.
    #[allow(clippy::too_many_arguments)]
    async fn fetch_page(
        &mut self,
        at: PageAt<'_>,
        op: &Operation,
        service: &Service,
        st: &ServiceTarget,
        vars: &Vars,
        params: &[(String, Value)],
        extra: &[(String, Value)],
    ) -> Result<Value, Vec<Finding>> {
        let mut p: Vec<(String, Value)> = params
            .iter()
            .filter(|(k, _)| k != at.key)
            .cloned()
            .collect();
        p.push((at.key.to_string(), at.value));
        let build = || build_request(service, op, st, vars, &p, extra, None);
        let n = at.number;
        let page_label = if at.label.is_empty() {
            format!("page {n}")
        } else {
            format!("{} page {n}", at.label)
        };
        let Some((resp, json)) = self.exchange(&page_label, service, st, &build).await else {
            return Err(Vec::new());
        };
        json.ok_or_else(|| {
            vec![Finding::new(
                kinds::NOT_JSON,
                format!("page {n} is not JSON (status {})", resp.status),
            )]
        })
    }
}

/// Which page of a walk to fetch: its number (for the exchange's label and messages), and the
/// request parameter that selects it with its value.
struct PageAt<'a> {
    label: &'a str,
    number: u64,
    key: &'a str,
    value: Value,
}

/// Whether a step with a `precondition` found nothing to capture in an answer that is otherwise
/// sound: a capture selects nothing (a `*` capture an empty list), and no finding is about the
/// answer itself (status, error, shape, content type). Findings about the values the missing
/// item would have held (`match`, `equals`, `count` on it) are the absence itself, not a
/// deviation.
fn precondition_unmet(step: &Step, doc: &Value, found: &[Finding]) -> bool {
    let selects_nothing = step.capture.iter().any(|(_, pointer)| {
        if pointer.is_multi() {
            pointer.find(doc).is_empty()
        } else {
            pointer.first(doc).is_none()
        }
    });
    selects_nothing
        && found.iter().all(|f| {
            matches!(
                f.kind,
                kinds::MISSING | kinds::VALUE | kinds::PATTERN | kinds::COUNT
            )
        })
}

fn as_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn param_u64(params: &[(String, Value)], name: &str) -> Option<u64> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| as_u64(v))
}

/// Lossy UTF-8 of a body, cut at the recording limit.
fn truncate(body: &[u8]) -> String {
    if body.len() <= RECORDED_BODY_LIMIT {
        String::from_utf8_lossy(body).into_owned()
    } else {
        format!(
            "{}… [{} more bytes not recorded]",
            String::from_utf8_lossy(&body[..RECORDED_BODY_LIMIT]),
            body.len() - RECORDED_BODY_LIMIT
        )
    }
}

#[cfg(test)]
mod tests {
    use super::overlaps;

    #[test]
    fn a_finding_overlaps_the_value_it_is_about_and_what_holds_or_is_inside_it() {
        let taken = "/Aliases/Alias/0/AliasName";
        assert!(overlaps("/Aliases/Alias/0/AliasName", taken));
        assert!(overlaps("/Aliases/Alias/0", taken));
        assert!(overlaps("/KeyMetadata/KeyId/x", "/KeyMetadata/KeyId"));
        assert!(!overlaps("/Aliases/Alias/1/AliasName", taken));
        assert!(!overlaps("/KeyMetadata/KeyUsage", "/KeyMetadata/KeyId"));
        assert!(!overlaps("/KeyMetadata/KeyIdx", "/KeyMetadata/KeyId"));
        assert!(!overlaps("", taken));
    }
}
