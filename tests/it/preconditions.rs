//! Preconditions and blocked cases, end to end through `specgate run` against an in-process
//! emulator:
//!
//! - a case whose discovering step finds nothing is `skipped` with its precondition's words,
//!   never failed (an account without a key pending deletion or a Default Master Key);
//! - a deviating set-up operation (ListKeys used to find a key) is reported by its own cases,
//!   and the cases that merely use it are `blocked`, in every report format;
//! - when no case of the set-up operation runs (filtered out), the gate still fails, once.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use specgate::emulator::{Config, EmulatorHandle, spawn};

fn profile(dir: &Path, emulator: &EmulatorHandle) -> std::path::PathBuf {
    let path = dir.join("target.yaml");
    let url = emulator.base_url();
    std::fs::write(
        &path,
        format!(
            "name: local\nservices:\n  alibaba-kms:\n    endpoint: {url}\n    vars: {{ region: cn-hangzhou, account: \"1234567890123456\" }}\n  huawei-kms:\n    endpoint: {url}\n    vars: {{ project_id: 0123456789abcdef0123456789abcdef, huawei_region: cn-north-4, domain_id: 3bab8e245e854f68af5967c00dd43127 }}\n"
        ),
    )
    .unwrap();
    path
}

/// Runs `specgate run` with a report named `r` under `dir`; returns the output and report.json.
async fn run(dir: &Path, profile: &Path, args: &[&str]) -> (Output, Value) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_specgate"));
    cmd.args(["run", "--allow-mutations", "--run-id", "r", "--report-dir"])
        .arg(dir.join("reports"))
        .arg("--target")
        .arg(profile)
        .args(args);
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    let json = std::fs::read_to_string(dir.join("reports/r/report.json"))
        .unwrap_or_else(|e| panic!("no report.json ({e}): {}", text(&out)));
    (out, serde_json::from_str(&json).unwrap())
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn outcomes(report: &Value) -> &Vec<Value> {
    report["outcomes"].as_array().unwrap()
}

