//! What a team meets when it adopts specgate, each as the `specgate` process does it (issue 15):
//! a filter that selects nothing fails (exit 4); a closed pipe ends the process quietly; a
//! baseline cannot name an unknown kind, target or case; `--repeat` passes on the faithful
//! emulator; with two targets every failure names its target and a matrix ends the console; the
//! shipped `targets/local.yaml` runs the whole suite against `specgate serve` with nothing
//! skipped.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::support::serve::serve;

fn specgate(dir: &Path, args: &[&str]) -> Output {
    let root = env!("CARGO_MANIFEST_DIR");
    Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args(args)
        .args([
            "--specs",
            &format!("{root}/specs"),
            "--cases",
            &format!("{root}/cases"),
            "--report-dir",
        ])
        .arg(dir.join("reports"))
        .current_dir(dir)
        .output()
        .expect("specgate runs")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

// ---- 1. a filter that matches nothing -------------------------------------------------------

#[test]
fn a_filter_that_selects_nothing_fails_with_exit_4_unless_allowed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = specgate(tmp.path(), &["run", "NoSuchCase"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(4), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("no case matches the filter `NoSuchCase`"),
        "{stderr}"
    );
    assert!(!stdout.contains("gate: PASS"), "{stdout}");
    // Nothing ran, so no report claims anything.
    assert!(!tmp.path().join("reports/latest").exists());

    let out = specgate(
        tmp.path(),
        &["run", "NoSuchCase", "--no-tests", "pass", "--no-report"],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");

    // --skip that removes every case is the same mistake.
    let out = specgate(tmp.path(), &["run", "--skip", "::", "--no-report"]);
    assert_eq!(out.status.code(), Some(4), "{:?}", text(&out));
    assert!(text(&out).1.contains("no case is selected once --skip"));
}

// ---- 2. broken pipes --------------------------------------------------------------------------

/// Runs `specgate ARGS` with its stdout a pipe whose read end is closed before it starts, so
/// that its first write meets a reader that is gone (as `| head -1` does after one line).
fn with_closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let root = env!("CARGO_MANIFEST_DIR");
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let child = Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args(args)
        .current_dir(root)
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .expect("specgate starts");
    let out = child.wait_with_output().expect("specgate ends");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_closed_stdout_ends_every_command_quietly() {
    for args in [
        &["run", "--list"][..],
        &["run", "ListKeys", "--no-report"][..],
        &["lint"][..],
        &["serve", "--list-deviations"][..],
        &["serve", "--list-readings"][..],
    ] {
        let (code, stderr) = with_closed_stdout(args);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
        assert_eq!(code, Some(141), "{args:?}: {stderr}");
    }
}

// ---- 3. the baseline cannot be fooled --------------------------------------------------------

#[test]
fn a_baseline_with_an_unknown_kind_target_or_case_is_refused_at_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    let write = |name: &str, body: &str| {
        let p = tmp.path().join(name);
        std::fs::write(&p, body).unwrap();
        p.display().to_string()
    };
    let entry = |target: &str, case: &str, kind: &str| {
        format!("- target: {target}\n  case: {case}\n  kind: {kind}\n  reason: known\n")
    };
    let good_case = "alibaba-kms/ListKeys::sample-diff";
    for (file, body, place, message, hint) in [
        (
            "kind.yaml",
            entry("embedded-emulator", good_case, "dif"),
            "kind.yaml:3:9",
            "no check reports a finding of kind `dif`",
            "did you mean `diff`?",
        ),
        (
            "target.yaml",
            entry("embeded-emulator", good_case, "diff"),
            "target.yaml:1:11",
            "this run has no target `embeded-emulator`",
            "did you mean `embedded-emulator`?",
        ),
        (
            "case.yaml",
            entry(
                "embedded-emulator",
                "alibaba-kms/ListKeys::sample-dif",
                "diff",
            ),
            "case.yaml:2:9",
            "the suite has no case `alibaba-kms/ListKeys::sample-dif`",
            "did you mean `alibaba-kms/ListKeys::sample-diff`?",
        ),
    ] {
        let path = write(file, &body);
        let out = specgate(
            tmp.path(),
            &["run", "ListKeys", "--no-report", "--baseline", &path],
        );
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(3), "{file}: {stdout}\n{stderr}");
        assert!(stderr.contains(place), "{file}: {stderr}");
        assert!(stderr.contains(message), "{file}: {stderr}");
        assert!(stderr.contains(hint), "{file}: {stderr}");
        assert!(!stdout.contains("gate:"), "{file}: nothing ran: {stdout}");
    }
    // The correct entry is accepted (and is stale on the faithful emulator: the gate fails, 1).
    let path = write("good.yaml", &entry("embedded-emulator", good_case, "diff"));
    let out = specgate(
        tmp.path(),
        &["run", "ListKeys", "--no-report", "--baseline", &path],
    );
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    assert!(text(&out).0.contains("stale"), "{:?}", text(&out));
}

