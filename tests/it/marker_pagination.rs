//! Marker pagination end to end (`pagination: { style: marker, ... }`): the shipped AWS KMS
//! ListAliases spec, a walk case and a one-page case, run over real HTTP against a loopback
//! ListAliases that pages five aliases by `Limit`/`Marker` faithfully, or breaks one invariant:
//! it ignores `Limit`, says `Truncated: true` without a `NextMarker`, repeats an alias on the
//! next page, or hands back the same marker forever. Each deviation must fail the walk with its
//! finding kind; the faithful target must pass.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};

/// ListAliases as the shipped spec pages it, without the shipped spec's notes and cases.
const SPEC: &str = "operation: ListAliases
summary: Lists aliases.
source: { doc: service-2.json }
request:
  method: POST
  success: 200
  params:
    Limit: { in: body, type: integer, minimum: 1, maximum: 1000, source: LimitType }
    Marker: { in: body, type: string, source: MarkerType }
pagination: { style: marker, limit: Limit, marker: Marker, next: /NextMarker, more: /Truncated, items: /Aliases, item_id: /AliasName }
responses:
  200:
    schema:
      type: object
      properties:
        Aliases: { type: array, items: { type: object, properties: { AliasName: { type: string }, AliasArn: { type: string } } } }
        NextMarker: { type: string }
        Truncated: { type: boolean }
";

/// How the loopback ListAliases pages.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Faithful,
    IgnoresLimit,
    TruncatedWithoutMarker,
    RepeatsId,
    SameMarkerForever,
}

const ALIASES: [&str; 5] = ["alias/a", "alias/b", "alias/c", "alias/d", "alias/e"];

/// One page of ListAliases for a request body, as `mode` pages.
fn page(mode: Mode, body: &Value) -> Value {
    let limit = body["Limit"].as_u64().unwrap_or(50) as usize;
    let start: usize = body["Marker"]
        .as_str()
        .and_then(|m| m.strip_prefix('m'))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let entry = |name: &str| json!({"AliasName": name, "AliasArn": format!("arn:aws:kms:eu-west-1:123456789012:{name}")});
    if mode == Mode::IgnoresLimit {
        let all: Vec<Value> = ALIASES.iter().map(|a| entry(a)).collect();
        return json!({"Aliases": all, "Truncated": false});
    }
    // A repeating target starts each later page one alias early.
    let from = if mode == Mode::RepeatsId && start > 0 {
        start - 1
    } else {
        start
    };
    let to = (from + limit).min(ALIASES.len());
    let items: Vec<Value> = ALIASES[from..to].iter().map(|a| entry(a)).collect();
    let more = to < ALIASES.len();
    let mut out = json!({"Aliases": items, "Truncated": more});
    match mode {
        Mode::TruncatedWithoutMarker => {}
        Mode::SameMarkerForever => {
            out["Truncated"] = json!(true);
            out["NextMarker"] = json!("m1");
        }
        _ if more => out["NextMarker"] = json!(format!("m{to}")),
        _ => {}
    }
    out
}

/// Serves ListAliases on `127.0.0.1:0` until the test ends; returns the base URL.
fn serve(mode: Mode) -> String {
    crate::support::aws_json::serve(move |_, request| {
        (
            200,
            "application/x-amz-json-1.1",
            page(mode, request).to_string(),
        )
    })
}

/// The shipped aws-kms service and ListAliases spec, with a walk case and a page case, run
/// against `endpoint`; returns the console output and the report's outcomes.
fn run(dir: &Path, endpoint: &str) -> (Output, Vec<Value>) {
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
    fs::write(specs.join("ListAliases.yaml"), SPEC).unwrap();
    fs::write(
        cases.join("ListAliases.yaml"),
        "operation: aws-kms/ListAliases\ncases:\n  - name: walk\n    provenance: documented\n    summary: Walk with Limit 2.\n    params: { Limit: 2 }\n    expect: { status: 200, pagination: walk }\n  - name: one-page\n    provenance: documented\n    summary: One page with Limit 2.\n    params: { Limit: 2 }\n    expect: { status: 200, pagination: page }\n",
    )
    .unwrap();
    fs::write(
        dir.join("target.yaml"),
        format!(
            "name: loopback-aws\ndisposable: true\nservices:\n  aws-kms:\n    endpoint: {endpoint}\n    auth: {{ kind: aws-sigv4, region: \"{{region}}\", service: kms, credentials: dummy }}\n    vars: {{ region: eu-west-1, account: \"123456789012\" }}\n"
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
            "--stable-report",
            "--run-id",
            "r",
            "--jobs",
            "1",
            "--strict-readings",
        ])
        .output()
        .unwrap();
    let report = fs::read_to_string(dir.join("reports/latest/report.json"))
        .unwrap_or_else(|e| panic!("no report ({e}): {}", console(&out)));
    let report: Value = serde_json::from_str(&report).unwrap();
    let outcomes = report["outcomes"].as_array().cloned().unwrap_or_default();
    (out, outcomes)
}

