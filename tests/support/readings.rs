//! A suite with readings for the readings tests: the shipped specs, whose
//! `alibaba-kms/ListKeys.yaml` lists the readings of two doc notes (`page-size-101`,
//! `filters-unknown-key`), and one case file of its own (`cases/fixture/ListKeysReadings.yaml`) with one case per
//! reading, built in a temporary folder.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub const CASES: &str = r#"operation: alibaba-kms/ListKeys
cases:
  - name: fx-101-refused
    provenance: inferred
    doc_note: page-size-101
    reading: refused
    summary: Reading refused, PageSize 101 is refused.
    params: { PageSize: 101 }
    expect: { status: 400, error: InvalidParameter }
  - name: fx-101-accepted
    provenance: inferred
    doc_note: page-size-101
    reading: accepted
    summary: Reading accepted, PageSize 101 is accepted.
    params: { PageSize: 101 }
    expect: { status: 200, equals: { /PageSize: 101 } }
  - name: fx-unknown-key-refused
    provenance: inferred
    doc_note: filters-unknown-key
    reading: refused
    summary: Reading refused, an unknown Filters Key is refused.
    params: { Filters: '[{"Key":"KeyColor","Values":["Enabled"]}]' }
    expect: { status: 400, error: InvalidParameter }
  - name: fx-unknown-key-ignored
    provenance: inferred
    doc_note: filters-unknown-key
    reading: ignored
    summary: Reading ignored, an unknown Filters Key is ignored.
    params: { Filters: '[{"Key":"KeyColor","Values":["Enabled"]}]' }
    expect: { status: 200 }
  - name: fx-documented
    provenance: documented
    summary: A case of no reading, to show the others do not change it.
    params: {}
    expect: { status: 200 }
"#;

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
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
pub fn fixture_suite(dir: &Path) -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let specs = dir.join("specs");
    copy_dir(&root.join("specs"), &specs);
    let spec = specs.join("alibaba-kms/ListKeys.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    for note in ["id: page-size-101", "id: filters-unknown-key"] {
        assert_eq!(text.matches(note).count(), 1, "the shipped note {note}");
    }
    // The shipped response schema allows what every reading answers (no PageSize maximum).
    assert!(
        !text.contains("PageSize: { type: integer, minimum: 1, maximum: 100 }"),
        "the response's PageSize must not be capped at 100"
    );
    let cases = dir.join("cases/fixture");
    std::fs::create_dir_all(&cases).unwrap();
    std::fs::write(cases.join("ListKeysReadings.yaml"), CASES).unwrap();
    (specs, dir.join("cases"))
}

/// `specgate run` on `specs` and `cases` with `extra` arguments, its report in `dir/reports`
/// as run `id`; the output and report.json (null when none was written).
pub fn run_suite(
    specs: &Path,
    cases: &Path,
    dir: &Path,
    id: &str,
    extra: &[&str],
) -> (Output, Value) {
    let reports = dir.join("reports");
    let out = Command::new(env!("CARGO_BIN_EXE_specgate"))
        .arg("run")
        .arg("--specs")
        .arg(specs)
        .arg("--cases")
        .arg(cases)
        .arg("--report-dir")
        .arg(&reports)
        .args(["--run-id", id, "--jobs", "4"])
        .args(extra)
        .output()
        .unwrap();
    let json = std::fs::read_to_string(reports.join(id).join("report.json"))
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap_or(Value::Null);
    (out, json)
}

/// The console output of a run, stdout then stderr.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
