//! TLS is verified by default: a self-signed certificate is a `transport.tls` error, and
//! `--insecure` (which the report records) lets the same run through.

use std::process::{Command, Output};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// An HTTPS server on 127.0.0.1:0 with a self-signed certificate for `localhost`.
async fn self_signed_server() -> u16 {
    let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let der = CertificateDer::from(cert.cert.der().to_vec());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(cert.signing_key.serialize_der()));
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![der], key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(sock).await else {
                    return;
                };
                let mut buf = vec![0u8; 8192];
                let _ = tls.read(&mut buf).await;
                let body = r#"{"RequestId":"r","TotalCount":1,"PageNumber":1,"PageSize":10,"Things":{"Thing":[{"ThingId":"t-1"}]}}"#;
                let resp = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(resp.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    port
}

async fn run(port: u16, extra: &[&str], dir: &std::path::Path) -> Output {
    let profile = dir.join("t.yaml");
    std::fs::write(
        &profile,
        format!("name: tls\nservices:\n  demo:\n    endpoint: https://localhost:{port}\n    vars: {{ region: r1 }}\n"),
    )
    .unwrap();
    let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    let reports = dir.join("reports");
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_specgate"))
            .args([
                "run",
                "--specs",
                "tests/fixtures/lint/specs",
                "--cases",
                "tests/fixtures/lint/cases/valid.yaml",
            ])
            .args(["--exact", "demo/ListThings::first-page", "--report-dir"])
            .arg(&reports)
            .arg("--target")
            .arg(&profile)
            .args(&extra)
            .env_remove("HTTPS_PROXY")
            .env_remove("https_proxy")
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_self_signed_certificate_is_refused_by_default() {
    let port = self_signed_server().await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(port, &[], dir.path()).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_ne!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("[transport.tls]"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn insecure_accepts_it_and_the_report_says_so() {
    let port = self_signed_server().await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(port, &["--insecure", "--run-id", "tls"], dir.path()).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("reports/tls/report.json")).unwrap())
            .unwrap();
    assert_eq!(
        report["run"]["insecure"],
        serde_json::json!(true),
        "{}",
        report["run"]
    );
}
