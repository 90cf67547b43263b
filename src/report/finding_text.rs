//! The one way a finding is worded, for every format (console, report.md, junit.xml,
//! report.html): the reason first, then what was expected and what came back, long values cut in
//! the middle, and the same finding repeated over an array folded into one line with a count.
//!
//! `[pattern] step 1 (list) at /Keys/Key/0/KeyId: does not match ^key-; expected "^key-", actual "abc…xyz (40 characters cut)"`
//!
//! `[pattern] step 1 (list): does not match ^key-; expected …, actual … × 10 at /Keys/Key/*/KeyId (first: /Keys/Key/0/KeyId)`

use serde_json::Value;

use super::outcome::FindingReport;

/// The most characters a value keeps before it is cut in the middle.
pub(super) const MAX_VALUE: usize = 120;

/// The most characters a message keeps before it is cut in the middle.
pub(super) const MAX_MESSAGE: usize = 300;

/// Cuts `s` to about `max` characters by leaving out its middle: `abc…xyz (40 characters cut)`,
/// so that both the start and the end (where a reason often is) stay readable.
pub fn cut_middle(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let head = max.div_ceil(2);
    let tail = max - head;
    let start: String = s.chars().take(head).collect();
    let end: String = s.chars().skip(n - tail).collect();
    format!("{start}…{end} ({} characters cut)", n - max)
}

/// A JSON value on one line, cut in the middle.
pub(super) fn value_text(v: &Value) -> String {
    cut_middle(&v.to_string(), MAX_VALUE)
}

/// The pointer with every array index (a segment of digits only) replaced by `*`:
/// `/Keys/Key/3/KeyId` → `/Keys/Key/*/KeyId`.
pub fn pointer_pattern(pointer: &str) -> String {
    if pointer.is_empty() {
        return String::new();
    }
    pointer
        .split('/')
        .map(|seg| {
            if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
                "*"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The shape of a message: quoted text and numbers left out, so that `"a" does not match` and
/// `"b" does not match` have one shape.
fn message_shape(message: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    let mut last_digit = false;
    for c in message.chars() {
        if c == '"' {
            quoted = !quoted;
            if quoted {
                out.push('"');
            }
            continue;
        }
        if quoted {
            continue;
        }
        if c.is_ascii_digit() {
            if !last_digit {
                out.push('#');
            }
            last_digit = true;
            continue;
        }
        last_digit = false;
        out.push(c);
    }
    out
}

/// The reason and the values of a finding, without kind, step or pointer:
/// `does not match ^key-; expected "^key-", actual "abc"`.
fn reason(f: &FindingReport) -> String {
    let mut s = cut_middle(&f.message, MAX_MESSAGE);
    if !(f.expected.is_null() && f.actual.is_null()) {
        s.push_str(&format!(
            "; expected {}, actual {}",
            value_text(&f.expected),
            value_text(&f.actual)
        ));
    }
    s
}

/// `[kind] step 2 (name)`: what a finding's line starts with.
fn head(f: &FindingReport) -> String {
    let mut s = format!("[{}]", f.kind);
    if !f.step.is_empty() {
        s.push(' ');
        s.push_str(&f.step);
    }
    s
}

/// One finding on one line: `[kind] step 2 at /Pointer: reason; expected X, actual Y`, control
/// characters (newlines included) escaped so that a target cannot forge a line.
pub fn finding_text(f: &FindingReport) -> String {
    let mut s = head(f);
    if !f.pointer.is_empty() {
        s.push_str(" at ");
        s.push_str(&f.pointer);
    }
    s.push_str(": ");
    s.push_str(&reason(f));
    crate::redact::escape_controls(&s).into_owned()
}

/// A finding, or the same finding repeated over the items of an array.
#[derive(Debug, Clone)]
pub struct Folded<'a> {
    /// The first finding of the group, in the order given.
    pub first: &'a FindingReport,
    /// How many findings the group holds (1 for a finding that is not repeated).
    pub count: usize,
    /// The pointer with indices as `*`.
    pub pattern: String,
}

impl Folded<'_> {
    /// The group on one line: the finding's own line when it is alone, else
    /// `[kind] step: reason × 10 at /Keys/Key/*/KeyId (first: /Keys/Key/0/KeyId)`, the reason
    /// and values being the first finding's.
    pub fn text(&self) -> String {
        if self.count == 1 {
            return finding_text(self.first);
        }
        let s = format!(
            "{}: {} × {} at {} (first: {})",
            head(self.first),
            reason(self.first),
            self.count,
            self.pattern,
            self.first.pointer
        );
        crate::redact::escape_controls(&s).into_owned()
    }
}

/// The findings folded: those of one kind, step, message shape and expectation whose pointers
/// differ only in array indices become one group with a count, at the place of the first. A
/// finding whose pointer has no index is never folded.
pub fn fold<'a>(findings: &[&'a FindingReport]) -> Vec<Folded<'a>> {
    let mut out: Vec<Folded<'a>> = Vec::new();
    let mut keys: Vec<Option<(String, String)>> = Vec::new();
    for &f in findings {
        let pattern = pointer_pattern(&f.pointer);
        let key = (pattern != f.pointer).then(|| (pattern.clone(), message_shape(&f.message)));
        let same = key.as_ref().and_then(|k| {
            out.iter().zip(&keys).position(|(g, gk)| {
                gk.as_ref() == Some(k)
                    && g.first.kind == f.kind
                    && g.first.step == f.step
                    && g.first.expected == f.expected
            })
        });
        match same {
            Some(i) => out[i].count += 1,
            None => {
                out.push(Folded {
                    first: f,
                    count: 1,
                    pattern,
                });
                keys.push(key);
            }
        }
    }
    out
}

