//! The baseline: a reviewed list of known deviations that the gate accepts, and that can only
//! shrink.
//!
//! ```yaml
//! - target: aliyun-prod
//!   case: alibaba-kms/ListKeys::sample-diff
//!   kind: diff
//!   pointer: /Keys/Key/*/KeyArn     # optional; `*` matches any one segment
//!   reason: the service returns the ARN in upper case
//!   link: https://example.com/issue/12   # optional
//!   expires: 2027-01-31                  # optional; valid through that day (UTC)
//! ```
//!
//! An entry with `reading:` instead of `case`/`kind` pins the reading of an ambiguous page that
//! the target follows (see [`ReadingPin`] and `docs/reports.md`):
//!
//! ```yaml
//! - target: aliyun-prod
//!   reading: { note: page-size-101, follows: a }
//!   reason: the production account refuses PageSize 101
//! ```
//!
//! A finding is accepted by an entry with the same target, case, kind and pointer that has not
//! expired. The gate fails on a finding no entry accepts, on an expired entry, and on a stale
//! entry: one whose case ran and gave a verdict without reproducing it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use time::Date;
use time::macros::format_description;

use super::model::{
    BaselineReport, EntryReport, EntryState, FindingReport, OutcomeReport, Report, Status,
};
use super::readings::ReadingPin;
use crate::diag::Diagnostic;
use crate::exec::Verdict;
use crate::finding::Finding;
use crate::yaml::{Node, NodeKind, Pos, Reader, SourceFile, parse_str};

const ENTRY_KEYS: &[&str] = &[
    "target", "case", "kind", "pointer", "reason", "link", "expires",
];

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
    pub kind: String,
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

/// Applies a baseline to a run's outcomes one at a time, and keeps what each entry made of them.
#[derive(Debug)]
pub(crate) struct BaselineTally {
    baseline: Baseline,
    today: Date,
    /// Entry indices by target, then case (looked up without allocating).
    by_case: HashMap<String, HashMap<String, Vec<usize>>>,
    /// Per entry: findings accepted, whether its case ran, whether it gave a verdict.
    matched: Vec<usize>,
    ran: Vec<bool>,
    judged: Vec<bool>,
}

impl BaselineTally {
    /// A tally of `baseline` for a run that started on `today` (UTC).
    pub(crate) fn new(baseline: Baseline, today: Date) -> BaselineTally {
        let mut by_case: HashMap<String, HashMap<String, Vec<usize>>> = HashMap::new();
        for (i, e) in baseline.entries.iter().enumerate() {
            by_case
                .entry(e.target.clone())
                .or_default()
                .entry(e.case.clone())
                .or_default()
                .push(i);
        }
        let n = baseline.entries.len();
        BaselineTally {
            baseline,
            today,
            by_case,
            matched: vec![0; n],
            ran: vec![false; n],
            judged: vec![false; n],
        }
    }

    /// Judges one outcome of `case` (a case id, without any repetition number): per finding,
    /// the entry that accepts it.
    ///
    /// Only findings of failed cases can be accepted: an error (transport, auth) is never a
    /// known deviation, it is a broken exchange.
    pub(crate) fn accept(
        &mut self,
        target: &str,
        case: &str,
        verdict: Verdict,
        findings: &[Finding],
    ) -> Vec<Option<usize>> {
        let Some(candidates) = self.by_case.get(target).and_then(|c| c.get(case)) else {
            return vec![None; findings.len()];
        };
        for &i in candidates {
            self.ran[i] = true;
            self.judged[i] |= matches!(verdict, Verdict::Pass | Verdict::Fail);
        }
        findings
            .iter()
            .map(|f| {
                if verdict != Verdict::Fail {
                    return None;
                }
                let entries = &self.baseline.entries;
                let i = candidates.iter().copied().find(|&i| {
                    let e = &entries[i];
                    !e.expired(self.today) && e.matches(target, case, f)
                })?;
                self.matched[i] += 1;
                Some(i)
            })
            .collect()
    }

