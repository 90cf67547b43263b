//! `report.html`: one self-contained page (inline CSS and JS, nothing from the network) built
//! from the template files in `src/report/html/`. The report's data goes into the page as JSON
//! inside `<script type="application/json">`, escaped so that it cannot close the element; the
//! script draws the matrix and the details from it with text nodes only. The few values filled
//! in on the server side (title, verdict, summary) are HTML-escaped.

use super::model::Report;

const TEMPLATE: &str = include_str!("html/template.html");
const STYLE: &str = include_str!("html/report.css");
const SCRIPT: &str = include_str!("html/report.js");

/// Renders `report.html`.
pub fn render(r: &Report) -> Result<String, serde_json::Error> {
    let data = script_json(&serde_json::to_string(r)?);
    let verdict = r.gate.verdict.upper();
    let c = &r.counts;
    let summary = format!(
        "{} cases on {} target{}: {} passed, {} failed, {} documentation ambiguities, {} known deviations, {} errors, {} skipped, {} inconclusive{}.",
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
        if r.run.partial {
            " (partial: the run was interrupted)"
        } else {
            ""
        }
    );
    let vars: [(&str, String); 8] = [
        (
            "title",
            escape(&format!("specgate {verdict}: run {}", r.run.id)),
        ),
        ("verdict", verdict.to_string()),
        (
            "verdict_class",
            if r.passed() { "pass" } else { "fail" }.to_string(),
        ),
        ("summary", escape(&summary)),
        ("version", escape(&r.tool.version)),
        ("style", STYLE.to_string()),
        ("script", SCRIPT.to_string()),
        ("data", data),
    ];
    Ok(fill(TEMPLATE, &vars))
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
pub fn escape(s: &str) -> String {
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
fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_of_the_template_is_filled() {
        let names = [
            "title",
            "verdict",
            "verdict_class",
            "summary",
            "version",
            "style",
            "script",
            "data",
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
        let s = script_json(r#"{"m":"</script><b>&"}"#);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["m"], "</script><b>&");
    }
}
