//! The parity section of a `--reference` run's report.html, drawn on the server as escaped
//! HTML: per target the share of steps identical in shape to the recording (the matrix's parity
//! row), then *Spec vs. recording*: the spec's findings on answers identical to the recording.
//! Nothing without `--reference`, so other reports do not change.

use std::fmt::Write as _;

use super::super::model::Report;
use super::escape;

/// At most this many disagreements are listed (report.json has them all).
const MAX_ROWS: usize = 100;

/// The section's HTML, or nothing without `--reference`.
pub(super) fn section(r: &Report) -> String {
    let (Some(cells), Some(s)) = (&r.matrix.parity, &r.spec_vs_recording) else {
        return String::new();
    };
    let mut out = format!(
        "<section id=\"parity\"><h2>Parity with the recording</h2>\n<p class=\"muted\">Recording <code>{}</code>: per target, the steps whose answers are identical in shape to the recorded ones (status, error code, content type, masked structure).</p>\n<table class=\"matrix\"><thead><tr><th>target</th><th>parity</th></tr></thead><tbody>\n",
        escape(&s.recording)
    );
    for c in cells {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
            escape(&c.target),
            escape(&c.text())
        );
    }
    out.push_str("</tbody></table>\n");
    let n = s.disagreements.len();
    let _ = writeln!(out, "<h3>Spec vs. recording ({n})</h3>");
    if !s.spec_checks {
        out.push_str("<p class=\"muted\">The spec's checks were off (<code>--checks parity</code>): nothing to hold the recording to.</p>\n");
    } else if n == 0 {
        out.push_str(
            "<p class=\"muted\">None: no answer identical to the recording fails the spec.</p>\n",
        );
    } else {
        out.push_str("<p class=\"muted\">Answers identical in shape to the recording that fail the spec's checks: the recorded target answers the same, and the page says otherwise (a doc note nobody has written yet).</p>\n<table class=\"matrix\"><thead><tr><th>target</th><th>case</th><th>step</th><th>kind</th><th>pointer</th><th>finding</th><th>recording's verdict</th></tr></thead><tbody>\n");
        for d in s.disagreements.iter().take(MAX_ROWS) {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td><code>{}</code>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                escape(&d.target),
                escape(&d.case),
                d.source
                    .as_ref()
                    .map(|s| format!(" <span class=\"muted\">{}</span>", escape(&s.to_string())))
                    .unwrap_or_default(),
                escape(&d.step),
                escape(&d.kind),
                escape(&d.pointer),
                escape(&crate::redact::escape_controls(&d.message)),
                escape(d.recorded_verdict.as_deref().unwrap_or("—")),
            );
        }
        out.push_str("</tbody></table>\n");
        if n > MAX_ROWS {
            let _ = writeln!(
                out,
                "<p class=\"muted\">… {} more in report.json</p>",
                n - MAX_ROWS
            );
        }
    }
    out.push_str("</section>\n");
    out
}
