//! A set-up step whose answer deviates without spoiling what the case needs: the case goes on.
//!
//! A loopback AWS KMS answers CreateKey (the set-up step of a DescribeKey case, and a fixture's
//! creation) with the key, status 200, but with a wrong Content-Type, or with a wrong status, or
//! without the key id; DescribeKey answers faithfully, or with another key id. With status and
//! capture sound, the DescribeKey cases run their own step and pass or fail on it, with a note
//! naming the set-up deviation (CreateKey's own case reports it); otherwise they stay `blocked`
//! (a step) or fail (a fixture), as before.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};

/// How the loopback answers.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// CreateKey: the key, 200, but `text/html`.
    CreateKeyHtml,
    /// As `CreateKeyHtml`, and DescribeKey answers another key id.
    CreateKeyHtmlDescribeWrong,
    /// CreateKey: the key in a JSON body, but status 500.
    CreateKeyStatus500,
    /// CreateKey: 200 JSON, `text/html`, without `KeyMetadata.KeyId`.
    CreateKeyHtmlNoId,
    /// CreateKey: 200, `text/html`, `KeyMetadata.KeyId` a number (a finding on the captured
    /// value itself).
    CreateKeyHtmlIdNumber,
}

const KEY: &str = "1234abcd-12ab-34cd-56ef-1234567890ab";

const CREATE_KEY: &str = "operation: CreateKey
summary: Creates a key.
supporting: true
mutating: true
source: { doc: service-2.json }
request:
  method: POST
  success: 200
  params:
    Description: { in: body, type: string }
responses:
  200:
    schema:
      type: object
      properties:
        KeyMetadata: { type: object, properties: { KeyId: { type: string } } }
";

const DESCRIBE_KEY: &str = "operation: DescribeKey
summary: Describes a key.
source: { doc: service-2.json }
request:
  method: POST
  success: 200
  params:
    KeyId: { in: body, type: string, required: true }
responses:
  200:
    schema:
      type: object
      properties:
        KeyMetadata: { type: object, properties: { KeyId: { type: string } } }
";

const SCHEDULE_KEY_DELETION: &str = "operation: ScheduleKeyDeletion
summary: Schedules a key's deletion.
supporting: true
mutating: true
source: { doc: service-2.json }
request:
  method: POST
  success: 200
  params:
    KeyId: { in: body, type: string, required: true }
    PendingWindowInDays: { in: body, type: integer }
responses:
  200:
    schema: { type: object }
";

const CREATE_KEY_CASES: &str = "operation: aws-kms/CreateKey
cases:
  - name: create
    provenance: documented
    summary: CreateKey answers 200 with the key.
    params: { Description: one }
    expect: { status: 200 }
";

