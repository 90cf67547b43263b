//! The console as the run goes: a case's line (and its `--format json` event) is printed when
//! the case finishes, not when the run ends; the progress line and colours appear on a
//! terminal only (a pseudo-terminal here), never in a pipe, with `CI` set, or without colour
//! (`NO_COLOR`, `--color never`); `--color always` colours a pipe too.

use std::io::{BufRead, BufReader, Read};
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::serve::serve;

fn specgate() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_specgate"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CI")
        .env_remove("NO_COLOR");
    cmd
}

/// Three cases (page-size-1, -101, -102), each waiting a second for ListKeyVersions.
const SLOW_FILTER: &str = "alibaba-kms/ListKeyVersions::page-size-1";

/// Runs the slow cases against `serve --deviate slow-response` with `--jobs 1` and returns
/// the first stdout line that `is_result` accepts, how long the run went on after it arrived,
/// and the whole output. The two cases after the first wait a second each: a line printed
/// as its case finishes comes about two seconds before the end, one printed at the end of
/// the run (the old console) milliseconds before.
fn first_result_while_running(
    extra: &[&str],
    is_result: impl Fn(&str) -> bool,
) -> (String, Duration, String) {
    let server = serve(&["--deviate", "slow-response", "--slow-response-delay", "1"]);
    let mut child: Child = specgate()
        .args(["run", SLOW_FILTER, "--jobs", "1", "--no-report"])
        .args(["--target", "targets/local.yaml", "--var"])
        .arg(format!("endpoint={}", server.url))
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut all = String::new();
    let mut first = None;
    while let Ok(line) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        if first.is_none() && is_result(&line) {
            first = Some((line.clone(), Instant::now()));
        }
        all.push_str(&line);
        all.push('\n');
    }
    // The pipe closed: the run has ended (or is ending now).
    let status = child.wait().unwrap();
    let ended = Instant::now();
    assert!(status.code().is_some(), "the run ended by itself: {status}");
    let (line, arrived) = first.unwrap_or_else(|| panic!("no case line in:\n{all}"));
    (line, ended - arrived, all)
}

/// How long the run must go on after its first case's line: more than half of what the two
/// slow cases after it take.
const STILL_RUNNING: Duration = Duration::from_millis(1200);

#[test]
fn a_case_line_is_printed_when_the_case_finishes_not_when_the_run_ends() {
    let (line, before_end, all) = first_result_while_running(&[], |l| l.starts_with("test "));
    assert!(
        line.starts_with(&format!("test {SLOW_FILTER}")),
        "plan order under --jobs 1: {line}\n{all}"
    );
    assert!(
        before_end > STILL_RUNNING,
        "the first case's line came {before_end:?} before the end of the run:\n{all}"
    );
    assert!(all.contains("test result: "), "{all}");
}

