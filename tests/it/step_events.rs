//! The events inside a case, as they happen: `--format json` writes a `step` event for every
//! answered request (the step's label, the status, the time) and for every retry of a
//! throttled request, between the case's `started` and its result; they match the exchanges
//! the report records.

use std::process::Command;

use serde_json::Value;

use crate::support::serve::serve;

fn specgate() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_specgate"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// Every stdout line of a `--format json` run, parsed.
fn events(out: &std::process::Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The `step` events of the case `name`, checked to come after its `started` event and before
/// its result.
fn steps_of<'a>(events: &'a [Value], name: &str) -> Vec<&'a Value> {
    let mine = |e: &&Value| e["name"] == name;
    let started = events
        .iter()
        .position(|e| e["type"] == "test" && e["event"] == "started" && mine(&e))
        .unwrap_or_else(|| panic!("no started event for {name}"));
    let result = events
        .iter()
        .rposition(|e| e["type"] == "test" && e["event"] != "started" && mine(&e))
        .unwrap_or_else(|| panic!("no result for {name}"));
    for (i, e) in events.iter().enumerate() {
        if e["type"] == "step" && mine(&e) {
            assert!(started < i && i < result, "{e} is outside its case");
        }
    }
    events[started..result]
        .iter()
        .filter(|e| e["type"] == "step" && mine(e))
        .collect()
}

#[test]
fn every_answer_is_a_step_event_of_its_case() {
    let dir = tempfile::tempdir().unwrap();
    let out = specgate()
        .args([
            "run",
            "alibaba-kms/ListKeyVersions::page-size",
            "--format",
            "json",
        ])
        .args(["--run-id", "t", "--report-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let events = events(&out);
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("t/report.json")).unwrap()).unwrap();
    let outcomes = report["outcomes"].as_array().unwrap();
    assert!(outcomes.len() >= 3, "{outcomes:?}");
    let mut answered = 0;
    for o in outcomes {
        let name = o["id"].as_str().unwrap();
        let steps = steps_of(&events, name);
        let seen: Vec<(String, u64)> = steps
            .iter()
            .map(|e| {
                assert_eq!(e["event"], "answered", "{e}");
                let secs = e["exec_time"].as_f64().unwrap();
                assert!((0.0..60.0).contains(&secs), "{e}");
                (
                    e["step"].as_str().unwrap().to_string(),
                    e["status"].as_u64().unwrap(),
                )
            })
            .collect();
        let recorded: Vec<(String, u64)> = o["exchanges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                let step = x["step"].as_str().unwrap();
                let step = if step.is_empty() { "step 1" } else { step };
                (step.to_string(), x["response"]["status"].as_u64().unwrap())
            })
            .collect();
        assert_eq!(seen, recorded, "{name}");
        answered += seen.len();
    }
    assert!(answered >= 6, "{answered} answers");
}

#[test]
fn a_throttled_request_is_a_retry_event_then_an_answer() {
    let server = serve(&["--throttle-every", "2"]);
    let out = specgate()
        .args(["run", "alibaba-kms/ListKeyVersions::page-size-1", "--exact"])
        .args(["--format", "json", "--jobs", "1", "--no-report"])
        .args(["--target", "targets/local.yaml", "--var"])
        .arg(format!("endpoint={}", server.url))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let events = events(&out);
    let steps = steps_of(&events, "alibaba-kms/ListKeyVersions::page-size-1");
    // The second request is throttled: answered (throttled), retry 1, answered again.
    let retry = steps
        .iter()
        .position(|e| e["event"] == "retry")
        .unwrap_or_else(|| panic!("no retry event in {steps:?}"));
    let r = steps[retry];
    assert_eq!(r["attempt"], 1, "{r}");
    assert!(r["delay"].as_f64().unwrap() >= 0.0, "{r}");
    let step = r["step"].as_str().unwrap();
    let before = steps[retry - 1];
    assert_eq!(
        (&before["event"], &before["step"], &before["status"]),
        (&Value::from("answered"), &Value::from(step), &r["status"]),
        "the throttled answer comes before its retry"
    );
    let after = steps[retry + 1];
    assert_eq!(after["event"], "answered");
    assert_eq!(after["step"], format!("{step} (retry 1)"));
    assert_eq!(after["status"], 200);
}

#[test]
fn the_pretty_console_in_a_pipe_shows_no_step_lines() {
    let out = specgate()
        .args(["run", "alibaba-kms/ListKeyVersions::page-size-1", "--exact"])
        .args(["--jobs", "1", "--no-report"])
        .env_remove("CI")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("test alibaba-kms/ListKeyVersions::page-size-1 ... ok"),
        "{stdout}"
    );
    assert!(!stdout.contains("step"), "{stdout}");
}
