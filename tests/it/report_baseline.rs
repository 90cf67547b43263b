//! The baseline gate: new failures fail it, known ones pass it, stale and expired entries fail
//! it, and a malformed baseline file is a diagnostic with file:line:col.

use std::path::Path;

use specgate::case::Provenance;
use specgate::exec::{CaseOutcome, Verdict};
use specgate::finding::Finding;
use specgate::finding::kinds;
use specgate::report::{
    Baseline, EntryState, GateVerdict, OutcomeReport, Report, RunResult, Status,
};

use crate::support::golden;
use crate::support::report_fixture::{info, outcome};

const CASE: &str = "alibaba-kms/ListKeys::sample-diff";
const TARGET: &str = "aliyun-prod";

fn run(outcomes: Vec<CaseOutcome>) -> RunResult {
    RunResult {
        outcomes,
        run_prefix: "sg-00000001".into(),
        interrupted: false,
        duration_ms: 5,
    }
}

/// A failing case with two findings, and a passing one.
fn failing_run() -> RunResult {
    run(vec![
        outcome(
            CASE,
            TARGET,
            Provenance::Documented,
            Verdict::Fail,
            vec![
                Finding::new(kinds::SCHEMA, "extra member").at("/Keys/Key/0"),
                Finding::new(kinds::DIFF, "differs").at("/Keys/Key/3/KeyArn"),
            ],
        ),
        outcome(
            "alibaba-kms/ListKeys::page-size-1",
            TARGET,
            Provenance::Documented,
            Verdict::Pass,
            vec![],
        ),
    ])
}

fn baseline(text: &str) -> Baseline {
    Baseline::parse(Path::new("baseline.yaml"), text).unwrap_or_else(|d| {
        panic!("{}", specgate::diag::render_all(&d));
    })
}

fn gate(result: &RunResult, b: Option<&Baseline>) -> Report {
    // The fixture's run date is 2026-11-24.
    Report::build(result, &info(), b).unwrap()
}

/// The `i`-th outcome of a report, read back.
fn outcome_at(r: &Report, i: usize) -> OutcomeReport {
    r.outcomes.get(i).unwrap()
}

const BOTH: &str = r#"
- { target: aliyun-prod, case: "alibaba-kms/ListKeys::sample-diff", kind: schema, pointer: /Keys/Key/0, reason: extra member is harmless }
- { target: aliyun-prod, case: "alibaba-kms/ListKeys::sample-diff", kind: diff, pointer: "/Keys/Key/*/KeyArn", reason: upper-case ARNs, expires: 2026-11-24 }
"#;

#[test]
fn a_new_failure_fails_the_gate() {
    let r = gate(&failing_run(), None);
    assert_eq!(r.gate.verdict, GateVerdict::Fail);
    assert_eq!(outcome_at(&r, 0).status, Status::Fail);
    assert_eq!(r.gate.reasons, ["1 failure not in the baseline"]);
}

#[test]
fn a_failure_whose_every_finding_is_baselined_is_a_known_deviation() {
    let r = gate(&failing_run(), Some(&baseline(BOTH)));
    assert_eq!(outcome_at(&r, 0).status, Status::Known);
    assert_eq!(r.counts.known, 1);
    assert_eq!(r.counts.fail, 0);
    // The entry expiring on the run's day is still valid; `*` matches the index.
    assert_eq!(outcome_at(&r, 0).findings[1].baseline_entry, Some(1));
    assert_eq!(r.gate.verdict, GateVerdict::Pass, "{:?}", r.gate.reasons);
    let b = r.baseline.unwrap();
    assert!(b.entries.iter().all(|e| e.state == EntryState::Reproduced));
}

#[test]
fn a_failure_with_one_finding_outside_the_baseline_still_fails() {
    let only_schema = r#"- { target: aliyun-prod, case: "alibaba-kms/ListKeys::sample-diff", kind: schema, pointer: /Keys/Key/0, reason: r }"#;
    let r = gate(&failing_run(), Some(&baseline(only_schema)));
    assert_eq!(outcome_at(&r, 0).status, Status::Fail);
    assert_eq!(r.gate.verdict, GateVerdict::Fail);
    // A different pointer or kind does not match.
    let other = r#"- { target: aliyun-prod, case: "alibaba-kms/ListKeys::sample-diff", kind: schema, pointer: /Keys/Key/1, reason: r }
- { target: aliyun-prod, case: "alibaba-kms/ListKeys::sample-diff", kind: pattern, pointer: "/Keys/Key/*/KeyArn", reason: r }
- { target: other-target, case: "alibaba-kms/ListKeys::sample-diff", kind: diff, pointer: "/Keys/Key/*/KeyArn", reason: r }"#;
    let r = gate(&failing_run(), Some(&baseline(other)));
    assert!(
        outcome_at(&r, 0)
            .findings
            .iter()
            .all(|f| f.baseline_entry.is_none())
    );
}

