//! A gate that never passes by accident: hostile numbers from a target or the command line,
//! answers nested deeper than serde_json reads back, reports that cannot be written, YAML nested
//! thousands of levels, and transport failures classified by what broke. Every server binds
//! 127.0.0.1:0.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::support::scenario::{demo_suite, demo_target, run_named};
use specgate::exec::{ClientOptions, RetryPolicy};
use specgate::finding::kinds;

/// `specgate::exit::REPORT_FAILED`: the report could not be written.
const REPORT_FAILED: i32 = 5;

const OK_BODY: &str = r#"{"RequestId":"r-1","TotalCount":1,"PageNumber":1,"PageSize":10,"Things":{"Thing":[{"ThingId":"t-1"}]}}"#;

/// A plain HTTP/1.1 server on 127.0.0.1:0 that answers request number `n` (0-based) with
/// `answer(n)`, a whole response; returns its base URL.
fn serve(answer: impl Fn(usize) -> String + Send + Sync + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let answer = Arc::new(answer);
    std::thread::spawn(move || {
        for mut sock in listener.incoming().flatten() {
            let n = hits.fetch_add(1, Ordering::SeqCst);
            let answer = answer.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 65536];
                let _ = sock.read(&mut buf);
                let _ = sock.write_all(answer(n).as_bytes());
            });
        }
    });
    format!("http://{addr}")
}

fn json_response(status: u16, extra: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// A profile naming the demo service at `endpoint`.
fn profile(dir: &Path, endpoint: &str) -> PathBuf {
    let path = dir.join("target.yaml");
    std::fs::write(
        &path,
        format!("name: hostile\nservices:\n  demo:\n    endpoint: {endpoint}\n    vars: {{ region: r1 }}\n"),
    )
    .unwrap();
    path
}

/// `specgate run` of the demo fixture's `first-page` case with extra arguments.
fn run_first_page(target: &Path, extra: &[&str]) -> Output {
    first_page(target, extra).output().unwrap()
}

/// The command of [`run_first_page`], to change before running it.
fn first_page(target: &Path, extra: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_specgate"));
    cmd.args([
        "run",
        "--specs",
        "tests/fixtures/lint/specs",
        "--cases",
        "tests/fixtures/lint/cases/valid.yaml",
        "--exact",
        "demo/ListThings::first-page",
        "--target",
    ])
    .arg(target)
    .args(extra)
    .env_remove("HTTP_PROXY")
    .env_remove("http_proxy")
    .env_remove("GITHUB_STEP_SUMMARY");
    cmd
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

// ---- item 1: hostile Retry-After values never lose a case ----

#[test]
fn hostile_retry_after_values_lose_no_case() {
    let hostile = [
        "inf",
        "Infinity",
        "1e20",
        "18446744073709551616",
        "-1",
        "NaN",
    ];
    // The first request of each repetition is throttled with one hostile value, then all pass.
    let endpoint = serve(move |n| match hostile.get(n) {
        Some(v) => json_response(
            429,
            &format!("Retry-After: {v}\r\n"),
            r#"{"Code":"Throttling","Message":"slow down"}"#,
        ),
        None => json_response(200, "", OK_BODY),
    });
    let dir = tempfile::tempdir().unwrap();
    let target = profile(dir.path(), &endpoint);
    let reports = dir.path().join("reports");
    let out = run_first_page(
        &target,
        &[
            "--repeat",
            "6",
            "--jobs",
            "6",
            "--report-dir",
            reports.to_str().unwrap(),
            "--run-id",
            "hostile",
        ],
    );
    let all = text(&out);
    assert!(
        all.contains("6 passed"),
        "every repetition is counted: {all}"
    );
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(reports.join("hostile/report.json")).expect("report.json is written"),
    )
    .unwrap();
    assert_eq!(json["outcomes"].as_array().unwrap().len(), 6, "{all}");
    assert_eq!(out.status.code(), Some(0), "{all}");
}

// ---- items 1 and 11: every number on the command line is bounded ----

#[test]
fn impossible_numbers_on_the_command_line_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let target = profile(dir.path(), "http://127.0.0.1:9");
    let long_id = "a".repeat(300);
    for (flag, value, says) in [
        ("--timeout", "inf", "timeout"),
        ("--timeout", "0", "timeout"),
        ("--timeout", "NaN", "timeout"),
        ("--rate-limit", "0", "rate"),
        ("--rate-limit", "nan", "rate"),
        ("--repeat", "100000000", "1000000"),
        ("--jobs", "0", "from 1"),
        ("--run-id", long_id.as_str(), "at most 128"),
    ] {
        // `--list` sends nothing: only the parsing of the number is tested.
        let out = run_first_page(&target, &["--list", flag, value]);
        let all = text(&out);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}: {all}");
        assert!(all.contains(says), "{flag} {value} says why: {all}");
    }
}

