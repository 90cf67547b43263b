//! Robustness under every reading (issue 12, item 8): the whole shipped suite runs against the
//! embedded emulator once with its default readings and once per alternative reading
//! (`--emulator-reading NOTE=ID`), and every run must pass the gate (no documented failure, no
//! ambiguity, no error) while the *Readings* table says the emulator follows exactly the reading
//! it was set to, and the defaults everywhere else.
//!
//! The emulator keeps its own table of the notes it knows (`specgate::emulator::reading`); this
//! file also checks that table against `specs/`: every note the emulator knows must be a doc
//! note of its service with the same reading ids and the same default (`emulator:`). A note the
//! specs do not list yet is skipped, and the test says so on stderr.
//!
//! The same checks run on the fixture suite of `tests/support/readings.rs` (two notes with
//! readings and four reading cases), so that they are exercised whatever the shipped suite
//! lists.

use std::path::{Path, PathBuf};

use crate::support::readings::{fixture_suite, run_suite, text};
use serde_json::Value;
use specgate::emulator::reading::{KnownNote, NOTES};
use specgate::suite::Suite;

/// The emulator's notes that the suite's specs list (checked to agree), and the skipped ones.
fn notes_in_specs(suite: &Suite) -> (Vec<&'static KnownNote>, Vec<&'static str>) {
    let mut listed = Vec::new();
    let mut skipped = Vec::new();
    for known in NOTES {
        let found: Vec<(&String, &specgate::spec::DocNote)> = suite
            .operations
            .iter()
            .filter(|(_, op)| op.service == known.service)
            .flat_map(|(id, op)| op.doc_notes.iter().map(move |n| (id, n)))
            .filter(|(_, n)| n.id == known.note && !n.readings.is_empty())
            .collect();
        if found.is_empty() {
            skipped.push(known.note);
            continue;
        }
        for (op, n) in found {
            let mut spec_ids: Vec<&str> = n.readings.iter().map(|r| r.id.as_str()).collect();
            let mut emu_ids: Vec<&str> = known.readings.iter().map(|r| r.id).collect();
            spec_ids.sort_unstable();
            emu_ids.sort_unstable();
            assert_eq!(
                spec_ids, emu_ids,
                "doc note `{}` of {op} lists other readings than the emulator knows",
                known.note
            );
            assert_eq!(
                n.emulator.as_deref(),
                Some(known.default),
                "doc note `{}` of {op} says the emulator follows `{:?}`, the emulator's default is `{}`",
                known.note,
                n.emulator,
                known.default
            );
        }
        listed.push(known);
    }
    (listed, skipped)
}

/// The Readings rows of a report.
fn rows(report: &Value) -> &Vec<Value> {
    report["readings"].as_array().expect("a readings table")
}

/// Runs the suite with `choice` (`NOTE=ID`, or none for the defaults) and checks the gate and
/// the table: `note` follows `id`, every other known note its default.
fn check_run(
    specs: &Path,
    cases: &Path,
    listed: &[&KnownNote],
    choice: Option<(&str, &str)>,
    run: usize,
) {
    let dir = tempfile::tempdir().unwrap();
    let arg = choice.map(|(n, r)| format!("{n}={r}"));
    let mut extra = vec![];
    if let Some(a) = &arg {
        extra.extend(["--emulator-reading", a.as_str()]);
    }
    let (out, report) = run_suite(specs, cases, dir.path(), &format!("r{run}"), &extra);
    let what = arg.as_deref().unwrap_or("the default readings");
    assert_eq!(
        report["gate"]["verdict"],
        "pass",
        "under {what}: the gate failed: {}\n{}",
        report["gate"]["reasons"],
        text(&out)
    );
    assert_eq!(out.status.code(), Some(0), "under {what}:\n{}", text(&out));
    for c in ["fail", "ambiguity", "error"] {
        assert_eq!(report["counts"][c], 0, "under {what}: {c}");
    }
    for known in listed {
        let want = match choice {
            Some((n, r)) if n == known.note => r,
            _ => known.default,
        };
        let mine: Vec<&Value> = rows(&report)
            .iter()
            .filter(|r| r["note"] == known.note)
            .collect();
        assert!(
            !mine.is_empty(),
            "under {what}: no row for `{}`",
            known.note
        );
        for r in mine {
            assert_eq!(
                (r["verdict"].as_str(), r["follows"].as_str()),
                (Some("follows"), Some(want)),
                "under {what}: `{}` of {} should follow {want}: {r}",
                known.note,
                r["operation"]
            );
        }
    }
}

/// The whole check on one suite: the table against the specs, then one run per reading.
fn robust(specs: &Path, cases: &Path) -> Vec<&'static str> {
    let suite = Suite::load(specs, &[cases.to_path_buf()]).expect("the suite loads");
    let (listed, skipped) = notes_in_specs(&suite);
    // A note none of whose cases is in this suite cannot be followed or not: it is untested.
    let listed: Vec<&KnownNote> = listed
        .into_iter()
        .filter(|k| {
            suite
                .cases()
                .iter()
                .any(|c| c.doc_note.as_deref() == Some(k.note))
        })
        .collect();
    for (op_id, op) in &suite.operations {
        for n in op.doc_notes.iter().filter(|n| !n.readings.is_empty()) {
            if !NOTES.iter().any(|k| k.note == n.id) {
                eprintln!(
                    "note: doc note `{}` of {op_id} lists readings the emulator does not know: it follows one and cannot be switched",
                    n.id
                );
            }
        }
    }
    for note in &skipped {
        eprintln!(
            "skipped: {} lists no doc note `{note}` with readings yet; the emulator's readings of it are not checked",
            specs.display()
        );
    }
    let mut run = 0;
    check_run(specs, cases, &listed, None, run);
    for known in &listed {
        for r in known.readings.iter().filter(|r| r.id != known.default) {
            run += 1;
            check_run(specs, cases, &listed, Some((known.note, r.id)), run);
        }
    }
    skipped
}

#[test]
fn the_shipped_suite_passes_under_every_reading_and_names_it() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let skipped = robust(&root.join("specs"), &root.join("cases"));
    // Every note the emulator knows is a shipped doc note: none of its readings goes untested.
    assert!(
        skipped.is_empty(),
        "notes the specs do not list: {skipped:?}"
    );
}

#[test]
fn the_fixture_suite_passes_under_every_reading_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let (specs, cases) = fixture_suite(dir.path());
    let skipped = robust(&specs, &cases);
    assert!(
        !skipped.contains(&"page-size-101") && !skipped.contains(&"filters-unknown-key"),
        "the fixture lists both notes: {skipped:?}"
    );
}
