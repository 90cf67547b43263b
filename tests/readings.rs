//! Readings end to end: `specgate run` against the embedded emulator, with a suite whose
//! ListKeys spec lists two readings for two ambiguous pages (`page-size-101`,
//! `filters-unknown-key`) and four cases that test one reading each. The *Readings* table says
//! which reading the emulator follows, cases of the other reading are `other-reading` and do
//! not fail the gate, and `--strict-readings` or a baseline pin make the expected reading count.
//!
//! The suite is the shipped specs with the two notes added to `alibaba-kms/ListKeys.yaml`, and
//! one case file of its own (`cases/fixture/ListKeysReadings.yaml`), built in a temporary folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const NOTES: &str = r#"doc_notes:
  - id: page-size-101
    page_says: "Valid values: 1 to 100 (an older edition: no more than 101)."
    interpretation: Whether PageSize 101 is accepted is unsettled; each reading has a case.
    readings:
      - { id: a, says: PageSize 101 is refused with 400 InvalidParameter }
      - { id: b, says: PageSize 101 is accepted }
    emulator: a
    cases: [fx-101-refused, fx-101-accepted]
  - id: filters-unknown-key
    page_says: "Unsupported Values are ignored."
    interpretation: What the service does with an unknown Key is unsettled; each reading has a case.
    readings:
      - { id: a, says: an unknown Key is 400 InvalidParameter }
      - { id: b, says: an unknown Key is ignored }
    emulator: a
    cases: [fx-unknown-key-refused, fx-unknown-key-ignored]
"#;

const CASES: &str = r#"operation: alibaba-kms/ListKeys
cases:
  - name: fx-101-refused
    provenance: inferred
    doc_note: page-size-101
    reading: a
    summary: Reading a, PageSize 101 is refused.
    params: { PageSize: 101 }
    expect: { status: 400, error: InvalidParameter }
  - name: fx-101-accepted
    provenance: inferred
    doc_note: page-size-101
    reading: b
    summary: Reading b, PageSize 101 is accepted.
    params: { PageSize: 101 }
    expect: { status: 200, equals: { /PageSize: 101 } }
  - name: fx-unknown-key-refused
    provenance: inferred
    doc_note: filters-unknown-key
    reading: a
    summary: Reading a, an unknown Filters Key is refused.
    params: { Filters: '[{"Key":"KeyColor","Values":["Enabled"]}]' }
    expect: { status: 400, error: InvalidParameter }
  - name: fx-unknown-key-ignored
    provenance: inferred
    doc_note: filters-unknown-key
    reading: b
    summary: Reading b, an unknown Filters Key is ignored.
    params: { Filters: '[{"Key":"KeyColor","Values":["Enabled"]}]' }
    expect: { status: 200 }
  - name: fx-documented
    provenance: documented
    summary: A case of no reading, to show the others do not change it.
    params: {}
    expect: { status: 200 }
"#;

/// Copies a folder tree.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// The suite described in the module documentation, under `dir`: `(specs, cases)`.
fn fixture_suite(dir: &Path) -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let specs = dir.join("specs");
    copy_dir(&root.join("specs"), &specs);
    let spec = specs.join("alibaba-kms/ListKeys.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    assert_eq!(text.matches("\ndoc_notes:\n").count(), 1, "one doc_notes list");
    // The response schema must allow what every reading answers: PageSize 101 echoed under b.
    let schema_bound = "PageSize: { type: integer, minimum: 1, maximum: 100 }";
    assert_eq!(text.matches(schema_bound).count(), 1, "the response's PageSize");
    let text = text
        .replacen("\ndoc_notes:\n", &format!("\n{NOTES}"), 1)
        .replacen(schema_bound, "PageSize: { type: integer, minimum: 1 }", 1);
    std::fs::write(&spec, text).unwrap();
    let cases = dir.join("cases/fixture");
    std::fs::create_dir_all(&cases).unwrap();
    std::fs::write(cases.join("ListKeysReadings.yaml"), CASES).unwrap();
    (specs, dir.join("cases"))
}

