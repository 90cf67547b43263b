//! `report.md`: the verdict, the counts, the matrix and every failure, sized to be a CI step
//! summary (long lists, values, diffs and bodies are capped; report.html has everything).

use std::fmt::Write as _;
use std::io;

use super::deviations::unaccepted;
use super::matrix::percent;
use super::model::*;
use super::text::{self, cap, has_values, sorted_findings};
use crate::baseline::render_entries;

/// At most this many cases are detailed per section.
const MAX_CASES: usize = 50;
/// At most this many findings are listed per case.
const MAX_FINDINGS: usize = 20;
/// At most this many lines of a diff are shown.
const MAX_DIFF_LINES: usize = 60;
/// Expected and actual values are cut at this many characters.
const MAX_VALUE: usize = 160;
/// A response body is cut at this many characters.
const MAX_BODY: usize = 1500;
/// At most this many never-compared fields are listed per operation.
const MAX_FIELDS: usize = 30;

/// Renders `report.md`. Only the outcomes it details are read back from the report's store.
pub fn render(r: &Report) -> io::Result<String> {
    let mut out = String::new();
    header(&mut out, r);
    matrix(&mut out, r);
    coverage(&mut out, r);
    readings(&mut out, r)?;
    failures(
        &mut out,
        r,
        Status::Fail,
        "Failures",
        "Documented (or observed) behaviour the target does not have.",
    )?;
    failures(
        &mut out,
        r,
        Status::Ambiguity,
        "Documentation ambiguities",
        "These `inferred` cases test one reading of an ambiguous page; the target reads it \
         differently. Decide which reading is right, then fix the case or add it to the baseline.",
    )?;
    errors(&mut out, r)?;
    known(&mut out, r)?;
    baseline(&mut out, r);
    accept(&mut out, r)?;
    blocked(&mut out, r)?;
    not_run(&mut out, r)?;
    Ok(out)
}

fn header(out: &mut String, r: &Report) {
    let verdict = r.gate.verdict.upper();
    let icon = if r.passed() { "✅" } else { "❌" };
    let _ = writeln!(out, "# {icon} specgate: {verdict}\n");
    let c = &r.counts;
    let targets = r.matrix.targets.len();
    let mut parts = vec![format!("{} passed", c.pass), format!("{} failed", c.fail)];
    for (n, one, many) in [
        (
            c.ambiguity,
            "documentation ambiguity",
            "documentation ambiguities",
        ),
        (c.known, "known deviation", "known deviations"),
        (c.error, "error", "errors"),
    ] {
        parts.push(format!("{n} {}", if n == 1 { one } else { many }));
    }
    parts.push(format!("{} skipped", c.skipped));
    parts.push(format!("{} inconclusive", c.inconclusive));
    if c.blocked > 0 {
        parts.push(format!("{} blocked by a set-up step", c.blocked));
    }
    if c.other_reading > 0 {
        parts.push(format!("{} following another reading", c.other_reading));
    }
    let _ = writeln!(
        out,
        "**{verdict}**: {} case{} on {targets} target{}: {}.\n",
        c.total,
        if c.total == 1 { "" } else { "s" },
        if targets == 1 { "" } else { "s" },
        parts.join(", ")
    );
    if r.run.partial {
        let _ = writeln!(
            out,
            "> **Partial report:** the run was interrupted; only the {} cases that finished are included.\n",
            c.total
        );
    }
    let mut meta = format!("Run {} · specgate {}", code(&r.run.id), r.tool.version);
    if r.run.stable {
        meta.push_str(" · stable report: times, ports and ids are placeholders");
    } else {
        let _ = write!(
            meta,
            " · started {} · {}",
            r.run.started_at,
            text::seconds(r.run.duration_ms)
        );
    }
    let _ = write!(meta, " · resource prefix {}", code(&r.run.run_prefix));
    if r.run.insecure {
        meta.push_str(" · **TLS certificates not verified** (`--insecure`)");
    }
    if r.run.allow_mutations {
        meta.push_str(" · mutations allowed");
    }
    let _ = writeln!(out, "{meta}\n");
    for t in &r.targets {
        let services: Vec<String> = t
            .services
            .iter()
            .map(|s| format!("{} {} ({})", s.name, code(&s.endpoint), s.auth))
            .collect();
        let _ = writeln!(
            out,
            "- target {}{}: {}",
            code(&t.name),
            if t.embedded {
                " (embedded emulator)"
            } else {
                ""
            },
            if services.is_empty() {
                "—".to_string()
            } else {
                services.join(", ")
            }
        );
    }
    if !r.targets.is_empty() {
        out.push('\n');
    }
    if r.gate.reasons.is_empty() {
        let _ = writeln!(
            out,
            "**Gate passed:** {}\n",
            if r.baseline.is_some() {
                "no failure outside the baseline, no error, and every baseline entry still reproduces."
            } else {
                "no failure and no error."
            }
        );
    } else {
        let _ = writeln!(out, "**Gate failed:**\n");
        for reason in &r.gate.reasons {
            let _ = writeln!(out, "- {}", escape(reason));
        }
        out.push('\n');
    }
}