/// The finding kinds of one case's outcome.
fn kinds(outcomes: &[Value], case: &str) -> Vec<String> {
    let o = outcomes
        .iter()
        .find(|o| o["case"] == case)
        .unwrap_or_else(|| panic!("no outcome of {case}: {outcomes:?}"));
    o["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap().to_string())
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
fn a_faithful_marker_walk_passes() {
    let dir = tempfile::tempdir().unwrap();
    let (out, outcomes) = run(dir.path(), &serve(Mode::Faithful));
    assert_eq!(out.status.code(), Some(0), "{}", console(&out));
    assert!(kinds(&outcomes, "walk").is_empty());
    assert!(kinds(&outcomes, "one-page").is_empty());
    // The walk followed the markers: three pages of two, two and one alias.
    let walk = outcomes.iter().find(|o| o["case"] == "walk").unwrap();
    assert_eq!(walk["exchanges"].as_array().unwrap().len(), 3, "{walk}");
}

#[test]
fn an_answer_that_ignores_limit_is_oversize() {
    let dir = tempfile::tempdir().unwrap();
    let (out, outcomes) = run(dir.path(), &serve(Mode::IgnoresLimit));
    assert_ne!(out.status.code(), Some(0), "{}", console(&out));
    assert_eq!(kinds(&outcomes, "walk"), ["pagination.oversize"]);
    assert_eq!(kinds(&outcomes, "one-page"), ["pagination.oversize"]);
}

#[test]
fn truncated_without_a_next_marker_is_a_marker_finding() {
    let dir = tempfile::tempdir().unwrap();
    let (_, outcomes) = run(dir.path(), &serve(Mode::TruncatedWithoutMarker));
    assert_eq!(kinds(&outcomes, "walk"), ["pagination.marker"]);
    assert_eq!(kinds(&outcomes, "one-page"), ["pagination.marker"]);
}

#[test]
fn an_alias_on_two_pages_is_a_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let (_, outcomes) = run(dir.path(), &serve(Mode::RepeatsId));
    let found = kinds(&outcomes, "walk");
    assert!(
        found.iter().all(|k| k == "pagination.duplicate") && !found.is_empty(),
        "{found:?}"
    );
    // One page alone cannot show it.
    assert!(kinds(&outcomes, "one-page").is_empty());
}

#[test]
fn a_marker_handed_back_forever_ends_the_walk_with_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let (_, outcomes) = run(dir.path(), &serve(Mode::SameMarkerForever));
    let found = kinds(&outcomes, "walk");
    assert!(
        found.contains(&"pagination.marker".to_string()),
        "{found:?}"
    );
    // The walk stopped at the repeated marker: two requests, not two hundred.
    let walk = outcomes.iter().find(|o| o["case"] == "walk").unwrap();
    assert_eq!(walk["exchanges"].as_array().unwrap().len(), 2, "{walk}");
}

#[test]
fn lint_refuses_a_marker_block_that_points_nowhere_or_names_no_style() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let specs = dir.path().join("specs/aws-kms");
    fs::create_dir_all(&specs).unwrap();
    fs::create_dir_all(dir.path().join("cases")).unwrap();
    fs::copy(
        root.join("specs/aws-kms/service.yaml"),
        specs.join("service.yaml"),
    )
    .unwrap();
    let lint = |spec: &str| {
        fs::write(specs.join("ListAliases.yaml"), spec).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_specgate"))
            .current_dir(dir.path())
            .args(["lint", "--specs", "specs", "cases"])
            .output()
            .unwrap();
        (out.status.code(), console(&out))
    };
    assert_eq!(lint(SPEC).0, Some(0), "{}", lint(SPEC).1);
    let (code, text) = lint(&SPEC.replace("next: /NextMarker", "next: /NextMarkr"));
    assert_ne!(code, Some(0), "{text}");
    assert!(text.contains("pointer-unreachable"), "{text}");
    assert!(
        text.contains("`pagination.next` pointer `/NextMarkr`"),
        "{text}"
    );
    assert!(text.contains("did you mean `/NextMarker`?"), "{text}");
    let (code, text) = lint(&SPEC.replace("item_id: /AliasName", "item_id: /AliasNam"));
    assert_ne!(code, Some(0), "{text}");
    assert!(text.contains("`pagination.item_id`"), "{text}");
    let (code, text) = lint(&SPEC.replace("style: marker", "style: cursor"));
    assert_ne!(code, Some(0), "{text}");
    assert!(text.contains("cursor"), "{text}");
}
