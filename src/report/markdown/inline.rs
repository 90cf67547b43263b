//! Inline Markdown: escaping, code spans, fenced blocks and links that hold any text.

/// Escapes text so that Markdown and inline HTML in it show literally.
pub(super) fn escape(s: &str) -> String {
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
pub(super) fn code(s: &str) -> String {
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
pub(super) fn cell_code(s: &str) -> String {
    code(s).replace('|', "\\|")
}

/// A fenced block that holds any text: the fence is longer than any backtick run inside.
pub(super) fn fenced(lang: &str, body: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let body = crate::redact::escape_controls_multiline(body);
    let body = body.trim_end_matches('\n');
    format!("{fence}{lang}\n{body}\n{fence}\n")
}

/// A link when the text is a plain http(s) URL, else a code span.
pub(super) fn link(l: &str) -> String {
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
