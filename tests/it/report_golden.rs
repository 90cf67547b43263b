//! Golden tests of `report.md`, `junit.xml` and a `--write-baseline` file for a hand-built run
//! (passes, failures with a diff, an inferred failure, a transport error, a skip, and a
//! baseline with known, stale, expired and not-run entries). Times, the run prefix, ports and
//! random ids are replaced with `stabilize`, as `--stable-report` does.
//!
//! The expected files are in `tests/golden/report/`; run with `SPECGATE_BLESS=1` to rewrite
//! them after review.

use crate::support::{golden, report_fixture};

use std::path::Path;

use specgate::report::{render_baseline_file, render_junit, render_markdown, stabilize};

fn check(name: &str, got: &str) {
    golden::check(&Path::new("tests/golden/report").join(name), got);
}

fn stable_report() -> specgate::report::Report {
    let mut r = report_fixture::report(false);
    stabilize(&mut r).unwrap();
    r
}

#[test]
fn markdown_report_matches_its_golden_file() {
    check("report.md", &render_markdown(&stable_report()).unwrap());
}

#[test]
fn junit_report_matches_its_golden_file() {
    check("junit.xml", &render_junit(&stable_report()).unwrap());
}

#[test]
fn written_baseline_matches_its_golden_file() {
    check(
        "written-baseline.yaml",
        &render_baseline_file(&stable_report()).unwrap(),
    );
}

#[test]
fn goldens_hold_no_volatile_values() {
    let r = stable_report();
    for text in [render_markdown(&r).unwrap(), render_junit(&r).unwrap()] {
        for volatile in [
            report_fixture::PREFIX,
            ":41234",
            "2026-11-24T11:30:00",
            "8252db58-2036-408c-a3d5-56e656dc2551",
        ] {
            assert!(!text.contains(volatile), "`{volatile}` left in:\n{text}");
        }
    }
}