fn outcome<'a>(report: &'a Value, id: &str) -> &'a Value {
    outcomes(report)
        .iter()
        .find(|o| o["id"] == id)
        .unwrap_or_else(|| panic!("no outcome {id}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_without_what_a_case_needs_skips_it_with_the_precondition() {
    let mut config = Config::default();
    // An account with no key pending deletion and no Default Master Key.
    config
        .seed
        .huawei
        .keys
        .retain(|k| k.key_state != "4" && !k.default_key);
    let emulator = spawn(config).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let profile = profile(dir.path(), &emulator);
    // Only the cases that need what the account lacks: the other Huawei cases schedule the
    // deletion of the keys they create, which would give the account a key pending deletion.
    // Every selected case is skipped, so the run tested nothing: by default that fails the gate
    // (what was not tested is said); `--require-coverage 0` accepts it.
    let (out, report) = run(dir.path(), &profile, &["pending-deletion-key"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("none of the 2 selected cases was tested"),
        "{}",
        text(&out)
    );
    let (out, _) = run(
        dir.path(),
        &profile,
        &["pending-deletion-key", "--require-coverage", "0"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let again = dir.path().join("again");
    std::fs::create_dir_all(&again).unwrap();
    let (out2, report2) = run(
        &again,
        &profile,
        &["default-master-key", "--require-coverage", "0"],
    )
    .await;
    assert_eq!(out2.status.code(), Some(0), "{}", text(&out2));
    for (id, words) in [
        (
            "huawei-kms/CreateAlias::pending-deletion-key",
            "a key pending deletion among the first 100 keys",
        ),
        (
            "huawei-kms/UpdateKeyAlias::pending-deletion-key",
            "a key pending deletion among the first 100 keys",
        ),
        (
            "huawei-kms/UpdateKeyAlias::default-master-key",
            "a Default Master Key among the first 100 keys",
        ),
    ] {
        let report = if id.ends_with("default-master-key") {
            &report2
        } else {
            &report
        };
        let o = outcome(report, id);
        assert_eq!(o["status"], "skipped", "{id}: {o}");
        assert_eq!(
            o["reason"],
            format!("precondition not met: {words}"),
            "{id}: {o}"
        );
        assert_eq!(o["findings"], serde_json::json!([]), "{id}");
    }
    assert_eq!(report["counts"]["fail"], 0);
    assert_eq!(report2["counts"]["fail"], 0);
    assert!(
        text(&out).contains("precondition not met"),
        "{}",
        text(&out)
    );
    emulator.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deviating_set_up_operation_blocks_its_dependants_and_fails_once() {
    let emulator = spawn(Config {
        deviations: vec!["keys-bare-array".parse().unwrap()],
        ..Config::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let profile = profile(dir.path(), &emulator);
    let (out, report) = run(dir.path(), &profile, &["alibaba-kms/"]).await;
    let console = text(&out);
    // ListKeys' own cases catch the deviation and fail the gate.
    assert_eq!(out.status.code(), Some(1), "{console}");
    let failed_list_keys = outcomes(&report)
        .iter()
        .filter(|o| o["operation"] == "alibaba-kms/ListKeys" && o["status"] == "fail")
        .count();
    assert!(failed_list_keys > 0, "{console}");
    // Every case that only uses ListKeys to find a key is blocked by it, not failed.
    let dependants: Vec<&Value> = outcomes(&report)
        .iter()
        .filter(|o| o["operation"] != "alibaba-kms/ListKeys")
        .collect();
    assert!(!dependants.is_empty());
    let blocked: Vec<&&Value> = dependants
        .iter()
        .filter(|o| o["status"] == "blocked")
        .collect();
    for o in &dependants {
        assert!(
            o["status"] == "blocked" || o["status"] == "pass",
            "a dependant of ListKeys is {}: {o}",
            o["status"]
        );
    }
    assert!(blocked.len() >= 30, "{} blocked", blocked.len());
    for o in &blocked {
        assert_eq!(o["verdict"], "blocked");
        assert_eq!(o["blocked_by"], "alibaba-kms/ListKeys");
        assert!(
            o["reason"]
                .as_str()
                .unwrap()
                .contains("sends alibaba-kms/ListKeys, which deviated (schema"),
            "{o}"
        );
    }
    assert_eq!(report["counts"]["blocked"], blocked.len());
    // report.json with blocked cases still follows its published schema.
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string("docs/report-schema.json").unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let problems: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    // Blocked cases are not judged: ListKeyVersions' score counts only what it reached.
    let cell = report["matrix"]["operations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["operation"] == "alibaba-kms/ListKeyVersions")
        .unwrap();
    assert_eq!(cell["cells"][0]["score"], 100.0, "{cell}");
    // The gate fails for ListKeys' own failures, not once per blocked case.
    let reasons = report["gate"]["reasons"].to_string();
    assert!(!reasons.contains("blocked"), "{reasons}");
    // Every format says so.
    assert!(
        console.contains(&format!("{} blocked by a set-up step", blocked.len())),
        "{console}"
    );
    let md = std::fs::read_to_string(dir.path().join("reports/r/report.md")).unwrap();
    assert!(
        md.contains("## Blocked by a set-up step")
            && md.contains("`alibaba-kms/ListKeys` deviated on `local` in a set-up step"),
        "{md}"
    );
    let junit = std::fs::read_to_string(dir.path().join("reports/r/junit.xml")).unwrap();
    assert!(junit.contains("type=\"blocked\""), "{junit}");
    let html = std::fs::read_to_string(dir.path().join("reports/r/report.html")).unwrap();
    assert!(html.contains("blocked by a set-up step"));

    // Filtered to a dependant only: nothing else reports the deviation, so the gate fails once.
    let again = dir.path().join("again");
    std::fs::create_dir_all(&again).unwrap();
    let (out, report) = run(&again, &profile, &["alibaba-kms/ListKeyVersions::"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let reasons: Vec<String> = report["gate"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect();
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(
        reasons[0].contains("alibaba-kms/ListKeys deviated in a set-up step"),
        "{reasons:?}"
    );
    emulator.shutdown().await.unwrap();
}
