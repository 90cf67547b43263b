//! The console: a [`Subscriber`] of the run's events that prints each case's line as the case
//! finishes (completion order, as libtest prints with several threads; with `--jobs 1` that is
//! the plan's order), a progress line under them on a terminal, and, when the run ends, the
//! failure details and the summaries in plan order, so that the end of the output is
//! deterministic however the cases ran.
//!
//! The output is libtest's, in libtest-mimic's exact format (`pretty`, `terse` with `--quiet`,
//! and `json` events). libtest-mimic prints `--list` ([`list`]) but not the run: `libtest_mimic::run` owns
//! the loop that runs its trials and only returns when all are done, so a trial's line cannot
//! be printed when a case of ours finishes, nor a `started` event sent when it starts (a trial
//! that blocked on our case would hold one of its threads per running case, and its threads
//! would reorder the lines under `--jobs 1`). Its formats are kept line for line (the name
//! column padded to the longest name, the colours of `ok`/`FAILED`/`ignored`, the `failures:`
//! blocks, `test result: …`), so that tools reading `cargo test` output read ours.
//!
//! Colours follow `--color` (see `color.rs`); the progress line, `progress.rs`. Nothing here
//! panics on a closed stdout: a write that fails is dropped.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use anstyle::{AnsiColor, Color, Style};

use super::args::Format;
use super::config::ConsoleOptions;
use super::events::{Event, Subscriber};
use super::execute::RunStats;
use super::plan::Plan;
use super::progress::{self, Progress};
use crate::case::Provenance;
use crate::exec::Verdict;
use crate::redact::{escape_controls, escape_controls_multiline};
use crate::report::{FindingReport, OutcomeReport, Report, Status};

/// Prints the plan's trial names in libtest's `--list` format, by libtest-mimic itself (its
/// list needs no outcome, so nothing has to stream): `name: test` per trial, `[target] name`
/// with several targets, then the count.
pub(super) fn list(plan: &Plan) {
    let multi = plan.targets().len() > 1;
    let trials: Vec<libtest_mimic::Trial> = plan
        .trials()
        .iter()
        .filter_map(|p| {
            let target = plan.target(p)?;
            let name = if multi {
                format!("[{}] {}", target.name, plan.name(p))
            } else {
                plan.name(p).to_string()
            };
            Some(libtest_mimic::Trial::test(name, || Ok(())))
        })
        .collect();
    let args = libtest_mimic::Arguments {
        list: true,
        ..libtest_mimic::Arguments::default()
    };
    let count = trials.len();
    let _ = libtest_mimic::run(&args, trials);
    // libtest's closing count, which libtest-mimic's list leaves out.
    println!("\n{count} tests, 0 benchmarks");
}

/// How libtest shows a case: passed, failed, or ignored (with a reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    Passed,
    Failed,
    Ignored,
}

impl Shown {
    /// Failures the baseline accepts (status `known`) are shown as ignored "known deviation"
    /// rather than as failures, so that the console and the gate agree; a documentation
    /// ambiguity fails only under --strict-readings (the gate agrees).
    fn of(status: Status, strict_readings: bool) -> Shown {
        match status {
            Status::Pass => Shown::Passed,
            Status::Ambiguity if !strict_readings => Shown::Ignored,
            Status::Fail | Status::Ambiguity | Status::Error => Shown::Failed,
            Status::Known
            | Status::OtherReading
            | Status::Skipped
            | Status::Inconclusive
            | Status::Blocked => Shown::Ignored,
        }
    }

    fn word(self) -> &'static str {
        match self {
            Shown::Passed => "ok",
            Shown::Failed => "FAILED",
            Shown::Ignored => "ignored",
        }
    }

    fn json_word(self) -> &'static str {
        match self {
            Shown::Passed => "ok",
            Shown::Failed => "failed",
            Shown::Ignored => "ignored",
        }
    }

    fn terse(self) -> char {
        match self {
            Shown::Passed => '.',
            Shown::Failed => 'F',
            Shown::Ignored => 'i',
        }
    }

    /// libtest's colours: green, red, yellow.
    fn style(self) -> Style {
        let color = match self {
            Shown::Passed => AnsiColor::Green,
            Shown::Failed => AnsiColor::Red,
            Shown::Ignored => AnsiColor::Yellow,
        };
        Style::new().fg_color(Some(Color::Ansi(color)))
    }
}

/// Why an ignored case is ignored, shown after `ignored` on its line.
fn ignored_reason(o: &OutcomeReport) -> Option<String> {
    match o.status {
        Status::Known => Some("known deviation, listed in the baseline".into()),
        Status::OtherReading => {
            Some(escape_controls(&crate::report::outcome_reading_line(o)).into_owned())
        }
        Status::Ambiguity => Some(escape_controls(&crate::report::ambiguity_line(o)).into_owned()),
        _ => o.reason.as_deref().map(|r| escape_controls(r).into_owned()),
    }
}

