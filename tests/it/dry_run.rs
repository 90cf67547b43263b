//! `--dry-run` prints every request the run would send, signed with secrets redacted, and sends
//! none.

use std::net::TcpListener;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[test]
fn dry_run_prints_signed_redacted_requests_and_sends_nothing() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    std::thread::spawn(move || {
        for _ in listener.incoming() {
            counted.fetch_add(1, Ordering::SeqCst);
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("t.yaml");
    std::fs::write(
        &profile,
        format!(
            "name: dry\nservices:\n  alibaba-kms:\n    endpoint: http://{addr}\n    auth: {{ kind: alibaba-v1, access_key_id: {{ env: SG_DRY_ID }}, access_key_secret: {{ env: SG_DRY_SECRET }} }}\n    vars: {{ region: cn-hangzhou, account: \"1\" }}\n"
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args([
            "run",
            "--dry-run",
            "--allow-mutations",
            "alibaba-kms/",
            "--target",
        ])
        .arg(&profile)
        .env("SG_DRY_ID", "LTAIdryRunKeyId4321")
        .env("SG_DRY_SECRET", "dry-run-secret-value")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("# [dry] alibaba-kms/ListKeys::documented-sample-request"),
        "{stdout}"
    );
    assert!(stdout.contains("Action=ListKeys"), "{stdout}");
    assert!(stdout.contains("Signature=<redacted>"), "{stdout}");
    assert!(stdout.contains("AccessKeyId=****4321"), "{stdout}");
    assert!(
        stdout.contains("%3Ccaptured%3Akey_id%3E"),
        "values captured at run time are shown as such"
    );
    assert!(!stdout.contains("dry-run-secret-value") && !stdout.contains("LTAIdryRunKeyId4321"));
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "a dry run must send nothing"
    );
}
