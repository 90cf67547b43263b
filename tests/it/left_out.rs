//! The plan leaves out the cases of a service the target does not serve: AWS KMS cases against
//! the embedded emulator (which serves `alibaba-kms` and `huawei-kms`) are not planned, and one
//! line per service says so in the console, report.json and report.md; counts stay those of the
//! cases that were planned. A selection of such cases only plans nothing, which is refused
//! (exit 4) like a filter that matches nothing.
//!
//! The suite: the shipped specs with AWS KMS ListKeys imported from the botocore model
//! (`specs/aws-kms/source/`), Alibaba's ListKeys cases and the imported AWS ListKeys cases.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::readings::copy_dir;

const BIN: &str = env!("CARGO_BIN_EXE_specgate");

fn specgate(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("run specgate")
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `(specs, cases)` of the suite described in the module documentation, under `dir`.
fn mixed_suite(dir: &Path) -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let specs = dir.join("specs");
    copy_dir(&root.join("specs"), &specs);
    let imported = dir.join("import");
    let o = specgate(&[
        "import",
        root.join("specs/aws-kms/source/service-2.json")
            .to_str()
            .unwrap(),
        "--operation",
        "ListKeys",
        "--service",
        root.join("specs/aws-kms").to_str().unwrap(),
        "--out",
        imported.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    std::fs::copy(
        imported.join("specs/aws-kms/ListKeys.yaml"),
        specs.join("aws-kms/ListKeys.yaml"),
    )
    .unwrap();
    let cases = dir.join("cases");
    std::fs::create_dir_all(cases.join("alibaba-kms")).unwrap();
    std::fs::create_dir_all(cases.join("aws-kms")).unwrap();
    std::fs::copy(
        root.join("cases/alibaba-kms/ListKeys.yaml"),
        cases.join("alibaba-kms/ListKeys.yaml"),
    )
    .unwrap();
    std::fs::copy(
        imported.join("cases/aws-kms/ListKeys.yaml"),
        cases.join("aws-kms/ListKeys.yaml"),
    )
    .unwrap();
    (specs, cases)
}

/// How many cases of the suite `--list` names with `prefix`, against the moto profile (which
/// serves only `aws-kms`) or the embedded emulator.
fn listed(specs: &Path, cases: &Path, target: Option<&str>, prefix: &str) -> usize {
    let mut args = vec![
        "run",
        "--list",
        "--specs",
        specs.to_str().unwrap(),
        "--cases",
        cases.to_str().unwrap(),
    ];
    if let Some(t) = target {
        args.extend(["--target", t]);
    }
    let o = specgate(&args);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| l.starts_with(prefix))
        .count()
}

#[test]
fn cases_of_a_service_the_target_does_not_serve_are_left_out_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let (specs, cases) = mixed_suite(dir.path());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let moto = root.join("targets/moto.yaml");
    let aws = listed(&specs, &cases, Some(moto.to_str().unwrap()), "aws-kms/");
    let alibaba = listed(&specs, &cases, None, "alibaba-kms/");
    assert!(aws > 1 && alibaba > 1, "aws {aws}, alibaba {alibaba}");
    assert_eq!(listed(&specs, &cases, None, "aws-kms/"), 0);

    let reports = dir.path().join("reports");
    let o = specgate(&[
        "run",
        "--specs",
        specs.to_str().unwrap(),
        "--cases",
        cases.to_str().unwrap(),
        "--jobs",
        "1",
        "--stable-report",
        "--run-id",
        "mixed",
        "--report-dir",
        reports.to_str().unwrap(),
    ]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    let line = format!(
        "aws-kms: 0 of {aws} cases planned: the target `embedded-emulator` serves alibaba-kms, huawei-kms"
    );
    assert_eq!(out.matches(&line).count(), 1, "{out}");
    assert!(out.contains(&format!("running {alibaba} tests")), "{out}");
    assert!(!out.contains("has no `aws-kms` service"), "{out}");
    assert!(
        out.contains(&format!("specgate: {alibaba} cases,")),
        "{out}"
    );

    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(reports.join("mixed/report.json")).expect("report.json"),
    )
    .unwrap();
    assert_eq!(json["run"]["left_out"], serde_json::json!([line]));
    assert_eq!(json["counts"]["total"], alibaba);
    assert_eq!(json["counts"]["skipped"], 0);
    let md = std::fs::read_to_string(reports.join("mixed/report.md")).unwrap();
    // report.md escapes the backticks of the target's name.
    assert!(
        md.contains(&format!("- {}", line.replace('`', "\\`"))),
        "{md}"
    );
}

#[test]
fn a_selection_of_unserved_cases_only_plans_nothing_and_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (specs, cases) = mixed_suite(dir.path());
    let o = specgate(&[
        "run",
        "aws-kms/",
        "--specs",
        specs.to_str().unwrap(),
        "--cases",
        cases.to_str().unwrap(),
        "--no-report",
    ]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(4), "{out}");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("every selected case is of a service the target does not serve"),
        "{out}"
    );
    assert!(
        stderr.contains("note: aws-kms: 0 of ")
            && stderr.contains("serves alibaba-kms, huawei-kms"),
        "{out}"
    );
    // `--no-tests pass` allows it, as it allows any empty selection.
    let o = specgate(&[
        "run",
        "aws-kms/",
        "--specs",
        specs.to_str().unwrap(),
        "--cases",
        cases.to_str().unwrap(),
        "--no-report",
        "--no-tests",
        "pass",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}
