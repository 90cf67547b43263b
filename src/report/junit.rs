//! `junit.xml`, written with `quick-junit`: one testsuite per target, one testcase per case
//! (classname = operation, name = case). Conformance failures are `<failure>`, transport and
//! auth problems `<error>`, skipped and inconclusive cases `<skipped>`. Known deviations pass,
//! with the accepting baseline entries in `<system-out>`. When a baseline is used, a last
//! testsuite `specgate baseline` has one testcase per entry, so that stale and expired entries
//! fail in the CI's test view as they fail the gate.

use std::time::Duration;

use quick_junit::{
    NonSuccessKind, Property, Report as JReport, TestCase, TestCaseStatus, TestSuite,
};

use super::model::*;
use super::text::{finding_line, outcome_text, sorted_findings};

/// Renders `junit.xml`.
pub fn render(r: &Report) -> Result<String, quick_junit::SerializeError> {
    let mut report = JReport::new("specgate");
    report.set_time(Duration::from_millis(r.run.duration_ms));
    for target in &r.matrix.targets {
        let mut suite = TestSuite::new(target.as_str());
        suite.add_property(Property::new("run-id", r.run.id.as_str()));
        if r.run.partial {
            suite.add_property(Property::new("partial", "true"));
        }
        let mut total = 0u64;
        for o in r.outcomes.iter().filter(|o| &o.target == target) {
            total += o.duration_ms;
            suite.add_test_case(test_case(o, r));
        }
        suite.set_time(Duration::from_millis(total));
        report.add_test_suite(suite);
    }
    if let Some(b) = &r.baseline {
        let mut suite = TestSuite::new("specgate baseline");
        suite.add_property(Property::new("file", b.file.as_str()));
        for e in &b.entries {
            suite.add_test_case(entry_case(e));
        }
        report.add_test_suite(suite);
    }
    report.to_string()
}

fn test_case(o: &OutcomeReport, r: &Report) -> TestCase {
    let status = match o.status {
        Status::Pass | Status::Known => TestCaseStatus::success(),
        Status::Fail | Status::Ambiguity => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_type(if o.status == Status::Ambiguity {
                "documentation-ambiguity"
            } else {
                "conformance"
            });
            s.set_message(summary(o, r));
            s.set_description(outcome_text(o, r));
            s
        }
        Status::Error => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
            let first = o
                .findings
                .iter()
                .find(|f| f.kind.starts_with("transport.") || f.kind.starts_with("auth."));
            s.set_type(first.map(|f| f.kind.as_str()).unwrap_or("error"));
            s.set_message(summary(o, r));
            s.set_description(outcome_text(o, r));
            s
        }
        Status::Skipped | Status::Inconclusive => {
            let mut s = TestCaseStatus::skipped();
            s.set_type(o.status.as_str());
            s.set_message(o.reason.clone().unwrap_or_else(|| o.status.label().into()));
            s
        }
    };
    let mut tc = TestCase::new(o.case.as_str(), status);
    tc.set_classname(o.operation.as_str());
    tc.set_time(Duration::from_millis(o.duration_ms));
    if o.status == Status::Known {
        let mut out = String::from("known deviation: every finding is in the baseline\n");
        for f in sorted_findings(o) {
            out.push_str(&finding_line(f, r));
            out.push('\n');
        }
        tc.set_system_out(out);
    }
    tc
}

/// The first line of a failure: how many findings, and the first.
fn summary(o: &OutcomeReport, r: &Report) -> String {
    let findings = sorted_findings(o);
    match findings.first() {
        None => o.status.label().to_string(),
        Some(f) if findings.len() == 1 => finding_line(f, r),
        Some(f) => format!("{} findings; first: {}", findings.len(), finding_line(f, r)),
    }
}

fn entry_case(e: &EntryReport) -> TestCase {
    let name = if e.pointer.is_empty() {
        format!("{} {} [{}]", e.target, e.case, e.kind)
    } else {
        format!("{} {} [{}] {}", e.target, e.case, e.kind, e.pointer)
    };
    let status = match e.state {
        EntryState::Reproduced => TestCaseStatus::success(),
        EntryState::Stale | EntryState::Expired => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_type(format!("baseline.{}", e.state.as_str()));
            s.set_message(if e.state == EntryState::Stale {
                format!(
                    "baseline line {}: the case ran and no longer shows this deviation; remove the entry",
                    e.line
                )
            } else {
                format!(
                    "baseline line {}: expired on {}; fix the target or renew the entry",
                    e.line,
                    e.expires.as_deref().unwrap_or("?")
                )
            });
            s
        }
        EntryState::NotRun | EntryState::Unverified => {
            let mut s = TestCaseStatus::skipped();
            s.set_type(format!("baseline.{}", e.state.as_str().replace(' ', "_")));
            s.set_message(format!(
                "baseline line {}: {}",
                e.line,
                if e.state == EntryState::NotRun {
                    "the case did not run against this target"
                } else {
                    "the case gave no verdict"
                }
            ));
            s
        }
    };
    let mut tc = TestCase::new(name, status);
    tc.set_classname("baseline");
    tc
}
