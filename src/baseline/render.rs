//! Writing a baseline: the entries a run's deviations call for (the list only shrinks), and
//! their text as baseline YAML. Where the text goes (an atomic write, a section of report.md)
//! is the caller's business.

use std::collections::HashSet;
use std::path::Path;

use super::entry::{NewEntry, ReadingPin, pointer_matches};
use super::judge::{BaselineReport, EntryReport, EntryState};
use crate::finding::FindingKind;

/// The placeholder reason of a deviation no entry explains yet.
pub const TODO_REASON: &str = "TODO: say why this deviation is acceptable";

/// One finding of a deviating outcome (failed, ambiguity or known), as the baseline sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deviation<'a> {
    /// The target's name.
    pub target: &'a str,
    /// The case id, without any repetition number.
    pub case: &'a str,
    /// The finding kind.
    pub kind: FindingKind,
    /// The finding's pointer.
    pub pointer: &'a str,
    /// The index of the baseline entry that accepts it, if any.
    pub accepted_by: Option<usize>,
    /// True when the outcome is a documentation ambiguity (its TODO says so).
    pub ambiguity: bool,
}

/// The entries a run's deviations call for, in the order first added, one per distinct target,
/// case, kind and pointer.
pub(crate) struct NewEntries<'b> {
    entries: &'b [EntryReport],
    list: Vec<NewEntry>,
    seen: HashSet<(String, String, FindingKind, String)>,
}