#[test]
fn a_secret_file_that_never_ends_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.yaml");
    std::fs::write(
        &path,
        "name: t\nservices:\n  demo:\n    endpoint: http://127.0.0.1:9\n    auth:\n      kind: alibaba-v1\n      access_key_id: { env: SG_TEST_NO_SUCH_ID }\n      access_key_secret: { file: /dev/zero }\n    vars: { region: r1 }\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args([
            "run",
            "--specs",
            "tests/fixtures/lint/specs",
            "--cases",
            "tests/fixtures/lint/cases/valid.yaml",
            "--list",
            "--target",
        ])
        .arg(&path)
        .env("SG_TEST_NO_SUCH_ID", "LTAIexample0000")
        .output()
        .unwrap();
    let all = text(&out);
    assert_eq!(out.status.code(), Some(3), "{all}");
    assert!(all.contains("larger than 64 KiB"), "{all}");
}

// ---- item 7: deep answers round-trip, and a report that cannot be written says so ----

/// A JSON array nested `depth` levels.
fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn an_answer_nested_127_levels_is_reported() {
    // Valid JSON (serde_json reads 128 levels); the schema finding quotes it whole.
    let body = nested(127);
    let endpoint = serve(move |_| json_response(200, "", &body));
    let dir = tempfile::tempdir().unwrap();
    let target = profile(dir.path(), &endpoint);
    let reports = dir.path().join("reports");
    // An older run's report, which `latest/` must stop showing.
    std::fs::create_dir_all(reports.join("latest")).unwrap();
    std::fs::write(reports.join("latest/report.json"), "{\"old\": true}").unwrap();
    let out = run_first_page(
        &target,
        &[
            "--report-dir",
            reports.to_str().unwrap(),
            "--run-id",
            "deep",
        ],
    );
    let all = text(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the gate fails on the schema: {all}"
    );
    let json = std::fs::read_to_string(reports.join("deep/report.json")).expect(&all);
    assert!(json.contains(&nested(127)), "the finding keeps the value");
    let latest = std::fs::read_to_string(reports.join("latest/report.json")).unwrap();
    assert_eq!(latest, json, "latest/ shows this run");
}

#[test]
fn a_report_output_that_cannot_be_written_fails_the_run() {
    let endpoint = serve(|_| json_response(200, "", OK_BODY));
    let dir = tempfile::tempdir().unwrap();
    let target = profile(dir.path(), &endpoint);
    let reports = dir.path().join("reports");
    // GitHub's step summary is a folder here: appending the summary fails (as root, no
    // permission stops the report folder itself from being written).
    let summary = dir.path().join("summary");
    std::fs::create_dir_all(&summary).unwrap();
    let out = first_page(
        &target,
        &[
            "--report-dir",
            reports.to_str().unwrap(),
            "--run-id",
            "summary",
        ],
    )
    .env("GITHUB_STEP_SUMMARY", &summary)
    .output()
    .unwrap();
    let all = text(&out);
    assert_eq!(out.status.code(), Some(REPORT_FAILED), "{all}");
    assert!(all.contains("cannot write the report"), "{all}");
    // The report folder itself was written, and `latest/` shows it: it is kept.
    assert_eq!(
        std::fs::read(reports.join("latest/report.json")).unwrap(),
        std::fs::read(reports.join("summary/report.json")).unwrap()
    );
}

// ---- item 12: YAML nested thousands of levels is a located error ----

