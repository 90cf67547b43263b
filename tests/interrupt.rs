//! Ctrl-C during a run against a hanging target: the run stops promptly, says what ran, and
//! exits with the documented code 130.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn ctrl_c_stops_the_run_and_says_what_ran() {
    // A target that accepts connections and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().flatten() {
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
    std::thread::sleep(Duration::from_millis(700));
    let started = Instant::now();
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let code = child.wait().unwrap().code();
    let took = started.elapsed();
    let mut stdout = String::new();
    let mut stderr = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(code, Some(130), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(took < Duration::from_secs(5), "took {took:?} to stop");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(stdout.contains("0 of 2 planned cases finished"), "{stdout}");
}