/// `specgate run` on the fixture suite with `extra` arguments; the output and report.json.
fn run(dir: &Path, extra: &[&str]) -> (Output, Value) {
    let (specs, cases) = fixture_suite(dir);
    let reports = dir.join("reports");
    let out = Command::new(env!("CARGO_BIN_EXE_specgate"))
        .arg("run")
        .arg("--specs")
        .arg(&specs)
        .arg("--cases")
        .arg(&cases)
        .arg("--report-dir")
        .arg(&reports)
        .args(["--run-id", "readings", "--jobs", "2"])
        .args(extra)
        .output()
        .unwrap();
    let json = std::fs::read_to_string(reports.join("readings/report.json"))
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap_or(Value::Null);
    (out, json)
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

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_default_emulator_follows_reading_a_and_the_other_reading_does_not_fail_the_gate() {
    let dir = tempfile::tempdir().unwrap();
    let (out, r) = run(dir.path(), &[]);
    let console = text(&out);
    assert_eq!(out.status.code(), Some(0), "{console}");
    let p = row(&r, "page-size-101");
    assert_eq!(p["operation"], "alibaba-kms/ListKeys");
    assert_eq!(p["target"], "embedded-emulator");
    assert_eq!(p["verdict"], "follows");
    assert_eq!(p["follows"], "a");
    assert_eq!(p["readings"][0]["id"], "a");
    assert_eq!(p["readings"][0]["passed"], 1);
    assert_eq!(p["readings"][1]["failed"], 1);
    assert_eq!(p["expected"], Value::Null);
    assert_eq!(row(&r, "filters-unknown-key")["follows"], "a");
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
    assert_eq!(o["reading"], "b");
    assert_eq!(r["counts"]["other_reading"], 2);
    assert_eq!(r["counts"]["fail"], 0);
    assert_eq!(r["counts"]["ambiguity"], 0);
    assert_eq!(r["gate"]["verdict"], "pass");
    assert!(
        console.contains(
            "readings: alibaba-kms/ListKeys `page-size-101` on embedded-emulator: follows a (a: 1/1, b: 0/1)"
        ),
        "{console}"
    );
    assert!(console.contains("2 following another reading"), "{console}");
    let md = std::fs::read_to_string(dir.path().join("reports/readings/report.md")).unwrap();
    assert!(md.contains("## Readings"), "{md}");
    assert!(
        md.contains("| `alibaba-kms/ListKeys` | `page-size-101` | `embedded-emulator` | a: 1/1, b: 0/1 | follows a | — |"),
        "{md}"
    );
    let html = std::fs::read_to_string(dir.path().join("reports/readings/report.html")).unwrap();
    assert!(html.contains(r#"<section id="readings">"#));
    assert!(html.contains(r#""verdict":"follows""#));
    let junit = std::fs::read_to_string(dir.path().join("reports/readings/junit.xml")).unwrap();
    assert!(junit.contains("other-reading"), "{junit}");
}

#[test]
fn the_emulator_switched_to_reading_b_is_reported_as_following_b() {
    let dir = tempfile::tempdir().unwrap();
    let (out, r) = run(
        dir.path(),
        &[
            "--emulator-reading",
            "page-size-101=b",
            "--emulator-reading",
            "filters-unknown-key=b",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(row(&r, "page-size-101")["follows"], "b");
    assert_eq!(row(&r, "filters-unknown-key")["follows"], "b");
    assert_eq!(status(&r, "fx-101-refused"), "other-reading");
    assert_eq!(status(&r, "fx-101-accepted"), "pass");
    assert_eq!(status(&r, "fx-unknown-key-ignored"), "pass");
}

#[test]
fn strict_readings_fail_a_target_that_follows_another_reading_than_the_reference() {
    let dir = tempfile::tempdir().unwrap();
    let (out, r) = run(dir.path(), &["--strict-readings"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(row(&r, "page-size-101")["expected"], "a");
    assert_eq!(row(&r, "page-size-101")["pinned_by"], "--strict-readings");

    let dir = tempfile::tempdir().unwrap();
    let (out, r) = run(
        dir.path(),
        &["--strict-readings", "--emulator-reading", "page-size-101=b"],
    );
    let console = text(&out);
    assert_eq!(out.status.code(), Some(1), "{console}");
    assert_eq!(status(&r, "fx-101-refused"), "fail");
    assert_eq!(status(&r, "fx-101-accepted"), "pass");
    let reasons = r["gate"]["reasons"].to_string();
    assert!(
        reasons.contains("embedded-emulator does not follow reading a of alibaba-kms/ListKeys `page-size-101` (--strict-readings): follows b"),
        "{reasons}"
    );
    assert!(console.contains("NOT FOLLOWED"), "{console}");
}

#[test]
fn a_baseline_pin_expects_its_reading_and_write_baseline_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.yaml");
    std::fs::write(
        &baseline,
        "- target: embedded-emulator\n  reading: { note: page-size-101, follows: b }\n  reason: the account accepts 101\n",
    )
    .unwrap();
    let b = baseline.to_str().unwrap();
    let (out, r) = run(dir.path(), &["--baseline", b]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(status(&r, "fx-101-accepted"), "fail");
    assert_eq!(status(&r, "fx-101-refused"), "pass");
    assert_eq!(row(&r, "page-size-101")["pinned_by"], "baseline line 1");
    assert_eq!(row(&r, "page-size-101")["expected"], "b");
    assert_eq!(r["baseline"]["pins"][0]["follows"], "b");

    let dir2 = tempfile::tempdir().unwrap();
    let written = dir2.path().join("written.yaml");
    let (out, r) = run(
        dir2.path(),
        &[
            "--baseline",
            b,
            "--emulator-reading",
            "page-size-101=b",
            "--write-baseline",
            written.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(row(&r, "page-size-101")["follows"], "b");
    let text = std::fs::read_to_string(&written).unwrap();
    assert!(
        text.contains("reading: { note: \"page-size-101\", follows: \"b\" }"),
        "{text}"
    );
}

#[test]
fn unknown_emulator_readings_are_usage_errors_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = run(dir.path(), &["--emulator-reading", "page-size-110=b"]);
    let console = text(&out);
    assert_eq!(out.status.code(), Some(2), "{console}");
    assert!(console.contains("did you mean `page-size-101`"), "{console}");
    let (out, _) = run(dir.path(), &["--emulator-reading", "page-size-101=c"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let target = dir.path().join("t.yaml");
    std::fs::write(&target, "name: x\nservices: {}\n").unwrap();
    let (out, _) = run(
        dir.path(),
        &[
            "--emulator-reading",
            "page-size-101=b",
            "--target",
            target.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}
