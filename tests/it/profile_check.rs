//! A target profile is checked against the specs before any request: a misspelt service or
//! variable, or a variable the service declares and the profile does not set, is an error at its
//! place (exit 3) rather than a run that silently tests less or fails for the wrong reason. And a
//! run that tested nothing (every case skipped or inconclusive) does not pass the gate.

use std::io::{Read, Write};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `specgate run` on the demo suite with `profile` (YAML text) and extra arguments;
/// returns the exit code, stdout and stderr.
fn run(profile: &str, extra: &[&str]) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("target.yaml");
    std::fs::write(&path, profile).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args(["run", "--specs", "tests/fixtures/lint/specs"])
        .args(["--cases", "tests/fixtures/lint/cases", "--no-report"])
        .args(["--timeout", "5", "--target"])
        .arg(&path)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A target that counts requests and answers each with `400 Throttling`.
fn throttling_target(hits: Arc<AtomicUsize>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for mut s in listener.incoming().flatten() {
            hits.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 65536];
            let _ = s.read(&mut buf);
            let body = r#"{"RequestId":"r","Code":"Throttling","Message":"Request was denied due to request throttling."}"#;
            let _ = write!(
                s,
                "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nRetry-After: 0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}")
}

#[test]
fn a_misspelt_service_is_an_error_with_did_you_mean() {
    let (code, _, err) = run(
        "name: t\nservices:\n  dmeo:\n    endpoint: http://127.0.0.1:9\n    vars: { region: r1 }\n",
        &[],
    );
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("error[unknown-service]"), "{err}");
    assert!(err.contains("target.yaml:3:3"), "{err}");
    assert!(err.contains("did you mean `demo`?"), "{err}");
}

#[test]
fn a_misspelt_variable_is_an_error_with_did_you_mean() {
    let (code, _, err) = run(
        "name: t\nservices:\n  demo:\n    endpoint: http://127.0.0.1:9\n    vars: { regoin: r1 }\n",
        &[],
    );
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("error[unknown-variable]"), "{err}");
    assert!(err.contains("target.yaml:5:13"), "{err}");
    assert!(err.contains("did you mean `region`?"), "{err}");
    // The declared variable it was meant to be is reported as missing too.
    assert!(err.contains("error[missing-variable]"), "{err}");
}

#[test]
fn a_declared_variable_the_profile_lacks_is_an_error_before_any_request() {
    let hits = Arc::new(AtomicUsize::new(0));
    let url = throttling_target(hits.clone());
    let (code, _, err) = run(
        &format!("name: t\nservices:\n  demo:\n    endpoint: {url}\n    vars: {{}}\n"),
        &[],
    );
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("error[missing-variable]"), "{err}");
    assert!(err.contains("`region`"), "{err}");
    assert!(err.contains("target.yaml:5:5"), "{err}");
    assert_eq!(hits.load(Ordering::SeqCst), 0, "a request was sent");
    // `--var` sets it instead.
    let (code, _, err) = run(
        &format!("name: t\nservices:\n  demo:\n    endpoint: {url}\n"),
        &["--var", "region=r1", "--dry-run"],
    );
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn a_shipped_profile_without_account_is_an_error_at_its_vars() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alibaba.yaml");
    std::fs::write(
        &path,
        "name: no-account\nservices:\n  alibaba-kms:\n    endpoint: http://127.0.0.1:9\n    vars:\n      region: cn-hangzhou\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args(["run", "--no-report", "--target"])
        .arg(&path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("error[missing-variable]"), "{err}");
    assert!(err.contains("`account`"), "{err}");
    assert!(err.contains("alibaba.yaml:5:5"), "{err}");
}

#[test]
fn a_run_where_every_case_is_inconclusive_fails_the_gate_and_says_so() {
    let hits = Arc::new(AtomicUsize::new(0));
    let url = throttling_target(hits.clone());
    let profile =
        format!("name: t\nservices:\n  demo:\n    endpoint: {url}\n    vars: {{ region: r1 }}\n");
    let (code, out, err) = run(&profile, &[]);
    assert!(hits.load(Ordering::SeqCst) > 0);
    assert_eq!(code, Some(1), "stdout:\n{out}\nstderr:\n{err}");
    assert!(out.contains("not tested: 2 of 2 selected cases"), "{out}");
    assert!(
        out.contains("none of the 2 selected cases was tested"),
        "{out}"
    );
    // Accepting an untested run is an explicit choice.
    let (code, out, err) = run(&profile, &["--require-coverage", "0"]);
    assert_eq!(code, Some(0), "stdout:\n{out}\nstderr:\n{err}");
    assert!(out.contains("not tested: 2 of 2"), "{out}");
}

#[test]
fn a_variable_the_profile_endpoint_uses_is_not_unknown() {
    let (code, _, err) = run(
        "name: t\nservices:\n  demo:\n    endpoint: http://{host}:9\n    vars: { region: r1, host: 127.0.0.1 }\n",
        &["--dry-run"],
    );
    assert_eq!(code, Some(0), "{err}");
}
