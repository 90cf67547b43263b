//! `specgate compat`: the compatibility page of a target, rendered from a `--stable-report`
//! run's report.json and the suite. Runs of the shipped ListKeys cases against the emulator
//! started with `--deviate keys-bare-array` (documented cases fail: "differs from the model")
//! and with the other reading of `page-size-101` (a reading case fails: "the model is silent").

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::serve::serve;

const BIN: &str = env!("CARGO_BIN_EXE_specgate");

fn specgate(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run specgate")
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// One run of the ListKeys cases against a fresh deviating emulator, `--stable-report` unless
/// `stable` is false; returns its report.json.
fn run(dir: &Path, id: &str, stable: bool) -> PathBuf {
    let emulator = serve(&[
        "--deviate",
        "keys-bare-array",
        "--reading",
        "page-size-101=accepted",
    ]);
    let endpoint = format!("endpoint={}", emulator.url);
    let reports = dir.join("reports");
    let mut args = vec![
        "run",
        "alibaba-kms/ListKeys::",
        "--target",
        "targets/local.yaml",
        "--var",
        &endpoint,
        "--jobs",
        "1",
        "--run-id",
        id,
        "--report-dir",
        reports.to_str().unwrap(),
        "--quiet",
    ];
    if stable {
        args.push("--stable-report");
    }
    let o = specgate(&args);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    reports.join(id).join("report.json")
}

fn compat(report: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "compat",
        report.to_str().unwrap(),
        "--cases",
        "cases/alibaba-kms/ListKeys.yaml",
        "--title",
        "the deviating emulator against the Alibaba KMS pages",
        "--command",
        "make the-page",
    ];
    args.extend_from_slice(extra);
    specgate(&args)
}

/// The text of `section` (from its `## ` heading to the next one).
fn section<'a>(page: &'a str, heading: &str) -> &'a str {
    let start = page
        .find(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("no section {heading}:\n{page}"));
    let rest = &page[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    &rest[..end]
}

#[test]
fn the_page_separates_model_deviations_from_silent_rules_and_is_the_same_every_run() {
    let dir = tempfile::tempdir().unwrap();
    let first = run(dir.path(), "first", true);
    let second = run(dir.path(), "second", true);
    let o = compat(&first, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let page = String::from_utf8(o.stdout).unwrap();
    let again = compat(&second, &[]);
    assert_eq!(
        page,
        String::from_utf8_lossy(&again.stdout),
        "two runs, two pages"
    );

    assert!(
        page.starts_with("# the deviating emulator against the Alibaba KMS pages\n"),
        "{page}"
    );
    assert!(page.contains("`make the-page`"), "{page}");
    assert!(!page.contains("127.0.0.1"), "{page}");
    let per_op = section(&page, "Per operation");
    assert!(per_op.contains("| `alibaba-kms/ListKeys` |"), "{per_op}");

    // Each deviation once, with the number of cases it was seen in.
    let once = section(&page, "Deviations, once each");
    assert!(
        once.lines()
            .any(|l| l.contains("| `alibaba-kms/ListKeys` | `[schema]")
                && l.contains("at /Keys: the value is not of type")),
        "{once}"
    );
    // keys-bare-array breaks documented facts: the sample diff case, with its masked diff and
    // the page it cites.
    let differs = section(&page, "The target differs from the model");
    assert!(
        differs.contains("#### `sample-diff` (documented)"),
        "{differs}"
    );
    assert!(
        differs.contains("```diff\n--- expected\n+++ actual\n"),
        "{differs}"
    );
    assert!(differs.contains("Evidence:\n\n- page "), "{differs}");
    assert!(
        differs.contains("(cases/alibaba-kms/ListKeys.yaml:"),
        "{differs}"
    );
    // The other reading of PageSize 101 is the model being silent, not a deviation.
    let silent = section(&page, "The model is silent");
    assert!(
        silent.contains("| `alibaba-kms/ListKeys` | `page-size-101` |"),
        "{silent}"
    );
    assert!(
        silent.contains(
            "the target follows another reading; tests reading `refused` of `page-size-101`"
        ),
        "{silent}"
    );
    assert!(!differs.contains("page-size-101"), "{differs}");
}

#[test]
fn the_baseline_gives_reasons_and_check_fails_on_a_page_that_is_not_current() {
    let dir = tempfile::tempdir().unwrap();
    let report = run(dir.path(), "one", true);
    let baseline = dir.path().join("known.yaml");
    std::fs::write(
        &baseline,
        "- target: local\n  case: alibaba-kms/ListKeys::sample-diff\n  kind: diff\n  pointer: /Keys\n  reason: the emulator was started with keys-bare-array\n",
    )
    .unwrap();
    let page = dir.path().join("page.md");
    let b = baseline.to_str().unwrap();
    let o = compat(&report, &["--baseline", b, "--out", page.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let written = std::fs::read_to_string(&page).unwrap();
    assert!(
        written.contains("Known deviation: the emulator was started with keys-bare-array"),
        "{written}"
    );
    let o = compat(
        &report,
        &["--baseline", b, "--check", page.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));

    // Without the baseline's reason the page differs: the diff and the command are printed.
    let o = compat(&report, &["--check", page.to_str().unwrap()]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("-Known deviation: the emulator was started with keys-bare-array"),
        "{out}"
    );
    assert!(out.contains("is not current"), "{out}");
    assert!(out.contains("regenerate it with `make the-page`"), "{out}");
}

#[test]
fn a_report_that_is_not_stable_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let report = run(dir.path(), "unstable", false);
    let o = compat(&report, &[]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(3), "{out}");
    assert!(out.contains("is not a stable report"), "{out}");
    assert!(o.stdout.is_empty(), "{out}");
}
