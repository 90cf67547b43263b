//! `specgate import` of botocore service models: a made-up model written for these tests
//! (`tests/fixtures/import/botocore/`) for each fact the reader takes from the structure and
//! the prose, and the trimmed AWS KMS model (`specs/aws-kms/source/`) imported whole into drafts
//! that lint clean.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::json;
use specgate::import::detect;
use specgate::import::model::{ConstraintKind, FieldType, ImportedOperation, Style};

const BIN: &str = env!("CARGO_BIN_EXE_specgate");
const FIXTURE: &str = "tests/fixtures/import/botocore/service-2.json";
const KMS: &str = "specs/aws-kms/source/service-2.json";
const KMS_OPS: &[&str] = &[
    "ListKeys",
    "ListAliases",
    "CreateAlias",
    "UpdateAlias",
    "DeleteAlias",
    "DescribeKey",
    "CreateKey",
    "ScheduleKeyDeletion",
];

fn specgate(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("run specgate")
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn lanterns() -> ImportedOperation {
    let mut ops = detect(Path::new(FIXTURE), &["ListLanterns".into()]).expect("reads");
    assert_eq!(ops.len(), 1);
    ops.remove(0)
}

fn kinds(op: &ImportedOperation, name: &str) -> Vec<ConstraintKind> {
    op.params
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no parameter {name}"))
        .constraints
        .iter()
        .map(|c| c.kind.clone())
        .collect()
}

#[test]
fn botocore_members_become_body_parameters_with_the_shapes_constraints() {
    let op = lanterns();
    assert_eq!(op.style, Style::AwsJson);
    assert_eq!((op.method.as_str(), op.path.as_deref()), ("POST", None));
    assert_eq!(op.summary, "Lists the lanterns hanging in one shed.");
    let names: Vec<&str> = op.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["ShedName", "Colour", "PageSize", "Cursor"]);
    assert!(op.params.iter().all(|p| p.location == "body"));
    let required: Vec<&str> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(required, ["ShedName"]);
    // A string's min/max are lengths, an integer's are values.
    assert_eq!(
        kinds(&op, "ShedName"),
        vec![
            ConstraintKind::MinLength(3),
            ConstraintKind::MaxLength(40),
            ConstraintKind::Pattern("^[a-z-]+$".into()),
        ]
    );
    assert_eq!(
        kinds(&op, "Colour"),
        vec![ConstraintKind::Enum(vec!["AMBER".into(), "WHITE".into()])]
    );
    assert_eq!(
        kinds(&op, "PageSize"),
        vec![ConstraintKind::Minimum(1), ConstraintKind::Maximum(500)]
    );
    // The HTML documentation as plain text.
    let cursor = op.params.iter().find(|p| p.name == "Cursor").unwrap();
    assert_eq!(cursor.description, ["The NextCursor of the previous page."]);
}

#[test]
fn botocore_output_errors_pagination_and_example_are_read() {
    let op = lanterns();
    let lanterns = &op.response[0];
    assert_eq!(
        (lanterns.name.as_str(), lanterns.required),
        ("Lanterns", true)
    );
    assert_eq!(lanterns.ty, FieldType::Array);
    let item: Vec<(&str, &FieldType)> = lanterns
        .children
        .iter()
        .map(|f| (f.name.as_str(), &f.ty))
        .collect();
    assert_eq!(
        item,
        [
            ("LanternId", &FieldType::String),
            ("LitAt", &FieldType::Number),
            ("Wicks", &FieldType::Integer)
        ]
    );
    let errors: Vec<(u16, Option<&str>)> = op
        .errors
        .iter()
        .map(|e| (e.status, e.code.as_deref()))
        .collect();
    assert_eq!(
        errors,
        [
            (404, Some("ShedNotFoundException")),
            (400, Some("WickException"))
        ]
    );
    let pg = op
        .notes
        .iter()
        .find(|n| n.id == "pagination-token")
        .expect("the paginator's note");
    assert_eq!(
        pg.page_says,
        "paginators-1.json: input_token Cursor, output_token NextCursor, limit_key PageSize, more_results More, result_key Lanterns"
    );
    assert_eq!(
        op.sample_request,
        vec![("ShedName".to_string(), json!("north-shed"))]
    );
    // The example's date is sent as epoch seconds on the wire.
    assert_eq!(
        op.sample.as_ref().unwrap()["Lanterns"][0]["LitAt"],
        json!(1_927_857_906)
    );
}