    /// Every entry with its state in this run.
    pub(crate) fn finish(self) -> BaselineReport {
        let entries = self
            .baseline
            .entries
            .iter()
            .enumerate()
            .map(|(i, en)| {
                let n = self.matched[i];
                let state = if en.expired(self.today) {
                    EntryState::Expired
                } else if n > 0 {
                    EntryState::Reproduced
                } else if !self.ran[i] {
                    EntryState::NotRun
                } else if self.judged[i] {
                    EntryState::Stale
                } else {
                    EntryState::Unverified
                };
                EntryReport {
                    target: en.target.clone(),
                    case: en.case.clone(),
                    kind: en.kind.clone(),
                    pointer: en.pointer.clone(),
                    reason: en.reason.clone(),
                    link: en.link.clone(),
                    expires: en.expires.map(format_date),
                    line: en.pos.line,
                    state,
                    matched: n,
                    ran: self.ran[i],
                }
            })
            .collect();
        BaselineReport {
            file: self.baseline.file.display().to_string(),
            entries,
            pins: self.baseline.pins,
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
    let mut seen: HashMap<(String, String, String, String), usize> = HashMap::new();
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
        let key = (
            e.target.clone(),
            e.case.clone(),
            e.kind.clone(),
            e.pointer.clone(),
        );
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

/// Renders reading pins as baseline YAML.
fn render_pins(pins: &[ReadingPin]) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
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
    } else if let Some((k, pos)) = &kind
        && !crate::finding::kinds::ALL.contains(&k.as_str())
    {
        // A misspelt kind would match no finding: the entry would only ever be stale.
        let hint = match crate::diag::did_you_mean(k, crate::finding::kinds::ALL.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!(
                "the finding kinds are: {}",
                crate::finding::kinds::ALL.join(", ")
            ),
        };
        r.error_hint(
            Pos {
                len: k.chars().count().max(1),
                ..*pos
            },
            "unknown-kind",
            format!("no check reports a finding of kind `{k}`"),
            hint,
        );
        ok = false;
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
        kind: kind.0,
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

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(d: Date) -> String {
    let fmt = format_description!("[year]-[month]-[day]");
    d.format(&fmt).unwrap_or_default()
}

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

/// Every deviation of the run (failed, ambiguity and known cases), one entry per distinct
/// target, case, kind and pointer; entries that already accept a finding keep their reason, and
/// entries the run could not judge (case not run, or no verdict) are kept as they are. Stale
/// entries are dropped: the list only shrinks.
pub fn deviations(report: &Report) -> std::io::Result<Vec<NewEntry>> {
    let entries = report
        .baseline
        .as_ref()
        .map(|b| &b.entries[..])
        .unwrap_or(&[]);
    let mut out = Unique::default();
    let deviating = |s: Status| matches!(s, Status::Fail | Status::Ambiguity | Status::Known);
    for o in report.outcomes.filter_status(deviating) {
        let o = o?;
        for f in &o.findings {
            let entry = match f.baseline_entry.and_then(|i| entries.get(i)) {
                Some(e) => kept(e),
                None => unaccepted_entry(report, &o, f),
            };
            out.push(entry);
        }
    }
    // Entries this run could not judge stay as they are: their case did not run against that
    // target (a filtered run), or gave no verdict.
    for e in entries {
        let keep = match e.state {
            EntryState::NotRun | EntryState::Unverified => true,
            EntryState::Expired => !e.ran,
            EntryState::Reproduced | EntryState::Stale => false,
        };
        if keep {
            out.push(kept(e));
        }
    }
    Ok(out.list)
}

/// The entries that would accept this run's findings that no entry accepts: what report.md
/// offers to paste into the baseline.
pub fn unaccepted(report: &Report) -> std::io::Result<Vec<NewEntry>> {
    let mut out = Unique::default();
    let failing = |s: Status| matches!(s, Status::Fail | Status::Ambiguity);
    for o in report.outcomes.filter_status(failing) {
        let o = o?;
        for f in super::text::sorted_findings(&o) {
            if f.baseline_entry.is_none() {
                out.push(unaccepted_entry(report, &o, f));
            }
        }
    }
    Ok(out.list)
}

/// Entries in the order first pushed, one per target, case, kind and pointer.
#[derive(Default)]
struct Unique {
    list: Vec<NewEntry>,
    seen: std::collections::HashSet<(String, String, String, String)>,
}

impl Unique {
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

/// The entry for a finding no entry accepts: an expired entry that describes it keeps its
/// pattern, reason and link and asks for review; otherwise a new entry with a TODO reason.
fn unaccepted_entry(report: &Report, o: &OutcomeReport, f: &FindingReport) -> NewEntry {
    // The case the trial is a run of (an id that is not one stays as it is).
    let case =
        o.id.parse::<crate::id::CaseId>()
            .map_or_else(|_| o.id.clone(), |id| id.case().to_string());
    let case = case.as_str();
    if let Some(e) = expired_entry(report, &o.target, case, &f.kind, &f.pointer) {
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
        target: o.target.clone(),
        case: case.to_string(),
        kind: f.kind.clone(),
        pointer: f.pointer.clone(),
        reason: if o.status == Status::Ambiguity {
            format!("{TODO_REASON} (documentation ambiguity)")
        } else {
            TODO_REASON.to_string()
        },
        link: None,
        expires: None,
    }
}

/// The expired entry of the report's baseline that describes a finding, if any.
fn expired_entry<'r>(
    report: &'r Report,
    target: &str,
    case: &str,
    kind: &str,
    pointer: &str,
) -> Option<&'r EntryReport> {
    report.baseline.as_ref()?.entries.iter().find(|e| {
        e.state == EntryState::Expired
            && e.target == target
            && e.case == case
            && e.kind == kind
            && pointer_matches(&e.pointer, pointer)
    })
}

/// Renders entries as baseline YAML, one block per entry; strings are double-quoted.
pub fn render_entries(entries: &[NewEntry]) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
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

/// The whole text of a baseline file for the run's deviations.
pub fn render_file(report: &Report) -> std::io::Result<String> {
    render(report).map(|(text, _)| text)
}

/// The text of a baseline file for the run's deviations, and how many entries it holds.
fn render(report: &Report) -> std::io::Result<(String, usize)> {
    let entries = deviations(report)?;
    let mut out = String::from(
        "# Known deviations for `specgate run --baseline FILE` (see docs/reports.md).\n",
    );
    out.push_str(&format!(
        "# Written by `specgate run --write-baseline` from run {}: {} entr{}.\n",
        report.run.id,
        entries.len(),
        if entries.len() == 1 { "y" } else { "ies" }
    ));
    out.push_str(
        "# Review every reason before committing; errors (transport, auth) are never listed.\n",
    );
    let pins = report.baseline.as_ref().map_or(&[][..], |b| &b.pins[..]);
    if entries.is_empty() && pins.is_empty() {
        out.push_str("[]\n");
    } else {
        out.push_str(&render_entries(&entries));
        // Pins say what the target is expected to do, not what it did: they are kept as given.
        out.push_str(&render_pins(pins));
    }
    Ok((out, entries.len() + pins.len()))
}

/// Writes the run's deviations to `path`; an existing file is replaced only with `force`.
/// The file is written to a temporary file next to it and renamed into place. Returns how many
/// entries it holds.
pub fn write_file(path: &Path, report: &Report, force: bool) -> std::io::Result<usize> {
    if !force && path.exists() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!(
                "{} already exists; pass --force to replace it",
                path.display()
            ),
        ));
    }
    let (text, n) = render(report)?;
    super::write::atomic_write(path, text.as_bytes())?;
    Ok(n)
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
