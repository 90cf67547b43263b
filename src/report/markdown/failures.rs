//! Failures, documentation ambiguities, errors and known deviations, case by case.

use std::fmt::Write as _;
use std::io;

use super::super::finding_text::{Folded, MAX_MESSAGE, cut_middle, fold, value_text};
use super::super::model::*;
use super::super::text::{self, cap, has_values, sorted_findings};
use super::baseline::entry_text;
use super::inline::{code, escape, fenced};
use super::{MAX_BODY, MAX_CASES, MAX_DIFF_LINES, MAX_FINDINGS};

pub(super) fn failures(
    out: &mut String,
    r: &Report,
    status: Status,
    title: &str,
    intro: &str,
) -> io::Result<()> {
    let total = r.counts.get(status);
    if total == 0 {
        return Ok(());
    }
    let _ = writeln!(out, "## {title} ({total})\n");
    let _ = writeln!(out, "{intro}\n");
    for o in r.outcomes.with_status(status).take(MAX_CASES) {
        let o = &o?;
        let _ = writeln!(out, "### {} on {}\n", code(&o.id), code(&o.target));
        let findings = sorted_findings(o);
        let retries = match o.retries {
            0 => String::new(),
            1 => " · 1 retry after throttling".to_string(),
            n => format!(" · {n} retries after throttling"),
        };
        let _ = writeln!(
            out,
            "*{}* · {} finding{}{retries}\n",
            o.provenance.as_str(),
            findings.len(),
            if findings.len() == 1 { "" } else { "s" }
        );
        if let (false, Some(note)) = (o.set_aside_by.is_empty(), &o.reason) {
            let _ = writeln!(out, "Note: {}\n", escape(note));
        }
        let groups = fold(&findings);
        for g in groups.iter().take(MAX_FINDINGS) {
            let _ = writeln!(out, "{}", finding_item(g, r));
        }
        if groups.len() > MAX_FINDINGS {
            let _ = writeln!(
                out,
                "- … {} more findings in report.html",
                groups.len() - MAX_FINDINGS
            );
        }
        out.push('\n');
        if let Some(d) = &o.diff
            && !d.is_empty()
        {
            let lines: Vec<&str> = d.lines().collect();
            let _ = writeln!(
                out,
                "<details><summary>Masked diff: documented sample (-) vs. actual (+)</summary>\n"
            );
            let shown = lines[..lines.len().min(MAX_DIFF_LINES)].join("\n");
            let _ = writeln!(out, "{}", fenced("diff", &shown));
            if lines.len() > MAX_DIFF_LINES {
                let _ = writeln!(
                    out,
                    "… {} more lines in report.html\n",
                    lines.len() - MAX_DIFF_LINES
                );
            }
            let _ = writeln!(out, "</details>\n");
        }
        if let Some(x) = o.exchanges.last() {
            let _ = writeln!(
                out,
                "<details><summary>Last exchange{}</summary>\n",
                if x.step.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", escape(&x.step))
                }
            );
            let mut ex = format!("{} {}\n", x.request.method, x.request.url);
            if !x.request.body.is_empty() {
                let _ = writeln!(ex, "{}", cap(&x.request.body, MAX_BODY));
            }
            match &x.response {
                Some(resp) => {
                    let _ = write!(ex, "\n→ {}\n{}", resp.status, cap(&resp.body, MAX_BODY));
                }
                None => ex.push_str("\n→ no answer"),
            }
            let _ = writeln!(out, "{}", fenced("text", &ex));
            let _ = writeln!(out, "</details>\n");
        }
    }
    if total > MAX_CASES {
        let _ = writeln!(out, "… and {} more in report.json.\n", total - MAX_CASES);
    }
    Ok(())
}

/// `- `/Pointer` **kind** · step: reason; expected `X`, actual `Y` (`case.yaml:12:5`)`, in
/// the words of [`Folded::text`] (folded repeats say `× 10 at `/A/*/B``).
pub(super) fn finding_item(g: &Folded<'_>, r: &Report) -> String {
    let f = g.first;
    let mut s = String::from("- ");
    let _ = write!(s, "**{}**", escape(f.kind.as_str()));
    if !f.step.is_empty() {
        let _ = write!(s, " · {}", escape(&f.step));
    }
    if g.count == 1 && !f.pointer.is_empty() {
        let _ = write!(s, " at {}", code(&f.pointer));
    }
    let _ = write!(s, ": {}", escape(&cut_middle(&f.message, MAX_MESSAGE)));
    if has_values(f) {
        let _ = write!(
            s,
            "; expected {}, actual {}",
            code(&value_text(&f.expected)),
            code(&value_text(&f.actual))
        );
    }
    if g.count > 1 {
        let _ = write!(
            s,
            " × {} at {} (first: {})",
            g.count,
            code(&g.pattern),
            code(&f.pointer)
        );
    }
    if let Some(src) = &f.source {
        let _ = write!(s, " ({})", code(&src.to_string()));
    }
    if let Some(line) = text::baseline_line(f, r) {
        let _ = write!(s, " *(known deviation, baseline line {line})*");
    }
    s
}

pub(super) fn errors(out: &mut String, r: &Report) -> io::Result<()> {
    let total = r.counts.error;
    if total == 0 {
        return Ok(());
    }
    let _ = writeln!(out, "## Errors ({total})\n");
    let _ = writeln!(
        out,
        "Transport, auth or harness problems: the exchange itself broke or could not be sent, so these are not conformance \
         verdicts. They fail the gate and cannot be baselined.\n"
    );
    for o in r.outcomes.with_status(Status::Error).take(MAX_CASES) {
        let o = &o?;
        let first = o
            .findings
            .iter()
            .find(|f| f.is_error())
            .or(o.findings.first());
        match first {
            Some(f) => {
                let _ = writeln!(
                    out,
                    "- {} on {}: **{}**{}: {}",
                    code(&o.id),
                    code(&o.target),
                    escape(f.kind.as_str()),
                    if f.step.is_empty() {
                        String::new()
                    } else {
                        format!(" · {}", escape(&f.step))
                    },
                    escape(&cap(&f.message, 300))
                );
            }
            None => {
                let _ = writeln!(out, "- {} on {}", code(&o.id), code(&o.target));
            }
        }
    }
    if total > MAX_CASES {
        let _ = writeln!(out, "- … and {} more in report.json", total - MAX_CASES);
    }
    out.push('\n');
    Ok(())
}

pub(super) fn known(out: &mut String, r: &Report) -> io::Result<()> {
    let total = r.counts.known;
    if total == 0 {
        return Ok(());
    }
    let _ = writeln!(out, "## Known deviations ({total})\n");
    let _ = writeln!(
        out,
        "Failing cases whose every finding the baseline accepts; they do not fail the gate.\n"
    );
    let entries = r.baseline.as_ref().map(|b| &b.entries[..]).unwrap_or(&[]);
    for o in r.outcomes.with_status(Status::Known).take(MAX_CASES) {
        let o = o?;
        let _ = writeln!(out, "- {} on {}", code(&o.id), code(&o.target));
        let mut used: Vec<usize> = o.findings.iter().filter_map(|f| f.baseline_entry).collect();
        used.sort_unstable();
        used.dedup();
        for i in used {
            if let Some(e) = entries.get(i) {
                let _ = writeln!(out, "  - {}", entry_text(e));
            }
        }
    }
    if total > MAX_CASES {
        let _ = writeln!(out, "- … and {} more in report.json", total - MAX_CASES);
    }
    out.push('\n');
    Ok(())
}
