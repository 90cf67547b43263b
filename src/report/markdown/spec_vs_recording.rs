//! The *Spec vs. recording* section of a `--reference` run: the spec's findings on answers
//! identical in shape to the recording's, where the recorded target does what the page says it
//! does not (`docs/parity.md`): the doc notes nobody has written yet.

use std::fmt::Write as _;

use super::super::model::*;
use super::inline::{cell_code, code, escape};

/// At most this many rows are listed (report.json has them all).
const MAX_ROWS: usize = 100;

pub(super) fn spec_vs_recording(out: &mut String, r: &Report) {
    let Some(s) = &r.spec_vs_recording else {
        return;
    };
    let n = s.disagreements.len();
    let _ = writeln!(out, "## Spec vs. recording ({n})\n");
    if !s.spec_checks {
        let _ = writeln!(
            out,
            "The spec's checks were off (`--checks parity`): nothing to hold the recording to.\n"
        );
        return;
    }
    let _ = writeln!(
        out,
        "Answers identical in shape to the recording {} that fail the spec's checks: the \
         recorded target answers the same, and the page says otherwise. Each is a doc note \
         nobody has written yet, or a deviation the recorded target shares.\n",
        code(&s.recording)
    );
    if n == 0 {
        let _ = writeln!(
            out,
            "None: no answer identical to the recording fails the spec.\n"
        );
        return;
    }
    let _ = writeln!(
        out,
        "| target | case | step | kind | pointer | finding | recording's verdict |"
    );
    let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- | --- |");
    for d in s.disagreements.iter().take(MAX_ROWS) {
        let or_dash = |v: &str| {
            if v.is_empty() {
                "—".to_string()
            } else {
                cell_code(v)
            }
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            cell_code(&d.target),
            match &d.source {
                Some(src) => format!("{} ({})", cell_code(&d.case), escape(&src.to_string())),
                None => cell_code(&d.case),
            },
            or_dash(&d.step),
            cell_code(&d.kind),
            or_dash(&d.pointer),
            escape(&d.message),
            d.recorded_verdict.as_deref().unwrap_or("—"),
        );
    }
    if n > MAX_ROWS {
        let _ = writeln!(out, "\n… {} more in report.json.", n - MAX_ROWS);
    }
    out.push('\n');
}