fn matrix(out: &mut String, r: &Report) {
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
    let _ = writeln!(out, "{line}\n");
    let _ = writeln!(
        out,
        "A cell is passed / judged cases (score). Judged = passed + failed + ambiguities + known \
         deviations; errors, skipped and inconclusive cases are not judged and are noted apart. \
         The case × target grid is in report.html.\n"
    );
}

fn cell_text(c: &super::matrix::Cell) -> String {
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
    let not_run = c.counts.skipped + c.counts.inconclusive;
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

fn coverage(out: &mut String, r: &Report) {
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
                super::matrix::score(op.compared.len(), op.documented)
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

/// The *Readings* table (one row per doc note with readings and target), then the cases whose
/// reading the target does not follow.
fn readings(out: &mut String, r: &Report) -> io::Result<()> {
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

fn failures(
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
        for f in findings.iter().take(MAX_FINDINGS) {
            let _ = writeln!(out, "{}", finding_item(f, r));
        }
        if findings.len() > MAX_FINDINGS {
            let _ = writeln!(
                out,
                "- … {} more findings in report.html",
                findings.len() - MAX_FINDINGS
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

/// `- `/Pointer` **kind** (step): message: `expected` → `actual``.
fn finding_item(f: &FindingReport, r: &Report) -> String {
    let mut s = String::from("- ");
    if !f.pointer.is_empty() {
        let _ = write!(s, "{} ", code(&f.pointer));
    }
    let _ = write!(s, "**{}**", escape(&f.kind));
    if !f.step.is_empty() {
        let _ = write!(s, " · {}", escape(&f.step));
    }
    let _ = write!(s, ": {}", escape(&cap(&f.message, 300)));
    if has_values(f) {
        let _ = write!(
            s,
            ": {} → {}",
            code(&text::value(&f.expected, MAX_VALUE)),
            code(&text::value(&f.actual, MAX_VALUE))
        );
    }
    if let Some(line) = text::baseline_line(f, r) {
        let _ = write!(s, " *(known deviation, baseline line {line})*");
    }
    s
}

fn errors(out: &mut String, r: &Report) -> io::Result<()> {
    let total = r.counts.error;
    if total == 0 {
        return Ok(());
    }
    let _ = writeln!(out, "## Errors ({total})\n");
    let _ = writeln!(
        out,
        "Transport or auth problems: the exchange itself broke, so these are not conformance \
         verdicts. They fail the gate and cannot be baselined.\n"
    );
    for o in r.outcomes.with_status(Status::Error).take(MAX_CASES) {
        let o = &o?;
        let first = o
            .findings
            .iter()
            .find(|f| f.kind.starts_with("transport.") || f.kind.starts_with("auth."))
            .or(o.findings.first());
        match first {
            Some(f) => {
                let _ = writeln!(
                    out,
                    "- {} on {}: **{}**{}: {}",
                    code(&o.id),
                    code(&o.target),
                    escape(&f.kind),
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

fn known(out: &mut String, r: &Report) -> io::Result<()> {
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

fn entry_text(e: &EntryReport) -> String {
    let mut s = format!("line {}: **{}**", e.line, escape(&e.kind));
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

fn baseline(out: &mut String, r: &Report) {
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
fn accept(out: &mut String, r: &Report) -> io::Result<()> {
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

/// The cases a deviating set-up step blocked: one line per set-up operation and target (the
/// deviation itself is reported once, by that operation's own cases), then each case.
fn blocked(out: &mut String, r: &Report) -> io::Result<()> {
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

fn not_run(out: &mut String, r: &Report) -> io::Result<()> {
    let total = r.counts.skipped + r.counts.inconclusive;
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

/// Escapes text so that Markdown and inline HTML in it show literally.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Control characters first, as visible `\u{..}` (whose backslash is escaped below).
    for c in crate::redact::escape_controls_multiline(s).chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A code span that holds any text: the fence is longer than any backtick run inside.
pub fn code(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ");
    let s = crate::redact::escape_controls(&s);
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || s.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// A code span inside a table cell: pipes are escaped as GFM requires.
fn cell_code(s: &str) -> String {
    code(s).replace('|', "\\|")
}

/// A fenced block that holds any text: the fence is longer than any backtick run inside.
fn fenced(lang: &str, body: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let body = crate::redact::escape_controls_multiline(body);
    let body = body.trim_end_matches('\n');
    format!("{fence}{lang}\n{body}\n{fence}\n")
}

/// A link when the text is a plain http(s) URL, else a code span.
fn link(l: &str) -> String {
    let plain = (l.starts_with("https://") || l.starts_with("http://"))
        && !l
            .chars()
            .any(|c| c.is_whitespace() || "()<>[]`\"'".contains(c));
    if plain { format!("<{l}>") } else { code(l) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_backticks() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
    }

    #[test]
    fn escape_neutralises_markdown_and_html() {
        assert_eq!(escape("<b>*x*</b>"), "&lt;b&gt;\\*x\\*&lt;/b&gt;");
    }
}
