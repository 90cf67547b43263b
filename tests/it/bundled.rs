//! The suite built into the binary: a run outside a checkout uses it, says so, and reads the
//! same suite (the same digest) as a run in the checkout.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::serve::serve;

fn specgate(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args(args)
        .current_dir(cwd)
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("specgate runs")
}

fn suite_digest(report_dir: &Path) -> String {
    let text = std::fs::read_to_string(report_dir.join("latest/report.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["run"]["suite"]["digest"].as_str().unwrap().to_string()
}

#[test]
fn a_run_outside_a_checkout_runs_the_built_in_suite() {
    let empty = tempfile::tempdir().unwrap();
    let out = specgate(&["run", "-q"], empty.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("using the suite built into specgate"),
        "{stderr}"
    );
    assert!(stdout.contains("gate: PASS"), "{stdout}");

    // The checkout's own run reads the same files: the same suite digest.
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR"));
    let reports = tempfile::tempdir().unwrap();
    let here = specgate(
        &[
            "run",
            "-q",
            "--report-dir",
            reports.path().to_str().unwrap(),
        ],
        checkout,
    );
    assert_eq!(here.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&here.stderr).contains("built into"));
    assert_eq!(
        suite_digest(&empty.path().join("reports")),
        suite_digest(reports.path())
    );
}

#[test]
fn a_bundled_target_profile_is_found_outside_a_checkout() {
    let server = serve(&[]);
    let empty = tempfile::tempdir().unwrap();
    let endpoint = format!("endpoint={}", server.url);
    let out = specgate(
        &[
            "run",
            "-q",
            "--no-report",
            "--target",
            "targets/local.yaml",
            "--var",
            &endpoint,
            "alibaba-kms/ListKeys::page-size-1",
            "--exact",
        ],
        empty.path(),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 passed"), "{stdout}");
}

#[test]
fn given_specs_are_never_replaced_by_the_bundle() {
    let empty = tempfile::tempdir().unwrap();
    let out = specgate(&["run", "--specs", "mine", "--no-report"], empty.path());
    assert_eq!(out.status.code(), Some(3));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("built into"));
}
