//! The compatibility matrix (operation × target, case × target) and the field coverage.

use std::fmt::Write as _;

use super::super::matrix::percent;
use super::super::model::*;
use super::MAX_FIELDS;
use super::inline::{cell_code, code};

pub(super) fn matrix(out: &mut String, r: &Report) {
    let m = &r.matrix;
    let _ = writeln!(out, "## Compatibility matrix\n");
    if m.operations.is_empty() {
        let _ = writeln!(out, "No case ran.\n");
        return;
    }
    let multi = m.targets.len() > 1;
    let mut head = String::from("| operation |");
    let mut rule = String::from("| --- |");
    for t in &m.targets {
        let _ = write!(head, " {} |", cell_code(t));
        rule.push_str(" ---: |");
    }
    if multi {
        head.push_str(" all targets |");
        rule.push_str(" ---: |");
    }
    let _ = writeln!(out, "{head}\n{rule}");
    for row in &m.operations {
        let mut line = format!("| {} |", cell_code(&row.operation));
        for c in &row.cells {
            let _ = write!(line, " {} |", cell_text(c));
        }
        if multi {
            let _ = write!(line, " {} |", cell_text(&row.all));
        }
        let _ = writeln!(out, "{line}");
    }
    let mut line = String::from("| **score** |");
    for c in &m.per_target {
        let _ = write!(line, " **{}** |", cell_text(c));
    }
    if multi {
        let _ = write!(line, " **{}** |", cell_text(&m.overall));
    }
    let _ = writeln!(out, "{line}");
    if let Some(parity) = &m.parity {
        // `--reference`: the share of steps identical in shape to the recording.
        let mut line = String::from("| **parity** |");
        for c in parity {
            let _ = write!(line, " {} |", c.text());
        }
        if multi {
            let _ = write!(line, " {} |", super::super::matrix::overall(parity).text());
        }
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "A cell is passed / judged cases (score). Judged = passed + failed + ambiguities + known \
         deviations; errors, skipped and inconclusive cases are not judged and are noted apart. \
         The case × target grid is in report.html.\n"
    );
    if let Some(s) = &r.spec_vs_recording {
        let _ = writeln!(
            out,
            "Parity (`--reference` {}): the steps whose answers are identical in shape to the \
             recording (status, error code, content type, masked structure), every repetition \
             counted.\n",
            code(&s.recording)
        );
    }
}

pub(super) fn cell_text(c: &super::super::matrix::Cell) -> String {
    let mut s = c.text();
    let mut extra = Vec::new();
    if c.counts.known > 0 {
        extra.push(format!("{} known", c.counts.known));
    }
    if c.counts.error > 0 {
        extra.push(format!(
            "{} error{}",
            c.counts.error,
            if c.counts.error == 1 { "" } else { "s" }
        ));
    }
    let not_run = c.counts.not_run();
    if not_run > 0 {
        extra.push(format!("{not_run} not run"));
    }
    if c.counts.blocked > 0 {
        extra.push(format!("{} blocked", c.counts.blocked));
    }
    if c.counts.other_reading > 0 {
        extra.push(format!("{} other reading", c.counts.other_reading));
    }
    if !extra.is_empty() {
        let _ = write!(s, " · {}", extra.join(", "));
    }
    s
}

pub(super) fn coverage(out: &mut String, r: &Report) {
    if r.coverage.iter().all(|t| t.operations.is_empty()) {
        return;
    }
    let _ = writeln!(out, "### Field coverage\n");
    let _ = writeln!(
        out,
        "Documented response fields (the success schema's members) that appeared in a passing \
         case's answer; see docs/reports.md.\n"
    );
    let _ = writeln!(out, "| target | operation | fields compared |");
    let _ = writeln!(out, "| --- | --- | ---: |");
    for t in &r.coverage {
        for op in &t.operations {
            let _ = writeln!(
                out,
                "| {} | {} | {}/{}{} |",
                cell_code(&t.target),
                cell_code(&op.operation),
                op.compared.len(),
                op.documented,
                super::super::matrix::score(op.compared.len(), op.documented)
                    .map(|s| format!(" ({})", percent(s)))
                    .unwrap_or_default()
            );
        }
        let _ = writeln!(
            out,
            "| {} | **all** | **{}/{}{}** |",
            cell_code(&t.target),
            t.compared,
            t.documented,
            t.percent
                .map(|s| format!(" ({})", percent(s)))
                .unwrap_or_default()
        );
    }
    out.push('\n');
    let missing: Vec<_> = r
        .coverage
        .iter()
        .flat_map(|t| t.operations.iter().map(move |o| (t, o)))
        .filter(|(_, o)| !o.not_compared.is_empty())
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>Fields no passing case compared</summary>\n"
        );
        for (t, o) in missing {
            let mut fields: Vec<String> = o
                .not_compared
                .iter()
                .take(MAX_FIELDS)
                .map(|f| code(f))
                .collect();
            if o.not_compared.len() > MAX_FIELDS {
                fields.push(format!("… {} more", o.not_compared.len() - MAX_FIELDS));
            }
            let _ = writeln!(
                out,
                "- {} on {}: {}",
                code(&o.operation),
                code(&t.target),
                fields.join(", ")
            );
        }
        let _ = writeln!(out, "\n</details>\n");
    }
}
