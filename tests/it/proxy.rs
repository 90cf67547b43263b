//! Proxy settings from the environment are honoured: with `HTTP_PROXY` set, requests to a
//! target go through the proxy (here a small recording server on 127.0.0.1:0).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};

#[test]
fn requests_go_through_the_proxy_from_the_environment() {
    let proxy = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = proxy.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen_by_proxy = seen.clone();
    std::thread::spawn(move || {
        for mut sock in proxy.incoming().flatten() {
            let mut buf = [0u8; 8192];
            let n = sock.read(&mut buf).unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n])
                .lines()
                .next()
                .unwrap_or("")
                .to_string();
            seen_by_proxy.lock().unwrap().push(head);
            let body = r#"{"RequestId":"r","TotalCount":0,"PageNumber":1,"PageSize":10,"Things":{"Thing":[]}}"#;
            let _ = write!(
                sock,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("t.yaml");
    // A host that does not resolve: only the proxy can answer for it.
    std::fs::write(&profile, "name: behind-proxy\nservices:\n  demo:\n    endpoint: http://kms.target.invalid\n    vars: { region: r1 }\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args([
            "run",
            "--specs",
            "tests/fixtures/lint/specs",
            "--cases",
            "tests/fixtures/lint/cases/valid.yaml",
        ])
        .args([
            "--no-report",
            "--exact",
            "demo/ListThings::first-page",
            "--target",
        ])
        .arg(&profile)
        .env("HTTP_PROXY", format!("http://{addr}"))
        .env("http_proxy", format!("http://{addr}"))
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let seen = seen.lock().unwrap();
    assert!(
        seen.iter()
            .any(|l| l.starts_with("POST http://kms.target.invalid/?Action=ListThings")),
        "the proxy saw: {seen:?}\n{stdout}"
    );
}
