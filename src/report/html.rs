//! `report.html`: one self-contained page (inline CSS and JS, nothing from the network) built
//! from the template files in `src/report/html/`. The report's data goes into the page as JSON
//! inside `<script type="application/json">`, escaped so that it cannot close the element; the
//! script draws the matrix and the details from it with text nodes only, and `charts.js` (with
//! `charts.css`) draws the pictures as inline SVG: status bars, latency, the `--history` trend.
//! The few values filled in on the server side (title, verdict, summary, the distinct deviations
//! of `html/distinct.rs`) are HTML-escaped.

mod distinct;
mod parity;

use std::io::{self, Write};

use super::model::Report;

const TEMPLATE: &str = include_str!("html/template.html");
const STYLE: &str = include_str!("html/report.css");
const SCRIPT: &str = include_str!("html/report.js");
/// The pictures (status bars, latency, trend): their own script and style.
const CHARTS: &str = include_str!("html/charts.js");
const CHARTS_STYLE: &str = include_str!("html/charts.css");

/// The most outcomes whose details the page embeds: every outcome that is not a pass comes
/// first, then passes, up to this many (a browser stays responsive; report.json has them all).
pub const MAX_OUTCOMES: usize = 1000;

/// Renders `report.html` into a string.
pub fn render(r: &Report) -> io::Result<String> {
    super::text::to_string(|out| write(r, out))
}

/// Writes `report.html`, the report's data streamed into the page one outcome at a time.
pub(super) fn write(r: &Report, mut w: impl Write) -> io::Result<()> {
    let verdict = r.gate.verdict.upper();
    let c = &r.counts;
    let summary = format!(
        "{} cases on {} target{}: {} passed, {} failed, {} documentation ambiguities, {} known deviations, {} errors, {} skipped, {} inconclusive{}{}.",
        c.total,
        r.matrix.targets.len(),
        if r.matrix.targets.len() == 1 { "" } else { "s" },
        c.pass,
        c.fail,
        c.ambiguity,
        c.known,
        c.error,
        c.skipped,
        c.inconclusive,
        {
            let mut extra = String::new();
            if c.blocked > 0 {
                extra.push_str(&format!(", {} blocked by a set-up step", c.blocked));
            }
            if c.other_reading > 0 {
                extra.push_str(&format!(", {} following another reading", c.other_reading));
            }
            extra
        },
        if r.run.partial {
            " (partial: the run was interrupted)"
        } else {
            ""
        }
    );
    let vars: [(&str, String); 10] = [
        (
            "title",
            escape(&format!("specgate {verdict}: run {}", r.run.id)),
        ),
        ("verdict", verdict.to_string()),
        ("verdict_class", r.gate.verdict.as_str().to_string()),
        ("summary", escape(&summary)),
        ("distinct", distinct::section(r)?),
        ("parity", parity::section(r)),
        ("version", escape(&r.tool.version)),
        ("style", format!("{STYLE}\n{CHARTS_STYLE}")),
        ("script", SCRIPT.to_string()),
        ("charts", CHARTS.to_string()),
    ];
    let (before, after) = TEMPLATE
        .split_once("{{data}}")
        .ok_or_else(|| io::Error::other("the HTML template has no {{data}}"))?;
    w.write_all(fill(before, &vars).as_bytes())?;
    let embedded = Report {
        outcomes: r.outcomes.capped(MAX_OUTCOMES),
        ..r.clone()
    };
    let mut json = serde_json::Serializer::with_formatter(&mut w, ScriptSafe);
    serde::Serialize::serialize(&embedded, &mut json).map_err(io::Error::other)?;
    w.write_all(fill(after, &vars).as_bytes())?;
    w.flush()
}

/// Replaces every `{{name}}` of the template in one pass; filled-in text is never rescanned.
fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut out =
        String::with_capacity(template.len() + vars.iter().map(|v| v.1.len()).sum::<usize>());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let name = &after[..end];
                match vars.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[start..start + 2 + end + 2]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Escapes text for HTML element content and attribute values.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// JSON made safe inside a `<script>` element: `<`, `>` and `&` (which only occur inside JSON
/// strings) and the JS line separators become `\u` escapes.
struct ScriptSafe;

impl serde_json::ser::Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // Markup characters, and the controls JSON leaves raw (DEL, C1, bidirectional
        // overrides, the JS line separators): the same string once parsed.
        crate::redact::write_escaped_fragment(w, fragment, |c| {
            matches!(c, '<' | '>' | '&') || crate::redact::needs_json_escape(c)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_of_the_template_is_filled() {
        let names = [
            "data",
            "title",
            "verdict",
            "verdict_class",
            "summary",
            "distinct",
            "version",
            "style",
            "script",
            "charts",
            "parity",
        ];
        let vars: Vec<(&str, String)> = names.iter().map(|n| (*n, String::new())).collect();
        let out = fill(TEMPLATE, &vars);
        assert!(!out.contains("{{"), "an unknown placeholder is left");
    }

    #[test]
    fn filled_text_is_not_rescanned() {
        let vars = [("a", "{{b}}".to_string()), ("b", "x".to_string())];
        assert_eq!(fill("<{{a}}|{{b}}>", &vars), "<{{b}}|x>");
    }

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let v = serde_json::json!({"</script>": "</script><b>&\u{2028}é"});
        let mut out = Vec::new();
        let mut json = serde_json::Serializer::with_formatter(&mut out, ScriptSafe);
        serde::Serialize::serialize(&v, &mut json).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(!s.contains(['<', '>', '&', '\u{2028}']), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
