//! What a `--reference` run reports (issue 16, docs/parity.md): the matrix's parity row per
//! target, the *Spec vs. recording* section (spec findings the recording shares), several
//! targets and `--repeat` against one recording, and a recording made under another reading of
//! an ambiguous page, whose differences are parity findings in exactly that note's cases.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;
use specgate::emulator::{Config, Deviation, EmulatorHandle, deviations, spawn};

use super::parity::{record, specgate, suite_args, text};

/// A deviation mode by name.
fn deviation(name: &str) -> Deviation {
    deviations()
        .iter()
        .copied()
        .find(|d| d.name() == name)
        .expect("a deviation mode")
}

/// An emulator with `deviation` (none: faithful), and a profile named `name` for it in `dir`.
async fn emulator(
    dir: &Path,
    name: &str,
    deviation: Option<Deviation>,
) -> (EmulatorHandle, PathBuf) {
    let handle = spawn(Config {
        deviations: deviation.into_iter().collect(),
        ..Config::default()
    })
    .await
    .unwrap();
    let base = handle.base_url();
    let path = dir.join(format!("{name}.yaml"));
    std::fs::write(
        &path,
        format!(
            "name: {name}\ndisposable: true\nservices:\n  alibaba-kms:\n    endpoint: {base}\n    vars: {{ region: cn-hangzhou, account: \"1234567890123456\" }}\n  huawei-kms:\n    endpoint: {base}\n    vars: {{ project_id: 0123456789abcdef0123456789abcdef, huawei_region: cn-north-4, domain_id: 3bab8e245e854f68af5967c00dd43127 }}\n"
        ),
    )
    .unwrap();
    (handle, path)
}

/// `specgate run ARGS` with a stable report in `dir/<id>/`: the process output and report.json.
async fn run(dir: &Path, id: &str, args: &[&str]) -> (Output, Value) {
    let mut all: Vec<String> = vec![
        "run".into(),
        "--report-dir".into(),
        dir.display().to_string(),
        "--run-id".into(),
        id.into(),
        "--stable-report".into(),
        "-q".into(),
    ];
    all.extend(args.iter().map(|a| a.to_string()));
    all.extend(suite_args());
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    let out = specgate(dir, &all).await;
    let report = std::fs::read_to_string(dir.join(id).join("report.json"))
        .unwrap_or_else(|e| panic!("no report.json ({e}): {}", text(&out)));
    (out, serde_json::from_str(&report).unwrap())
}

/// The outcomes of a report.json.
fn outcomes(r: &Value) -> &Vec<Value> {
    r["outcomes"].as_array().expect("outcomes")
}

/// `<operation>::<case>` of an outcome.
fn case_id(o: &Value) -> String {
    format!(
        "{}::{}",
        o["operation"].as_str().unwrap(),
        o["case"].as_str().unwrap()
    )
}

/// (case, step, kind, pointer) of every finding whose kind `keep` keeps, in the report's outcomes.
fn findings(r: &Value, keep: impl Fn(&str) -> bool) -> BTreeSet<(String, String, String, String)> {
    let mut out = BTreeSet::new();
    for o in outcomes(r) {
        for f in o["findings"].as_array().unwrap() {
            let kind = f["kind"].as_str().unwrap();
            if keep(kind) {
                out.insert((
                    case_id(o),
                    f["step"].as_str().unwrap_or("").to_string(),
                    kind.to_string(),
                    f["pointer"].as_str().unwrap_or("").to_string(),
                ));
            }
        }
    }
    out
}