/// The console of one run: prints as the run's events arrive.
pub(super) struct Console {
    plan: Arc<Plan>,
    format: Format,
    strict_readings: bool,
    color: bool,
    /// The width of the name column (libtest pads names to the longest).
    name_width: usize,
    /// The progress line, when one is drawn.
    progress: Option<Progress>,
    out: std::io::Stdout,
}

impl Console {
    /// The console for `plan`; `color` says whether to colour, `draw_progress` whether to draw
    /// the progress line (in the pretty format only: terse's dots are the progress).
    pub(super) fn new(
        plan: Arc<Plan>,
        options: ConsoleOptions,
        strict_readings: bool,
        color: bool,
        draw_progress: bool,
    ) -> Console {
        // `--quiet` is libtest's terse format.
        let format = if options.quiet && options.format == Format::Pretty {
            Format::Terse
        } else {
            options.format
        };
        let name_width = (0..plan.len())
            .map(|i| trial_name(&plan, i).chars().count())
            .max()
            .unwrap_or(0);
        let progress =
            (draw_progress && format == Format::Pretty).then(|| Progress::new(plan.len()));
        Console {
            plan,
            format,
            strict_readings,
            color,
            name_width,
            progress,
            out: std::io::stdout(),
        }
    }

    /// The console on this process's stdout: colours and the progress line as `--color`,
    /// `NO_COLOR`, `CI` and whether stdout is a terminal say.
    pub(super) fn for_stdout(
        plan: Arc<Plan>,
        options: ConsoleOptions,
        strict_readings: bool,
    ) -> Console {
        use std::io::IsTerminal;
        let terminal = std::io::stdout().is_terminal();
        let color = options
            .color
            .enabled(terminal, std::env::var_os("NO_COLOR"));
        let progress = progress::wanted(terminal, std::env::var_os("CI"));
        Console::new(plan, options, strict_readings, color, progress)
    }

    /// `word` in the outcome's colour, with `reason` in brackets, as libtest-mimic writes it.
    fn styled(&self, shown: Shown, reason: Option<&str>) -> String {
        let reason = reason.map(|r| format!(" ({r})")).unwrap_or_default();
        if self.color {
            let style = shown.style();
            format!("{style}{}{reason}{style:#}", shown.word())
        } else {
            format!("{}{reason}", shown.word())
        }
    }

    fn planned(&mut self, total: usize) {
        // The cases of a service the target does not serve, left out of the plan: one line
        // each, before the plan's count (on stderr under `--format json`, whose stdout carries
        // only libtest's events).
        let left_out: String = self
            .plan
            .left_out()
            .iter()
            .map(|l| format!("{}\n", l.line()))
            .collect();
        if self.format == Format::Json {
            eprint!("{left_out}");
        } else if !left_out.is_empty() {
            self.write(&format!("\n{left_out}"));
        }
        let text = match self.format {
            Format::Pretty | Format::Terse => {
                format!(
                    "\nrunning {total} test{}\n",
                    if total == 1 { "" } else { "s" }
                )
            }
            Format::Json => {
                format!(
                    "{{ \"type\": \"suite\", \"event\": \"started\", \"test_count\": {total} }}\n"
                )
            }
        };
        self.write(&text);
    }

    fn started(&mut self, index: usize) {
        if self.format == Format::Json {
            let name = json_string(&trial_name(&self.plan, index));
            self.write(&format!(
                "{{ \"type\": \"test\", \"event\": \"started\", \"name\": {name} }}\n"
            ));
        }
    }

    fn finished(&mut self, index: usize, o: &OutcomeReport) {
        let shown = Shown::of(o.status, self.strict_readings);
        let reason = (shown == Shown::Ignored)
            .then(|| ignored_reason(o))
            .flatten();
        let name = trial_name(&self.plan, index);
        let text = match self.format {
            Format::Pretty => format!(
                "test {name:<width$} ... {}\n",
                self.styled(shown, reason.as_deref()),
                width = self.name_width
            ),
            Format::Terse => {
                let c = shown.terse();
                if self.color {
                    let style = shown.style();
                    format!("{style}{c}{style:#}")
                } else {
                    c.to_string()
                }
            }
            Format::Json => {
                let mut extra = format!(", \"exec_time\": {}", o.duration_ms as f64 / 1000.0);
                if shown == Shown::Failed {
                    let stdout = format!("Error: \"{}\"\n", failure_text(o));
                    extra.push_str(&format!(", \"stdout\": {}", json_string(&stdout)));
                } else if let Some(r) = &reason {
                    extra.push_str(&format!(", \"message\": {}", json_string(r)));
                }
                format!(
                    "{{ \"type\": \"test\", \"name\": {}, \"event\": \"{}\"{extra} }}\n",
                    json_string(&name),
                    shown.json_word()
                )
            }
        };
        if let Some(p) = &mut self.progress {
            p.finished(shown == Shown::Failed);
        }
        self.write(&text);
    }

