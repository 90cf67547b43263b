//! Ctrl-C and SIGTERM during a run: the run stops promptly, the teardowns of the cases it had
//! started still run (a second signal skips them), every request sent is counted, the partial
//! report is written, and the exit code is the documented one (130, 143). Stale temporaries of
//! killed runs are removed at start, and nothing else.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[test]
fn ctrl_c_stops_the_run_and_says_what_ran() {
    // A target that accepts connections and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(Mutex::new(Vec::new()));
    let log = accepted.clone();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().flatten() {
            log.lock().unwrap().push(String::new());
            held.push(s);
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("target.yaml");
    std::fs::write(
        &profile,
        format!("name: hanging\nservices:\n  demo:\n    endpoint: http://{addr}\n    vars: {{ region: r1 }}\n"),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args([
            "run",
            "--specs",
            "tests/fixtures/lint/specs",
            "--cases",
            "tests/fixtures/lint/cases",
        ])
        .args(["--timeout", "60", "--no-report", "--target"])
        .arg(&profile)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(&accepted, 2); // both cases have sent their request
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    signal(&child, "INT");
    let (code, stdout, stderr) = finish(&mut child);
    let took = started.elapsed();
    assert_eq!(code, Some(130), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(took < Duration::from_secs(5), "took {took:?} to stop");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(
        stdout.contains("0 of 2 planned cases finished, 2 stopped"),
        "{stdout}"
    );
    // The two requests in flight were sent, and are counted.
    assert!(stdout.contains("2 requests"), "{stdout}");
}

/// A target for the `teardown.yaml` cases: answers every request at once, except those whose
/// `ThingId` starts with `hang`, which it never answers. Returns its URL and the `ThingId`s it
/// received, in order.
fn target() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for mut s in listener.incoming().flatten() {
            let mut buf = [0u8; 65536];
            let n = s.read(&mut buf).unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]).into_owned();
            let id = head
                .split("ThingId=")
                .nth(1)
                .map(|r| r.split(['&', ' ']).next().unwrap_or("").to_string())
                .unwrap_or_default();
            log.lock().unwrap().push(id.clone());
            if id.starts_with("hang") {
                held.push(s);
                continue;
            }
            let body = r#"{"RequestId":"r-1","TotalCount":0,"PageNumber":1,"PageSize":10,"Things":{"Thing":[]}}"#;
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (format!("http://{addr}"), seen)
}

/// Starts `specgate run` of one `teardown.yaml` case against `url`, writing reports to `reports`.
fn start(url: &str, case: &str, dir: &Path, reports: &Path) -> Child {
    let profile = dir.join("target.yaml");
    std::fs::write(
        &profile,
        format!("name: t\nservices:\n  demo:\n    endpoint: {url}\n    vars: {{ region: r1 }}\n"),
    )
    .unwrap();
    Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args(["run", "--specs", "tests/fixtures/lint/specs"])
        .args([
            "--cases",
            "tests/fixtures/interrupt/cases",
            "--timeout",
            "60",
        ])
        .arg("--report-dir")
        .arg(reports)
        .arg("--target")
        .arg(&profile)
        .args(["--exact", &format!("demo/ListThings::{case}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until the target has received `n` requests.
fn wait_for(seen: &Mutex<Vec<String>>, n: usize) {
    let until = Instant::now() + Duration::from_secs(20);
    while seen.lock().unwrap().len() < n {
        assert!(Instant::now() < until, "the target got {:?}", seen.lock());
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn finish(child: &mut Child) -> (Option<i32>, String, String) {
    let code = child.wait().unwrap().code();
    let mut stdout = String::new();
    let mut stderr = String::new();
    let _ = child.stdout.take().unwrap().read_to_string(&mut stdout);
    let _ = child.stderr.take().unwrap().read_to_string(&mut stderr);
    (code, stdout, stderr)
}

#[test]
fn ctrl_c_runs_the_teardown_of_a_started_case_and_counts_its_requests() {
    let (url, seen) = target();
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    let mut child = start(&url, "teardown-runs", dir.path(), &reports);
    wait_for(&seen, 2); // `create` answered, `hang` in flight
    signal(&child, "INT");
    let (code, stdout, stderr) = finish(&mut child);
    assert_eq!(code, Some(130), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert_eq!(*seen.lock().unwrap(), ["created", "hang", "remove"]);
    assert!(stdout.contains("3 requests"), "{stdout}");
    let json = std::fs::read_to_string(reports.join("latest/report.json")).unwrap();
    assert!(
        json.contains("interrupted: its steps were stopped; its teardown ran (3 requests sent)"),
        "{json}"
    );
    assert!(json.contains("\"partial\": true") || json.contains("\"partial\":true"));
}

#[test]
fn a_second_ctrl_c_skips_the_teardowns() {
    let (url, seen) = target();
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    let mut child = start(&url, "teardown-hangs", dir.path(), &reports);
    wait_for(&seen, 1);
    signal(&child, "INT");
    wait_for(&seen, 2); // the teardown was sent, and hangs
    let started = Instant::now();
    signal(&child, "INT");
    let (code, stdout, stderr) = finish(&mut child);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(code, Some(130), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert_eq!(*seen.lock().unwrap(), ["hang", "hang-too"]);
    assert!(stderr.contains("teardowns are skipped"), "{stderr}");
    let json = std::fs::read_to_string(reports.join("latest/report.json")).unwrap();
    assert!(
        json.contains("its steps were stopped and its teardown abandoned (2 requests sent)"),
        "{json}"
    );
}

#[test]
fn sigterm_is_handled_like_ctrl_c_and_stale_temporaries_are_removed() {
    let (url, seen) = target();
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    // What a run killed while writing its report left: named as specgate names its
    // temporaries, by a process that cannot exist (above Linux's largest pid).
    let stale = reports.join(".20260101T000000Z-sg-00000000.tmp-4294967-0badf00d");
    std::fs::create_dir(&stale).unwrap();
    std::fs::write(stale.join("report.json"), "{}").unwrap();
    let stale_old = reports.join(".latest.old-4294967-0badf00d");
    std::fs::create_dir(&stale_old).unwrap();
    // Left an hour ago; one of a minute ago may still be written by a run in another
    // container sharing the folder, and is kept.
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    for d in [&stale, &stale_old] {
        std::fs::File::open(d)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
    }
    let recent = reports.join(".20260101T000001Z-sg-00000001.tmp-4294967-0badf00d");
    std::fs::create_dir(&recent).unwrap();
    // A user's files that look alike but are not specgate's: kept.
    let mine = [
        ".notes.tmp",
        ".notes.tmp-4294967",
        "notes.tmp-4294967-0badf00d",
    ];
    for m in mine {
        std::fs::write(reports.join(m), "mine").unwrap();
    }
    let mut child = start(&url, "teardown-runs", dir.path(), &reports);
    wait_for(&seen, 2);
    signal(&child, "TERM");
    let (code, stdout, stderr) = finish(&mut child);
    assert_eq!(code, Some(143), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(stderr.contains("terminated (SIGTERM)"), "{stderr}");
    assert_eq!(*seen.lock().unwrap(), ["created", "hang", "remove"]);
    assert!(!stale.exists() && !stale_old.exists());
    assert!(recent.exists());
    for m in mine {
        assert!(reports.join(m).exists(), "{m} was removed");
    }
    let json = std::fs::read_to_string(reports.join("latest/report.json")).unwrap();
    assert!(json.contains("its teardown ran"), "{json}");
    // No temporary of this run is left either.
    let left: Vec<_> = std::fs::read_dir(&reports)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
        .filter(|n| !mine.contains(&n.as_str()) && !recent.ends_with(n))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
