//! The *Distinct deviations* section that opens report.md: what the target does differently,
//! once per deviation, ordered by how many cases it fails (see [`distinct_deviations`]).

use std::fmt::Write as _;
use std::io;

use super::super::distinct::{consequences, distinct_deviations};
use super::super::model::*;
use super::inline::{code, escape, fenced};

/// At most this many deviations are listed.
const MAX_GROUPS: usize = 30;

pub(super) fn distinct(out: &mut String, r: &Report) -> io::Result<()> {
    let groups = distinct_deviations(r)?;
    if groups.is_empty() {
        return Ok(());
    }
    let _ = writeln!(out, "## Distinct deviations ({})\n", groups.len());
    let _ = writeln!(
        out,
        "The findings of the failing cases grouped by operation, kind, pointer and expectation, \
         most cases first; each case is detailed under *Failures* below.\n"
    );
    for g in groups.iter().take(MAX_GROUPS) {
        let n = g.cases.len();
        let _ = writeln!(
            out,
            "- **{n} case{}** · {}: {}{}",
            if n == 1 { "" } else { "s" },
            code(&g.operation),
            escape(&g.text),
            consequences(g.consequences)
        );
        if let Some(d) = &g.diff {
            let _ = writeln!(out, "\n{}", fenced("diff", d));
        }
    }
    if groups.len() > MAX_GROUPS {
        let _ = writeln!(out, "- … {} more in report.json", groups.len() - MAX_GROUPS);
    }
    out.push('\n');
    Ok(())
}
