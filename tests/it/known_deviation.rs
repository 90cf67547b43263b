//! A failure listed in the baseline is a known deviation: the console shows it as such (not as
//! FAILED) and the gate passes; the same run without the baseline fails.

use std::process::{Command, Output};

use specgate::emulator::{Config, Deviation, spawn};

fn run(profile: &std::path::Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args([
            "run",
            "--no-report",
            "--exact",
            "alibaba-kms/ListKeys::sample-diff",
            "--target",
        ])
        .arg(profile)
        .args(extra)
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_baselined_failure_is_shown_as_known_and_passes_the_gate() {
    let deviation: Deviation = "keys-bare-array".parse().unwrap();
    let emulator = spawn(Config {
        deviations: vec![deviation],
        ..Config::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("t.yaml");
    std::fs::write(
        &profile,
        format!(
            "name: deviating\nservices:\n  alibaba-kms:\n    endpoint: {}\n    vars: {{ region: cn-hangzhou, account: \"1234567890123456\" }}\n",
            emulator.base_url()
        ),
    )
    .unwrap();
    let baseline = dir.path().join("baseline.yaml");
    let (p, b) = (profile.clone(), baseline.clone());
    let (without, written) = tokio::task::spawn_blocking(move || {
        let without = run(&p, &[]);
        let written = run(&p, &["--write-baseline", b.to_str().unwrap()]);
        (without, written)
    })
    .await
    .unwrap();
    assert_eq!(without.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&without.stdout).contains("sample-diff ... FAILED"));
    assert_eq!(
        written.status.code(),
        Some(1),
        "writing a baseline does not change the verdict"
    );
    let (p, b) = (profile.clone(), baseline.clone());
    let with = tokio::task::spawn_blocking(move || run(&p, &["--baseline", b.to_str().unwrap()]))
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&with.stdout);
    assert_eq!(with.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("sample-diff ... ignored (known deviation"),
        "{stdout}"
    );
    assert!(stdout.contains("0 failed, 1 known deviation"), "{stdout}");
    emulator.shutdown().await.unwrap();
}
