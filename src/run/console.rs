//! The console: libtest-mimic trials built from finished outcomes, so the output, its order
//! and its format are those of `cargo test`, and stay deterministic however cases ran. A
//! failing trial reads its outcome back from the report's store only when it is shown.

use libtest_mimic::{Arguments, Completion, Trial};

use super::args::Format;
use super::config::ConsoleOptions;
use super::execute::RunStats;
use super::plan::Plan;
use crate::case::Provenance;
use crate::exec::Verdict;
use crate::redact::{escape_controls, escape_controls_multiline};
use crate::report::{FindingReport, OutcomeReport, Report, Status};

/// Prints the plan's trial names, as `--list` does in libtest.
pub fn list(plan: &Plan) {
    let multi = plan.targets().len() > 1;
    for p in plan.trials() {
        let Some(target) = plan.target(p) else {
            continue;
        };
        if multi {
            println!("[{}] {}: test", target.name, plan.name(p));
        } else {
            println!("{}: test", plan.name(p));
        }
    }
    println!("\n{} tests, 0 benchmarks", plan.len());
}

/// Presents every finished outcome of the report as a libtest trial, then a one-line specgate
/// summary. Failures the baseline accepts (status `known`) are shown as ignored "known
/// deviation" rather than as failures, so that the console and the gate agree.
pub fn present(
    plan: &Plan,
    rep: &Report,
    stats: &RunStats,
    console: ConsoleOptions,
    strict_readings: bool,
) {
    let multi = stats.targets > 1;
    let outcomes = &rep.outcomes;
    let trials: Vec<Trial> = outcomes
        .slots()
        .map(|&slot| {
            let name = plan
                .trials()
                .get(slot.plan_index as usize)
                .map(|p| plan.name(p))
                .unwrap_or_default();
            // With several targets the trial is named `[target] case`, as `--list` prints it,
            // so that the failure block's `---- … ----` header and the JSON events name the
            // target too (libtest-mimic shows a trial's kind only on the `test` line).
            let name = if multi {
                format!("[{}] {name}", escape_controls(outcomes.target_of(&slot)))
            } else {
                name
            };
            // Each trial keeps only what it shows; a failure's text is read when it runs.
            let outcomes = outcomes.clone();
            let read = move || outcomes.read(&slot);
            match slot.status {
                Status::Pass => Trial::test(name, || Ok(())),
                Status::Known => Trial::ignorable_test(name, || {
                    Ok(Completion::Ignored {
                        reason: Some("known deviation, listed in the baseline".into()),
                    })
                }),
                Status::OtherReading => Trial::ignorable_test(name, move || {
                    Ok(Completion::Ignored {
                        reason: read().ok().map(|o| {
                            escape_controls(&crate::report::outcome_reading_line(&o)).into_owned()
                        }),
                    })
                }),
                Status::Skipped | Status::Inconclusive | Status::Blocked => {
                    Trial::ignorable_test(name, move || {
                        Ok(Completion::Ignored {
                            reason: read()
                                .ok()
                                .and_then(|o| o.reason)
                                .map(|r| escape_controls(&r).into_owned()),
                        })
                    })
                }
                // A documentation ambiguity fails only under --strict-readings (the gate agrees).
                Status::Ambiguity if !strict_readings => Trial::ignorable_test(name, move || {
                    Ok(Completion::Ignored {
                        reason: read().ok().map(|o| {
                            escape_controls(&crate::report::ambiguity_line(&o)).into_owned()
                        }),
                    })
                }),
                Status::Fail | Status::Ambiguity | Status::Error => {
                    Trial::test(name, move || match read() {
                        Ok(o) => Err(failure_text(&o).into()),
                        Err(e) => Err(format!("(the details of this case are lost: {e})").into()),
                    })
                }
            }
        })
        .collect();
    let largs = Arguments {
        test_threads: Some(1),
        quiet: console.quiet,
        format: Some(match console.format {
            Format::Pretty => libtest_mimic::FormatSetting::Pretty,
            Format::Terse => libtest_mimic::FormatSetting::Terse,
            Format::Json => libtest_mimic::FormatSetting::Json,
        }),
        ..Arguments::default()
    };
    let _ = libtest_mimic::run(&largs, trials);
    if console.format != Format::Json {
        if let Ok(distinct) = crate::report::distinct_text(rep) {
            print!("{distinct}");
        }
        println!("{}", summary_line(rep, stats));
        if let Some(table) = super::matrix_text::matrix_text(&rep.matrix) {
            print!("{table}");
        }
    }
    if crate::report::in_github_actions()
        && let Ok(lines) = crate::report::github_annotations(rep)
    {
        print!("{lines}");
    }
}

/// `specgate: 120 cases, 1 target, … 0.84 s: 118 passed, 1 failed, 1 known deviation, 0 errors, …`.
pub fn summary_line(rep: &Report, stats: &RunStats) -> String {
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
pub fn failure_text(o: &OutcomeReport) -> String {
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
