//! Throttled answers are retried with backoff, the retries are visible, and a case still
//! throttled when its budget is spent is inconclusive, not failed.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::support::scenario::{demo_suite, demo_target, run_named};
use specgate::exec::{CaseOutcome, ClientOptions, RetryPolicy, Verdict};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const OK_BODY: &str = r#"{"RequestId":"r-1","TotalCount":1,"PageNumber":1,"PageSize":10,"Things":{"Thing":[{"ThingId":"t-1"}]}}"#;
const THROTTLED: &str = r#"{"RequestId":"r-2","Code":"Throttling","Message":"Request was denied due to request throttling."}"#;

/// A target that answers `throttled` requests with a throttling error, then succeeds.
async fn throttling_server(throttled: usize, status: u16, hits: Arc<AtomicUsize>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let hits = hits.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                let _ = sock.read(&mut buf).await;
                let n = hits.fetch_add(1, Ordering::SeqCst);
                let (st, body, extra) = if n < throttled {
                    (status, THROTTLED, "Retry-After: 0\r\n")
                } else {
                    (200, OK_BODY, "")
                };
                let resp = format!(
                    "HTTP/1.1 {st} X\r\nContent-Type: application/json\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(resp.as_bytes()).await;
            });
        }
    });
    format!("http://{addr}")
}

async fn run(throttled: usize, status: u16) -> (CaseOutcome, usize) {
    let hits = Arc::new(AtomicUsize::new(0));
    let endpoint = throttling_server(throttled, status, hits.clone()).await;
    let suite = demo_suite("tests/fixtures/lint/cases/valid.yaml");
    let retry = RetryPolicy {
        max_retries: 3,
        base: Duration::from_millis(5),
        cap: Duration::from_millis(50),
        budget: Duration::from_secs(2),
    };
    let outcome = run_named(
        &suite,
        "first-page",
        &demo_target(&endpoint),
        ClientOptions::default(),
        retry,
    )
    .await;
    (outcome, hits.load(Ordering::SeqCst))
}

#[tokio::test]
async fn documented_throttling_is_retried_until_it_passes() {
    let (o, hits) = run(2, 400).await;
    assert_eq!(o.verdict, Verdict::Pass, "{:?}", o.findings);
    assert_eq!(o.retries, 2);
    assert_eq!(hits, 3);
    let steps: Vec<&str> = o.exchanges.iter().map(|e| e.step.as_str()).collect();
    assert_eq!(
        steps,
        ["", "retry 1", "retry 2"],
        "retries are visible in the exchanges"
    );
}

#[tokio::test]
async fn http_429_is_retried_too() {
    let (o, hits) = run(1, 429).await;
    assert_eq!(o.verdict, Verdict::Pass, "{:?}", o.findings);
    assert_eq!((o.retries, hits), (1, 2));
}

#[tokio::test]
async fn still_throttled_after_the_budget_is_inconclusive() {
    let (o, hits) = run(100, 400).await;
    assert_eq!(o.verdict, Verdict::Inconclusive, "{:?}", o.findings);
    assert_eq!(hits, 4, "one try and three retries");
    assert!(o.reason.unwrap().contains("still throttled"));
}

/// The shipped suite against `specgate serve --throttle-every 3`: every case still passes, and
/// the retries show in report.json.
#[tokio::test(flavor = "multi_thread")]
async fn the_suite_passes_against_an_emulator_that_throttles_on_demand() {
    use specgate::emulator::{Config, spawn};
    let emulator = spawn(Config {
        throttle_every: Some(3),
        ..Config::default()
    })
    .await
    .unwrap();
    let url = emulator.base_url();
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("t.yaml");
    std::fs::write(
        &profile,
        format!(
            "name: throttling-emulator\nservices:\n  alibaba-kms:\n    endpoint: {url}\n    vars: {{ region: cn-hangzhou, account: \"1234567890123456\" }}\n  huawei-kms:\n    endpoint: {url}\n    vars: {{ project_id: 0123456789abcdef0123456789abcdef, huawei_region: cn-north-4, domain_id: 3bab8e245e854f68af5967c00dd43127 }}\n"
        ),
    )
    .unwrap();
    let reports = dir.path().join("reports");
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_specgate"))
            .args(["run", "--allow-mutations", "--run-id", "t", "--target"])
            .arg(&profile)
            .arg("--report-dir")
            .arg(&reports)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("reports/t/report.json")).unwrap())
            .unwrap();
    let retries: u64 = report["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["retries"].as_u64().unwrap())
        .sum();
    assert!(
        retries >= 50,
        "about a third of ~310 requests were throttled, got {retries} retries"
    );
    emulator.shutdown().await.unwrap();
}
