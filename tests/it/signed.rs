//! The shipped suite, signed for real, against `specgate serve --verify-signatures` semantics
//! (the emulator in-process with signature verification on): it passes with the right
//! credentials, every case is an authentication error with a wrong secret, and no secret ever
//! appears in anything specgate writes.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use specgate::emulator::{Config, Credential, spawn};

use crate::support::leak;

const ALI_ID: &str = "LTAI5tDistinctKeyId9876";
const ALI_SECRET: &str = "AliSecret-Xq9+/distinct=";
const HW_AK: &str = "HPUADISTINCTAK12345";
const HW_SK: &str = "HwSecretSK-distinct-0987";
const HW_TOKEN: &str = "HwToken-distinct-MIIabc123";
const STS_TOKEN: &str = "StsToken-distinct-CAIS77";

fn profile(endpoint: &str, ali_kind: &str, hw_kind: &str) -> String {
    let hw_auth = if hw_kind == "huawei-token" {
        "{ kind: huawei-token, token: { env: SG_TEST_HW_TOKEN } }".to_string()
    } else {
        "{ kind: huawei-aksk, ak: { env: SG_TEST_HW_AK }, sk: { env: SG_TEST_HW_SK } }".to_string()
    };
    format!(
        "name: signed-emulator
services:
  alibaba-kms:
    endpoint: {endpoint}
    auth: {{ kind: {ali_kind}, access_key_id: {{ env: SG_TEST_ALI_ID }}, access_key_secret: {{ env: SG_TEST_ALI_SECRET }} }}
    vars: {{ region: cn-hangzhou, account: \"1234567890123456\" }}
  huawei-kms:
    endpoint: {endpoint}
    auth: {hw_auth}
    vars: {{ project_id: 0123456789abcdef0123456789abcdef, huawei_region: cn-north-4, domain_id: 3bab8e245e854f68af5967c00dd43127 }}
"
    )
}

/// Runs `specgate run` against a verifying emulator; returns the output and the report dir.
async fn run_signed(ali_kind: &str, hw_kind: &str, ali_secret_given: &str, dir: &Path) -> Output {
    let config = Config {
        verify_signatures: true,
        alibaba_credentials: vec![Credential::new(ALI_ID, ALI_SECRET)],
        huawei_credentials: vec![Credential::new(HW_AK, HW_SK)],
        huawei_tokens: vec![HW_TOKEN.to_string()],
        ..Config::default()
    };
    let emulator = spawn(config).await.unwrap();
    let profile_path = dir.join("target.yaml");
    fs::write(
        &profile_path,
        profile(&emulator.base_url(), ali_kind, hw_kind),
    )
    .unwrap();
    let bin = env!("CARGO_BIN_EXE_specgate");
    let reports = dir.join("reports");
    let secret = ali_secret_given.to_string();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(bin)
            .args(["run", "--allow-mutations", "--target"])
            .arg(&profile_path)
            .arg("--report-dir")
            .arg(&reports)
            .env("SG_TEST_ALI_ID", ALI_ID)
            .env("SG_TEST_ALI_SECRET", secret)
            .env("SG_TEST_HW_AK", HW_AK)
            .env("SG_TEST_HW_SK", HW_SK)
            .env("SG_TEST_HW_TOKEN", HW_TOKEN)
            .env("ALIBABA_CLOUD_SECURITY_TOKEN", STS_TOKEN)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    emulator.shutdown().await.unwrap();
    out
}

/// No form of any credential (raw, percent-encoded once or twice in either case, JSON-escaped,
/// form-decoded, base64) in anything written.
fn assert_no_secret_leaks(out: &Output, dir: &Path) {
    let secrets = [
        ("Alibaba AccessKeyId", ALI_ID),
        ("Alibaba secret", ALI_SECRET),
        ("Huawei AK", HW_AK),
        ("Huawei SK", HW_SK),
        ("Huawei token", HW_TOKEN),
    ];
    let written = leak::everything_written(out, dir);
    assert!(written.len() > 2, "the run wrote no report files");
    leak::assert_no_leaks(out, dir, &secrets);
}

#[tokio::test(flavor = "multi_thread")]
async fn v1_and_aksk_signed_suite_passes_and_leaks_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_signed("alibaba-v1", "huawei-aksk", ALI_SECRET, dir.path()).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("0 failed"), "{stdout}");
    assert_no_secret_leaks(&out, dir.path());
}

#[tokio::test(flavor = "multi_thread")]
async fn v3_and_token_signed_suite_passes_and_leaks_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_signed("alibaba-v3", "huawei-token", ALI_SECRET, dir.path()).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_no_secret_leaks(&out, dir.path());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_secret_makes_every_alibaba_case_an_auth_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_signed("alibaba-v1", "huawei-aksk", "not-the-secret", dir.path()).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    // Every Alibaba case fails, and each for authentication, never for conformance.
    let failed: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("test alibaba-kms/") && l.ends_with("FAILED"))
        .collect();
    let alibaba_cases = stdout
        .lines()
        .filter(|l| l.starts_with("test alibaba-kms/"))
        .count();
    assert!(alibaba_cases > 0);
    assert_eq!(failed.len(), alibaba_cases, "{stdout}");
    for block in stdout
        .split("---- ")
        .skip(1)
        .filter(|b| b.starts_with("alibaba-kms/"))
    {
        assert!(
            block.contains("[auth.rejected]"),
            "not an auth error:\n{block}"
        );
        assert!(
            !block.contains("[status]") && !block.contains("[schema]"),
            "{block}"
        );
    }
    assert_no_secret_leaks(&out, dir.path());
}
