//! Writing report folders: DIR/<run-id>/ and DIR/latest/ are complete or absent, latest is
//! replaced (not merged), an interrupted run is reported as partial, and report.md goes to the
//! CI step summary.

use crate::support::report_fixture;

use std::fs;
use std::path::Path;

use serde_json::Value;
use specgate::report::{FILES, Report, check_run_id, run_id, write_reports};

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn an_interrupted_run_writes_a_complete_report_marked_partial() {
    let tmp = tempfile::tempdir().unwrap();
    let report = report_fixture::report(true);
    let w = write_reports(&report, tmp.path(), None).unwrap();
    let id = "20261124T113000Z-sg-1a2b3c4d";
    assert_eq!(w.run_dir, tmp.path().join(id));
    // Nothing else: no temporary folder or file is left behind.
    assert_eq!(names(tmp.path()), [id, "latest"]);
    let mut files: Vec<&str> = FILES.to_vec();
    files.sort();
    for dir in [&w.run_dir, &w.latest] {
        assert_eq!(names(dir), files);
        let doc = json(&dir.join("report.json"));
        assert_eq!(doc["run"]["partial"], true);
        assert_eq!(doc["outcomes"].as_array().unwrap().len(), 7);
        assert_eq!(doc["gate"]["verdict"], "fail");
        let md = fs::read_to_string(dir.join("report.md")).unwrap();
        assert!(md.contains("**Partial report:**"), "{md}");
        let xml = fs::read_to_string(dir.join("junit.xml")).unwrap();
        assert!(xml.contains(r#"<property name="partial" value="true"/>"#));
        let html = fs::read_to_string(dir.join("report.html")).unwrap();
        assert!(html.contains("(partial: the run was interrupted)"));
    }
    // latest is a copy of the run's folder.
    for f in FILES {
        assert_eq!(
            fs::read(w.run_dir.join(f)).unwrap(),
            fs::read(w.latest.join(f)).unwrap()
        );
    }
}

fn with_id(id: &str, interrupted: bool) -> Report {
    let mut r = report_fixture::report(interrupted);
    r.run.id = id.to_string();
    r
}

#[test]
fn latest_is_replaced_not_merged_and_older_runs_stay() {
    let tmp = tempfile::tempdir().unwrap();
    // A stray file in an old latest/ must not survive the replacement.
    fs::create_dir_all(tmp.path().join("latest")).unwrap();
    fs::write(tmp.path().join("latest/stray.txt"), "old").unwrap();
    write_reports(&with_id("run-1", true), tmp.path(), None).unwrap();
    write_reports(&with_id("run-2", false), tmp.path(), None).unwrap();
    assert_eq!(names(tmp.path()), ["latest", "run-1", "run-2"]);
    let mut files: Vec<&str> = FILES.to_vec();
    files.sort();
    assert_eq!(names(&tmp.path().join("latest")), files);
    assert_eq!(
        json(&tmp.path().join("latest/report.json"))["run"]["id"],
        "run-2"
    );
    assert_eq!(
        json(&tmp.path().join("run-1/report.json"))["run"]["partial"],
        true
    );
    // The same run id again (a stable example folder) replaces that folder.
    write_reports(&with_id("run-1", false), tmp.path(), None).unwrap();
    assert_eq!(
        json(&tmp.path().join("run-1/report.json"))["run"]["partial"],
        false
    );
    assert_eq!(names(tmp.path()), ["latest", "run-1", "run-2"]);
}

#[test]
fn report_md_is_appended_to_the_step_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let summary = tmp.path().join("summary.md");
    fs::write(&summary, "earlier step\n").unwrap();
    let w = write_reports(
        &with_id("a", false),
        &tmp.path().join("reports"),
        Some(&summary),
    )
    .unwrap();
    let text = fs::read_to_string(&summary).unwrap();
    assert_eq!(text, format!("earlier step\n{}", w.markdown));
    assert_eq!(
        w.markdown,
        fs::read_to_string(w.run_dir.join("report.md")).unwrap()
    );
}

#[test]
fn run_ids_are_plain_folder_names() {
    assert_eq!(
        run_id(report_fixture::started_at(), "sg-1a2b3c4d"),
        "20261124T113000Z-sg-1a2b3c4d"
    );
    for ok in ["example", "20261124T113000Z-sg-1a2b3c4d", "v1.2_x"] {
        assert!(check_run_id(ok).is_ok(), "{ok}");
    }
    for bad in ["latest", "", "../up", "a/b", ".hidden", "with space"] {
        assert!(check_run_id(bad).is_err(), "{bad}");
    }
    let tmp = tempfile::tempdir().unwrap();
    assert!(write_reports(&with_id("../escape", false), tmp.path(), None).is_err());
    assert!(names(tmp.path()).is_empty());
}