/// Where the finding is written: `  at cases/x.yaml:12:7`, or nothing when it is not known.
pub(super) fn source_suffix(f: &FindingReport) -> String {
    match &f.source {
        Some(s) => format!(
            " ({}:{}:{})",
            crate::redact::escape_controls(&s.file),
            s.line,
            s.col
        ),
        None => String::new(),
    }
}

/// The findings of a failure, folded, one per line with `indent` before it and the case
/// file:line:col of the step after it.
pub fn findings_block(findings: &[&FindingReport], indent: &str) -> String {
    let mut out = String::new();
    for g in fold(findings) {
        out.push_str(indent);
        out.push_str(&g.text());
        out.push_str(&source_suffix(g.first));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Finding, kinds};
    use serde_json::json;

    fn report(f: Finding) -> FindingReport {
        FindingReport {
            finding: f,
            baseline_entry: None,
            source: None,
        }
    }

    #[test]
    fn long_values_are_cut_in_the_middle_with_the_cut_stated() {
        let s: String = ('a'..='z').cycle().take(50).collect();
        let cut = cut_middle(&s, 10);
        assert_eq!(cut, "abcde…tuvwx (40 characters cut)");
        assert_eq!(cut_middle("short", 10), "short");
    }

    #[test]
    fn the_reason_comes_before_the_values() {
        let big: Vec<Value> = (0..50)
            .map(|i| json!({ "KeyId": format!("k{i}") }))
            .collect();
        let f = report(
            Finding::new(kinds::SCHEMA, "value is not of type \"object\"")
                .at("/Keys")
                .values(json!({"type": "object"}), Value::Array(big)),
        );
        let t = finding_text(&f);
        assert!(
            t.starts_with("[schema] at /Keys: value is not of type \"object\"; expected {\"type\":\"object\"}, actual [{\"KeyId\":\"k0\"}"),
            "{t}"
        );
        assert!(t.contains("characters cut)"), "{t}");
        assert!(
            t.contains("{\"KeyId\":\"k49\"}]"),
            "the end of the value stays: {t}"
        );
    }

    #[test]
    fn repeats_over_an_array_fold_into_one_line_with_a_count() {
        let all: Vec<FindingReport> = (0..10)
            .map(|i| {
                report(
                    Finding::new(kinds::PATTERN, format!("\"bad{i}\" does not match ^key-"))
                        .at(format!("/Keys/Key/{i}/KeyId"))
                        .values("^key-", format!("bad{i}")),
                )
            })
            .chain(std::iter::once(report(
                Finding::new(kinds::STATUS, "status differs").values(200, 400),
            )))
            .collect();
        let refs: Vec<&FindingReport> = all.iter().collect();
        let groups = fold(&refs);
        assert_eq!(groups.len(), 2);
        assert_eq!(
            groups[0].text(),
            "[pattern]: \"bad0\" does not match ^key-; expected \"^key-\", actual \"bad0\" × 10 at /Keys/Key/*/KeyId (first: /Keys/Key/0/KeyId)"
        );
        assert_eq!(
            groups[1].text(),
            "[status]: status differs; expected 200, actual 400"
        );
    }

    #[test]
    fn findings_differing_in_more_than_indices_stay_apart() {
        let a = report(
            Finding::new(kinds::PATTERN, "m")
                .at("/A/0/X")
                .values("e", 1),
        );
        let b = report(
            Finding::new(kinds::PATTERN, "m")
                .at("/A/1/Y")
                .values("e", 1),
        );
        let c = report(Finding::new(kinds::VALUE, "m").at("/A/2/X").values("e", 1));
        let d = report(
            Finding::new(kinds::PATTERN, "m")
                .at("/A/3/X")
                .values("other", 1),
        );
        let e = report(Finding::new(kinds::PATTERN, "m").at("/B").values("e", 1));
        let f = report(Finding::new(kinds::PATTERN, "m").at("/B").values("e", 1));
        let refs = [&a, &b, &c, &d, &e, &f];
        assert_eq!(fold(&refs).len(), 6);
    }

    #[test]
    fn control_characters_cannot_forge_a_line() {
        let f = report(Finding::new(kinds::VALUE, "a\nb").values("x\ny", 1));
        assert!(!finding_text(&f).contains('\n'));
    }

    #[test]
    fn the_block_names_the_source_of_each_finding() {
        let mut f = report(Finding::new(kinds::STATUS, "differs").values(200, 400));
        f.source = Some(super::super::outcome::SourceRef {
            file: "cases/k/ListKeys.yaml".into(),
            line: 12,
            col: 5,
        });
        assert_eq!(
            findings_block(&[&f], "  "),
            "  [status]: differs; expected 200, actual 400 (cases/k/ListKeys.yaml:12:5)\n"
        );
    }
}
