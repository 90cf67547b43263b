//! Plain-text pieces shared by the formats: one line per finding, capped values and bodies.

use super::model::{FindingReport, OutcomeReport, Report};

/// What a streaming writer writes, as a string (the `render_*` functions of each format).
pub(super) fn to_string(
    write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>,
) -> std::io::Result<String> {
    let mut out = Vec::new();
    write(&mut out)?;
    String::from_utf8(out).map_err(std::io::Error::other)
}

/// Cuts `s` to at most `max` characters, marking the cut with how much was left out.
pub(super) fn cap(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        s.to_string()
    } else {
        let kept: String = s.chars().take(max).collect();
        format!("{kept}… [{} more characters]", n - max)
    }
}

/// True when the finding has an expected or an actual value worth showing.
pub(super) fn has_values(f: &FindingReport) -> bool {
    !(f.expected.is_null() && f.actual.is_null())
}

/// The findings of an outcome grouped by step (in the order steps first appear), sorted by JSON
/// pointer within a step.
pub(super) fn sorted_findings(o: &OutcomeReport) -> Vec<&FindingReport> {
    let mut steps: Vec<&str> = Vec::new();
    for f in &o.findings {
        if !steps.contains(&f.step.as_str()) {
            steps.push(&f.step);
        }
    }
    let mut out: Vec<&FindingReport> = o.findings.iter().collect();
    out.sort_by(|a, b| {
        let sa = steps.iter().position(|s| *s == a.step);
        let sb = steps.iter().position(|s| *s == b.step);
        sa.cmp(&sb).then_with(|| a.pointer.cmp(&b.pointer))
    });
    out
}

/// One finding on one line, in the words of [`super::finding_text`], with the baseline entry
/// that accepts it: `[kind] step 2 at /Pointer: reason; expected X, actual Y [known deviation: baseline line 3]`.
pub(super) fn finding_line(f: &FindingReport, report: &Report) -> String {
    let mut s = super::finding_text::finding_text(f);
    if let Some(line) = baseline_line(f, report) {
        s.push_str(&format!(" [known deviation: baseline line {line}]"));
    }
    s
}

/// Why an outcome of status `other-reading` is not a failure: `the target follows another
/// reading of `page-size-101` than `b`, the one this case tests`.
pub fn other_reading_line(o: &OutcomeReport) -> String {
    format!(
        "the target follows another reading of `{}` than `{}`, the one this case tests",
        o.doc_note.as_deref().unwrap_or("?"),
        o.reading.as_deref().unwrap_or("?")
    )
}

/// Why a failed inferred case does not fail the gate by default, with its first finding.
pub fn ambiguity_line(o: &OutcomeReport) -> String {
    let first = sorted_findings(o)
        .first()
        .map(|f| format!(": {}", f.message))
        .unwrap_or_default();
    format!(
        "documentation ambiguity: the target reads doc note `{}` another way than this case{first} (fails the gate only with --strict-readings)",
        o.doc_note.as_deref().unwrap_or("?")
    )
}

/// The findings folded ([`super::finding_text::fold`]), one per line, each with the case
/// file:line:col of its step and the baseline entry that accepts it.
pub(super) fn findings_lines(findings: &[&FindingReport], report: &Report) -> String {
    let mut out = String::new();
    for g in super::finding_text::fold(findings) {
        out.push_str(&g.text());
        out.push_str(&super::finding_text::source_suffix(g.first));
        if let Some(line) = baseline_line(g.first, report) {
            out.push_str(&format!(" [known deviation: baseline line {line}]"));
        }
        out.push('\n');
    }
    out
}

/// The line of the baseline entry that accepts a finding.
pub(super) fn baseline_line(f: &FindingReport, report: &Report) -> Option<usize> {
    let i = f.baseline_entry?;
    Some(report.baseline.as_ref()?.entries.get(i)?.line)
}

/// Every finding of an outcome, then its diff: the body of a JUnit failure.
pub fn outcome_text(o: &OutcomeReport, report: &Report) -> String {
    let mut out = String::new();
    if o.status == super::model::Status::Ambiguity {
        out.push_str(
            "documentation ambiguity: this case tests an interpretation of an ambiguous page\n",
        );
    }
    out.push_str(&findings_lines(&sorted_findings(o), report));
    if let Some(d) = &o.diff
        && !d.is_empty()
    {
        out.push_str("\nmasked documented sample vs. actual:\n");
        out.push_str(&crate::redact::escape_controls_multiline(d));
        if !d.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// A duration in seconds with two decimals.
pub(super) fn seconds(ms: u64) -> String {
    format!("{:.2} s", ms as f64 / 1000.0)
}

/// The lines printed under the console summary: how the baseline changed the verdict, and
/// why the gate failed.
pub fn gate_summary(r: &Report) -> String {
    let mut out = String::new();
    if let Some(b) = &r.baseline {
        out.push_str(&format!(
            "baseline {}: {} known deviation{} accepted\n",
            b.file,
            r.counts.known,
            if r.counts.known == 1 { "" } else { "s" }
        ));
        for e in b.entries.iter().filter(|e| e.state.fails_gate()) {
            out.push_str(&format!(
                "  {}:{}: {} entry: [{}] {} on {}{}\n",
                b.file,
                e.line,
                e.state.as_str(),
                e.kind,
                e.case,
                e.target,
                if e.pointer.is_empty() {
                    String::new()
                } else {
                    format!(" at {}", e.pointer)
                }
            ));
        }
    }
    // Untested rows (a filtered run) are left to the report files, unless a reading is expected.
    let shown = r.readings.iter().filter(|row| {
        row.verdict != super::readings::ReadingVerdict::Untested || row.expected.is_some()
    });
    for row in shown {
        out.push_str(&format!(
            "readings: {} `{}` on {}: {} ({}){}\n",
            row.operation,
            row.note,
            row.target,
            row.verdict_text(),
            row.tallies_text(),
            match (&row.expected, &row.pinned_by) {
                (Some(e), Some(by)) => format!(
                    "; expected {e} ({by}){}",
                    if row.breaks_pin() {
                        ": NOT FOLLOWED"
                    } else {
                        ""
                    }
                ),
                _ => String::new(),
            }
        ));
    }
    out.push_str(&format!("gate: {}", r.gate.verdict.upper()));
    if !r.gate.reasons.is_empty() {
        out.push_str(&format!(": {}", r.gate.reasons.join("; ")));
    }
    out.push('\n');
    // Target names, notes and gate reasons can hold text from files and targets.
    crate::redact::escape_controls_multiline(&out).into_owned()
}
