//! The *Distinct deviations* section of report.html, drawn on the server as escaped HTML (see
//! [`distinct_deviations`]): what the target does differently, once per deviation, by reach.

use std::fmt::Write as _;
use std::io;

use super::super::distinct::{consequences, distinct_deviations};
use super::super::model::Report;
use super::escape;

/// At most this many deviations are listed.
const MAX_GROUPS: usize = 50;

/// The section's HTML, or nothing when no case fails.
pub(super) fn section(r: &Report) -> io::Result<String> {
    let groups = distinct_deviations(r)?;
    if groups.is_empty() {
        return Ok(String::new());
    }
    let mut out = format!(
        "<section id=\"distinct\"><h2>Distinct deviations ({})</h2>\n<p class=\"muted\">The findings of the failing cases grouped by operation, kind, pointer and expectation, most cases first; each case is detailed below.</p>\n<ul>\n",
        groups.len()
    );
    for g in groups.iter().take(MAX_GROUPS) {
        let n = g.cases.len();
        let _ = write!(
            out,
            "<li><strong>{n} case{}</strong> · <code>{}</code>: <span class=\"mono\">{}</span>{}",
            if n == 1 { "" } else { "s" },
            escape(&g.operation),
            escape(&g.text),
            escape(&consequences(g.consequences))
        );
        if let Some(d) = &g.diff {
            // Control characters escaped as report.md's and the console's diffs are.
            let d = crate::redact::escape_controls_multiline(d);
            let _ = write!(out, "<pre class=\"diff\">{}</pre>", escape(&d));
        }
        out.push_str("</li>\n");
    }
    if groups.len() > MAX_GROUPS {
        let _ = writeln!(
            out,
            "<li>… {} more in report.json</li>",
            groups.len() - MAX_GROUPS
        );
    }
    out.push_str("</ul></section>\n");
    Ok(out)
}