impl<'b> NewEntries<'b> {
    /// Entries for a run judged against `baseline` (or none).
    pub(crate) fn new(baseline: Option<&'b BaselineReport>) -> NewEntries<'b> {
        NewEntries {
            entries: baseline.map_or(&[][..], |b| &b.entries[..]),
            list: Vec::new(),
            seen: HashSet::new(),
        }
    }

    /// Adds the entry for one deviation: the entry that accepts it keeps its reason; an expired
    /// entry that describes it keeps its pattern, reason and link and asks for review; otherwise
    /// a new entry with a TODO reason.
    pub(crate) fn add(&mut self, d: Deviation<'_>) {
        let entry = match d.accepted_by.and_then(|i| self.entries.get(i)) {
            Some(e) => kept(e),
            None => self.unaccepted_entry(d),
        };
        self.push(entry);
    }

    /// Keeps the entries this run could not judge as they are: their case did not run against
    /// that target (a filtered run), or gave no verdict. Stale entries are dropped.
    pub(crate) fn keep_unjudged(&mut self) {
        for e in self.entries {
            let keep = match e.state {
                EntryState::NotRun | EntryState::Unverified => true,
                EntryState::Expired => !e.ran,
                EntryState::Reproduced | EntryState::Stale => false,
            };
            if keep {
                self.push(kept(e));
            }
        }
    }

    /// The entries, in the order first added.
    pub(crate) fn finish(self) -> Vec<NewEntry> {
        self.list
    }

    fn push(&mut self, e: NewEntry) {
        let key = (e.target.clone(), e.case.clone(), e.kind, e.pointer.clone());
        if self.seen.insert(key) {
            self.list.push(e);
        }
    }

    fn unaccepted_entry(&self, d: Deviation<'_>) -> NewEntry {
        let expired = self.entries.iter().find(|e| {
            e.state == EntryState::Expired
                && e.target == d.target
                && e.case == d.case
                && e.kind == d.kind
                && pointer_matches(&e.pointer, d.pointer)
        });
        if let Some(e) = expired {
            return NewEntry {
                reason: format!(
                    "TODO: expired on {}; fix the target or renew. Was: {}",
                    e.expires.as_deref().unwrap_or("?"),
                    e.reason
                ),
                expires: None,
                ..kept(e)
            };
        }
        NewEntry {
            target: d.target.to_string(),
            case: d.case.to_string(),
            kind: d.kind,
            pointer: d.pointer.to_string(),
            reason: if d.ambiguity {
                format!("{TODO_REASON} (documentation ambiguity)")
            } else {
                TODO_REASON.to_string()
            },
            link: None,
            expires: None,
        }
    }
}

/// An existing entry, unchanged.
fn kept(e: &EntryReport) -> NewEntry {
    e.entry.clone()
}

/// A YAML double-quoted string.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Renders entries as baseline YAML, one block per entry; strings are double-quoted.
pub fn render_entries(entries: &[NewEntry]) -> String {
    let q = quoted;
    let mut out = String::new();
    for e in entries {
        out.push_str(&format!("- target: {}\n", q(&e.target)));
        out.push_str(&format!("  case: {}\n", q(&e.case)));
        out.push_str(&format!("  kind: {}\n", q(e.kind.as_str())));
        if !e.pointer.is_empty() {
            out.push_str(&format!("  pointer: {}\n", q(&e.pointer)));
        }
        out.push_str(&format!("  reason: {}\n", q(&e.reason)));
        if let Some(l) = &e.link {
            out.push_str(&format!("  link: {}\n", q(l)));
        }
        if let Some(x) = &e.expires {
            out.push_str(&format!("  expires: {x}\n"));
        }
    }
    out
}

/// Renders reading pins as baseline YAML.
fn render_pins(pins: &[ReadingPin]) -> String {
    let q = quoted;
    let mut out = String::new();
    for p in pins {
        out.push_str(&format!("- target: {}\n", q(&p.target)));
        out.push_str(&format!(
            "  reading: {{ note: {}, follows: {} }}\n",
            q(&p.note),
            q(&p.follows)
        ));
        out.push_str(&format!("  reason: {}\n", q(&p.reason)));
        if let Some(l) = &p.link {
            out.push_str(&format!("  link: {}\n", q(l)));
        }
    }
    out
}

/// The whole text of a baseline file written by run `run_id` with `entries` and the reading
/// `pins` (kept as given: they say what the target is expected to do, not what it did), and how
/// many entries it holds.
pub fn render_file(run_id: &str, entries: &[NewEntry], pins: &[ReadingPin]) -> (String, usize) {
    let mut out = String::from(
        "# Known deviations for `specgate run --baseline FILE` (see docs/reports.md).\n",
    );
    out.push_str(&format!(
        "# Written by `specgate run --write-baseline` from run {}: {} entr{}.\n",
        run_id,
        entries.len(),
        if entries.len() == 1 { "y" } else { "ies" }
    ));
    out.push_str(
        "# Review every reason before committing; errors (transport, auth) are never listed.\n",
    );
    if entries.is_empty() && pins.is_empty() {
        out.push_str("[]\n");
    } else {
        out.push_str(&render_entries(entries));
        out.push_str(&render_pins(pins));
    }
    (out, entries.len() + pins.len())
}

/// Refuses early (before anything is sent) when `--write-baseline` would overwrite a file.
pub fn check_writable(path: &Path, force: bool) -> Result<(), String> {
    if !force && path.exists() {
        return Err(format!(
            "--write-baseline {} would replace an existing file; pass --force to allow it, or write to a new file and compare",
            path.display()
        ));
    }
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
        && !parent.is_dir()
    {
        return Err(format!(
            "--write-baseline {}: the folder {} does not exist",
            path.display(),
            parent.display()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::baseline::{Baseline, BaselineTally, Entry};
    use crate::exec::Verdict;
    use crate::finding::{Finding, FindingKind};

    const FILE: &str = "\
- target: t
  case: s/O::a
  kind: schema
  pointer: /Keys/*
  reason: upper case
  link: https://example.com/1
- target: t
  case: s/O::b
  kind: diff
  reason: gone
- target: t
  case: s/O::c
  kind: diff
  reason: filtered out
- target: t
  case: s/O::d
  kind: diff
  reason: old
  expires: 2026-01-31
- target: t
  reading: { note: n, follows: a }
  reason: prod
";

    /// The baseline judged: a reproduced (a), stale (b), not run (c) and expired (d) entry.
    fn judged() -> (Baseline, BaselineReport) {
        let b = Baseline::parse(Path::new("b.yaml"), FILE).expect("valid");
        let mut t = BaselineTally::new(b.clone(), time::macros::date!(2026 - 06 - 01));
        let schema = [Finding::new(FindingKind::Schema, "m").at("/Keys/3")];
        t.accept("t", "s/O::a", Verdict::Fail, &schema);
        t.accept("t", "s/O::b", Verdict::Pass, &[]);
        t.accept(
            "t",
            "s/O::d",
            Verdict::Fail,
            &[Finding::new(FindingKind::Diff, "m")],
        );
        (b, t.finish())
    }

    fn deviation<'a>(case: &'a str, kind: FindingKind, pointer: &'a str) -> Deviation<'a> {
        Deviation {
            target: "t",
            case,
            kind,
            pointer,
            accepted_by: None,
            ambiguity: false,
        }
    }

    #[test]
    fn the_list_keeps_accepting_and_unjudged_entries_and_drops_stale_ones() {
        let (_, report) = judged();
        let mut n = NewEntries::new(Some(&report));
        n.add(Deviation {
            accepted_by: Some(0),
            ..deviation("s/O::a", FindingKind::Schema, "/Keys/3")
        });
        n.add(Deviation {
            accepted_by: Some(0),
            ..deviation("s/O::a", FindingKind::Schema, "/Keys/4")
        });
        n.add(deviation("s/O::d", FindingKind::Diff, ""));
        n.add(Deviation {
            ambiguity: true,
            ..deviation("s/O::e", FindingKind::Value, "/X")
        });
        n.keep_unjudged();
        let list = n.finish();
        let cases: Vec<&str> = list.iter().map(|e| e.case.as_str()).collect();
        // a once (the pattern, not each pointer), d renewed, e new, c kept; b (stale) dropped.
        assert_eq!(cases, ["s/O::a", "s/O::d", "s/O::e", "s/O::c"]);
        assert_eq!(
            (list[0].pointer.as_str(), list[0].reason.as_str()),
            ("/Keys/*", "upper case")
        );
        assert_eq!(
            list[1].reason,
            "TODO: expired on 2026-01-31; fix the target or renew. Was: old"
        );
        assert_eq!(list[1].expires, None);
        assert_eq!(
            list[2].reason,
            format!("{TODO_REASON} (documentation ambiguity)")
        );
        assert_eq!(list[3].reason, "filtered out");
    }

    #[test]
    fn a_rendered_file_loads_back_to_the_same_entries_and_pins() {
        let (b, report) = judged();
        let mut n = NewEntries::new(Some(&report));
        n.add(Deviation {
            accepted_by: Some(0),
            ..deviation("s/O::a", FindingKind::Schema, "/Keys/3")
        });
        n.add(deviation("s/O::e", FindingKind::Value, "/X \"quoted\""));
        n.keep_unjudged();
        let list = n.finish();
        let (text, count) = render_file("run-1", &list, &b.pins);
        assert_eq!(count, 4);
        assert!(text.contains("from run run-1: 3 entries."), "{text}");
        let back = Baseline::parse(Path::new("w.yaml"), &text).expect("the written file loads");
        let got: Vec<NewEntry> = back.entries.iter().map(Entry::written).collect();
        assert_eq!(got, list);
        assert_eq!(back.pins.len(), 1);
        assert_eq!(
            (back.pins[0].note.as_str(), back.pins[0].follows.as_str()),
            ("n", "a")
        );
        let (empty, n) = render_file("run-2", &[], &[]);
        assert_eq!(n, 0);
        assert!(
            empty.ends_with("[]\n") && empty.contains("0 entries"),
            "{empty}"
        );
        assert!(
            Baseline::parse(Path::new("e.yaml"), &empty)
                .expect("loads")
                .entries
                .is_empty()
        );
    }

    #[test]
    fn an_existing_file_or_a_missing_folder_is_refused_early() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let there = dir.path().join("b.yaml");
        std::fs::write(&there, "[]\n").expect("write");
        assert!(
            check_writable(&there, false)
                .unwrap_err()
                .contains("--force")
        );
        assert!(check_writable(&there, true).is_ok());
        assert!(check_writable(&dir.path().join("new.yaml"), false).is_ok());
        let missing = dir.path().join("no/b.yaml");
        assert!(
            check_writable(&missing, true)
                .unwrap_err()
                .contains("does not exist")
        );
    }
}