const DESCRIBE_KEY_CASES: &str = "operation: aws-kms/DescribeKey
fixtures:
  - name: shared_key
    create:
      operation: aws-kms/CreateKey
      params: { Description: fixture }
      capture: { shared_key: /KeyMetadata/KeyId }
    teardown:
      - operation: aws-kms/ScheduleKeyDeletion
        params: { KeyId: \"${shared_key}\", PendingWindowInDays: 7 }
cases:
  - name: after-set-up
    provenance: documented
    summary: DescribeKey answers the key a set-up step created.
    steps:
      - name: create-key
        operation: aws-kms/CreateKey
        params: { Description: two }
        capture: { key_id: /KeyMetadata/KeyId }
      - params: { KeyId: \"${key_id}\" }
        expect: { status: 200, equals: { /KeyMetadata/KeyId: \"${key_id}\" } }
  - name: after-fixture
    provenance: documented
    summary: DescribeKey answers the key a fixture created.
    params: { KeyId: \"${shared_key}\" }
    expect: { status: 200, equals: { /KeyMetadata/KeyId: \"${shared_key}\" } }
";

/// The answer to one request: status, content type and body.
fn answer(mode: Mode, target: &str, body: &Value) -> (u16, &'static str, String) {
    let json_type = "application/x-amz-json-1.1";
    if target.ends_with(".CreateKey") {
        let key = json!({"KeyMetadata": {"KeyId": KEY}}).to_string();
        return match mode {
            Mode::CreateKeyHtml | Mode::CreateKeyHtmlDescribeWrong => (200, "text/html", key),
            Mode::CreateKeyStatus500 => (500, json_type, key),
            Mode::CreateKeyHtmlNoId => (200, "text/html", json!({"KeyMetadata": {}}).to_string()),
            Mode::CreateKeyHtmlIdNumber => (
                200,
                "text/html",
                json!({"KeyMetadata": {"KeyId": 42}}).to_string(),
            ),
        };
    }
    // The fixture's removal: with the wrong label only (the key is scheduled), or refused
    // outright (the key is left behind).
    if target.ends_with(".ScheduleKeyDeletion") {
        let scheduled = json!({"KeyId": KEY}).to_string();
        return match mode {
            Mode::CreateKeyHtmlDescribeWrong => (500, json_type, scheduled),
            _ => (200, "text/html", scheduled),
        };
    }
    let id = match mode {
        Mode::CreateKeyHtmlDescribeWrong => "ffffffff-12ab-34cd-56ef-1234567890ab",
        _ => body["KeyId"].as_str().unwrap_or(""),
    };
    (
        200,
        json_type,
        json!({"KeyMetadata": {"KeyId": id}}).to_string(),
    )
}

/// Serves the loopback KMS on `127.0.0.1:0` until the test ends; returns the base URL.
fn serve(mode: Mode) -> String {
    crate::support::aws_json::serve(move |target, request| answer(mode, target, request))
}

/// The suite above against `mode`'s loopback; returns the console and report.json.
fn run(dir: &Path, mode: Mode, filter: &[&str]) -> (Output, Value) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let specs = dir.join("specs/aws-kms");
    let cases = dir.join("cases/aws-kms");
    fs::create_dir_all(&specs).unwrap();
    fs::create_dir_all(&cases).unwrap();
    fs::copy(
        root.join("specs/aws-kms/service.yaml"),
        specs.join("service.yaml"),
    )
    .unwrap();
    fs::write(specs.join("CreateKey.yaml"), CREATE_KEY).unwrap();
    fs::write(specs.join("DescribeKey.yaml"), DESCRIBE_KEY).unwrap();
    fs::write(
        specs.join("ScheduleKeyDeletion.yaml"),
        SCHEDULE_KEY_DELETION,
    )
    .unwrap();
    fs::write(cases.join("CreateKey.yaml"), CREATE_KEY_CASES).unwrap();
    fs::write(cases.join("DescribeKey.yaml"), DESCRIBE_KEY_CASES).unwrap();
    fs::write(
        dir.join("target.yaml"),
        format!(
            "name: loopback-aws\ndisposable: true\nservices:\n  aws-kms:\n    endpoint: {}\n    auth: {{ kind: aws-sigv4, region: \"{{region}}\", service: kms, credentials: dummy }}\n    vars: {{ region: eu-west-1, account: \"123456789012\" }}\n",
            serve(mode)
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_specgate"))
        .current_dir(dir)
        .args([
            "run",
            "--target",
            "target.yaml",
            "--report-dir",
            "reports",
            "--run-id",
            "r",
            "--jobs",
            "1",
        ])
        .args(filter)
        .output()
        .unwrap();
    let report = fs::read_to_string(dir.join("reports/r/report.json"))
        .unwrap_or_else(|e| panic!("no report ({e}): {}", console(&out)));
    (out, serde_json::from_str(&report).unwrap())
}

fn outcome<'a>(report: &'a Value, case: &str) -> &'a Value {
    report["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["case"] == case)
        .unwrap_or_else(|| panic!("no outcome of {case}: {report}"))
}

fn kinds(o: &Value) -> Vec<&str> {
    o["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect()
}

fn console(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_set_up_answer_with_a_wrong_content_type_does_not_block_the_case() {
    let dir = tempfile::tempdir().unwrap();
    let (out, report) = run(dir.path(), Mode::CreateKeyHtml, &[]);
    // CreateKey's own case reports the deviation (and fails the gate).
    let own = outcome(&report, "create");
    assert_eq!(own["status"], "fail", "{own}");
    assert_eq!(kinds(own), ["content-type"]);
    for case in ["after-set-up", "after-fixture"] {
        let o = outcome(&report, case);
        assert_eq!(o["status"], "pass", "{case}: {o}");
        assert_eq!(kinds(o), Vec::<&str>::new(), "{case}");
        assert_eq!(o["set_aside_by"], json!(["aws-kms/CreateKey"]), "{case}");
        let note = o["reason"].as_str().unwrap();
        assert!(
            note.contains("sends aws-kms/CreateKey, which deviated (content-type:")
                && note.ends_with("its own cases report it; the case went on."),
            "{case}: {note}"
        );
        // The case reached its own operation, with the captured key.
        let last = o["exchanges"].as_array().unwrap().last().unwrap().clone();
        assert!(
            last["request"]["body"].as_str().unwrap().contains(KEY),
            "{last}"
        );
    }
    assert!(
        outcome(&report, "after-set-up")["reason"]
            .as_str()
            .unwrap()
            .starts_with("step 1 (create-key) sends")
    );
    assert_eq!(
        report["counts"]["blocked"],
        Value::Null,
        "{}",
        report["counts"]
    );
    assert_eq!(report["counts"]["pass"], 2, "{}", console(&out));
    // The fixture's removal was answered 200 with the wrong label: the key is scheduled, so
    // nothing is said to be left behind.
    assert!(
        !console(&out).contains("could not remove"),
        "{}",
        console(&out)
    );
    // report.json with the new field still follows its published schema.
    let schema: Value =
        serde_json::from_str(&fs::read_to_string("docs/report-schema.json").unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let problems: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_case_past_a_set_up_deviation_fails_on_its_own_step_with_the_note() {
    let dir = tempfile::tempdir().unwrap();
    let (out, report) = run(dir.path(), Mode::CreateKeyHtmlDescribeWrong, &[]);
    for case in ["after-set-up", "after-fixture"] {
        let o = outcome(&report, case);
        assert_eq!(o["status"], "fail", "{case}: {o}");
        // Only the case's own finding: the set-up's content type is set aside.
        assert_eq!(kinds(o), ["value"], "{case}: {o}");
        assert_eq!(o["set_aside_by"], json!(["aws-kms/CreateKey"]), "{case}");
    }
    let console = console(&out);
    assert!(
        console.contains(
            "note: step 1 (create-key) sends aws-kms/CreateKey, which deviated (content-type"
        ),
        "{console}"
    );
    let md = fs::read_to_string(dir.path().join("reports/r/report.md")).unwrap();
    assert!(
        md.contains("Note: step 1 (create-key) sends aws-kms/CreateKey, which deviated")
            && md.contains("Note: fixture shared\\_key sends aws-kms/CreateKey"),
        "{md}"
    );
    // Here the fixture's removal is refused (500): the key may be left, and the run says so.
    assert!(
        console.contains("warning: could not remove fixture `shared_key`"),
        "{console}"
    );
}

#[test]
fn a_set_up_answer_with_a_wrong_status_still_blocks_the_case() {
    let dir = tempfile::tempdir().unwrap();
    let (_, report) = run(dir.path(), Mode::CreateKeyStatus500, &[]);
    let o = outcome(&report, "after-set-up");
    assert_eq!(o["status"], "blocked", "{o}");
    assert_eq!(o["blocked_by"], "aws-kms/CreateKey");
    assert_eq!(o.get("set_aside_by"), None, "{o}");
    // A fixture that could not be created fails its case, as before.
    let o = outcome(&report, "after-fixture");
    assert_eq!(o["status"], "fail", "{o}");
    assert_eq!(kinds(o)[0], "status", "{o}");
}

#[test]
fn a_set_up_answer_without_the_captured_value_still_blocks_the_case() {
    let dir = tempfile::tempdir().unwrap();
    let (_, report) = run(dir.path(), Mode::CreateKeyHtmlNoId, &[]);
    let o = outcome(&report, "after-set-up");
    assert_eq!(o["status"], "blocked", "{o}");
    let o = outcome(&report, "after-fixture");
    assert_eq!(o["status"], "fail", "{o}");
}

#[test]
fn a_set_aside_deviation_fails_the_gate_when_no_case_of_its_operation_ran() {
    let dir = tempfile::tempdir().unwrap();
    let (out, report) = run(dir.path(), Mode::CreateKeyHtml, &["aws-kms/DescribeKey::"]);
    assert_eq!(report["counts"]["pass"], 2, "{}", report["counts"]);
    assert_eq!(out.status.code(), Some(1), "{}", console(&out));
    let reasons = report["gate"]["reasons"].to_string();
    assert!(
        reasons.contains("aws-kms/CreateKey deviated in a set-up step on loopback-aws (2 cases went on past it), and no case of aws-kms/CreateKey ran to report it"),
        "{reasons}"
    );
}

#[test]
fn a_set_up_finding_about_the_captured_value_still_blocks_the_case() {
    let dir = tempfile::tempdir().unwrap();
    let (_, report) = run(dir.path(), Mode::CreateKeyHtmlIdNumber, &[]);
    let o = outcome(&report, "after-set-up");
    assert_eq!(o["status"], "blocked", "{o}");
    assert!(
        o["reason"]
            .as_str()
            .unwrap()
            .contains("which deviated (content-type"),
        "{o}"
    );
    let o = outcome(&report, "after-fixture");
    assert_eq!(o["status"], "fail", "{o}");
    assert_eq!(kinds(o), ["content-type", "schema"], "{o}");
}
