//! Cases that gave no verdict: blocked by a set-up step, skipped, inconclusive.

use std::fmt::Write as _;
use std::io;

use super::super::model::*;
use super::MAX_CASES;
use super::inline::{code, escape};

/// The cases a deviating set-up step blocked: one line per set-up operation and target (the
/// deviation itself is reported once, by that operation's own cases), then each case.
pub(super) fn blocked(out: &mut String, r: &Report) -> io::Result<()> {
    let total = r.counts.blocked;
    if total == 0 {
        return Ok(());
    }
    let _ = writeln!(out, "## Blocked by a set-up step ({total})\n");
    let mut by_op: std::collections::BTreeMap<(String, String), usize> = Default::default();
    let mut lines = Vec::new();
    for o in r.outcomes.filter_status(|s| s == Status::Blocked) {
        let o = o?;
        let op = o.blocked_by.clone().unwrap_or_default();
        *by_op.entry((op, o.target.clone())).or_default() += 1;
        if lines.len() < MAX_CASES {
            lines.push(format!(
                "- {} on {}: {}",
                code(&o.id),
                code(&o.target),
                escape(o.reason.as_deref().unwrap_or("blocked"))
            ));
        }
    }
    for ((op, target), n) in &by_op {
        let _ = writeln!(
            out,
            "{} deviated on {} in a set-up step and blocked {n} case{}; its own cases report the deviation.\n",
            code(op),
            code(target),
            if *n == 1 { "" } else { "s" }
        );
    }
    for l in lines {
        let _ = writeln!(out, "{l}");
    }
    if total > MAX_CASES {
        let _ = writeln!(out, "- … and {} more", total - MAX_CASES);
    }
    out.push('\n');
    Ok(())
}

pub(super) fn not_run(out: &mut String, r: &Report) -> io::Result<()> {
    let total = r.counts.not_run();
    if total == 0 {
        return Ok(());
    }
    let _ = writeln!(out, "## Skipped and inconclusive ({total})\n");
    let not_run = |s: Status| matches!(s, Status::Skipped | Status::Inconclusive);
    for o in r.outcomes.filter_status(not_run).take(MAX_CASES) {
        let o = o?;
        let _ = writeln!(
            out,
            "- {} on {}: {}{}",
            code(&o.id),
            code(&o.target),
            o.status.label(),
            o.reason
                .as_deref()
                .map(|x| format!(": {}", escape(x)))
                .unwrap_or_default()
        );
    }
    if total > MAX_CASES {
        let _ = writeln!(out, "- … and {} more", total - MAX_CASES);
    }
    out.push('\n');
    Ok(())
}
