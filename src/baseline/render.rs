//! Writing a baseline: the entries a run's deviations call for (the list only shrinks), and
//! their text as baseline YAML. Where the text goes (an atomic write, a section of report.md)
//! is the caller's business.

use std::collections::HashSet;
use std::path::Path;

use super::entry::{ReadingPin, pointer_matches};
use super::judge::{BaselineReport, EntryReport, EntryState};

/// A deviation of this run, as an entry to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    /// The target's name.
    pub target: String,
    /// The trial name.
    pub case: String,
    /// The finding kind.
    pub kind: String,
    /// The finding's pointer (or the accepting entry's pattern).
    pub pointer: String,
    /// The reason of the entry that already accepts it, or a TODO for a reviewer.
    pub reason: String,
    /// The accepting entry's link.
    pub link: Option<String>,
    /// The accepting entry's expiry.
    pub expires: Option<String>,
}

/// The placeholder reason of a deviation no entry explains yet.
pub const TODO_REASON: &str = "TODO: say why this deviation is acceptable";

/// One finding of a deviating outcome (failed, ambiguity or known), as the baseline sees it.
#[derive(Debug, Clone, Copy)]
pub struct Deviation<'a> {
    /// The target's name.
    pub target: &'a str,
    /// The case id, without any repetition number.
    pub case: &'a str,
    /// The finding kind.
    pub kind: &'a str,
    /// The finding's pointer.
    pub pointer: &'a str,
    /// The index of the baseline entry that accepts it, if any.
    pub accepted_by: Option<usize>,
    /// True when the outcome is a documentation ambiguity (its TODO says so).
    pub ambiguity: bool,
}

/// The entries a run's deviations call for, in the order first added, one per distinct target,
/// case, kind and pointer.
pub struct NewEntries<'b> {
    entries: &'b [EntryReport],
    list: Vec<NewEntry>,
    seen: HashSet<(String, String, String, String)>,
}

impl<'b> NewEntries<'b> {
    /// Entries for a run judged against `baseline` (or none).
    pub fn new(baseline: Option<&'b BaselineReport>) -> NewEntries<'b> {
        NewEntries {
            entries: baseline.map_or(&[][..], |b| &b.entries[..]),
            list: Vec::new(),
            seen: HashSet::new(),
        }
    }

    /// Adds the entry for one deviation: the entry that accepts it keeps its reason; an expired
    /// entry that describes it keeps its pattern, reason and link and asks for review; otherwise
    /// a new entry with a TODO reason.
    pub fn add(&mut self, d: Deviation<'_>) {
        let entry = match d.accepted_by.and_then(|i| self.entries.get(i)) {
            Some(e) => kept(e),
            None => self.unaccepted_entry(d),
        };
        self.push(entry);
    }

    /// Keeps the entries this run could not judge as they are: their case did not run against
    /// that target (a filtered run), or gave no verdict. Stale entries are dropped.
    pub fn keep_unjudged(&mut self) {
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
    pub fn finish(self) -> Vec<NewEntry> {
        self.list
    }

    fn push(&mut self, e: NewEntry) {
        let key = (
            e.target.clone(),
            e.case.clone(),
            e.kind.clone(),
            e.pointer.clone(),
        );
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
            kind: d.kind.to_string(),
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
    NewEntry {
        target: e.target.clone(),
        case: e.case.clone(),
        kind: e.kind.clone(),
        pointer: e.pointer.clone(),
        reason: e.reason.clone(),
        link: e.link.clone(),
        expires: e.expires.clone(),
    }
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
        out.push_str(&format!("  kind: {}\n", q(&e.kind)));
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
