//! A run that selects no case: by default an error (exit 4), because a misspelt filter in a CI
//! job would otherwise turn the gate off while it still printed `gate: PASS`.

use super::args::NoTests;
use super::config::Selection;

/// The message for a plan that selected nothing out of `total` cases, or `None` when the plan
/// is not empty or `--no-tests pass` allows it.
pub(super) fn refusal(args: &Selection, planned: usize, total: usize) -> Option<String> {
    if planned > 0 || args.no_tests == NoTests::Pass {
        return None;
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
        let msg = refusal(&args(&["NoSuchCase"]), 0, 116).expect("refused");
        assert!(
            msg.contains("no case matches the filter `NoSuchCase`"),
            "{msg}"
        );
        assert!(msg.contains("--no-tests pass"), "{msg}");
        assert!(refusal(&args(&["NoSuchCase", "--no-tests", "pass"]), 0, 116).is_none());
        assert!(refusal(&args(&["ListKeys"]), 3, 116).is_none());
        let skipped = refusal(&args(&["--skip", "::"]), 0, 116).expect("refused");
        assert!(
            skipped.contains("no case is selected once --skip `::`"),
            "{skipped}"
        );
    }
}
