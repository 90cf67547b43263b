//! The compatibility matrix as console text: one row per operation, one column per target,
//! each cell `passed/judged (score)` as in report.md. Printed at the end of a run that compared
//! two or more targets, before the gate line.

use crate::report::{Matrix, Report};

/// With `--reference`, one line per target: the share of steps identical in shape to the
/// recording, then how many spec findings the recording shares (report.md's *Spec vs.
/// recording*). `None` without `--reference`.
pub(super) fn parity_text(r: &Report) -> Option<String> {
    let cells = r.matrix.parity.as_ref()?;
    let s = r.spec_vs_recording.as_ref()?;
    let recording = crate::redact::escape_controls(&s.recording);
    let mut out = String::new();
    for c in cells {
        out.push_str(&format!(
            "parity with {recording}: {} {}\n",
            crate::redact::escape_controls(&c.target),
            c.text()
        ));
    }
    if s.spec_checks {
        let n = s.disagreements.len();
        out.push_str(&format!(
            "spec vs. recording: {n} spec finding{} on answers identical to the recording{}\n",
            if n == 1 { "" } else { "s" },
            if n == 0 {
                ""
            } else {
                " (see Spec vs. recording in report.md)"
            }
        ));
    }
    Some(out)
}

/// The aligned table, or `None` with fewer than two targets (report.md has the one column).
pub(super) fn matrix_text(m: &Matrix) -> Option<String> {
    if m.targets.len() < 2 {
        return None;
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut head = vec!["operation".to_string()];
    head.extend(
        m.targets
            .iter()
            .map(|t| crate::redact::escape_controls(t).into_owned()),
    );
    head.push("all targets".to_string());
    rows.push(head);
    for op in &m.operations {
        let mut row = vec![op.operation.clone()];
        row.extend(op.cells.iter().map(|c| c.text()));
        row.push(op.all.text());
        rows.push(row);
    }
    let mut total = vec!["score".to_string()];
    total.extend(m.per_target.iter().map(|c| c.text()));
    total.push(m.overall.text());
    rows.push(total);
    if let Some(parity) = &m.parity {
        let mut row = vec!["parity".to_string()];
        row.extend(parity.iter().map(|c| c.text()));
        row.push(crate::report::parity_overall(parity).text());
        rows.push(row);
    }
    let columns = rows[0].len();
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out =
        String::from("\ncompatibility matrix (passed/judged cases per operation and target):\n");
    for row in &rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let pad = widths[i].saturating_sub(cell.chars().count());
            if i == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    Some(out)
}
