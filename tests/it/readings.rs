//! Readings end to end: `specgate run` against the embedded emulator, with a suite whose
//! ListKeys spec lists two readings for two ambiguous pages (`page-size-101`,
//! `filters-unknown-key`) and four cases that test one reading each. The *Readings* table says
//! which reading the emulator follows, cases of the other reading are `other-reading` and do
//! not fail the gate, and `--strict-readings` or a baseline pin make the expected reading count.
//!
//! The suite is the shipped specs with the two notes added to `alibaba-kms/ListKeys.yaml`, and
//! one case file of its own (`cases/fixture/ListKeysReadings.yaml`), built in a temporary folder
//! (`tests/support/readings.rs`).

use std::path::Path;
use std::process::Output;

use crate::support::readings::{fixture_suite, run_suite, text};
use serde_json::Value;

/// `specgate run` on the fixture suite with `extra` arguments; the output and report.json.
fn run(dir: &Path, extra: &[&str]) -> (Output, Value) {
    let (specs, cases) = fixture_suite(dir);
    run_suite(&specs, &cases, dir, "readings", extra)
}

/// Checks report.json against the committed schema.
fn assert_valid(report: &Value) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("docs/report-schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let errs: Vec<String> = v
        .iter_errors(report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errs.is_empty(),
        "report.json does not match the schema:\n{}",
        errs.join("\n")
    );
}

fn row<'a>(report: &'a Value, note: &str) -> &'a Value {
    report["readings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["note"] == note)
        .unwrap_or_else(|| panic!("no readings row for {note}: {}", report["readings"]))
}

fn status<'a>(report: &'a Value, case: &str) -> &'a str {
    report["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["case"] == case)
        .unwrap_or_else(|| panic!("no outcome {case}"))["status"]
        .as_str()
        .unwrap()
}

