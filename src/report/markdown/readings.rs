//! The *Readings* section: which reading of each ambiguous page a target follows.

use std::fmt::Write as _;
use std::io;

use super::super::model::*;
use super::MAX_CASES;
use super::inline::{cell_code, code, escape};

/// The *Readings* table (one row per doc note with readings and target), then the cases whose
/// reading the target does not follow.
pub(super) fn readings(out: &mut String, r: &Report) -> io::Result<()> {
    if r.readings.is_empty() {
        return Ok(());
    }
    let _ = writeln!(
        out,
        "## Readings
"
    );
    let _ = writeln!(
        out,
        "Where a page allows several readings, each case tests one; a cell is passed / judged \
         cases of that reading. A failed case of a reading the target does not follow is not a \
         conformance failure unless the reading is expected (a baseline pin, \
         `--strict-readings`).\n"
    );
    let _ = writeln!(
        out,
        "| operation | note | target | cases per reading | reading followed | expected |"
    );
    let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- |");
    for row in &r.readings {
        let expected = match (&row.expected, &row.pinned_by) {
            (Some(e), Some(by)) => format!("{} ({})", cell_code(e), escape(by)),
            (Some(e), None) => cell_code(e),
            _ => "—".to_string(),
        };
        let verdict = if row.breaks_pin() {
            format!("**{}** ❌", row.verdict_text())
        } else {
            row.verdict_text()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {verdict} | {expected} |",
            cell_code(&row.operation),
            cell_code(&row.note),
            cell_code(&row.target),
            escape(&row.tallies_text()),
        );
    }
    out.push('\n');
    let total = r.counts.other_reading;
    if total > 0 {
        let _ = writeln!(
            out,
            "<details><summary>Cases of another reading ({total})</summary>\n"
        );
        for o in r.outcomes.with_status(Status::OtherReading).take(MAX_CASES) {
            let o = o?;
            let _ = writeln!(
                out,
                "- {} on {}: reading {} of {}",
                code(&o.id),
                code(&o.target),
                code(o.reading.as_deref().unwrap_or("?")),
                code(o.doc_note.as_deref().unwrap_or("?"))
            );
        }
        if total > MAX_CASES {
            let _ = writeln!(out, "- … {} more in report.html", total - MAX_CASES);
        }
        let _ = writeln!(out, "\n</details>\n");
    }
    Ok(())
}
