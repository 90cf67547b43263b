//! `specgate run` end to end, as a subprocess against a small test server: the report folder
//! and the step summary are written, and the exit code is the baseline gate's.
//!
//! The suite is `tests/fixtures/report` (one demo RPC operation, two cases: `lists-things`
//! answers, `slow-thing` never answers in time).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const BODY: &str = r#"{"RequestId":"r-1","TotalCount":1,"PageNumber":1,"PageSize":10,"Things":{"Thing":[{"ThingId":"t-1"}]}}"#;

/// A test server on an ephemeral loopback port; counts the requests it gets.
struct Server {
    port: u16,
    requests: Arc<AtomicUsize>,
}

fn server() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
                let counter = counter.clone();
                async move {
                    counter.fetch_add(1, Ordering::SeqCst);
                    if uri.query().unwrap_or("").contains("ThingId=slow") {
                        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                    }
                    ([("content-type", "application/json")], BODY)
                }
            });
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    Server { port, requests }
}

fn profile(dir: &Path, port: u16) -> PathBuf {
    let path = dir.join("target.yaml");
    std::fs::write(
        &path,
        format!(
            "name: test-server\nservices:\n  demo:\n    endpoint: http://127.0.0.1:{port}\n    auth: {{ kind: none }}\n    vars: {{ region: cn-test-1 }}\n"
        ),
    )
    .unwrap();
    path
}

