//! Reading a baseline file: every problem is a diagnostic with file:line:col and a hint.

use std::collections::HashMap;
use std::path::Path;

use time::Date;
use time::macros::format_description;

use super::entry::{Baseline, Entry, EntryPlaces, ReadingPin};
use crate::diag::Diagnostic;
use crate::finding::FindingKind;
use crate::yaml::{Node, NodeKind, Pos, Reader, SourceFile, parse_str};

const ENTRY_KEYS: &[&str] = &[
    "target", "case", "kind", "pointer", "reason", "link", "expires",
];

impl Baseline {
    /// Reads a baseline file; every problem is a diagnostic with file:line:col.
    pub fn load(path: &Path) -> Result<Baseline, Vec<Diagnostic>> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            vec![
                Diagnostic::new(
                    path,
                    Pos::default(),
                    format!("cannot read the baseline: {e}"),
                )
                .with_class("io"),
            ]
        })?;
        Baseline::parse(path, &text)
    }

    /// Parses baseline text that came from `path` (used in messages).
    pub fn parse(path: &Path, text: &str) -> Result<Baseline, Vec<Diagnostic>> {
        let root = parse_str(path, text).map_err(|mut d| {
            d.attach(text);
            vec![d]
        })?;
        let source = SourceFile {
            path: path.to_path_buf(),
            text: text.to_string(),
        };
        let mut r = Reader::new(&source);
        let (entries, pins) = read_entries(&mut r, &root);
        if r.diags.is_empty() {
            Ok(Baseline {
                file: path.to_path_buf(),
                entries,
                pins,
            })
        } else {
            Err(r.diags)
        }
    }
}

fn read_entries(r: &mut Reader<'_>, root: &Node) -> (Vec<Entry>, Vec<ReadingPin>) {
    let items = match &root.kind {
        NodeKind::Null => return (Vec::new(), Vec::new()),
        NodeKind::Seq(items) => items,
        _ => {
            r.error_hint(
                root.pos,
                "wrong-type",
                format!(
                    "a baseline file must be a list of entries, found {}",
                    root.type_name()
                ),
                "start each entry with `- target: ...`",
            );
            return (Vec::new(), Vec::new());
        }
    };
    let mut entries: Vec<Entry> = Vec::new();
    let mut pins: Vec<ReadingPin> = Vec::new();
    let mut seen: HashMap<(String, String, FindingKind, String), usize> = HashMap::new();
    for item in items {
        if is_pin(item) {
            if let Some(p) = read_pin(r, item, &pins) {
                pins.push(p);
            }
            continue;
        }
        let Some(e) = read_entry(r, item) else {
            continue;
        };
        let key = (e.target.clone(), e.case.clone(), e.kind, e.pointer.clone());
        if let Some(line) = seen.get(&key) {
            r.error_hint(
                e.pos,
                "duplicate-entry",
                "this entry repeats an earlier one (same target, case, kind and pointer)",
                format!("merge it with the entry on line {line}"),
            );
            continue;
        }
        seen.insert(key, e.pos.line);
        entries.push(e);
    }
    (entries, pins)
}

/// True when a baseline item is a reading pin (it has a `reading` key).
fn is_pin(item: &Node) -> bool {
    match &item.kind {
        NodeKind::Map(pairs) => pairs.iter().any(|(k, _)| k.as_str() == Some("reading")),
        _ => false,
    }
}

