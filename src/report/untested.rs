//! What a run did not test, and the gate rule that keeps such a run from passing by accident.
//!
//! A skipped case (a service the target lacks, a mutating case without `--allow-mutations`) and
//! an inconclusive one (still throttled after every retry) found nothing wrong, but they tested
//! nothing either. A run where that is every case (a target answering everything with
//! `400 Throttling`) must not print `gate: PASS`: by default the gate fails when no selected
//! case was tested; `--require-coverage PCT` asks for at least PCT % of them.

use super::model::Report;

/// The cases that ran to a verdict of their own: everything but skipped, inconclusive and
/// blocked (a deviating set-up step kept them from reaching their own operation).
pub(super) fn tested(r: &Report) -> usize {
    r.counts
        .total
        .saturating_sub(r.counts.skipped + r.counts.inconclusive + r.counts.blocked)
}

/// One line saying what the run did not test, or `None` when it tested every case:
/// `not tested: 33 of 33 selected cases (33 inconclusive: still throttled)`.
pub fn untested_summary(r: &Report) -> Option<String> {
    let c = &r.counts;
    let untested = c.skipped + c.inconclusive + c.blocked;
    if untested == 0 {
        return None;
    }
    let mut parts = Vec::new();
    if c.skipped > 0 {
        parts.push(format!("{} skipped", c.skipped));
    }
    if c.inconclusive > 0 {
        parts.push(format!("{} inconclusive: still throttled", c.inconclusive));
    }
    if c.blocked > 0 {
        parts.push(format!("{} blocked by a deviating set-up step", c.blocked));
    }
    Some(format!(
        "not tested: {untested} of {} selected case{} ({}); see the report's reasons\n",
        c.total,
        if c.total == 1 { "" } else { "s" },
        parts.join(", ")
    ))
}

/// Fails the gate when too few cases were tested: fewer than `require` percent, or, without
/// `require`, none at all (of at least one selected). Adds the reason to the gate's reasons.
pub fn require_tested(r: &mut Report, require: Option<f64>) {
    let total = r.counts.total;
    if total == 0 {
        return;
    }
    let tested = tested(r);
    let percent = tested as f64 * 100.0 / total as f64;
    let reason = match require {
        Some(p) if percent + 1e-9 < p => format!(
            "only {tested} of {total} selected cases were tested ({percent:.1} %, --require-coverage {p}): the rest were skipped, inconclusive or blocked"
        ),
        None if tested == 0 => format!(
            "none of the {total} selected cases was tested: every one was skipped, inconclusive or blocked (pass --require-coverage 0 to accept that)"
        ),
        _ => return,
    };
    r.gate.fail(reason);
}

#[cfg(test)]
mod tests {
    use super::super::model::GateVerdict;
    use super::*;

    /// A report whose counts are the given ones (the rest of it does not matter here).
    fn report(total: usize, pass: usize, skipped: usize, inconclusive: usize) -> Report {
        let result = crate::report::RunResult {
            outcomes: Vec::new(),
            run_prefix: "sg-00000000".into(),
            interrupted: false,
            duration_ms: 0,
        };
        let info = crate::report::RunInfo {
            run_id: "t".into(),
            started_at: time::OffsetDateTime::UNIX_EPOCH,
            targets: Vec::new(),
            documented_fields: Default::default(),
            insecure: false,
            allow_mutations: false,
        };
        let mut r = Report::build(&result, &info, None).unwrap();
        r.counts.total = total;
        r.counts.pass = pass;
        r.counts.skipped = skipped;
        r.counts.inconclusive = inconclusive;
        r
    }

    #[test]
    fn a_run_that_tested_nothing_fails_by_default() {
        let mut r = report(33, 0, 0, 33);
        require_tested(&mut r, None);
        assert_eq!(r.gate.verdict, GateVerdict::Fail);
        assert!(r.gate.reasons[0].contains("none of the 33"), "{:?}", r.gate);
        assert!(untested_summary(&r).unwrap().contains("33 inconclusive"));
    }

    #[test]
    fn require_coverage_zero_accepts_it_and_a_tested_run_passes() {
        let mut r = report(33, 0, 0, 33);
        require_tested(&mut r, Some(0.0));
        assert_eq!(r.gate.verdict, GateVerdict::Pass);
        let mut r = report(4, 1, 3, 0);
        require_tested(&mut r, None);
        assert_eq!(r.gate.verdict, GateVerdict::Pass);
    }

    #[test]
    fn a_percentage_below_the_requirement_fails() {
        let mut r = report(4, 1, 3, 0);
        require_tested(&mut r, Some(50.0));
        assert_eq!(r.gate.verdict, GateVerdict::Fail);
        assert!(r.gate.reasons[0].contains("only 1 of 4"), "{:?}", r.gate);
        let mut r = report(4, 2, 2, 0);
        require_tested(&mut r, Some(50.0));
        assert_eq!(r.gate.verdict, GateVerdict::Pass);
    }
}