// ---- 4. --repeat on the faithful emulator -----------------------------------------------------

#[test]
fn repetitions_pass_on_the_faithful_emulator() {
    let tmp = tempfile::tempdir().unwrap();
    // --strict-readings: a documentation ambiguity (a failed inferred case, such as
    // created-alias-listed-last finding another repetition's alias last) fails the gate too.
    let out = specgate(
        tmp.path(),
        &[
            "run",
            "--repeat",
            "5",
            "--jobs",
            "16",
            "--no-report",
            "-q",
            "--strict-readings",
        ],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("gate: PASS"), "{stdout}");
    assert!(stdout.contains(" 0 failed, "), "{stdout}");
}

// ---- 5 and 6. your own emulator, one or two targets ------------------------------------------

#[test]
fn the_shipped_local_profile_runs_the_whole_suite_with_nothing_skipped() {
    let emulator = serve(&[]);
    let tmp = tempfile::tempdir().unwrap();
    let profile = format!("{}/targets/local.yaml", env!("CARGO_MANIFEST_DIR"));
    let endpoint = format!("endpoint={}", emulator.url);
    let out = specgate(
        tmp.path(),
        &[
            "run",
            "--target",
            &profile,
            "--var",
            &endpoint,
            "--no-report",
            "-q",
            // The emulator serves Alibaba and Huawei; the AWS KMS suite runs against moto.
            "--skip",
            "aws-kms/",
        ],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains(" 0 failed, "), "{stdout}");
    assert!(stdout.contains(" 0 skipped, "), "{stdout}");
    assert!(stdout.contains(" 0 errors, "), "{stdout}");
    assert!(stdout.contains("gate: PASS"), "{stdout}");
}

#[test]
fn a_profile_that_is_not_disposable_skips_mutating_cases_naming_both_ways() {
    let emulator = serve(&[]);
    let tmp = tempfile::tempdir().unwrap();
    let local =
        std::fs::read_to_string(format!("{}/targets/local.yaml", env!("CARGO_MANIFEST_DIR")))
            .unwrap();
    let kept = local.replace("disposable: true\n", "");
    assert_ne!(kept, local);
    let profile = tmp.path().join("kept.yaml");
    std::fs::write(&profile, kept).unwrap();
    let endpoint = format!("endpoint={}", emulator.url);
    let out = specgate(
        tmp.path(),
        &[
            "run",
            "CreateAlias",
            "--target",
            profile.to_str().unwrap(),
            "--var",
            &endpoint,
            "--no-report",
        ],
    );
    let (stdout, _) = text(&out);
    assert!(stdout.contains("pass --allow-mutations"), "{stdout}");
    assert!(stdout.contains("`disposable: true`"), "{stdout}");
}

#[test]
fn with_two_targets_each_failure_names_its_target_and_a_matrix_ends_the_console() {
    let faithful = serve(&[]);
    let deviating = serve(&["--deviate", "keys-bare-array"]);
    let tmp = tempfile::tempdir().unwrap();
    let local =
        std::fs::read_to_string(format!("{}/targets/local.yaml", env!("CARGO_MANIFEST_DIR")))
            .unwrap();
    let mut args = vec!["run".to_string(), "ListKeys::".to_string()];
    for (name, e) in [("faithful", &faithful), ("bare-array", &deviating)] {
        // ListKeys cases change nothing: the profiles need not be disposable.
        let body = local
            .replace("disposable: true\n", "")
            .replace("name: local\n", &format!("name: {name}\n"))
            .replace("http://127.0.0.1:8790", &e.url);
        let p = tmp.path().join(format!("{name}.yaml"));
        std::fs::write(&p, body).unwrap();
        args.push("--target".into());
        args.push(p.display().to_string());
    }
    args.push("--no-report".into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = specgate(tmp.path(), &args);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    let headers: Vec<&str> = stdout.lines().filter(|l| l.starts_with("---- ")).collect();
    assert!(!headers.is_empty(), "{stdout}");
    for h in &headers {
        assert!(h.starts_with("---- [bare-array] "), "{h}\n{stdout}");
    }
    let matrix = stdout.find("compatibility matrix").expect(&stdout);
    let gate = stdout.find("gate: FAIL").expect(&stdout);
    assert!(matrix < gate, "{stdout}");
    let row = stdout[matrix..]
        .lines()
        .find(|l| l.starts_with("alibaba-kms/ListKeys "))
        .expect(&stdout);
    // The faithful column is 100 %, the deviating one is not.
    let cells: Vec<&str> = row.split("  ").filter(|c| !c.trim().is_empty()).collect();
    assert!(cells[1].contains("(100%)"), "{row}");
    assert!(!cells[2].contains("(100%)"), "{row}");
    assert!(stdout[matrix..].contains("faithful"), "{stdout}");
}