/// Reads `- { target, reading: { note, follows }, reason, link }`; one pin per target and note.
fn read_pin(r: &mut Reader<'_>, node: &Node, earlier: &[ReadingPin]) -> Option<ReadingPin> {
    let what = "a reading pin";
    let f = r.map(node, what, &["target", "reading", "reason", "link"])?;
    let target = f
        .req(r, "target", what)
        .and_then(|n| r.string(n, "`target`"));
    let reason = f
        .req(r, "reason", what)
        .and_then(|n| r.string(n, "`reason`"));
    let link = f.get("link").and_then(|n| r.string(n, "`link`"));
    let pin = f.req(r, "reading", what)?;
    let pos = pin.pos;
    let g = r.map(pin, "`reading`", &["note", "follows"])?;
    let note = g
        .req(r, "note", "`reading`")
        .and_then(|n| r.string(n, "`note`"));
    let follows = g
        .req(r, "follows", "`reading`")
        .and_then(|n| r.string(n, "`follows`"));
    let (target, reason, note, follows) = (target?, reason?, note?, follows?);
    if target.trim().is_empty() || note.trim().is_empty() || follows.trim().is_empty() {
        r.error_hint(
            node.pos,
            "bad-value",
            "a reading pin with an empty `target`, `note` or `follows`",
            "write `reading: { note: <doc note id>, follows: <reading id> }` for one target",
        );
        return None;
    }
    if reason.trim().is_empty() {
        r.error_hint(
            node.pos,
            "bad-value",
            "`reason` is empty",
            "say why the target is expected to follow this reading",
        );
        return None;
    }
    if let Some(p) = earlier
        .iter()
        .find(|p| p.target == target && p.note == note)
    {
        r.error_hint(
            node.pos,
            "duplicate-entry",
            format!("`{note}` is already pinned for `{target}`"),
            format!("keep one pin, the one on line {}", p.line),
        );
        return None;
    }
    Some(ReadingPin {
        target,
        note,
        follows,
        reason,
        link,
        line: node.pos.line,
        pos,
    })
}

fn read_entry(r: &mut Reader<'_>, node: &Node) -> Option<Entry> {
    let what = "a baseline entry";
    let f = r.map(node, what, ENTRY_KEYS)?;
    let text = |r: &mut Reader<'_>, key: &str, required: bool| -> Option<(String, Pos)> {
        let n = if required {
            f.req(r, key, what)?
        } else {
            f.get(key)?
        };
        let s = r.string(n, &format!("`{key}`"))?;
        Some((s, n.pos))
    };
    let target = text(r, "target", true);
    let case = text(r, "case", true);
    let kind = text(r, "kind", true);
    let pointer = text(r, "pointer", false);
    let reason = text(r, "reason", true);
    let link = text(r, "link", false);
    let mut ok = true;
    if let Some((t, pos)) = &target
        && t.parse::<crate::id::TargetId>().is_err()
    {
        r.error(*pos, "bad-value", "`target` is empty");
        ok = false;
    }
    if let Some((c, pos)) = &case
        && !is_case_id(c)
    {
        r.error_hint(
            *pos,
            "bad-value",
            format!("`{c}` is not a case name"),
            "write the trial name as `specgate run --list` prints it: `<service>/<Operation>::<case>`",
        );
        ok = false;
    }
    let mut parsed_kind = None;
    if let Some((k, pos)) = &kind
        && !is_kind(k)
    {
        r.error_hint(
            *pos,
            "bad-value",
            format!("`{k}` is not a finding kind"),
            "copy the kind shown in brackets in the report, e.g. `schema` or `pagination.count`",
        );
        ok = false;
    } else if let Some((k, pos)) = &kind {
        match FindingKind::parse(k) {
            Ok(found) => parsed_kind = Some(found),
            Err(unknown) => {
                // A misspelt kind would match no finding: the entry would only ever be stale.
                r.error_hint(
                    Pos {
                        len: k.chars().count().max(1),
                        ..*pos
                    },
                    "unknown-kind",
                    unknown.to_string(),
                    unknown.hint,
                );
                ok = false;
            }
        }
    }
    if let Some((p, pos)) = &pointer
        && !p.is_empty()
        && !p.starts_with('/')
    {
        r.error_hint(
            *pos,
            "bad-value",
            format!("`{p}` is not a JSON pointer"),
            "a pointer starts with `/`, e.g. `/Keys/Key/*/KeyArn`; leave it out for the whole response",
        );
        ok = false;
    }
    if let Some((s, pos)) = &reason
        && s.trim().is_empty()
    {
        r.error_hint(
            *pos,
            "bad-value",
            "`reason` is empty",
            "say why this deviation is acceptable",
        );
        ok = false;
    }
    let expires = match f.get("expires") {
        None => None,
        Some(n) => match read_date(r, n) {
            Some(d) => Some(d),
            None => {
                ok = false;
                None
            }
        },
    };
    if !ok {
        return None;
    }
    let (target, case, kind) = (target?, case?, kind?);
    let width = |p: Pos, s: &str| Pos {
        len: s.chars().count().max(1),
        ..p
    };
    let places = EntryPlaces {
        target: width(target.1, &target.0),
        case: width(case.1, &case.0),
        kind: width(kind.1, &kind.0),
    };
    Some(Entry {
        places,
        target: target.0,
        case: case.0,
        kind: parsed_kind?,
        pointer: pointer.map(|p| p.0).unwrap_or_default(),
        reason: reason?.0,
        link: link.map(|l| l.0),
        expires,
        pos: node.pos,
    })
}