fn specgate(dir: &Path, target: &Path, extra: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_specgate"));
    cmd.args(["run", "--specs", "tests/fixtures/report/specs"])
        .args(["--cases", "tests/fixtures/report/cases"])
        .arg("--target")
        .arg(target)
        .arg("--report-dir")
        .arg(dir.join("reports"))
        .args(["--run-id", "e2e", "--timeout", "0.5", "-q"])
        .args(extra)
        .env("GITHUB_STEP_SUMMARY", dir.join("summary.md"));
    cmd.output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn report_json(dir: &Path) -> serde_json::Value {
    let t = std::fs::read_to_string(dir.join("reports/e2e/report.json")).unwrap();
    serde_json::from_str(&t).unwrap()
}

#[test]
fn a_passing_run_writes_every_report_and_the_step_summary() {
    let s = server();
    let tmp = tempfile::tempdir().unwrap();
    let target = profile(tmp.path(), s.port);
    let out = specgate(tmp.path(), &target, &["lists-things"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("gate: PASS"));
    for dir in ["e2e", "latest"] {
        for f in specgate::report::FILES {
            assert!(
                tmp.path().join("reports").join(dir).join(f).is_file(),
                "{dir}/{f}"
            );
        }
    }
    let doc = report_json(tmp.path());
    assert_eq!(doc["counts"]["pass"], 1);
    assert_eq!(doc["targets"][0]["services"][0]["auth"], "none");
    let summary = std::fs::read_to_string(tmp.path().join("summary.md")).unwrap();
    assert!(summary.starts_with("# ✅ specgate: PASS"), "{summary}");
}

#[test]
fn a_stale_baseline_entry_fails_the_gate_with_exit_1() {
    let s = server();
    let tmp = tempfile::tempdir().unwrap();
    let target = profile(tmp.path(), s.port);
    let baseline = tmp.path().join("baseline.yaml");
    std::fs::write(
        &baseline,
        "- target: test-server\n  case: demo/ListThings::lists-things\n  kind: status\n  reason: it used to answer 500\n",
    )
    .unwrap();
    let out = specgate(
        tmp.path(),
        &target,
        &["lists-things", "--baseline", baseline.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("baseline.yaml:1: stale entry"),
        "{}",
        text(&out)
    );
    assert_eq!(
        report_json(tmp.path())["baseline"]["entries"][0]["state"],
        "stale"
    );
}

#[test]
fn an_error_fails_the_gate_and_an_unreachable_target_exits_4() {
    let s = server();
    let tmp = tempfile::tempdir().unwrap();
    let target = profile(tmp.path(), s.port);
    let out = specgate(tmp.path(), &target, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let doc = report_json(tmp.path());
    assert_eq!(doc["counts"]["error"], 1);
    assert_eq!(doc["counts"]["pass"], 1);

    // A port nobody listens on: every exchange fails to connect.
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let target = profile(tmp.path(), closed);
    let out = specgate(tmp.path(), &target, &[]);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    // The report is written all the same, with the errors apart from failures.
    let doc = report_json(tmp.path());
    assert_eq!(doc["counts"]["error"], 2);
    assert_eq!(doc["counts"]["fail"], 0);
}

#[test]
fn bad_baseline_files_are_refused_before_anything_is_sent() {
    let s = server();
    let tmp = tempfile::tempdir().unwrap();
    let target = profile(tmp.path(), s.port);
    let baseline = tmp.path().join("baseline.yaml");
    std::fs::write(&baseline, "- target: test-server\n  case: demo/ListThings::lists-things\n  kind: status\n  reasn: typo\n").unwrap();
    let out = specgate(
        tmp.path(),
        &target,
        &["--baseline", baseline.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("baseline.yaml:4:3"), "{stderr}");
    assert!(stderr.contains("did you mean `reason`?"), "{stderr}");

    // --write-baseline never replaces a file without --force.
    std::fs::write(&baseline, "# reviewed\n").unwrap();
    let out = specgate(
        tmp.path(),
        &target,
        &["--write-baseline", baseline.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&baseline).unwrap(), "# reviewed\n");
    assert_eq!(s.requests.load(Ordering::SeqCst), 0, "nothing may be sent");
    assert!(!tmp.path().join("reports").exists());

    let out = specgate(
        tmp.path(),
        &target,
        &[
            "lists-things",
            "--write-baseline",
            baseline.to_str().unwrap(),
            "--force",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let written = std::fs::read_to_string(&baseline).unwrap();
    assert!(written.contains("[]"), "{written}");
}

#[test]
fn a_stable_report_holds_no_port_time_or_prefix() {
    let s = server();
    let tmp = tempfile::tempdir().unwrap();
    let target = profile(tmp.path(), s.port);
    let out = specgate(
        tmp.path(),
        &target,
        &["lists-things", "--stable-report", "--no-report"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        !tmp.path().join("reports").exists(),
        "--no-report writes nothing"
    );
    assert!(
        !tmp.path().join("summary.md").exists(),
        "--no-report appends no summary"
    );
    let out = specgate(tmp.path(), &target, &["lists-things", "--stable-report"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let dir = tmp.path().join("reports/e2e");
    for f in specgate::report::FILES {
        let t = std::fs::read_to_string(dir.join(f)).unwrap();
        assert!(!t.contains(&format!(":{}", s.port)), "port in {f}");
        assert!(!t.contains("sg-"), "run prefix in {f}");
    }
    let doc = report_json(tmp.path());
    assert_eq!(doc["run"]["stable"], true);
    assert_eq!(doc["run"]["started_at"], specgate::report::STABLE_TIME);
}

#[test]
fn a_repeated_run_reports_every_repetition_and_links_latest_to_the_run() {
    let s = server();
    let tmp = tempfile::tempdir().unwrap();
    let target = profile(tmp.path(), s.port);
    let out = specgate(tmp.path(), &target, &["lists-things", "--repeat", "40"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(s.requests.load(Ordering::SeqCst), 40);
    let doc = report_json(tmp.path());
    let outcomes = doc["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 40);
    let names: Vec<&str> = outcomes.iter().map(|o| o["id"].as_str().unwrap()).collect();
    let planned: Vec<String> = (1..=40)
        .map(|r| format!("demo/ListThings::lists-things#{r}"))
        .collect();
    assert_eq!(names, planned, "every repetition, in plan order");
    let rows = doc["matrix"]["cases"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "one matrix row for the case: {rows:?}");
    assert_eq!(rows[0]["id"], "demo/ListThings::lists-things");
    // latest/ holds the same files as the run's folder, not copies of them.
    #[cfg(unix)]
    for f in specgate::report::FILES {
        use std::os::unix::fs::MetadataExt;
        let reports = tmp.path().join("reports");
        let a = std::fs::metadata(reports.join("e2e").join(f)).unwrap();
        let b = std::fs::metadata(reports.join("latest").join(f)).unwrap();
        assert_eq!((a.dev(), a.ino()), (b.dev(), b.ino()), "{f}");
    }
    // Nothing but the two folders is left in the report directory: the outcomes file is gone.
    let mut left: Vec<String> = std::fs::read_dir(tmp.path().join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["e2e", "latest"]);
}
