//! Reading pins in a baseline file: how they are read, the mistakes reported at file:line:col,
//! and the check against the suite's doc notes (`specgate run` exits 3 on an unknown note or
//! reading, before anything is sent).

use std::path::Path;

use crate::support::readings::{fixture_suite, run_suite, text};
use specgate::report::{Baseline, NoteInfo, check_pins};

fn parse(text: &str) -> Result<Baseline, String> {
    Baseline::parse(Path::new("baseline.yaml"), text).map_err(|d| {
        d.iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })
}

#[test]
fn a_pin_is_read_next_to_ordinary_entries() {
    let b = parse(
        r#"
- target: t
  case: "alibaba-kms/ListKeys::sample-diff"
  kind: diff
  reason: known
- target: t
  reading: { note: page-size-101, follows: b }
  reason: the account accepts 101
  link: https://example.com/1
"#,
    )
    .unwrap();
    assert_eq!(b.entries.len(), 1);
    assert_eq!(b.pins.len(), 1);
    let p = &b.pins[0];
    assert_eq!(
        (p.target.as_str(), p.note.as_str(), p.follows.as_str()),
        ("t", "page-size-101", "b")
    );
    assert_eq!(p.line, 6);
    assert_eq!(p.link.as_deref(), Some("https://example.com/1"));
}

#[test]
fn pin_mistakes_are_reported_where_they_are() {
    let e = parse("- target: t\n  reading: { note: n }\n  reason: r\n").unwrap_err();
    assert!(e.contains("follows"), "{e}");
    let e =
        parse("- target: t\n  reading: { note: n, follows: a }\n  case: \"a/B::c\"\n  reason: r\n")
            .unwrap_err();
    assert!(e.contains("case"), "{e}");
    let e =
        parse("- target: t\n  reading: { note: n, follows: a }\n  reason: \" \"\n").unwrap_err();
    assert!(e.contains("`reason` is empty"), "{e}");
    let twice = "- target: t\n  reading: { note: n, follows: a }\n  reason: r\n- target: t\n  reading: { note: n, follows: b }\n  reason: r\n";
    let e = parse(twice).unwrap_err();
    assert!(e.contains("already pinned") && e.contains("line 1"), "{e}");
}

#[test]
fn pins_must_name_a_note_with_readings_and_one_of_its_readings() {
    let notes = vec![NoteInfo {
        operation: "alibaba-kms/ListKeys".into(),
        note: "page-size-101".into(),
        readings: vec![
            ("a".into(), "refused".into()),
            ("b".into(), "accepted".into()),
        ],
        emulator: Some("a".into()),
    }];
    let b = parse(
        "- target: t\n  reading: { note: page-size-110, follows: a }\n  reason: r\n- target: u\n  reading: { note: page-size-101, follows: c }\n  reason: r\n- target: v\n  reading: { note: page-size-101, follows: b }\n  reason: r\n",
    )
    .unwrap();
    let d: Vec<String> = check_pins(Path::new("baseline.yaml"), &b.pins, &notes)
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(d.len(), 2, "{d:?}");
    assert!(d[0].contains("no doc note `page-size-110`"), "{}", d[0]);
    assert!(d[0].contains("did you mean `page-size-101`"), "{}", d[0]);
    assert!(d[0].contains("baseline.yaml:2:"), "{}", d[0]);
    assert!(
        d[1].contains("has no reading `c`") && d[1].contains("a, b"),
        "{}",
        d[1]
    );
}

#[test]
fn run_refuses_a_pin_of_an_unknown_reading_before_sending_anything() {
    let dir = tempfile::tempdir().unwrap();
    let (specs, cases) = fixture_suite(dir.path());
    let baseline = dir.path().join("baseline.yaml");
    std::fs::write(
        &baseline,
        "- target: embedded-emulator\n  reading: { note: page-size-101, follows: z }\n  reason: r\n",
    )
    .unwrap();
    let (out, report) = run_suite(
        &specs,
        &cases,
        dir.path(),
        "pins",
        &["--baseline", baseline.to_str().unwrap()],
    );
    let console = text(&out);
    assert_eq!(out.status.code(), Some(3), "{console}");
    assert!(console.contains("has no reading `z`"), "{console}");
    assert!(report.is_null(), "no report is written");
}