#[test]
fn botocore_structure_and_prose_disagreement_is_a_note_and_inferred_cases() {
    let op = lanterns();
    let note = op
        .notes
        .iter()
        .find(|n| n.id == "page-size-structure-prose")
        .expect("the disagreement's note");
    assert!(note.page_says.contains("PageSizeType max: 500"), "{note:?}");
    assert!(
        note.page_says
            .contains("It must be between 1 and 20, inclusive."),
        "{note:?}"
    );
    assert_eq!(op.prose_bounds.len(), 1, "{:?}", op.prose_bounds);
    assert_eq!(
        op.prose_bounds[0].constraint.kind,
        ConstraintKind::Maximum(20)
    );

    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let o = specgate(&[
        "import",
        FIXTURE,
        "--service",
        "specs/aws-kms",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let cases =
        std::fs::read_to_string(out.join("cases/aws-kms/ListLanterns.yaml")).expect("cases");
    let cases = specgate::yaml::parse_str(Path::new("ListLanterns.yaml"), &cases)
        .expect("yaml")
        .to_json();
    let find = |name: &str| {
        cases["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no case {name}"))
            .clone()
    };
    let above = find("page-size-above-prose-maximum");
    assert_eq!(above["provenance"], "inferred");
    assert_eq!(above["doc_note"], "page-size-structure-prose");
    assert_eq!(above["params"]["PageSize"], 21);
    assert_eq!(above["expect"]["status"], 400);
    // Neither side is picked silently: each bound is a reading of the note, with its case.
    assert_eq!(above["reading"], "prose");
    let accepted = find("page-size-above-prose-maximum-accepted");
    assert_eq!(
        (
            &accepted["doc_note"],
            &accepted["reading"],
            &accepted["params"]["PageSize"],
            &accepted["expect"]["status"]
        ),
        (
            &json!("page-size-structure-prose"),
            &json!("shape"),
            &json!(21),
            &json!(200)
        )
    );
    let spec = std::fs::read_to_string(out.join("specs/aws-kms/ListLanterns.yaml")).expect("spec");
    let spec = specgate::yaml::parse_str(Path::new("ListLanterns.yaml"), &spec)
        .expect("yaml")
        .to_json();
    let note = spec["doc_notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "page-size-structure-prose")
        .expect("the note in the spec");
    let readings: Vec<&str> = note["readings"]
        .as_array()
        .expect("readings")
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(readings, ["prose", "shape"]);
    assert_eq!(note["emulator"], "prose");
    // Both sentences are cited.
    let cited: Vec<&str> = note["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .map(|e| e["says"].as_str().unwrap())
        .collect();
    assert!(
        cited.iter().any(|s| s.contains("PageSizeType max: 500")),
        "{cited:?}"
    );
    assert!(
        cited.iter().any(|s| s.contains("between 1 and 20")),
        "{cited:?}"
    );
    // The shape's bound stays the spec's: 500 accepted, 501 refused.
    assert_eq!(find("page-size-maximum")["params"]["PageSize"], 500);
    assert_eq!(find("shed-name-missing")["provenance"], "inferred");
    let lint = specgate(&[
        "lint",
        "--specs",
        out.join("specs").to_str().unwrap(),
        out.join("cases").to_str().unwrap(),
    ]);
    assert_eq!(lint.status.code(), Some(0), "{}", text(&lint));
}

#[test]
fn botocore_paginator_becomes_marker_pagination_and_a_walk_case() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let o = specgate(&[
        "import",
        FIXTURE,
        "--service",
        "specs/aws-kms",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let read = |rel: &str| {
        let t = std::fs::read_to_string(out.join(rel)).expect(rel);
        specgate::yaml::parse_str(Path::new(rel), &t)
            .expect("yaml")
            .to_json()
    };
    let spec = read("specs/aws-kms/ListLanterns.yaml");
    assert_eq!(
        spec["pagination"],
        json!({
            "style": "marker", "limit": "PageSize", "marker": "Cursor", "next": "/NextCursor",
            "more": "/More", "items": "/Lanterns", "item_id": "/LanternId"
        })
    );
    // The rows and notes speak of the model, not of a page.
    assert!(
        spec["errors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["source"] == "metadata"),
        "{}",
        spec["errors"]
    );
    let required = spec["doc_notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "required-missing")
        .expect("the required-missing note");
    assert_eq!(
        required["page_says"],
        "the input structure's `required` list"
    );
    let cases = read("cases/aws-kms/ListLanterns.yaml");
    let walk = cases["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "pagination-walk")
        .expect("a walk case")
        .clone();
    assert_eq!(walk["provenance"], "inferred");
    assert_eq!(walk["doc_note"], "pagination-token");
    assert_eq!(walk["params"]["PageSize"], 2);
    assert_eq!(walk["expect"]["pagination"], "walk");
    let lint = specgate(&[
        "lint",
        "--specs",
        out.join("specs").to_str().unwrap(),
        out.join("cases").to_str().unwrap(),
    ]);
    assert_eq!(lint.status.code(), Some(0), "{}", text(&lint));
}

#[test]
fn botocore_kms_model_imports_all_eight_operations_lint_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let mut args = vec!["import", KMS, "--service", "specs/aws-kms"];
    for op in KMS_OPS {
        args.extend(["--operation", op]);
    }
    args.extend(["--out", out.to_str().unwrap()]);
    let o = specgate(&args);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    for op in KMS_OPS {
        assert!(
            out.join(format!("specs/aws-kms/{op}.yaml")).is_file(),
            "{op}"
        );
    }
    let list_aliases = std::fs::read_to_string(out.join("specs/aws-kms/ListAliases.yaml")).unwrap();
    assert!(list_aliases.contains("limit-structure-prose"));
    assert!(list_aliases.contains("style: \"marker\""), "{list_aliases}");
    let alias_cases = std::fs::read_to_string(out.join("cases/aws-kms/ListAliases.yaml")).unwrap();
    assert!(alias_cases.contains("limit-above-prose-maximum-accepted"));
    assert!(alias_cases.contains("pagination-walk"));
    // An output member's enum is the schema's (KeyMetadata.KeyState).
    let describe = std::fs::read_to_string(out.join("specs/aws-kms/DescribeKey.yaml")).unwrap();
    assert!(describe.contains("\"PendingDeletion\""), "{describe}");
    // "If you do not include a value, it defaults to 50." is the spec's default.
    assert!(list_aliases.contains("default: 50"), "{list_aliases}");
    let schedule =
        std::fs::read_to_string(out.join("specs/aws-kms/ScheduleKeyDeletion.yaml")).unwrap();
    assert!(schedule.contains("pending-window-in-days-structure-prose"));
    let lint = specgate(&[
        "lint",
        "--specs",
        out.join("specs").to_str().unwrap(),
        out.join("cases").to_str().unwrap(),
    ]);
    assert_eq!(lint.status.code(), Some(0), "{}", text(&lint));
    assert!(
        String::from_utf8_lossy(&lint.stdout).contains("8 operations"),
        "{}",
        text(&lint)
    );
}