/// A case file whose `extra_params` (sent as given, not checked by lint) nest `depth` block
/// sequences (`- - - 1`): block style, which the YAML scanner's own flow limit does not catch.
fn deep_case(depth: usize) -> String {
    format!(
        "operation: demo/ListThings\ncases:\n  - name: deep\n    provenance: documented\n    params: {{ PageSize: 10 }}\n    extra_params:\n      Deep:\n        {}1\n    expect: {{ status: 200 }}\n",
        "- ".repeat(depth)
    )
}

#[test]
fn a_case_nested_3000_levels_is_refused_with_its_place() {
    let endpoint = serve(|_| json_response(200, "", OK_BODY));
    let dir = tempfile::tempdir().unwrap();
    let target = profile(dir.path(), &endpoint);
    let cases = dir.path().join("deep.yaml");
    std::fs::write(&cases, deep_case(3000)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args(["run", "--specs", "tests/fixtures/lint/specs", "--no-report"])
        .arg("--cases")
        .arg(&cases)
        .arg("--target")
        .arg(&target)
        .output()
        .unwrap();
    let all = text(&out);
    assert_eq!(out.status.code(), Some(3), "{all}");
    assert!(all.contains("deeper than 64 levels"), "{all}");
    assert!(all.contains("deep.yaml:8:"), "file:line:col: {all}");
}

#[test]
fn lint_refuses_deep_cases_and_deep_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases");
    std::fs::create_dir_all(&cases).unwrap();
    std::fs::write(cases.join("deep.yaml"), deep_case(20_000)).unwrap();
    let lint = |specs: &Path, path: &Path| {
        Command::new(env!("CARGO_BIN_EXE_specgate"))
            .arg("lint")
            .arg("--specs")
            .arg(specs)
            .arg(path)
            .output()
            .unwrap()
    };
    let out = lint(Path::new("tests/fixtures/lint/specs"), &cases);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(3), "{all}");
    assert!(all.contains("deeper than 64 levels"), "{all}");

    // A spec whose response schema nests 3,000 levels.
    let specs = dir.path().join("specs");
    std::fs::create_dir_all(specs.join("demo")).unwrap();
    for f in ["service.yaml", "ListThings.yaml"] {
        let from = Path::new("tests/fixtures/lint/specs/demo").join(f);
        if from.exists() {
            std::fs::copy(&from, specs.join("demo").join(f)).unwrap();
        }
    }
    let spec = specs.join("demo/Deep.yaml");
    // Block mappings, one more space of indentation per level (8,000 levels would be 32 MB).
    let mut yaml = String::from(
        "operation: Deep\nsummary: d\nsource: { reference: x }\nrequest: { method: POST }\nresponses:\n  200:\n    schema:\n",
    );
    for i in 0..3000 {
        yaml.push_str(&" ".repeat(6 + i));
        yaml.push_str("items:\n");
    }
    yaml.push_str(&" ".repeat(6 + 3000));
    yaml.push_str("type: string\n");
    std::fs::write(&spec, yaml).unwrap();
    let out = lint(&specs, &specs);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(3), "{all}");
    assert!(all.contains("deeper than 64 levels"), "{all}");
    assert!(all.contains("Deep.yaml:69:"), "{all}");
}

// ---- item 15: failures are classified by what broke ----

async fn first_page_against(endpoint: &str) -> specgate::exec::CaseOutcome {
    let suite = demo_suite("tests/fixtures/lint/cases/valid.yaml");
    let options = ClientOptions {
        timeout: Duration::from_secs(5),
        ..ClientOptions::default()
    };
    run_named(
        &suite,
        "first-page",
        &demo_target(endpoint),
        options,
        RetryPolicy::default(),
    )
    .await
}

#[tokio::test]
async fn tls_to_a_plain_http_port_is_a_tls_failure() {
    let endpoint = serve(|_| json_response(400, "", "{}"));
    let https = endpoint.replace("http://", "https://");
    let o = first_page_against(&https).await;
    let kinds: Vec<_> = o.findings.iter().map(|f| f.kind).collect();
    assert_eq!(kinds, [kinds::TLS], "{:?}", o.findings);
    assert!(
        o.findings[0].message.contains("plain HTTP"),
        "{}",
        o.findings[0].message
    );
}