    /// A request of trial `index` was answered: a `step` event in the JSON stream, one more
    /// request for the progress line (not redrawn here: the tick and the case lines do).
    fn answered(&mut self, index: usize, step: &str, status: Option<u16>, took: Duration) {
        if let Some(p) = &mut self.progress {
            p.answered();
        }
        if self.format == Format::Json {
            let status = status.map_or("null".to_string(), |s| s.to_string());
            self.write(&format!(
                "{{ \"type\": \"step\", \"event\": \"answered\", \"name\": {}, \"step\": {}, \"status\": {status}, \"exec_time\": {} }}\n",
                json_string(&trial_name(&self.plan, index)),
                json_string(&escape_controls(step)),
                took.as_secs_f64()
            ));
        }
    }

    /// The target throttled a request of trial `index`: a `step` event in the JSON stream.
    fn retry(&mut self, index: usize, step: &str, attempt: u32, status: u16, delay: Duration) {
        if self.format == Format::Json {
            self.write(&format!(
                "{{ \"type\": \"step\", \"event\": \"retry\", \"name\": {}, \"step\": {}, \"attempt\": {attempt}, \"status\": {status}, \"delay\": {} }}\n",
                json_string(&trial_name(&self.plan, index)),
                json_string(&escape_controls(step)),
                delay.as_secs_f64()
            ));
        }
    }

    /// The end of the run: failure details, libtest's result line, specgate's summary and the
    /// matrix (or the suite's JSON event).
    fn run_finished(&mut self, rep: &Report, stats: &RunStats) {
        // The progress line goes before the last lines, not under them.
        self.progress = None;
        let secs = stats.duration_ms as f64 / 1000.0;
        let (mut passed, mut failed, mut ignored) = (0, 0, 0);
        for slot in rep.outcomes.slots() {
            match Shown::of(slot.status, self.strict_readings) {
                Shown::Passed => passed += 1,
                Shown::Failed => failed += 1,
                Shown::Ignored => ignored += 1,
            }
        }
        let mut text = String::new();
        if self.format == Format::Json {
            text.push_str(&format!(
                "{{ \"type\": \"suite\", \"event\": \"{}\", \"passed\": {passed}, \"failed\": {failed}, \"ignored\": {ignored}, \"measured\": 0, \"filtered_out\": 0, \"exec_time\": {secs} }}\n",
                if failed > 0 { "failed" } else { "ok" }
            ));
        } else {
            if failed > 0 {
                text.push_str(&failure_details(&self.plan, rep, self.strict_readings));
            }
            let verdict = if failed > 0 {
                Shown::Failed
            } else {
                Shown::Passed
            };
            text.push_str(&format!(
                "\ntest result: {}. {passed} passed; {failed} failed; {ignored} ignored; 0 measured; 0 filtered out; finished in {secs:.2}s\n\n",
                self.styled(verdict, None)
            ));
            if let Ok(distinct) = crate::report::distinct_text(rep) {
                text.push_str(&distinct);
            }
            text.push_str(&summary_line(rep, stats));
            text.push('\n');
            if let Some(lines) = super::matrix_text::parity_text(rep) {
                text.push_str(&lines);
            }
            if let Some(table) = super::matrix_text::matrix_text(&rep.matrix) {
                text.push_str(&table);
            }
        }
        if crate::report::in_github_actions()
            && let Ok(lines) = crate::report::github_annotations(rep)
        {
            text.push_str(&lines);
        }
        self.write(&text);
    }

    /// Writes `text` above the progress line, then redraws it. A failed write (a closed pipe)
    /// is dropped: the run goes on and its reports are still written.
    fn write(&mut self, text: &str) {
        let mut out = self.out.lock();
        let _ = match &self.progress {
            Some(p) => write!(out, "{}{text}{}", progress::ERASE, p.line_now()),
            None => out.write_all(text.as_bytes()),
        };
        let _ = out.flush();
    }
}

impl Subscriber for Console {
    fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::Planned { total } => self.planned(*total),
            Event::CaseStarted { index } => self.started(*index),
            // The progress line's rate and time left move on.
            Event::Tick if self.progress.is_some() => self.write(""),
            Event::Tick => {}
            Event::StepAnswered {
                index,
                step,
                status,
                duration,
            } => self.answered(*index, step, *status, *duration),
            Event::Retry {
                index,
                step,
                attempt,
                status,
                delay,
            } => self.retry(*index, step, *attempt, *status, *delay),
            Event::CaseFinished { index, outcome } => self.finished(*index, outcome),
            Event::RunFinished { report, stats } => {
                if self.progress.is_some() {
                    let mut out = self.out.lock();
                    let _ = write!(out, "{}", progress::ERASE);
                }
                self.run_finished(report, stats)
            }
        }
    }

    /// The JSON event stream follows every answer and retry; the progress line counts answers
    /// for its requests per second. The plain console lines do not change.
    fn wants_steps(&self) -> bool {
        self.format == Format::Json || self.progress.is_some()
    }
}

