//! Golden tests of `specgate lint` messages: one malformed input per error class.
//!
//! Each `tests/golden/lint/<name>.<kind>.yaml` replaces one file of a small valid suite
//! (`tests/fixtures/lint`): `case` adds a case file, `operation` replaces the operation spec,
//! `service` replaces `service.yaml`. The full rendered message is compared with
//! `<name>.expected`; run with `SPECGATE_BLESS=1` to rewrite the expectations after review.

use std::fs;
use std::path::{Path, PathBuf};

use specgate::lint::{LintArgs, lint};

use crate::support::golden;

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// Lints the fixture suite with `input` put in place; returns the rendered output.
fn lint_with(input: &Path) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    copy_dir(Path::new("tests/fixtures/lint/specs"), &root.join("specs"));
    fs::create_dir_all(root.join("cases")).unwrap();
    let file = input.file_name().unwrap().to_string_lossy().into_owned();
    let (name, kind) = {
        let stem = file.trim_end_matches(".yaml");
        let (n, k) = stem.rsplit_once('.').unwrap();
        (n.to_string(), k.to_string())
    };
    let dest = match kind.as_str() {
        "case" => root.join("cases").join(format!("{name}.yaml")),
        "operation" => root.join("specs/demo/ListThings.yaml"),
        "service" => root.join("specs/demo/service.yaml"),
        other => panic!("unknown golden input kind `{other}` in {file}"),
    };
    fs::copy(input, &dest).unwrap();
    let report = lint(&LintArgs {
        paths: vec![root.join("cases")],
        specs: root.join("specs"),
        seeds: Some(PathBuf::from("tests/fixtures/lint/seeds")),
    });
    let prefix = format!("{}/", root.display());
    report.render().replace(&prefix, "")
}

fn golden_inputs() -> Vec<PathBuf> {
    let mut inputs: Vec<PathBuf> = fs::read_dir("tests/golden/lint")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    inputs.sort();
    inputs
}

#[test]
fn every_malformed_input_gets_its_golden_message() {
    let mut failures = Vec::new();
    let inputs = golden_inputs();
    assert!(inputs.len() >= 12, "expected at least 12 golden inputs");
    for input in inputs {
        let got = lint_with(&input);
        let expected_path = input.with_extension("").with_extension("expected");
        if let Err(message) = golden::compare(&expected_path, &got) {
            failures.push(format!("{}: {message}", input.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_fixture_suite_itself_is_clean() {
    let report = lint(&LintArgs {
        paths: vec![PathBuf::from("tests/fixtures/lint/cases")],
        specs: PathBuf::from("tests/fixtures/lint/specs"),
        seeds: Some(PathBuf::from("tests/fixtures/lint/seeds")),
    });
    assert!(report.diagnostics.is_empty(), "{}", report.render());
    assert_eq!(report.counts, (1, 1, 2));
}

/// The evidence rules pass a documented case whose error, status and bound are each named by a
/// cited source (a page quote spread over two lines of the page still matches).
#[test]
fn a_documented_case_with_its_sources_is_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    copy_dir(Path::new("tests/fixtures/lint/specs"), &root.join("specs"));
    fs::create_dir_all(root.join("cases")).unwrap();
    fs::write(
        root.join("cases/cited.yaml"),
        r#"operation: demo/ListThings
cases:
  - name: bounds-and-refusal
    provenance: documented
    evidence:
      - { kind: page, at: 000_lint_fixture.txt, says: "Valid values: 1 to 100." }
      - { kind: page, at: 000_lint_fixture.txt, says: "400 InvalidParameter The specified parameter is not valid." }
    steps:
      - params: { PageSize: 100 }
        expect: { status: 200 }
      - params: { PageSize: 0 }
        expect: { status: 400, error: InvalidParameter }
"#,
    )
    .unwrap();
    let args = LintArgs {
        paths: vec![root.join("cases")],
        specs: root.join("specs"),
        seeds: Some(PathBuf::from("tests/fixtures/lint/seeds")),
    };
    let report = lint(&args);
    assert!(report.diagnostics.is_empty(), "{}", report.render());
    // Where no seeds directory is found beside the checkout, quotes are not checked and the
    // rest still passes; a seeds directory given explicitly must hold the pages cited.
    let report = lint(&LintArgs {
        seeds: None,
        ..args.clone()
    });
    assert!(report.diagnostics.is_empty(), "{}", report.render());
    let report = lint(&LintArgs {
        seeds: Some(root.join("no-seeds-here")),
        ..args
    });
    assert_eq!(report.diagnostics.len(), 2, "{}", report.render());
    assert!(
        report.render().contains("unknown-page"),
        "{}",
        report.render()
    );
}

/// The shipped suite passes every lint rule, the evidence rules included; the page quotes are
/// checked where the seeds are beside the checkout (`../shared/seeds`, as in CI).
#[test]
fn the_shipped_suite_cites_its_sources() {
    let report = lint(&LintArgs {
        paths: vec![PathBuf::from("cases")],
        specs: PathBuf::from("specs"),
        seeds: None,
    });
    assert!(report.diagnostics.is_empty(), "{}", report.render());
}
