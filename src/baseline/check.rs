//! Checking a loaded baseline against the run before anything is sent: an entry that names a
//! target the run does not test, or a case the suite does not have, could never match a finding.
//! It would sit there as "not run" while the deviation it was meant to describe fails the gate,
//! or, worse, a misspelt entry would hide that the real one is missing. Each is an error at its
//! file:line:col with a "did you mean" (the kind is checked when the file is read).

use super::entry::Baseline;
use crate::diag::{Diagnostic, did_you_mean_or};
use crate::yaml::Pos;

/// The problems of `baseline`'s entries and reading pins for a run of `targets` (their names)
/// over a suite with the case ids `cases` (`<service>/<Operation>::<case>`).
pub fn check_entries(baseline: &Baseline, targets: &[&str], cases: &[String]) -> Vec<Diagnostic> {
    let text = std::fs::read_to_string(&baseline.file).ok();
    let mut out = Vec::new();
    let mut push = |pos: Pos, class: &'static str, message: String, hint: String| {
        let mut d = Diagnostic::new(&baseline.file, pos, message)
            .with_class(class)
            .with_hint(hint);
        if let Some(t) = &text {
            d.attach(t);
        }
        out.push(d);
    };
    let target_hint = |name: &str| {
        did_you_mean_or(name, targets.iter().copied(), || {
            format!(
                "this run's targets are: {} (the `name:` of each --target profile; `embedded-emulator` without one)",
                targets.join(", ")
            )
        })
    };
    for e in &baseline.entries {
        if !targets.contains(&e.target.as_str()) {
            push(
                e.places.target,
                "unknown-target",
                format!("this run has no target `{}`", e.target),
                target_hint(&e.target),
            );
        }
        if !cases.contains(&e.case) {
            let hint = did_you_mean_or(&e.case, cases.iter().map(String::as_str), || {
                "write the case as `specgate run --list` prints it, without `#N`".into()
            });
            push(
                e.places.case,
                "unknown-case",
                format!("the suite has no case `{}`", e.case),
                hint,
            );
        }
    }
    for p in &baseline.pins {
        if !targets.contains(&p.target.as_str()) {
            push(
                Pos {
                    line: p.line,
                    col: 1,
                    len: 1,
                },
                "unknown-target",
                format!("this run has no target `{}`", p.target),
                target_hint(&p.target),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn baseline(text: &str) -> Baseline {
        Baseline::parse(Path::new("b.yaml"), text).expect("valid")
    }

    #[test]
    fn a_misspelt_target_or_case_is_an_error_at_its_place() {
        let b = baseline(
            "- target: embeded-emulator\n  case: alibaba-kms/ListKeys::sample-dif\n  kind: diff\n  reason: r\n",
        );
        let cases = vec!["alibaba-kms/ListKeys::sample-diff".to_string()];
        let d = check_entries(&b, &["embedded-emulator"], &cases);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!((d[0].pos.line, d[0].pos.col), (1, 11));
        assert_eq!(
            d[0].hint.as_deref(),
            Some("did you mean `embedded-emulator`?")
        );
        assert_eq!((d[1].pos.line, d[1].pos.col), (2, 9));
        assert!(
            d[1].message
                .contains("no case `alibaba-kms/ListKeys::sample-dif`")
        );
        assert_eq!(
            d[1].hint.as_deref(),
            Some("did you mean `alibaba-kms/ListKeys::sample-diff`?")
        );
        let good = baseline(
            "- target: embedded-emulator\n  case: alibaba-kms/ListKeys::sample-diff\n  kind: diff\n  reason: r\n",
        );
        assert!(check_entries(&good, &["embedded-emulator"], &cases).is_empty());
    }

    #[test]
    fn a_pin_for_a_target_the_run_does_not_test_is_an_error_at_its_line() {
        let b = baseline(
            "- target: embedded-emulator\n  reading: { note: n, follows: a }\n  reason: r\n\
             - target: prod\n  reading: { note: n, follows: b }\n  reason: r\n",
        );
        let d = check_entries(&b, &["embedded-emulator", "staging"], &[]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].class, d[0].pos.line), ("unknown-target", 4));
        assert!(
            d[0].message.contains("no target `prod`"),
            "{}",
            d[0].message
        );
        assert!(
            d[0].hint
                .as_deref()
                .is_some_and(|h| h.contains("embedded-emulator, staging")),
            "{:?}",
            d[0].hint
        );
    }
}