/// The name of the plan's trial `i`: with several targets `[target] case`, as `--list` prints
/// it, so that the failure block's `---- … ----` header and the JSON events name the target.
fn trial_name(plan: &Plan, i: usize) -> String {
    let Some(p) = plan.trials().get(i) else {
        return String::new();
    };
    let name = plan.name(p);
    match plan.target(p) {
        Some(t) if plan.targets().len() > 1 => format!("[{}] {name}", escape_controls(&t.name)),
        _ => name,
    }
}

/// A JSON string literal.
fn json_string(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// The `failures:` blocks of libtest, in plan order: each failing case's name and details
/// (read back from the report's store), then the list of their names.
fn failure_details(plan: &Plan, rep: &Report, strict_readings: bool) -> String {
    let outcomes = &rep.outcomes;
    let failing: Vec<_> = outcomes
        .slots()
        .filter(|slot| Shown::of(slot.status, strict_readings) == Shown::Failed)
        .collect();
    let mut text = String::from("\nfailures:\n\n");
    let mut names = Vec::new();
    for slot in failing {
        let name = trial_name(plan, slot.plan_index as usize);
        let details = match outcomes.read(slot) {
            Ok(o) => failure_text(&o),
            Err(e) => format!("(the details of this case are lost: {e})"),
        };
        text.push_str(&format!("---- {name} ----\n{details}\n\n"));
        names.push(name);
    }
    text.push_str("\nfailures:\n");
    for name in names {
        text.push_str(&format!("    {name}\n"));
    }
    text
}

/// `specgate: 120 cases, 1 target, … 0.84 s: 118 passed, 1 failed, 1 known deviation, 0 errors, …`.
pub(super) fn summary_line(rep: &Report, stats: &RunStats) -> String {
    let c = &rep.counts;
    let secs = stats.duration_ms as f64 / 1000.0;
    let n = c.total;
    let requests = stats.requests;
    format!(
        "specgate: {n} cases, {} target{}, {requests} requests in {secs:.2} s ({:.0} cases/s, {:.0} requests/s): {} passed, {} failed, {} known deviation{}, {} errors, {} skipped, {} inconclusive{}{}",
        stats.targets,
        if stats.targets == 1 { "" } else { "s" },
        n as f64 / secs.max(0.001),
        requests as f64 / secs.max(0.001),
        c.pass,
        c.failed(),
        c.known,
        if c.known == 1 { "" } else { "s" },
        c.error,
        c.skipped,
        c.inconclusive,
        {
            let mut extra = String::new();
            if c.blocked > 0 {
                extra.push_str(&format!(", {} blocked by a set-up step", c.blocked));
            }
            if c.other_reading > 0 {
                extra.push_str(&format!(", {} following another reading", c.other_reading));
            }
            extra
        },
        if stats.interrupted {
            format!(
                " ({}: {} of {} planned cases finished, {} stopped)",
                stats.signal.map_or("interrupted", |s| s.name()),
                n.saturating_sub(stats.stopped),
                stats.planned,
                stats.stopped
            )
        } else {
            String::new()
        },
    )
}

/// The text shown under a failing trial: each finding, then the sample diff if any.
pub(crate) fn failure_text(o: &OutcomeReport) -> String {
    let mut out = String::new();
    if o.verdict == Verdict::Error {
        out.push_str("error: the exchange itself failed (not a conformance verdict)\n");
    }
    if let (Some(reading), Some(note)) = (&o.reading, &o.doc_note) {
        out.push_str(&format!(
            "note: this case tests reading `{reading}` of doc note `{note}`, which this run expects (--strict-readings or a baseline pin)\n"
        ));
    } else if o.provenance == Provenance::Inferred {
        out.push_str("note: this case tests an interpretation of an ambiguous page (documentation ambiguity)\n");
    }
    if let (false, Some(note)) = (o.set_aside_by.is_empty(), &o.reason) {
        out.push_str(&format!("note: {}\n", escape_controls(note)));
    }
    let findings: Vec<&FindingReport> = o.findings.iter().collect();
    out.push_str(&crate::report::findings_block(&findings, "  "));
    if let Some(diff) = &o.diff
        && !diff.is_empty()
    {
        out.push_str("\nmasked documented sample vs. actual:\n");
        out.push_str(&escape_controls_multiline(diff));
        if !diff.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}
