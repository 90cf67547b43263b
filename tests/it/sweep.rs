//! `specgate sweep` deletes what runs left behind (by prefix only), and never without asking.

use std::process::{Command, Stdio};

use serde_json::{Value, json};
use specgate::emulator::{Config, EmulatorHandle, spawn};

async fn first_alibaba_key(url: &str) -> String {
    let body: Value = reqwest::get(format!("{url}/?Action=ListKeys&PageSize=1"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["Keys"]["Key"][0]["KeyId"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn alibaba_aliases(url: &str, key: &str) -> Vec<String> {
    let body: Value = reqwest::get(format!(
        "{url}/?Action=ListAliasesByKeyId&KeyId={key}&PageSize=100"
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    body["Aliases"]["Alias"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["AliasName"].as_str().unwrap().to_string())
        .collect()
}

const PROJECT: &str = "0123456789abcdef0123456789abcdef";

async fn huawei_aliases(url: &str) -> Vec<String> {
    let body: Value = reqwest::get(format!("{url}/v1.0/{PROJECT}/kms/aliases?limit=1000"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let page = if body.is_array() {
        body[0].clone()
    } else {
        body
    };
    page["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["alias"].as_str().unwrap().to_string())
        .collect()
}

/// An emulator with two leftovers and one alias that is not ours, and a profile for it.
async fn setup(dir: &std::path::Path) -> (EmulatorHandle, String, String) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emulator = spawn(Config::default()).await.unwrap();
    let url = emulator.base_url();
    let key = first_alibaba_key(&url).await;
    for alias in ["alias/sg-0badc0de-left", "alias/keep-me"] {
        let r = reqwest::get(format!(
            "{url}/?Action=CreateAlias&KeyId={key}&AliasName={alias}"
        ))
        .await
        .unwrap();
        assert_eq!(r.status(), 200);
    }
    let hw: Value = reqwest::Client::new()
        .post(format!("{url}/v1.0/{PROJECT}/kms/list-keys"))
        .json(&json!({"limit": "10", "key_state": "2"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let hw_key = hw["key_details"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["default_key_flag"] == "0")
        .unwrap()["key_id"]
        .clone();
    let r = reqwest::Client::new()
        .post(format!("{url}/v1.0/{PROJECT}/kms/aliases"))
        .json(&json!({"key_id": hw_key, "alias": "sg-0badc0de-hw"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let profile = dir.join("t.yaml");
    std::fs::write(
        &profile,
        format!(
            "name: emu\nservices:\n  alibaba-kms:\n    endpoint: {url}\n    vars: {{ region: cn-hangzhou, account: \"1\" }}\n  huawei-kms:\n    endpoint: {url}\n    vars: {{ project_id: {PROJECT}, huawei_region: cn-north-4, domain_id: d }}\n"
        ),
    )
    .unwrap();
    (emulator, key, profile.display().to_string())
}

fn sweep(profile: &str, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args(["sweep", "--target", profile])
        .args(extra)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn sweep_deletes_only_prefixed_leftovers() {
    let dir = tempfile::tempdir().unwrap();
    let (emulator, key, profile) = setup(dir.path()).await;
    let url = emulator.base_url();
    let out = tokio::task::spawn_blocking(move || sweep(&profile, &["--yes"]))
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("alias/sg-0badc0de-left") && stdout.contains("sg-0badc0de-hw"),
        "{stdout}"
    );
    let left = alibaba_aliases(&url, &key).await;
    assert!(!left.iter().any(|a| a.starts_with("alias/sg-")), "{left:?}");
    assert!(left.contains(&"alias/keep-me".to_string()), "{left:?}");
    assert!(
        !huawei_aliases(&url)
            .await
            .iter()
            .any(|a| a.starts_with("sg-"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sweep_without_yes_and_without_a_terminal_deletes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (emulator, key, profile) = setup(dir.path()).await;
    let url = emulator.base_url();
    let out = tokio::task::spawn_blocking(move || sweep(&profile, &[]))
        .await
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("alias/sg-0badc0de-left"),
        "lists first"
    );
    assert!(
        alibaba_aliases(&url, &key)
            .await
            .contains(&"alias/sg-0badc0de-left".to_string())
    );
    assert!(
        huawei_aliases(&url)
            .await
            .contains(&"sg-0badc0de-hw".to_string())
    );
}

#[test]
fn a_prefix_that_is_not_a_run_prefix_is_refused() {
    let out = sweep("targets/alibaba-cloud.yaml", &["--prefix", "", "--yes"]);
    assert_eq!(out.status.code(), Some(2));
}
