//! The data behind report.html's pictures: latency per operation over every outcome (not only
//! the ones the page embeds), zeroed in a stable report; and `--history FILE` end to end
//! (appended per run, a malformed line skipped with a warning, the trend in report.json).

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use specgate::case::Provenance;
use specgate::exec::Verdict;
use specgate::report::{Collector, Keep, RunEnd, render_html, render_json, stabilize};

use crate::support::report_fixture::{PREFIX, exchange, info, outcome};

/// 1,000 failures that took 1 ms, then 1,000 passes that took 1,001 to 2,000 ms: the page
/// embeds the failures first and stops at 1,000, so percentiles over its outcomes would be 1 ms.
fn big_run() -> specgate::report::Report {
    let mut c = Collector::new(info(), None, Keep::All, 2000, None).unwrap();
    let op = "alibaba-kms/ListKeys";
    for i in 0..2000usize {
        let (verdict, ms) = if i < 1000 {
            (Verdict::Fail, 1)
        } else {
            (Verdict::Pass, i as u64 + 1)
        };
        let mut o = outcome(
            &format!("{op}::case-{i:04}"),
            "emulator",
            Provenance::Documented,
            verdict,
            Vec::new(),
        );
        let mut x = exchange(
            "call",
            "http://127.0.0.1:1",
            "Action=ListKeys",
            200,
            Value::Null,
        );
        x.elapsed_ms = ms;
        o.exchanges.push(x);
        c.add(i, o);
    }
    c.finish(RunEnd {
        run_prefix: PREFIX.into(),
        interrupted: false,
        duration_ms: 1,
    })
}

/// The report data embedded in report.html.
fn embedded(html: &str) -> Value {
    let start = html
        .find(r#"<script id="report-data" type="application/json">"#)
        .unwrap();
    let rest = &html[start..];
    let open = rest.find('>').unwrap() + 1;
    let close = rest.find("</script>").unwrap();
    serde_json::from_str(&rest[open..close]).unwrap()
}

#[test]
fn latency_is_over_every_outcome_not_only_those_the_page_embeds() {
    let r = big_run();
    let expected = serde_json::json!([{
        "operation": "alibaba-kms/ListKeys",
        "exchanges": 2000,
        "p50_ms": 1,
        "p95_ms": 1900,
        "max_ms": 2000
    }]);
    let json: Value = serde_json::from_str(&render_json(&r).unwrap()).unwrap();
    assert_eq!(json["latency"], expected);
    let page = embedded(&render_html(&r).unwrap());
    assert_eq!(page["outcomes"].as_array().unwrap().len(), 1000);
    assert_eq!(page["latency"], expected);
}

#[test]
fn a_stable_report_keeps_the_exchange_count_and_no_times() {
    let mut r = big_run();
    stabilize(&mut r).unwrap();
    let json: Value = serde_json::from_str(&render_json(&r).unwrap()).unwrap();
    assert_eq!(
        json["latency"],
        serde_json::json!([{"operation": "alibaba-kms/ListKeys", "exchanges": 2000, "p50_ms": 0, "p95_ms": 0, "max_ms": 0}])
    );
}

fn run(dir: &Path, id: &str, history: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args(["run", "--cases", "tests/html/failing.yaml", "--report-dir"])
        .arg(dir.join("reports"))
        .args(["--run-id", id, "--history"])
        .arg(history)
        .output()
        .unwrap()
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn history_appends_one_line_per_run_and_skips_a_malformed_line() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history.jsonl");
    std::fs::write(&history, "not a run\n").unwrap();
    let first = run(dir.path(), "first", &history);
    assert_eq!(first.status.code(), Some(1), "{first:?}");
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(
        stderr.contains("history.jsonl:1: skipped a history line"),
        "{stderr}"
    );
    let second = run(dir.path(), "second", &history);
    assert_eq!(second.status.code(), Some(1), "{second:?}");

    let lines = lines(&history);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0], "not a run", "an old line is never rewritten");
    let runs: Vec<Value> = lines[1..]
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(runs[0]["run_id"], "first");
    assert_eq!(runs[1]["run_id"], "second");
    for r in &runs {
        assert_eq!(r["verdict"], "fail");
        assert_eq!(r["counts"]["pass"], 1);
        assert_eq!(r["counts"]["fail"], 2);
        assert_eq!(r["pass_pct"], 33.3);
        assert_eq!(r["operations"]["alibaba-kms/ListKeyVersions"], 33.3);
        assert!(r["duration_ms"].is_u64());
    }
    // The report of the second run shows both runs, this one last.
    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("reports/second/report.json")).unwrap(),
    )
    .unwrap();
    let shown: Vec<&str> = report["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["run_id"].as_str().unwrap())
        .collect();
    assert_eq!(shown, ["first", "second"]);
}

#[test]
fn a_history_that_cannot_be_written_is_a_warning_not_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("no-such-folder/history.jsonl");
    let out = run(dir.path(), "only", &history);
    // The gate decides the exit code (the suite fails), not the history.
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot append this run to the history"),
        "{stderr}"
    );
    assert!(dir.path().join("reports/only/report.html").exists());
}
