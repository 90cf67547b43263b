//! A misbehaving target never panics the harness or hangs it past the timeout: each kind of
//! misbehaviour ends in its own classified finding. Every server here is a small raw TCP server
//! on 127.0.0.1:0 inside the test process.

use std::time::{Duration, Instant};

use crate::support::scenario::{demo_suite, demo_target, run_named};
use specgate::exec::{CaseOutcome, ClientOptions, RetryPolicy, Verdict};
use specgate::finding::kinds;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How the fake target answers every request.
#[derive(Clone, Copy)]
enum Misbehaviour {
    Hang,
    Reset,
    Garbage,
    Huge,
    Html,
    ServerError,
    Redirect,
    SlowBody,
}

async fn read_request(sock: &mut TcpStream) {
    let mut buf = vec![0u8; 65536];
    let mut seen = Vec::new();
    while let Ok(n) = sock.read(&mut buf).await {
        if n == 0 {
            return;
        }
        seen.extend_from_slice(&buf[..n]);
        if seen.windows(4).any(|w| w == b"\r\n\r\n") {
            return;
        }
    }
}

async fn answer(mut sock: TcpStream, how: Misbehaviour) {
    read_request(&mut sock).await;
    let simple = |status: &str, ctype: &str, body: &str| {
        format!(
            "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    match how {
        Misbehaviour::Hang => tokio::time::sleep(Duration::from_secs(30)).await,
        Misbehaviour::Reset => {
            // SO_LINGER 0 makes close send RST instead of FIN.
            #[allow(deprecated)]
            sock.set_linger(Some(Duration::ZERO)).unwrap();
            drop(sock);
        }
        Misbehaviour::Garbage => {
            let _ = sock
                .write_all(b"\x00\x01garbage that is not HTTP\r\n\r\n")
                .await;
        }
        Misbehaviour::Huge => {
            let size = 50 * 1024 * 1024;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\r\n"
            );
            let _ = sock.write_all(head.as_bytes()).await;
            let chunk = vec![b' '; 1024 * 1024];
            for _ in 0..50 {
                if sock.write_all(&chunk).await.is_err() {
                    return;
                }
            }
        }
        Misbehaviour::Html => {
            let _ = sock
                .write_all(
                    simple("200 OK", "text/html", "<html><body>Welcome</body></html>").as_bytes(),
                )
                .await;
        }
        Misbehaviour::ServerError => {
            let body = r#"{"RequestId":"r","Code":"InternalFailure","Message":"boom"}"#;
            let _ = sock
                .write_all(simple("500 Internal Server Error", "application/json", body).as_bytes())
                .await;
        }
        Misbehaviour::Redirect => {
            let _ = sock
                .write_all(b"HTTP/1.1 302 Found\r\nLocation: http://other-host.invalid/steal\r\nContent-Length: 0\r\n\r\n")
                .await;
        }
        Misbehaviour::SlowBody => {
            let _ = sock
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
                .await;
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    }
}

async fn misbehaving_server(how: Misbehaviour) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            tokio::spawn(answer(sock, how));
        }
    });
    format!("http://{addr}")
}

const TIMEOUT: Duration = Duration::from_millis(800);

async fn run_against(how: Misbehaviour) -> (CaseOutcome, Duration) {
    let endpoint = misbehaving_server(how).await;
    let suite = demo_suite("tests/fixtures/lint/cases/valid.yaml");
    let options = ClientOptions {
        timeout: TIMEOUT,
        body_cap: 10 * 1024 * 1024,
        insecure: false,
    };
    let started = Instant::now();
    let outcome = run_named(
        &suite,
        "first-page",
        &demo_target(&endpoint),
        options,
        RetryPolicy::default(),
    )
    .await;
    (outcome, started.elapsed())
}

fn kinds_of(o: &CaseOutcome) -> Vec<specgate::finding::FindingKind> {
    o.findings.iter().map(|f| f.kind).collect()
}

#[tokio::test]
async fn a_hanging_target_times_out_in_bounded_time() {
    let (o, took) = run_against(Misbehaviour::Hang).await;
    assert_eq!(kinds_of(&o), [kinds::TIMEOUT]);
    assert_eq!(o.verdict, Verdict::Error);
    assert!(took < TIMEOUT * 3, "took {took:?}");
}

#[tokio::test]
async fn a_body_that_stalls_times_out() {
    let (o, took) = run_against(Misbehaviour::SlowBody).await;
    assert_eq!(kinds_of(&o), [kinds::TIMEOUT]);
    assert!(took < TIMEOUT * 3, "took {took:?}");
}

#[tokio::test]
async fn a_reset_connection_is_classified() {
    let (o, _) = run_against(Misbehaviour::Reset).await;
    assert_eq!(kinds_of(&o), [kinds::RESET]);
    assert_eq!(o.verdict, Verdict::Error);
}

#[tokio::test]
async fn garbage_instead_of_http_is_classified() {
    let (o, _) = run_against(Misbehaviour::Garbage).await;
    assert_eq!(kinds_of(&o), [kinds::PROTOCOL]);
    assert_eq!(o.verdict, Verdict::Error);
}

#[tokio::test]
async fn a_50_mib_body_hits_the_cap() {
    let (o, took) = run_against(Misbehaviour::Huge).await;
    assert_eq!(kinds_of(&o), [kinds::TOO_LARGE]);
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[tokio::test]
async fn html_instead_of_json_is_not_json() {
    let (o, _) = run_against(Misbehaviour::Html).await;
    assert!(kinds_of(&o).contains(&kinds::NOT_JSON), "{:?}", o.findings);
}

#[tokio::test]
async fn a_500_is_a_status_failure_with_its_code() {
    let (o, _) = run_against(Misbehaviour::ServerError).await;
    assert_eq!(o.verdict, Verdict::Fail, "{:?}", o.findings);
    let status = o
        .findings
        .iter()
        .find(|f| f.kind == kinds::STATUS)
        .expect("a status finding");
    assert_eq!(status.actual, serde_json::json!(500));
}

#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed() {
    let (o, _) = run_against(Misbehaviour::Redirect).await;
    assert_eq!(kinds_of(&o), [kinds::REDIRECT]);
    assert_eq!(
        o.exchanges.len(),
        1,
        "exactly one request, none to the other host"
    );
}

#[tokio::test]
async fn a_closed_port_is_a_connect_failure() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let suite = demo_suite("tests/fixtures/lint/cases/valid.yaml");
    let o = run_named(
        &suite,
        "first-page",
        &demo_target(&endpoint),
        ClientOptions::default(),
        RetryPolicy::default(),
    )
    .await;
    assert_eq!(kinds_of(&o), [kinds::CONNECT]);
}

#[tokio::test]
async fn after_a_failed_step_the_teardown_runs_but_adds_no_verdict() {
    let endpoint = misbehaving_server(Misbehaviour::ServerError).await;
    let suite = demo_suite("tests/fixtures/scenario/teardown.yaml");
    let o = run_named(
        &suite,
        "step-fails-then-teardown",
        &demo_target(&endpoint),
        ClientOptions::default(),
        RetryPolicy::default(),
    )
    .await;
    assert_eq!(o.exchanges.len(), 2, "the teardown still ran");
    assert!(!o.findings.is_empty());
    assert!(
        o.findings.iter().all(|f| f.step == "step 1"),
        "only the failed step speaks: {:?}",
        o.findings
    );
}