/// The same tuples of the report's *Spec vs. recording* section.
fn disagreements(r: &Value) -> BTreeSet<(String, String, String, String)> {
    r["spec_vs_recording"]["disagreements"]
        .as_array()
        .unwrap_or_else(|| panic!("no spec_vs_recording: {}", r["spec_vs_recording"]))
        .iter()
        .map(|d| {
            (
                d["case"].as_str().unwrap().to_string(),
                d["step"].as_str().unwrap().to_string(),
                d["kind"].as_str().unwrap().to_string(),
                d["pointer"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// report.json of a `--reference` run matches docs/report-schema.json.
fn assert_matches_schema(r: &Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/report-schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = v
        .iter_errors(r)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// Findings that say something about the page (not transport, auth, harness or parity).
fn is_spec_kind(kind: &str) -> bool {
    !(kind == "parity"
        || kind == "internal"
        || kind == "harness.error"
        || kind.starts_with("transport.")
        || kind.starts_with("auth."))
}

#[tokio::test(flavor = "multi_thread")]
async fn spec_findings_the_recording_shares_are_listed_apart() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The real target deviates from the page: record it as it is.
    let (deviating, profile) = emulator(d, "deviating", Some(deviation("keys-bare-array"))).await;
    let p = profile.display().to_string();
    let recorded = record(d, "rec-deviating", &["--target", &p]).await;
    assert_eq!(recorded.status.code(), Some(0), "{}", text(&recorded));
    let rec = d.join("rec-deviating").display().to_string();

    let _ = deviating.shutdown().await;
    // The same target (as it was when recorded: a fresh one) against its own recording: every
    // spec finding is shared.
    let (deviating, profile) = emulator(d, "deviating", Some(deviation("keys-bare-array"))).await;
    let p = profile.display().to_string();
    let (out, r) = run(d, "same", &["--target", &p, "--reference", &rec]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(findings(&r, |k| k == "parity").is_empty(), "{}", text(&out));
    let spec: BTreeSet<_> = findings(&r, is_spec_kind)
        .into_iter()
        // Cases of a reading of an ambiguous page have their doc note already; a case blocked
        // by its set-up step ran no operation of its own and is not compared.
        .filter(|(case, ..)| {
            outcomes(&r).iter().any(|o| {
                case_id(o) == *case
                    && o.get("reading").is_none_or(Value::is_null)
                    && o["status"] != "blocked"
            })
        })
        .collect();
    assert!(
        spec.iter().any(|(_, _, _, ptr)| ptr.starts_with("/Keys")),
        "the deviation fails spec checks at /Keys: {spec:?}"
    );
    assert_eq!(disagreements(&r), spec);
    assert!(
        r["spec_vs_recording"]["disagreements"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["recorded_verdict"] == "fail")
    );
    // Each names where its step is written, for the doc note to come.
    let sourced = r["spec_vs_recording"]["disagreements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| {
            x["source"]["file"]
                .as_str()
                .is_some_and(|f| f.ends_with(".yaml"))
        })
        .count();
    assert!(sourced > 0, "{}", r["spec_vs_recording"]);
    assert_matches_schema(&r);
    let md = std::fs::read_to_string(d.join("same/report.md")).unwrap();
    assert!(
        md.contains(&format!("## Spec vs. recording ({})", spec.len())),
        "{md}"
    );
    let html = std::fs::read_to_string(d.join("same/report.html")).unwrap();
    assert!(html.contains("<section id=\"parity\">"));
    assert!(
        text(&out).contains(&format!(
            "spec vs. recording: {} spec findings on answers identical to the recording",
            spec.len()
        )),
        "{}",
        text(&out)
    );

    // A faithful recording: the deviating answers differ from it, so none is shared.
    let faithful = record(d, "rec-faithful", &[]).await;
    assert_eq!(faithful.status.code(), Some(0), "{}", text(&faithful));
    let rec = d.join("rec-faithful").display().to_string();
    let (out, r) = run(d, "other", &["--target", &p, "--reference", &rec]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(!findings(&r, is_spec_kind).is_empty());
    assert!(!findings(&r, |k| k == "parity").is_empty());
    assert_eq!(disagreements(&r), BTreeSet::new(), "{}", text(&out));
    let _ = deviating.shutdown().await;

    // The faithful emulator against its own recording: nothing to list, 100% parity.
    let (out, r) = run(d, "faithful", &["--reference", &rec]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(disagreements(&r), BTreeSet::new());
    assert_eq!(
        r["matrix"]["parity"][0]["percent"], 100.0,
        "{}",
        r["matrix"]
    );

    // `--checks parity`: the spec's checks are off, and the section says so.
    let (out, r) = run(d, "only", &["--reference", &rec, "--checks", "parity"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(r["spec_vs_recording"]["spec_checks"], false);
}

#[tokio::test(flavor = "multi_thread")]
async fn several_targets_and_repetitions_are_each_held_to_the_one_recording() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let recorded = record(d, "rec", &[]).await;
    assert_eq!(recorded.status.code(), Some(0), "{}", text(&recorded));
    let rec = d.join("rec").display().to_string();
    let (faithful, fp) = emulator(d, "faithful", None).await;
    let (deviating, dp) = emulator(d, "deviating", Some(deviation("keys-bare-array"))).await;
    let (fp, dp) = (fp.display().to_string(), dp.display().to_string());

    // One repetition, to know how many steps one pass compares.
    // Alibaba's cases: a repetition finds the state the earlier one left, and the Huawei
    // alias cases answer by it (a key scheduled for deletion is listed as such): docs/parity.md.
    let only = "alibaba-kms/";
    let (_, once) = run(d, "once", &[only, "--target", &fp, "--reference", &rec]).await;
    let steps_once = once["matrix"]["parity"][0]["steps"].as_u64().unwrap();
    assert!(steps_once > 50, "{}", once["matrix"]["parity"]);

    let (out, r) = run(
        d,
        "two",
        &[
            only,
            "--target",
            &fp,
            "--target",
            &dp,
            "--reference",
            &rec,
            "--repeat",
            "2",
        ],
    )
    .await;
    let _ = (faithful.shutdown().await, deviating.shutdown().await);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let cells = r["matrix"]["parity"].as_array().unwrap();
    assert_eq!(cells.len(), 2, "{}", r["matrix"]["parity"]);
    assert_eq!(cells[0]["target"], "faithful");
    assert_eq!(cells[0]["steps"].as_u64(), Some(2 * steps_once));
    assert_eq!(cells[0]["identical"], cells[0]["steps"]);
    assert_eq!(cells[1]["target"], "deviating");
    assert!(
        cells[1]["identical"].as_u64() < cells[1]["steps"].as_u64(),
        "{}",
        r["matrix"]["parity"]
    );
    // Parity findings only on the deviating target, on both repetitions of the same cases.
    let mut by_rep: [BTreeSet<String>; 2] = Default::default();
    for o in outcomes(&r) {
        let parity = o["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "parity");
        if parity {
            assert_eq!(o["target"], "deviating", "{}", o["id"]);
            let id = case_id(o);
            let (case, rep) = id.rsplit_once('#').expect("a repetition");
            by_rep[usize::from(rep == "2")].insert(case.to_string());
        }
    }
    assert!(!by_rep[0].is_empty());
    assert_eq!(by_rep[0], by_rep[1]);
    // The console's matrix has the parity row, report.md too.
    let console = text(&out);
    assert!(
        console
            .lines()
            .any(|l| l.starts_with("parity ") && l.contains("100% (")),
        "{console}"
    );
    let md = std::fs::read_to_string(d.join("two/report.md")).unwrap();
    assert!(md.contains("| **parity** | 100% ("), "{md}");

    // One recording per run: `--reference` twice is a usage error.
    let out = specgate(
        d,
        &[
            "run",
            "--reference",
            &rec,
            "--reference",
            &rec,
            "--no-report",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recording_under_another_reading_differs_in_exactly_that_notes_cases() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Which cases test which note's readings: a plain run says (outcome `doc_note`, `reading`).
    let (out, plain) = run(d, "plain", &[]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    for note in specgate::emulator::reading::NOTES {
        let other = note
            .readings
            .iter()
            .find(|r| r.id != note.default)
            .expect("a second reading");
        let choice = format!("{}={}", note.note, other.id);
        let name = format!("rec-{}", note.note);
        let recorded = record(d, &name, &["--emulator-reading", &choice]).await;
        assert_eq!(recorded.status.code(), Some(0), "{}", text(&recorded));
        let rec = d.join(&name).display().to_string();
        // The faithful emulator, default readings, against it.
        let (out, r) = run(d, note.note, &["--reference", &rec, "--checks", "parity"]).await;
        assert_eq!(out.status.code(), Some(1), "{choice}: {}", text(&out));
        let differing: BTreeSet<String> = findings(&r, |_| true)
            .into_iter()
            .map(|(case, _, kind, _)| {
                assert_eq!(kind, "parity", "{choice}: {case}");
                case
            })
            .collect();
        let expected: BTreeSet<String> = outcomes(&plain)
            .iter()
            .filter(|o| o["doc_note"] == note.note && !o["reading"].is_null())
            .map(case_id)
            .collect();
        assert!(!expected.is_empty(), "{choice}");
        assert_eq!(differing, expected, "{choice}");
    }
}
