//! The console: libtest-mimic trials built from finished outcomes, so the output, its order
//! and its format are those of `cargo test`, and stay deterministic however cases ran.

use std::collections::HashSet;

use libtest_mimic::{Arguments, Completion, Trial};

use super::args::{Format, RunArgs};
use super::execute::{Planned, RunResult};
use crate::exec::{CaseOutcome, Verdict};
use crate::finding::Finding;

/// Prints the selected trial names, as `--list` does in libtest.
pub fn list(plan: &[Planned], multi_target: bool) {
    for p in plan {
        if multi_target {
            println!("[{}] {}: test", p.target, p.name);
        } else {
            println!("{}: test", p.name);
        }
    }
    println!("\n{} tests, 0 benchmarks", plan.len());
}

/// Presents every outcome as a libtest trial, then a one-line specgate summary; `requests` is
/// how many requests the run sent. Cases in `known` (target, trial name) failed only with
/// baselined findings: they are shown as ignored "known deviation" rather than as failures.
pub fn present(
    result: &RunResult,
    requests: usize,
    args: &RunArgs,
    known: &HashSet<(String, String)>,
) {
    let multi = result.targets > 1;
    let trials: Vec<Trial> = result
        .outcomes
        .iter()
        .map(|o| {
            let is_known = known.contains(&(o.target.clone(), o.id.clone()));
            // Each trial keeps only what it shows, not a copy of the outcome.
            let shown = match o.verdict {
                Verdict::Pass => Ok(Completion::Completed),
                Verdict::Fail if is_known => Ok(Completion::Ignored {
                    reason: Some("known deviation, listed in the baseline".into()),
                }),
                Verdict::Skipped | Verdict::Inconclusive => Ok(Completion::Ignored {
                    reason: o.reason.clone(),
                }),
                Verdict::Fail | Verdict::Error => Err(failure_text(o)),
            };
            let trial = Trial::ignorable_test(o.id.clone(), move || shown.map_err(Into::into));
            if multi {
                trial.with_kind(o.target.clone())
            } else {
                trial
            }
        })
        .collect();
    let largs = Arguments {
        test_threads: Some(1),
        quiet: args.quiet,
        format: Some(match args.format {
            Format::Pretty => libtest_mimic::FormatSetting::Pretty,
            Format::Terse => libtest_mimic::FormatSetting::Terse,
            Format::Json => libtest_mimic::FormatSetting::Json,
        }),
        ..Arguments::default()
    };
    let _ = libtest_mimic::run(&largs, trials);
    if args.format != Format::Json {
        println!("{}", summary_line(result, requests, known.len()));
    }
}

/// `specgate: 120 cases, 1 target, … 0.84 s: 118 passed, 1 failed, 1 known deviation, 0 errors, …`;
/// `known` failures are those the baseline accepts.
pub fn summary_line(result: &RunResult, requests: usize, known: usize) -> String {
    let secs = result.duration_ms as f64 / 1000.0;
    let n = result.outcomes.len();
    format!(
        "specgate: {n} cases, {} target{}, {requests} requests in {secs:.2} s ({:.0} cases/s, {:.0} requests/s): {} passed, {} failed, {known} known deviation{}, {} errors, {} skipped, {} inconclusive{}",
        result.targets,
        if result.targets == 1 { "" } else { "s" },
        n as f64 / secs.max(0.001),
        requests as f64 / secs.max(0.001),
        result.count(Verdict::Pass),
        result.count(Verdict::Fail).saturating_sub(known),
        if known == 1 { "" } else { "s" },
        result.count(Verdict::Error),
        result.count(Verdict::Skipped),
        result.count(Verdict::Inconclusive),
        if result.interrupted {
            format!(
                " (interrupted: {n} of {} planned cases finished)",
                result.planned
            )
        } else {
            String::new()
        },
    )
}

/// The text shown under a failing trial: each finding, then the sample diff if any.
pub fn failure_text(o: &CaseOutcome) -> String {
    let mut out = String::new();
    if o.verdict == Verdict::Error {
        out.push_str("error: the exchange itself failed (not a conformance verdict)\n");
    }
    if o.provenance == crate::case::Provenance::Inferred {
        out.push_str("note: this case tests an interpretation of an ambiguous page (documentation ambiguity)\n");
    }
    for f in &o.findings {
        out.push_str(&finding_line(f));
        out.push('\n');
    }
    if let Some(diff) = &o.diff
        && !diff.is_empty()
    {
        out.push_str("\nmasked documented sample vs. actual:\n");
        out.push_str(diff);
        if !diff.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// One finding on one line: `[kind] step 2 at /Pointer: message (expected X, got Y)`.
pub fn finding_line(f: &Finding) -> String {
    let mut s = format!("  [{}]", f.kind);
    if !f.step.is_empty() {
        s.push(' ');
        s.push_str(&f.step);
    }
    if !f.pointer.is_empty() {
        s.push_str(" at ");
        s.push_str(&f.pointer);
    }
    s.push_str(": ");
    s.push_str(&f.message);
    if !(f.expected.is_null() && f.actual.is_null()) {
        s.push_str(&format!(
            " (expected {}, got {})",
            short(&f.expected),
            short(&f.actual)
        ));
    }
    s
}

fn short(v: &serde_json::Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 120 {
        format!("{}…", s.chars().take(120).collect::<String>())
    } else {
        s
    }
}
