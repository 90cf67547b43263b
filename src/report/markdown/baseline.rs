//! The baseline's entries and what the run made of them, and the lines to paste into it.

use std::fmt::Write as _;
use std::io;

use super::super::deviations::unaccepted;
use super::super::model::*;
use super::super::text::cap;
use super::MAX_CASES;
use super::inline::{code, escape, fenced, link};
use crate::baseline::render_entries;

pub(super) fn entry_text(e: &EntryReport) -> String {
    let mut s = format!("line {}: **{}**", e.line, escape(e.kind.as_str()));
    if !e.pointer.is_empty() {
        let _ = write!(s, " at {}", code(&e.pointer));
    }
    let _ = write!(s, ": {}", escape(&cap(&e.reason, 300)));
    if let Some(l) = &e.link {
        let _ = write!(s, " ({})", link(l));
    }
    if let Some(x) = &e.expires {
        let _ = write!(s, ", expires {x}");
    }
    s
}

pub(super) fn baseline(out: &mut String, r: &Report) {
    let Some(b) = &r.baseline else { return };
    let _ = writeln!(out, "## Baseline {}\n", code(&b.file));
    let count = |s: EntryState| b.entries.iter().filter(|e| e.state == s).count();
    let _ = writeln!(
        out,
        "{} entr{}: {} reproduced, {} stale, {} expired, {} not run, {} unverified.\n",
        b.entries.len(),
        if b.entries.len() == 1 { "y" } else { "ies" },
        count(EntryState::Reproduced),
        count(EntryState::Stale),
        count(EntryState::Expired),
        count(EntryState::NotRun),
        count(EntryState::Unverified),
    );
    for (state, title) in [
        (
            EntryState::Stale,
            "Stale: the case ran and no longer shows this deviation; remove the entry",
        ),
        (
            EntryState::Expired,
            "Expired: fix the target, or renew the entry with a new date",
        ),
        (
            EntryState::Unverified,
            "Unverified: the case gave no verdict (error, skipped or inconclusive)",
        ),
        (
            EntryState::NotRun,
            "Not run: the case did not run against that target",
        ),
    ] {
        let list: Vec<&EntryReport> = b.entries.iter().filter(|e| e.state == state).collect();
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{title}:\n");
        for e in list.iter().take(MAX_CASES) {
            let _ = writeln!(
                out,
                "- {} on {}, {}",
                code(&e.case),
                code(&e.target),
                entry_text(e)
            );
        }
        if list.len() > MAX_CASES {
            let _ = writeln!(out, "- … and {} more", list.len() - MAX_CASES);
        }
        out.push('\n');
    }
}

/// The exact lines to paste into the baseline to accept this run's new deviations.
pub(super) fn accept(out: &mut String, r: &Report) -> io::Result<()> {
    let entries = unaccepted(r)?;
    if entries.is_empty() {
        return Ok(());
    }
    let _ = writeln!(out, "## To accept the new deviations\n");
    let _ = writeln!(
        out,
        "If a deviation is acceptable, add its entry to the baseline file with a real reason \
         (or write them all with `specgate run --write-baseline FILE`):\n"
    );
    let shown = entries.len().min(MAX_CASES);
    let _ = writeln!(
        out,
        "{}",
        fenced("yaml", &render_entries(&entries[..shown]))
    );
    if entries.len() > shown {
        let _ = writeln!(out, "… and {} more entries.\n", entries.len() - shown);
    }
    Ok(())
}
