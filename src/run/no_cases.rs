//! A run that selects no case: by default an error (exit 4), because a misspelt filter in a CI
//! job would otherwise turn the gate off while it still printed `gate: PASS`. A selection whose
//! every case is of a service the target does not serve (`aws-kms/` against the embedded
//! emulator) plans nothing either, and is refused the same way, saying which services.

use super::args::NoTests;
use super::config::Selection;
use super::plan::Plan;

/// The message for a plan that selected nothing out of `total` cases, or `None` when the plan
/// is not empty or `--no-tests pass` allows it.
pub(super) fn refusal(args: &Selection, plan: &Plan, total: usize) -> Option<String> {
    let lines: Vec<String> = plan.left_out().iter().map(|l| l.line()).collect();
    refusal_of(args, plan.selected(), &lines, total)
}

/// [`refusal`] from the selected count and the plan's left-out lines.
fn refusal_of(
    args: &Selection,
    planned: usize,
    left_out: &[String],
    total: usize,
) -> Option<String> {
    if planned > 0 || args.no_tests == NoTests::Pass {
        return None;
    }
    if !left_out.is_empty() {
        let notes: String = left_out.iter().map(|l| format!("  note: {l}\n")).collect();
        return Some(format!(
            "error: every selected case is of a service the target does not serve ({total} cases in the suite); nothing was run\n{notes}  \
             hint: pass `--target` with a profile that serves the service, or select other cases; `--no-tests pass` allows a run that plans none\n"
        ));
    }
    let mut what = match &args.filter {
        Some(f) => format!(
            "no case matches the filter `{}`{}",
            crate::redact::escape_controls(f),
            if args.exact { " (--exact)" } else { "" }
        ),
        None => "no case is selected".to_string(),
    };
    if !args.skip.is_empty() {
        let skips: Vec<String> = args
            .skip
            .iter()
            .map(|s| format!("`{}`", crate::redact::escape_controls(s)))
            .collect();
        what.push_str(&format!(" once --skip {} is applied", skips.join(", ")));
    }
    Some(format!(
        "error: {what} ({total} cases in the suite); nothing was run\n  \
         hint: `specgate run --list` prints the case names; `--no-tests pass` allows a run that selects none\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::super::config::tests::config;
    use super::*;

    fn args(argv: &[&str]) -> Selection {
        config(argv).selection
    }

    #[test]
    fn an_empty_plan_is_refused_unless_allowed() {
        let msg = refusal_of(&args(&["NoSuchCase"]), 0, &[], 116).expect("refused");
        assert!(
            msg.contains("no case matches the filter `NoSuchCase`"),
            "{msg}"
        );
        assert!(msg.contains("--no-tests pass"), "{msg}");
        assert!(refusal_of(&args(&["NoSuchCase", "--no-tests", "pass"]), 0, &[], 116).is_none());
        assert!(refusal_of(&args(&["ListKeys"]), 3, &[], 116).is_none());
        let skipped = refusal_of(&args(&["--skip", "::"]), 0, &[], 116).expect("refused");
        assert!(
            skipped.contains("no case is selected once --skip `::`"),
            "{skipped}"
        );
    }
}
