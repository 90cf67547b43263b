//! Reports built as cases finish: outcomes come back in plan order whatever order they
//! finished in, a stable report does not depend on that order, records of passing cases are
//! dropped when no report is written, report.html embeds a bounded selection, and repetitions
//! of `--repeat` share one matrix row and one baseline entry.

use std::path::Path;

use crate::support::report_fixture::{CLOUD, PREFIX, info, outcome, result};
use serde_json::Value;
use specgate::case::Provenance;
use specgate::exec::{CaseOutcome, Verdict};
use specgate::finding::Finding;
use specgate::finding::kinds;
use specgate::report::{
    Baseline, Collector, EntryState, Keep, Report, RunEnd, Status, render_html, render_json,
    stabilize,
};

fn end() -> RunEnd {
    RunEnd {
        run_prefix: PREFIX.into(),
        interrupted: false,
        duration_ms: 1234,
    }
}

/// A report of `outcomes` (by plan index), added in the order given.
fn collect(outcomes: Vec<(usize, CaseOutcome)>, keep: Keep, baseline: Option<Baseline>) -> Report {
    let n = outcomes.len();
    let mut c = Collector::new(info(), baseline, keep, n, None).unwrap();
    for (i, o) in outcomes {
        c.add(i, o);
    }
    c.finish(end())
}

fn ids(r: &Report) -> Vec<(String, String)> {
    r.outcomes
        .iter()
        .map(|o| o.map(|o| (o.target, o.id)))
        .collect::<std::io::Result<_>>()
        .unwrap()
}

#[test]
fn outcomes_come_back_in_plan_order_whatever_order_they_finished_in() {
    let planned: Vec<(usize, CaseOutcome)> =
        result(false).outcomes.into_iter().enumerate().collect();
    let in_order = collect(planned.clone(), Keep::All, None);
    let mut shuffled = planned.clone();
    shuffled.reverse();
    shuffled.swap(1, 5);
    let out_of_order = collect(shuffled, Keep::All, None);
    assert_eq!(ids(&in_order), ids(&out_of_order));
    let expected: Vec<(String, String)> = planned
        .iter()
        .map(|(_, o)| (o.target.clone(), o.id.to_string()))
        .collect();
    assert_eq!(ids(&in_order), expected);
    assert_eq!(
        render_json(&in_order).unwrap(),
        render_json(&out_of_order).unwrap()
    );
}

#[test]
fn a_stable_report_does_not_depend_on_the_order_cases_finished_in() {
    let planned: Vec<(usize, CaseOutcome)> =
        result(false).outcomes.into_iter().enumerate().collect();
    let mut reversed = planned.clone();
    reversed.reverse();
    let mut a = collect(planned, Keep::All, None);
    let mut b = collect(reversed, Keep::All, None);
    stabilize(&mut a).unwrap();
    stabilize(&mut b).unwrap();
    let (a, b) = (render_json(&a).unwrap(), render_json(&b).unwrap());
    assert_eq!(a, b);
    assert!(a.contains("<uuid:1>"), "ids are numbered");
    assert!(!a.contains(PREFIX), "the run prefix is replaced");
}

#[test]
fn without_a_report_only_the_records_of_cases_that_did_not_pass_are_kept() {
    let planned: Vec<(usize, CaseOutcome)> =
        result(false).outcomes.into_iter().enumerate().collect();
    let r = collect(planned, Keep::Problems, None);
    assert!(r.counts.pass > 0 && r.counts.pass < r.counts.total);
    for slot in r.outcomes.slots() {
        let read = r.outcomes.read(slot);
        if slot.status == Status::Pass {
            assert!(!slot.has_record());
            assert!(read.is_err(), "a pass record was kept");
        } else {
            let o = read.expect("a problem's record is kept");
            assert_eq!(o.status, slot.status);
        }
    }
    // The gate and the counts do not need the records.
    let full = collect(
        result(false).outcomes.into_iter().enumerate().collect(),
        Keep::All,
        None,
    );
    assert_eq!(r.counts, full.counts);
    assert_eq!(r.gate.verdict, full.gate.verdict);
}

/// `n` passing outcomes of distinct cases and, at the plan indices `failing`, failures.
fn many(n: usize, failing: &[usize]) -> Vec<(usize, CaseOutcome)> {
    (0..n)
        .map(|i| {
            let id = format!("alibaba-kms/ListKeys::case-{i:05}");
            let o = if failing.contains(&i) {
                outcome(
                    &id,
                    CLOUD,
                    Provenance::Documented,
                    Verdict::Fail,
                    vec![
                        Finding::new(kinds::STATUS, "the status is not the documented one")
                            .values(200, 500),
                    ],
                )
            } else {
                outcome(&id, CLOUD, Provenance::Documented, Verdict::Pass, vec![])
            };
            (i, o)
        })
        .collect()
}

