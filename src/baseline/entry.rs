//! What a baseline holds: its entries and reading pins, and the rule that matches an entry to a
//! finding.

use std::path::PathBuf;

use serde::Serialize;
use time::Date;
use time::macros::format_description;

use crate::finding::{Finding, FindingKind};
use crate::yaml::Pos;

/// A loaded baseline file.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    /// The file, as given.
    pub file: PathBuf,
    /// The entries, in file order.
    pub entries: Vec<Entry>,
    /// The `reading:` entries: which reading of an ambiguous page each target follows.
    pub pins: Vec<ReadingPin>,
}

/// One known deviation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The target's name.
    pub target: String,
    /// The trial name, `<service>/<Operation>::<case>`.
    pub case: String,
    /// The finding kind, e.g. `schema`.
    pub kind: FindingKind,
    /// The JSON pointer of the finding; `*` matches any one segment; empty for the whole.
    pub pointer: String,
    /// Why the deviation is accepted.
    pub reason: String,
    /// Where it is tracked.
    pub link: Option<String>,
    /// The last day (UTC) the entry is valid.
    pub expires: Option<Date>,
    /// Where the entry starts in the file.
    pub pos: Pos,
    /// Where its `target`, `case` and `kind` values are, for messages about them.
    pub places: EntryPlaces,
}

/// An entry as a baseline file writes it, without its place: a run's new entry, and the
/// written part of every judged entry ([`EntryReport`](super::EntryReport)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewEntry {
    /// The target's name.
    pub target: String,
    /// The trial name of the case.
    pub case: String,
    /// The finding kind.
    pub kind: FindingKind,
    /// The JSON pointer (`*` matches any one segment); empty for the whole response.
    pub pointer: String,
    /// Why the deviation is accepted (a TODO for a reviewer in a new entry).
    pub reason: String,
    /// Where it is tracked.
    pub link: Option<String>,
    /// The last day the entry is valid, `YYYY-MM-DD`.
    pub expires: Option<String>,
}

/// The places of an entry's values in the baseline file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EntryPlaces {
    /// The `target` value.
    pub target: Pos,
    /// The `case` value.
    pub case: Pos,
    /// The `kind` value.
    pub kind: Pos,
}

impl Entry {
    /// True when this entry describes `finding` of `case` against `target`.
    pub fn matches(&self, target: &str, case: &str, finding: &Finding) -> bool {
        self.target == target
            && self.case == case
            && self.kind == finding.kind
            && pointer_matches(&self.pointer, &finding.pointer)
    }

    /// The entry as a baseline file writes it.
    pub fn written(&self) -> NewEntry {
        NewEntry {
            target: self.target.clone(),
            case: self.case.clone(),
            kind: self.kind,
            pointer: self.pointer.clone(),
            reason: self.reason.clone(),
            link: self.link.clone(),
            expires: self.expires.map(format_date),
        }
    }

    /// True when the entry is past its `expires` day on `today`.
    pub fn expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|d| today > d)
    }
}

/// Whether a baseline pointer (with `*` segments) matches a finding's pointer.
pub fn pointer_matches(pattern: &str, pointer: &str) -> bool {
    if pattern == pointer {
        return true;
    }
    let (mut p, mut q) = (pattern.split('/'), pointer.split('/'));
    loop {
        match (p.next(), q.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == "*" || a == b => {}
            _ => return false,
        }
    }
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(d: Date) -> String {
    let fmt = format_description!("[year]-[month]-[day]");
    d.format(&fmt).unwrap_or_default()
}

/// A baseline entry that pins the reading a target follows:
///
/// ```yaml
/// - target: aliyun-prod
///   reading: { note: page-size-101, follows: a }
///   reason: the production account refuses PageSize 101
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadingPin {
    /// The target's name.
    pub target: String,
    /// The doc note's id (in every operation that has a note of that id).
    pub note: String,
    /// The reading the target is expected to follow.
    pub follows: String,
    /// Why this reading is expected.
    pub reason: String,
    /// Where it is tracked.
    pub link: Option<String>,
    /// Its line in the baseline file.
    pub line: usize,
    /// Where the pin's `reading` is written, for errors about it.
    #[serde(skip)]
    pub pos: crate::yaml::Pos,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(kind: FindingKind, pointer: &str) -> Finding {
        Finding::new(kind, "m").at(pointer)
    }

    fn entry(pointer: &str) -> Entry {
        Entry {
            target: "t".into(),
            case: "svc/Op::c".into(),
            kind: FindingKind::Schema,
            pointer: pointer.into(),
            reason: "r".into(),
            link: None,
            expires: None,
            pos: Pos::default(),
            places: EntryPlaces::default(),
        }
    }

    #[test]
    fn a_star_matches_exactly_one_segment() {
        assert!(pointer_matches("/Keys/Key/*/KeyArn", "/Keys/Key/0/KeyArn"));
        assert!(pointer_matches("/Keys/Key/*/KeyArn", "/Keys/Key/17/KeyArn"));
        assert!(!pointer_matches(
            "/Keys/Key/*/KeyArn",
            "/Keys/Key/0/1/KeyArn"
        ));
        assert!(!pointer_matches("/Keys/Key/*/KeyArn", "/Keys/Key/KeyArn"));
        assert!(!pointer_matches("/Keys/Key/*", "/Keys/Key/0/KeyArn"));
        assert!(pointer_matches("", ""));
        assert!(!pointer_matches("", "/Keys"));
        assert!(!pointer_matches("/a/b", "/a/c"));
    }

    #[test]
    fn an_entry_matches_its_target_case_kind_and_pointer() {
        let e = entry("/Keys/*");
        assert!(e.matches("t", "svc/Op::c", &finding(FindingKind::Schema, "/Keys/3")));
        assert!(!e.matches("u", "svc/Op::c", &finding(FindingKind::Schema, "/Keys/3")));
        assert!(!e.matches("t", "svc/Op::d", &finding(FindingKind::Schema, "/Keys/3")));
        assert!(!e.matches("t", "svc/Op::c", &finding(FindingKind::Diff, "/Keys/3")));
        assert!(!e.matches("t", "svc/Op::c", &finding(FindingKind::Schema, "/Other/3")));
    }

    #[test]
    fn an_entry_is_valid_through_its_expiry_day() {
        let day = time::macros::date!(2027 - 01 - 31);
        let e = Entry {
            expires: Some(day),
            ..entry("")
        };
        assert!(!e.expired(day));
        assert!(e.expired(day.next_day().unwrap()));
        assert!(!entry("").expired(day));
        assert_eq!(format_date(day), "2027-01-31");
    }
}