#[test]
fn a_stale_entry_fails_the_gate() {
    let text = format!(
        "{BOTH}- {{ target: aliyun-prod, case: \"alibaba-kms/ListKeys::page-size-1\", kind: status, reason: was 200 }}\n"
    );
    let r = gate(&failing_run(), Some(&baseline(&text)));
    assert_eq!(outcome_at(&r, 0).status, Status::Known);
    let b = r.baseline.as_ref().unwrap();
    assert_eq!(b.entries[2].state, EntryState::Stale);
    assert_eq!(r.gate.verdict, GateVerdict::Fail);
    assert_eq!(
        r.gate.reasons,
        ["1 baseline entry no longer reproduces: remove it from the baseline"]
    );
}

#[test]
fn an_expired_entry_fails_the_gate_and_accepts_nothing() {
    let text = BOTH.replace("2026-11-24", "2026-11-23");
    let r = gate(&failing_run(), Some(&baseline(&text)));
    let b = r.baseline.as_ref().unwrap();
    assert_eq!(b.entries[1].state, EntryState::Expired);
    assert_eq!(outcome_at(&r, 0).status, Status::Fail);
    assert_eq!(r.gate.verdict, GateVerdict::Fail);
    assert!(r.gate.reasons.iter().any(|x| x.contains("expired")));
}

#[test]
fn entries_of_cases_that_did_not_run_or_gave_no_verdict_do_not_fail_the_gate() {
    let text = r#"
- { target: aliyun-prod, case: "alibaba-kms/ListKeys::not-selected", kind: status, reason: r }
- { target: aliyun-prod, case: "alibaba-kms/ListKeys::throttled", kind: status, reason: r }
"#;
    let mut throttled = outcome(
        "alibaba-kms/ListKeys::throttled",
        TARGET,
        Provenance::Documented,
        Verdict::Inconclusive,
        vec![],
    );
    throttled.reason = Some("still throttled".into());
    let r = gate(&run(vec![throttled]), Some(&baseline(text)));
    let states: Vec<EntryState> = r
        .baseline
        .as_ref()
        .unwrap()
        .entries
        .iter()
        .map(|e| e.state)
        .collect();
    assert_eq!(states, [EntryState::NotRun, EntryState::Unverified]);
    assert_eq!(r.gate.verdict, GateVerdict::Pass, "{:?}", r.gate.reasons);
}

#[test]
fn errors_fail_the_gate_ambiguities_do_not_by_default_and_errors_cannot_be_baselined() {
    let mut err = outcome(
        "huawei-kms/CreateAlias::create",
        TARGET,
        Provenance::Documented,
        Verdict::Error,
        vec![Finding::new(kinds::TIMEOUT, "no answer in 10 s")],
    );
    err.exchanges.clear();
    let amb = outcome(
        "alibaba-kms/ListKeyVersions::page-size-101",
        TARGET,
        Provenance::Inferred,
        Verdict::Fail,
        vec![Finding::new(kinds::STATUS, "accepted").values(400, 200)],
    );
    let text = r#"
- { target: aliyun-prod, case: "huawei-kms/CreateAlias::create", kind: transport.timeout, reason: slow }
"#;
    let r = gate(&run(vec![err, amb.clone()]), Some(&baseline(text)));
    assert_eq!(outcome_at(&r, 0).status, Status::Error);
    assert_eq!(outcome_at(&r, 1).status, Status::Ambiguity);
    assert_eq!(
        r.baseline.as_ref().unwrap().entries[0].state,
        EntryState::Unverified
    );
    // The error fails the gate; the ambiguity (a failed inferred case) only under
    // --strict-readings (unit test of `gate` in src/report/build.rs).
    assert_eq!(r.gate.reasons.len(), 1, "{:?}", r.gate.reasons);
    assert!(r.gate.reasons[0].contains("error"), "{:?}", r.gate.reasons);
    let r = gate(&run(vec![amb.clone()]), None);
    assert_eq!(outcome_at(&r, 0).status, Status::Ambiguity);
    assert_eq!(r.gate.verdict, GateVerdict::Pass, "{:?}", r.gate.reasons);
    // An inferred failure can be accepted like any other.
    let text = r#"- { target: aliyun-prod, case: "alibaba-kms/ListKeyVersions::page-size-101", kind: status, reason: the page says 0 to 101 }"#;
    let r = gate(&run(vec![amb]), Some(&baseline(text)));
    assert_eq!(outcome_at(&r, 0).status, Status::Known);
    assert_eq!(r.gate.verdict, GateVerdict::Pass);
}