fn read_date(r: &mut Reader<'_>, n: &Node) -> Option<Date> {
    let s = r.string(n, "`expires`")?;
    let fmt = format_description!("[year]-[month]-[day]");
    match Date::parse(&s, &fmt) {
        Ok(d) => Some(d),
        Err(_) => {
            r.error_hint(
                n.pos,
                "bad-value",
                format!("`{s}` is not a date"),
                "write the last valid day as YYYY-MM-DD, e.g. 2027-01-31",
            );
            None
        }
    }
}

/// A case, not a repetition of one: entries judge every repetition of their case.
fn is_case_id(s: &str) -> bool {
    s.parse::<crate::id::CaseId>()
        .is_ok_and(|id| id.repetition == 0)
}

fn is_kind(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Baseline, Vec<Diagnostic>> {
        Baseline::parse(Path::new("b.yaml"), text)
    }

    /// The one diagnostic of a bad file: `(line, col, class, message, hint)`.
    fn one_error(text: &str) -> (usize, usize, &'static str, String, String) {
        let d = parse(text).expect_err("the file is invalid");
        assert_eq!(d.len(), 1, "{d:?}");
        let d = &d[0];
        (
            d.pos.line,
            d.pos.col,
            d.class,
            d.message.clone(),
            d.hint.clone().unwrap_or_default(),
        )
    }

    const GOOD: &str = "\
- target: t
  case: svc/Op::c
  kind: schema
  pointer: /Keys/*/Arn
  reason: upper case
  link: https://example.com/1
  expires: 2027-01-31
- target: t
  case: svc/Op::d
  kind: diff
  reason: known
- target: t
  reading: { note: page-size-101, follows: a }
  reason: prod refuses 101
";

    #[test]
    fn a_good_file_gives_its_entries_and_pins_in_order() {
        let b = parse(GOOD).expect("valid");
        assert_eq!(b.file, Path::new("b.yaml"));
        assert_eq!(b.entries.len(), 2);
        let e = &b.entries[0];
        assert_eq!(
            (&e.target[..], &e.case[..], e.kind, &e.pointer[..]),
            ("t", "svc/Op::c", FindingKind::Schema, "/Keys/*/Arn")
        );
        assert_eq!(e.reason, "upper case");
        assert_eq!(e.link.as_deref(), Some("https://example.com/1"));
        assert_eq!(e.expires, Some(time::macros::date!(2027 - 01 - 31)));
        assert_eq!(
            (e.pos.line, e.places.case.line, e.places.case.col),
            (1, 2, 9)
        );
        assert_eq!(e.places.case.len, "svc/Op::c".len());
        assert_eq!(
            (b.entries[1].pointer.as_str(), b.entries[1].expires),
            ("", None)
        );
        assert_eq!(b.pins.len(), 1);
        let p = &b.pins[0];
        assert_eq!(
            (&p.note[..], &p.follows[..], p.line),
            ("page-size-101", "a", 12)
        );
        assert!(parse("").expect("empty is valid").entries.is_empty());
        assert!(parse("[]\n").expect("an empty list").entries.is_empty());
    }

    #[test]
    fn each_bad_entry_is_an_error_at_its_place() {
        let entry = |line: &str| format!("- target: t\n  case: svc/Op::c\n  reason: r\n{line}\n");
        let (l, c, class, msg, hint) = one_error(&entry("  kind: shcema"));
        assert_eq!((l, c, class), (4, 9, "unknown-kind"));
        assert!(msg.contains("`shcema`"), "{msg}");
        assert_eq!(hint, "did you mean `schema`?");
        let (l, c, class, msg, _) = one_error(&entry("  kind: Schema!"));
        assert_eq!((l, c, class), (4, 9, "bad-value"));
        assert!(msg.contains("is not a finding kind"), "{msg}");
        let (l, c, class, msg, _) = one_error(&entry("  kind: diff\n  pointer: Keys"));
        assert_eq!((l, c, class), (5, 12, "bad-value"));
        assert!(msg.contains("not a JSON pointer"), "{msg}");
        let (l, c, _, msg, hint) = one_error(&entry("  kind: diff\n  expires: 31.01.2027"));
        assert_eq!((l, c), (5, 12));
        assert!(msg.contains("is not a date"), "{msg}");
        assert!(hint.contains("YYYY-MM-DD"), "{hint}");
        let (l, c, _, msg, _) =
            one_error("- target: t\n  case: ListKeys\n  kind: diff\n  reason: r\n");
        assert_eq!((l, c), (2, 9));
        assert!(msg.contains("is not a case name"), "{msg}");
        let (l, _, _, msg, _) =
            one_error("- target: t\n  case: s/O::c\n  kind: diff\n  reason: \" \"\n");
        assert_eq!(l, 4);
        assert!(msg.contains("`reason` is empty"), "{msg}");
        let (l, c, class, _, _) =
            one_error("- target: t\n  case: s/O::c\n  kind: diff\n  reason: r\n  note: x\n");
        assert_eq!((l, c, class), (5, 3, "unknown-key"));
        let (l, _, _, msg, _) = one_error("- target: t\n  case: s/O::c\n  reason: r\n");
        assert_eq!(l, 1);
        assert!(msg.contains("kind"), "{msg}");
        let (l, c, class, _, _) = one_error("target: t\n");
        assert_eq!((l, c, class), (1, 1, "wrong-type"));
    }

    #[test]
    fn a_repeated_entry_or_pin_is_an_error_naming_the_first() {
        let twice = "- target: t\n  case: s/O::c\n  kind: diff\n  reason: r\n\
                     - target: t\n  case: s/O::c\n  kind: diff\n  reason: again\n";
        let (l, _, class, _, hint) = one_error(twice);
        assert_eq!((l, class), (5, "duplicate-entry"));
        assert_eq!(hint, "merge it with the entry on line 1");
        let pins = "- target: t\n  reading: { note: n, follows: a }\n  reason: r\n\
                    - target: t\n  reading: { note: n, follows: b }\n  reason: r\n";
        let (l, _, class, _, hint) = one_error(pins);
        assert_eq!((l, class), (4, "duplicate-entry"));
        assert!(hint.contains("line 1"), "{hint}");
    }

    #[test]
    fn a_missing_file_is_an_io_error() {
        let d = Baseline::load(Path::new("/nonexistent/specgate-baseline.yaml")).unwrap_err();
        assert_eq!((d.len(), d[0].class), (1, "io"));
        assert!(d[0].message.contains("cannot read the baseline"));
    }
}