#[test]
fn json_events_stream_as_cases_finish() {
    let (line, before_end, all) = first_result_while_running(&["--format", "json"], |l| {
        l.contains(r#""type": "test""#) && !l.contains(r#""event": "started""#)
    });
    let event: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert!(
        matches!(event["event"].as_str(), Some("ok" | "failed" | "ignored")),
        "{line}"
    );
    assert!(event["exec_time"].as_f64().is_some(), "{line}");
    assert!(
        before_end > STILL_RUNNING,
        "the first result event came {before_end:?} before the end of the run:\n{all}"
    );
    // Every line is an event: the suite opens and closes the stream.
    let events: Vec<serde_json::Value> = all
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(events[0]["event"], "started");
    assert_eq!(events[0]["test_count"], 3);
    let last = events.last().unwrap();
    assert_eq!(last["type"], "suite");
    assert!(last["exec_time"].as_f64().unwrap() >= 3.0, "{last}");
    let started = events.iter().filter(|e| e["event"] == "started").count();
    assert_eq!(started, 4, "the suite's and each case's: {all}");
}

/// A fast run of three cases on the embedded emulator.
const FAST_FILTER: &str = "alibaba-kms/ListKeys::page-size-1";

/// The output of a fast run whose stdout is a pipe.
fn piped(args: &[&str], env: &[(&str, &str)]) -> String {
    let out = specgate()
        .args(["run", FAST_FILTER, "--no-report"])
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// The output of a fast run whose stdout is a terminal (a pseudo-terminal).
fn on_terminal(args: &[&str], env: &[(&str, &str)]) -> String {
    let (mut master, slave) = open_pty();
    let mut cmd = specgate();
    cmd.args(["run", FAST_FILTER, "--no-report"])
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .stdout(Stdio::from(slave));
    let mut child = cmd.spawn().unwrap();
    // The parent's copy of the terminal's end goes, so that reading ends with the child.
    drop(cmd);
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        // Linux answers EIO once the last writer has closed the terminal.
        while let Ok(n) = master.read(&mut buf) {
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        out
    });
    child.wait().unwrap();
    String::from_utf8_lossy(&reader.join().unwrap()).into_owned()
}

/// A pseudo-terminal: its master end as a file, its slave end for a child's stdout.
fn open_pty() -> (std::fs::File, OwnedFd) {
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two new descriptors into the integers it is given; the null
    // name, termios and window size pointers are allowed.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors are fresh and owned by nobody else.
    unsafe {
        (
            std::fs::File::from(OwnedFd::from_raw_fd(master)),
            OwnedFd::from_raw_fd(slave),
        )
    }
}

const PROGRESS: &str = "\x1b[2K";
const GREEN_OK: &str = "\x1b[32mok";

#[test]
fn a_terminal_gets_the_progress_line_and_colours() {
    let out = on_terminal(&[], &[]);
    assert!(out.contains(PROGRESS), "no progress line: {out:?}");
    assert!(out.contains("requests/s, ETA"), "{out:?}");
    assert!(out.contains(GREEN_OK), "no colour: {out:?}");
    assert!(out.contains("test result: "), "{out:?}");
}

#[test]
fn ci_gets_no_progress_line_even_on_a_terminal() {
    let out = on_terminal(&[], &[("CI", "1")]);
    assert!(out.contains("test result: "), "{out:?}");
    assert!(!out.contains(PROGRESS), "a progress line under CI: {out:?}");
    assert!(!out.contains("ETA"), "{out:?}");
}

#[test]
fn no_color_and_color_never_turn_colours_off_on_a_terminal() {
    for (args, env) in [
        (&[][..], &[("NO_COLOR", "1")][..]),
        (&["--color", "never"][..], &[][..]),
    ] {
        let out = on_terminal(args, env);
        assert!(out.contains("test result: "), "{out:?}");
        assert!(
            !out.contains("\x1b[3"),
            "colour with {args:?} {env:?}: {out:?}"
        );
    }
}

#[test]
fn a_pipe_gets_no_progress_line_and_no_escape_codes() {
    for env in [&[][..], &[("CI", "1")][..], &[("NO_COLOR", "1")][..]] {
        let out = piped(&[], env);
        assert!(out.contains("test result: ok."), "{out}");
        assert!(!out.contains('\x1b'), "escape codes in a pipe: {out:?}");
        assert!(!out.contains('\r'), "a progress line in a pipe: {out:?}");
    }
    let out = piped(&["--color", "never"], &[]);
    assert!(!out.contains('\x1b'), "{out:?}");
}

#[test]
fn color_always_colours_a_pipe() {
    let out = piped(&["--color", "always"], &[("NO_COLOR", "1")]);
    assert!(out.contains(GREEN_OK), "{out:?}");
    assert!(
        !out.contains(PROGRESS),
        "a progress line in a pipe: {out:?}"
    );
}

/// The progress line counts requests as they are answered, not when their case finishes: while
/// the first slow case waits for its second answer, its first one already shows in the rate.
#[test]
fn the_progress_line_counts_answers_while_a_case_runs() {
    let server = serve(&["--deviate", "slow-response", "--slow-response-delay", "1"]);
    let (mut master, slave) = open_pty();
    let mut cmd = specgate();
    cmd.args(["run", SLOW_FILTER, "--exact", "--jobs", "1", "--no-report"])
        .args(["--target", "targets/local.yaml", "--var"])
        .arg(format!("endpoint={}", server.url))
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .stdout(Stdio::from(slave));
    let mut child = cmd.spawn().unwrap();
    drop(cmd);
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = master.read(&mut buf) {
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        out
    });
    child.wait().unwrap();
    let out = String::from_utf8_lossy(&reader.join().unwrap()).into_owned();
    // Before the case's line, the progress line says no case is done; the find-a-key step's
    // answer came at once, the slow step's a second later.
    let before_first_case = out.split("test ").next().unwrap_or_default();
    let rates: Vec<&str> = before_first_case
        .split(PROGRESS)
        .filter(|l| l.starts_with("[0/1] 0 failed, "))
        .collect();
    assert!(
        !rates.is_empty(),
        "no progress line before the case's: {out:?}"
    );
    assert!(
        rates.iter().any(|l| !l.contains(" 0 requests/s")),
        "the rate stayed at 0 while the case ran: {rates:?}"
    );
}