#[test]
fn report_html_embeds_every_problem_first_then_passes_up_to_its_bound() {
    let max = specgate::report::HTML_MAX_OUTCOMES;
    let failing = [3, max + 5, max + 40];
    let r = collect(many(max + 50, &failing), Keep::All, None);
    let html = render_html(&r).unwrap();
    let start = html
        .find(r#"<script id="report-data" type="application/json">"#)
        .unwrap();
    let data = &html[start..];
    let data = &data[data.find('>').unwrap() + 1..data.find("</script>").unwrap()];
    let doc: Value = serde_json::from_str(data).unwrap();
    let embedded = doc["outcomes"].as_array().unwrap();
    assert_eq!(embedded.len(), max);
    assert_eq!(
        doc["counts"]["total"],
        max + 50,
        "the counts cover the whole run"
    );
    let names: Vec<&str> = embedded
        .iter()
        .map(|o| o["case"].as_str().unwrap())
        .collect();
    for i in failing {
        assert!(
            names.contains(&format!("case-{i:05}").as_str()),
            "failure {i} is embedded"
        );
    }
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "in plan order");
    // report.json has them all.
    let json: Value = serde_json::from_str(&render_json(&r).unwrap()).unwrap();
    assert_eq!(json["outcomes"].as_array().unwrap().len(), max + 50);
}

#[test]
fn repetitions_share_one_matrix_row_and_one_baseline_entry() {
    let case = "alibaba-kms/ListKeys::sample-diff";
    let run = |r: u32, verdict: Verdict| {
        let findings = if verdict == Verdict::Fail {
            vec![Finding::new(kinds::DIFF, "differs").at("/Keys/Key/0/KeyArn")]
        } else {
            vec![]
        };
        outcome(
            &format!("{case}#{r}"),
            CLOUD,
            Provenance::Documented,
            verdict,
            findings,
        )
    };
    let outcomes = vec![
        (0, run(1, Verdict::Pass)),
        (1, run(2, Verdict::Fail)),
        (2, run(3, Verdict::Pass)),
    ];
    let baseline = Baseline::parse(
        Path::new("baseline.yaml"),
        &format!("- {{ target: {CLOUD}, case: \"{case}\", kind: diff, pointer: /Keys/Key/*/KeyArn, reason: upper-case ARNs }}\n"),
    )
    .unwrap();
    let without = collect(outcomes.clone(), Keep::All, None);
    let rows: Vec<_> = without
        .matrix
        .cases
        .iter()
        .filter(|c| c.id == case)
        .collect();
    assert_eq!(rows.len(), 1, "one row for every repetition");
    let col = without
        .matrix
        .targets
        .iter()
        .position(|t| t == CLOUD)
        .unwrap();
    assert_eq!(
        rows[0].cells[col],
        Some(Status::Fail),
        "the worst repetition shows"
    );
    assert_eq!(without.counts.fail, 1);

    let with = collect(outcomes, Keep::All, Some(baseline));
    assert_eq!(
        with.counts.known, 1,
        "the entry names the case, not the repetition"
    );
    assert_eq!(with.counts.fail, 0);
    let entry = &with.baseline.as_ref().unwrap().entries[0];
    assert_eq!((entry.state, entry.matched), (EntryState::Reproduced, 1));
    assert!(with.passed(), "{:?}", with.gate.reasons);
}

#[test]
fn stabilizing_keeps_plan_positions_and_outcomes_without_records() {
    // An interrupted run without a report: some plan positions never finished, and only the
    // records of cases that did not pass were kept.
    let outcomes: Vec<(usize, CaseOutcome)> = result(false)
        .outcomes
        .into_iter()
        .enumerate()
        .map(|(i, o)| (i * 3, o))
        .collect();
    let mut r = collect(outcomes, Keep::Problems, None);
    let before: Vec<(u32, Status, bool)> = r
        .outcomes
        .slots()
        .map(|s| (s.plan_index, s.status, s.has_record()))
        .collect();
    stabilize(&mut r).expect("a report without pass records can be made stable");
    let after: Vec<(u32, Status, bool)> = r
        .outcomes
        .slots()
        .map(|s| (s.plan_index, s.status, s.has_record()))
        .collect();
    assert_eq!(before, after);
    for slot in r.outcomes.slots().filter(|s| s.has_record()) {
        let o = r.outcomes.read(slot).unwrap();
        assert_eq!(o.duration_ms, 0, "the kept records are stabilized");
        assert!(!serde_json::to_string(&o).unwrap().contains(PREFIX));
    }
}
