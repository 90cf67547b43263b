//! Against a target that is not the embedded emulator, a run is read-only unless
//! `--allow-mutations`: mutating cases are skipped (and said to be), and nothing is changed.

use std::process::Command;

use serde_json::Value;
use specgate::emulator::{Config, spawn};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";

/// A fingerprint of everything the emulator holds that a case could change.
async fn state_fingerprint(url: &str) -> String {
    let client = reqwest::Client::new();
    let mut out = String::new();
    let keys: Value = client
        .get(format!("{url}/?Action=ListKeys&PageSize=100"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for k in keys["Keys"]["Key"].as_array().unwrap() {
        let id = k["KeyId"].as_str().unwrap();
        let a: Value = client
            .get(format!(
                "{url}/?Action=ListAliasesByKeyId&KeyId={id}&PageSize=100"
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        out.push_str(&a["Aliases"].to_string());
    }
    let hw: Value = client
        .post(format!("{url}/v1.0/{PROJECT}/kms/list-keys"))
        .json(&serde_json::json!({"limit": "1000", "key_spec": "ALL"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    out.push_str(&hw["key_details"].to_string());
    let aliases: Value = client
        .get(format!("{url}/v1.0/{PROJECT}/kms/aliases?limit=1000"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    out.push_str(&aliases.to_string());
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn a_real_target_is_read_only_by_default() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emulator = spawn(Config::default()).await.unwrap();
    let url = emulator.base_url();
    let before = state_fingerprint(&url).await;
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("t.yaml");
    std::fs::write(
        &profile,
        format!(
            "name: not-embedded\nservices:\n  alibaba-kms:\n    endpoint: {url}\n    vars: {{ region: cn-hangzhou, account: \"1234567890123456\" }}\n  huawei-kms:\n    endpoint: {url}\n    vars: {{ project_id: {PROJECT}, huawei_region: cn-north-4, domain_id: 3bab8e245e854f68af5967c00dd43127 }}\n"
        ),
    )
    .unwrap();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_specgate"))
            .args(["run", "--no-report", "--target"])
            .arg(&profile)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let skipped = stdout
        .lines()
        .filter(|l| l.contains("ignored (mutating case against a real target"))
        .count();
    assert!(
        skipped >= 20,
        "expected the mutating cases to be skipped and said so:\n{stdout}"
    );
    assert!(
        stdout.lines().any(|l| l.ends_with("... ok")),
        "read-only cases still run"
    );
    assert_eq!(
        state_fingerprint(&url).await,
        before,
        "the run changed the target"
    );
}