#[test]
fn an_interrupted_run_never_passes_the_gate() {
    let mut result = run(vec![outcome(
        "alibaba-kms/ListKeys::page-size-1",
        TARGET,
        Provenance::Documented,
        Verdict::Pass,
        vec![],
    )]);
    result.interrupted = true;
    let r = gate(&result, None);
    assert!(r.run.partial);
    assert_eq!(r.gate.verdict, GateVerdict::Fail);
}

#[test]
fn a_written_baseline_reads_back_and_accepts_exactly_the_run_it_came_from() {
    let result = failing_run();
    let r = gate(&result, None);
    let text = specgate::report::render_baseline_file(&r).unwrap();
    let b = baseline(&text);
    assert_eq!(b.entries.len(), 2);
    let again = gate(&result, Some(&b));
    assert_eq!(outcome_at(&again, 0).status, Status::Known);
    assert_eq!(
        again.gate.verdict,
        GateVerdict::Pass,
        "{:?}",
        again.gate.reasons
    );
    // Entries that already accepted a finding keep their reason and link.
    let r = gate(&result, Some(&baseline(BOTH)));
    let text = specgate::report::render_baseline_file(&r).unwrap();
    assert!(
        text.contains("reason: \"extra member is harmless\""),
        "{text}"
    );
    assert!(text.contains("pointer: \"/Keys/Key/*/KeyArn\""), "{text}");
    assert!(text.contains("expires: 2026-11-24"), "{text}");
}

#[test]
fn write_baseline_never_overwrites_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baseline.yaml");
    std::fs::write(&path, "# mine\n").unwrap();
    let r = gate(&failing_run(), None);
    assert!(specgate::report::check_writable(&path, false).is_err());
    let err = specgate::report::write_baseline(&path, &r, false).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# mine\n");
    specgate::report::write_baseline(&path, &r, true).unwrap();
    assert!(std::fs::read_to_string(&path).unwrap().contains(CASE));
    let fresh = dir.path().join("new.yaml");
    assert!(specgate::report::check_writable(&fresh, false).is_ok());
    specgate::report::write_baseline(&fresh, &r, false).unwrap();
    assert!(specgate::report::check_writable(&dir.path().join("missing/x.yaml"), false).is_err());
}

/// Every problem of a malformed baseline, rendered, compared with a golden file.
#[test]
fn a_malformed_baseline_gives_file_line_col_diagnostics() {
    let input = "tests/golden/report/malformed-baseline.yaml";
    let diags = Baseline::load(Path::new(input)).unwrap_err();
    let got = specgate::diag::render_all(&diags);
    golden::check(
        Path::new("tests/golden/report/malformed-baseline.expected"),
        &got,
    );
    assert!(got.contains(&format!("--> {input}:")));
}

#[test]
fn yaml_syntax_errors_and_wrong_shapes_point_at_the_place() {
    let d = Baseline::parse(Path::new("b.yaml"), "- target: x\n  case: [unclosed\n").unwrap_err();
    assert_eq!(d.len(), 1);
    assert!(d[0].pos.line >= 2, "{}", d[0]);
    let d = Baseline::parse(Path::new("b.yaml"), "target: x\n").unwrap_err();
    let shown = d[0].to_string();
    assert!(shown.contains("b.yaml:1:1"), "{shown}");
    assert!(shown.contains("must be a list of entries"), "{shown}");
    // An empty file is an empty baseline.
    assert!(
        Baseline::parse(Path::new("b.yaml"), "# nothing yet\n")
            .unwrap()
            .entries
            .is_empty()
    );
}

#[test]
fn a_written_baseline_keeps_entries_the_run_could_not_judge_and_drops_stale_ones() {
    let text = format!(
        "{BOTH}- {{ target: aliyun-prod, case: \"alibaba-kms/ListKeys::page-size-1\", kind: status, reason: stale }}\n\
         - {{ target: aliyun-prod, case: \"alibaba-kms/ListKeys::not-selected\", kind: status, reason: filtered out }}\n"
    );
    let r = gate(&failing_run(), Some(&baseline(&text)));
    let written = specgate::report::render_baseline_file(&r).unwrap();
    let b = baseline(&written);
    let cases: Vec<&str> = b.entries.iter().map(|e| e.case.as_str()).collect();
    assert_eq!(
        cases,
        [CASE, CASE, "alibaba-kms/ListKeys::not-selected"],
        "{written}"
    );
}