#[test]
fn the_default_emulator_follows_reading_refused_and_the_other_reading_does_not_fail_the_gate() {
    let dir = tempfile::tempdir().unwrap();
    let (out, r) = run(dir.path(), &[]);
    let console = text(&out);
    assert_eq!(out.status.code(), Some(0), "{console}");
    let p = row(&r, "page-size-101");
    assert_eq!(p["operation"], "alibaba-kms/ListKeys");
    assert_eq!(p["target"], "embedded-emulator");
    assert_eq!(p["verdict"], "follows");
    assert_eq!(p["follows"], "refused");
    assert_eq!(p["readings"][0]["id"], "refused");
    assert_eq!(p["readings"][0]["passed"], 1);
    assert_eq!(p["readings"][1]["failed"], 1);
    assert_eq!(p["expected"], Value::Null);
    assert_eq!(row(&r, "filters-unknown-key")["follows"], "refused");
    assert_eq!(status(&r, "fx-101-refused"), "pass");
    assert_eq!(status(&r, "fx-101-accepted"), "other-reading");
    assert_eq!(status(&r, "fx-documented"), "pass");
    let o = r["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["case"] == "fx-101-accepted")
        .unwrap();
    assert_eq!(o["doc_note"], "page-size-101");
    assert_eq!(o["reading"], "accepted");
    assert_eq!(r["counts"]["other_reading"], 2);
    assert_eq!(r["counts"]["fail"], 0);
    assert_eq!(r["counts"]["ambiguity"], 0);
    assert_eq!(r["gate"]["verdict"], "pass");
    assert_valid(&r);
    assert!(
        console.contains(
            "readings: alibaba-kms/ListKeys `page-size-101` on embedded-emulator: follows refused (refused: 1/1, accepted: 0/1)"
        ),
        "{console}"
    );
    assert!(console.contains("2 following another reading"), "{console}");
    let md = std::fs::read_to_string(dir.path().join("reports/readings/report.md")).unwrap();
    assert!(md.contains("## Readings"), "{md}");
    assert!(
        md.contains("| `alibaba-kms/ListKeys` | 3/3 (100%) · 2 other reading |"),
        "the matrix cell counts the cases of another reading apart from the score: {md}"
    );
    assert!(
        md.contains("| `alibaba-kms/ListKeys` | `page-size-101` | `embedded-emulator` | refused: 1/1, accepted: 0/1 | follows refused | — |"),
        "{md}"
    );
    let html = std::fs::read_to_string(dir.path().join("reports/readings/report.html")).unwrap();
    assert!(html.contains(r#"<section id="readings">"#));
    assert!(html.contains(r#""verdict":"follows""#));
    let junit = std::fs::read_to_string(dir.path().join("reports/readings/junit.xml")).unwrap();
    assert!(junit.contains("other-reading"), "{junit}");
}

#[test]
fn the_emulator_switched_to_the_other_readings_is_reported_as_following_them() {
    let dir = tempfile::tempdir().unwrap();
    let (out, r) = run(
        dir.path(),
        &[
            "--emulator-reading",
            "page-size-101=accepted",
            "--emulator-reading",
            "filters-unknown-key=ignored",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(row(&r, "page-size-101")["follows"], "accepted");
    assert_eq!(row(&r, "filters-unknown-key")["follows"], "ignored");
    assert_eq!(status(&r, "fx-101-refused"), "other-reading");
    assert_eq!(status(&r, "fx-101-accepted"), "pass");
    assert_eq!(status(&r, "fx-unknown-key-ignored"), "pass");
}

#[test]
fn strict_readings_fail_a_target_that_follows_another_reading_than_the_reference() {
    let dir = tempfile::tempdir().unwrap();
    let (out, r) = run(dir.path(), &["--strict-readings"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(row(&r, "page-size-101")["expected"], "refused");
    assert_eq!(row(&r, "page-size-101")["pinned_by"], "--strict-readings");

    let dir = tempfile::tempdir().unwrap();
    let (out, r) = run(
        dir.path(),
        &[
            "--strict-readings",
            "--emulator-reading",
            "page-size-101=accepted",
        ],
    );
    let console = text(&out);
    assert_eq!(out.status.code(), Some(1), "{console}");
    assert_eq!(status(&r, "fx-101-refused"), "fail");
    assert_eq!(status(&r, "fx-101-accepted"), "pass");
    let reasons = r["gate"]["reasons"].to_string();
    assert!(
        reasons.contains("embedded-emulator does not follow reading refused of alibaba-kms/ListKeys `page-size-101` (--strict-readings): follows accepted"),
        "{reasons}"
    );
    assert!(console.contains("NOT FOLLOWED"), "{console}");
    assert!(
        console.contains(
            "tests reading `refused` of doc note `page-size-101`, which this run expects"
        ),
        "{console}"
    );
}

#[test]
fn a_baseline_pin_expects_its_reading_and_write_baseline_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.yaml");
    std::fs::write(
        &baseline,
        "- target: embedded-emulator\n  reading: { note: page-size-101, follows: accepted }\n  reason: the account accepts 101\n",
    )
    .unwrap();
    let b = baseline.to_str().unwrap();
    let (out, r) = run(dir.path(), &["--baseline", b]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(status(&r, "fx-101-accepted"), "fail");
    assert_eq!(status(&r, "fx-101-refused"), "pass");
    assert_eq!(row(&r, "page-size-101")["pinned_by"], "baseline line 1");
    assert_eq!(row(&r, "page-size-101")["expected"], "accepted");
    assert_eq!(r["baseline"]["pins"][0]["follows"], "accepted");
    assert_valid(&r);

    let dir2 = tempfile::tempdir().unwrap();
    let written = dir2.path().join("written.yaml");
    let (out, r) = run(
        dir2.path(),
        &[
            "--baseline",
            b,
            "--emulator-reading",
            "page-size-101=accepted",
            "--write-baseline",
            written.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(row(&r, "page-size-101")["follows"], "accepted");
    let text = std::fs::read_to_string(&written).unwrap();
    assert!(
        text.contains("reading: { note: \"page-size-101\", follows: \"accepted\" }"),
        "{text}"
    );
}

#[test]
fn unknown_emulator_readings_are_usage_errors_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = run(
        dir.path(),
        &["--emulator-reading", "page-size-110=accepted"],
    );
    let console = text(&out);
    assert_eq!(out.status.code(), Some(2), "{console}");
    assert!(
        console.contains("did you mean `page-size-101`"),
        "{console}"
    );
    let (out, _) = run(dir.path(), &["--emulator-reading", "page-size-101=c"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let target = dir.path().join("t.yaml");
    std::fs::write(&target, "name: x\nservices: {}\n").unwrap();
    let (out, _) = run(
        dir.path(),
        &[
            "--emulator-reading",
            "page-size-101=accepted",
            "--target",
            target.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}