#[tokio::test]
async fn ten_thousand_headers_are_a_protocol_failure() {
    let headers: String = (0..10_000).map(|i| format!("X-H{i}: v\r\n")).collect();
    let endpoint = serve(move |_| json_response(200, &headers, OK_BODY));
    let o = first_page_against(&endpoint).await;
    let kinds: Vec<_> = o.findings.iter().map(|f| f.kind).collect();
    assert_eq!(kinds, [kinds::PROTOCOL], "{:?}", o.findings);
}

#[test]
fn a_name_that_does_not_resolve_exits_unreachable() {
    let dir = tempfile::tempdir().unwrap();
    let target = profile(dir.path(), "http://kms.target.invalid");
    let out = run_first_page(&target, &["--no-report", "--timeout", "5"]);
    let all = text(&out);
    assert_eq!(
        out.status.code(),
        Some(i32::from(specgate::exit::UNREACHABLE)),
        "{all}"
    );
}

/// A target whose TCP handshake never completes (a listener with a full backlog): nothing
/// reached it, so the run exits as unreachable, not as a gate failure on a timeout.
#[tokio::test]
async fn a_connection_that_is_never_made_exits_unreachable() {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    // Fill the backlog; nothing is ever accepted.
    let _held = tokio::net::TcpStream::connect(addr).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = profile(dir.path(), &format!("http://{addr}"));
    let out = tokio::task::spawn_blocking(move || {
        run_first_page(&target, &["--no-report", "--timeout", "1"])
    })
    .await
    .unwrap();
    let all = text(&out);
    assert_eq!(
        out.status.code(),
        Some(i32::from(specgate::exit::UNREACHABLE)),
        "{all}"
    );
    assert!(all.contains("transport.connect"), "{all}");
    drop(listener);
}

// ---- a case author's mistake is a harness error, at its step ----

/// A walk over pages of 0 items cannot be made: the case's mistake, not the target's. It is an
/// error of kind `harness.error` (it was `transport.other`, as if the exchange had broken), and
/// the finding names the step's line in the case file.
#[tokio::test]
async fn a_case_authors_mistake_is_a_harness_error_at_its_step() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("zero.yaml");
    std::fs::write(
        &cases,
        "operation: demo/ListThings\ncases:\n  - name: zero-walk\n    provenance: inferred\n    doc_note: size-range\n    steps:\n      - params: { PageSize: 1 }\n      - params: { PageSize: 0 }\n        expect: { status: 200, pagination: walk }\n",
    )
    .unwrap();
    let suite = demo_suite(cases.to_str().unwrap());
    let endpoint = serve(|n| {
        let body = if n == 0 {
            OK_BODY
        } else {
            r#"{"RequestId":"r-2","TotalCount":0,"PageNumber":1,"PageSize":0,"Things":{"Thing":[]}}"#
        };
        json_response(200, "", body)
    });
    let options = ClientOptions {
        timeout: Duration::from_secs(5),
        ..ClientOptions::default()
    };
    let o = run_named(
        &suite,
        "zero-walk",
        &demo_target(&endpoint),
        options,
        RetryPolicy::default(),
    )
    .await;
    let kinds: Vec<&str> = o.findings.iter().map(|f| f.kind.as_str()).collect();
    assert_eq!(kinds, [kinds::HARNESS.as_str()], "{:?}", o.findings);
    assert_eq!(o.verdict, specgate::exec::Verdict::Error, "{o:?}");
    assert!(o.findings[0].is_error());
    let source = o.findings[0].source.as_ref().expect("the step's place");
    assert_eq!(source.file.as_ref(), cases.as_path());
    assert_eq!((source.line, source.col), (8, 9), "{source}");
}

/// A conformance finding names its step's place too: `first-page` is a one-step case, whose
/// step is the case itself (tests/fixtures/lint/cases/valid.yaml line 3, column 5).
#[tokio::test]
async fn a_failing_steps_findings_name_its_line() {
    let endpoint = serve(|_| json_response(200, "", r#"{"RequestId":"r-1"}"#));
    let o = first_page_against(&endpoint).await;
    assert!(!o.findings.is_empty(), "{o:?}");
    for f in &o.findings {
        let source = f.source.as_ref().expect("the step's place");
        assert_eq!(
            source.file.as_ref(),
            Path::new("tests/fixtures/lint/cases/valid.yaml")
        );
        assert_eq!((source.line, source.col), (3, 5), "{f:?}");
    }
}
