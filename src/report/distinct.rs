//! The run's distinct deviations: the findings of the cases that fail the gate, grouped by
//! operation, kind, pointer (indices as `*`) and expectation, each group with the number of
//! cases it fails, ordered by reach (most cases first); a group seen in fewer cases than another
//! group of the same operation, and only in cases that group fails, is counted as its consequence. Three deviations of a target read as
//! three lines here, however many cases each one fails.

use std::collections::BTreeSet;

use super::finding_text::{fold, pointer_pattern};
use super::model::{Report, Status};
use super::text::sorted_findings;

/// The most lines of a masked diff kept as a group's example.
const MAX_DIFF_LINES: usize = 12;

/// One distinct deviation and its reach.
#[derive(Debug, Clone)]
pub struct DeviationGroup {
    /// The operation of the cases, `alibaba-kms/ListKeys`.
    pub operation: String,
    /// The finding kind.
    pub kind: crate::finding::FindingKind,
    /// The pointer with array indices as `*`.
    pub pointer: String,
    /// The expectation, as JSON text.
    pub expected: String,
    /// Every case (and target) it fails, `id on target`.
    pub cases: BTreeSet<String>,
    /// The first finding's line, as [`super::finding_text::Folded::text`] words it.
    pub text: String,
    /// For a `diff` deviation, the first case's masked diff, at most `MAX_DIFF_LINES` (12) lines
    /// (other deviations are shown by their finding's text).
    pub diff: Option<String>,
    /// Other findings seen only in cases this deviation already fails (of the same operation):
    /// its consequences (`Keys` is an array, so nothing is at `/Keys/Key`), folded into it.
    pub consequences: usize,
}

/// The distinct deviations of the cases that fail the gate (failures; ambiguities under
/// `--strict-readings`), most cases first, then by operation, kind and pointer.
pub fn distinct_deviations(r: &Report) -> std::io::Result<Vec<DeviationGroup>> {
    let strict = r.run.strict_readings;
    let failing = move |s: Status| s == Status::Fail || (strict && s == Status::Ambiguity);
    let mut groups: Vec<DeviationGroup> = Vec::new();
    for o in r.outcomes.filter_status(failing) {
        let o = o?;
        let findings = sorted_findings(&o);
        for g in fold(&findings) {
            let f = g.first;
            if f.baseline_entry.is_some() {
                continue;
            }
            let pointer = pointer_pattern(&f.pointer);
            let expected = f.expected.to_string();
            let case = format!("{} on {}", o.id, o.target);
            let at = groups.iter().position(|d| {
                d.operation == o.operation
                    && d.kind == f.kind
                    && d.pointer == pointer
                    && d.expected == expected
            });
            match at {
                Some(i) => {
                    groups[i].cases.insert(case);
                }
                None => groups.push(DeviationGroup {
                    operation: o.operation.clone(),
                    kind: f.kind,
                    pointer,
                    expected,
                    cases: BTreeSet::from([case]),
                    text: g.text(),
                    consequences: 0,
                    diff: o
                        .diff
                        .as_ref()
                        .filter(|d| f.kind == crate::finding::FindingKind::Diff && !d.is_empty())
                        .map(|d| {
                            d.lines()
                                .take(MAX_DIFF_LINES)
                                .collect::<Vec<_>>()
                                .join("\n")
                        }),
                }),
            }
        }
    }
    groups.sort_by(|a, b| {
        b.cases
            .len()
            .cmp(&a.cases.len())
            .then_with(|| a.operation.cmp(&b.operation))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.pointer.cmp(&b.pointer))
    });
    // A group seen in fewer cases than a group of the same operation, and only in cases that
    // group already fails, is a consequence of it, not a deviation of its own.
    let mut kept: Vec<DeviationGroup> = Vec::new();
    for g in groups {
        match kept.iter_mut().find(|k| {
            k.operation == g.operation
                && k.cases.len() > g.cases.len()
                && g.cases.is_subset(&k.cases)
        }) {
            Some(k) => k.consequences += 1 + g.consequences,
            None => kept.push(g),
        }
    }
    Ok(kept)
}

/// ` (+2 findings that follow from it)`, or nothing.
pub(super) fn consequences(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => " (+1 finding that follows from it)".into(),
        n => format!(" (+{n} findings that follow from it)"),
    }
}

/// The console's opening lines: `distinct deviations: 3 (by the cases they fail)`, then one
/// line per group, `  31 cases  alibaba-kms/ListKeys  [schema] at /Keys: …`.
pub fn distinct_text(r: &Report) -> std::io::Result<String> {
    let groups = distinct_deviations(r)?;
    if groups.is_empty() {
        return Ok(String::new());
    }
    let mut out = format!(
        "distinct deviations: {} (by the cases they fail)\n",
        groups.len()
    );
    for g in &groups {
        let n = g.cases.len();
        out.push_str(&format!(
            "  {n:>4} case{} {}  {}{}\n",
            if n == 1 { " " } else { "s" },
            g.operation,
            g.text,
            consequences(g.consequences)
        ));
    }
    Ok(crate::redact::escape_controls_multiline(&out).into_owned())
}
