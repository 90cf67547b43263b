//! Escaping control characters in text outputs, so that a target cannot move the cursor,
//! retitle the terminal, clear the screen or forge a line of the console or of report.md.
//!
//! Escaped, as `\u{1b}`: the C0 controls (NUL to US) but tab, DEL, the C1 controls (U+0080
//! to U+009F, of which U+009B is an 8-bit CSI) and the Unicode bidirectional and line
//! separator characters (U+2028, U+2029, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069),
//! which reorder or break what a reader sees. Newlines are escaped too by
//! [`escape_controls`] (one-line text) and kept by [`escape_controls_multiline`] (bodies and
//! diffs), which escapes carriage returns.

use std::borrow::Cow;

/// True for a character a text output never writes raw (newline and tab aside).
fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_or_separator(c)
}

/// The Unicode bidirectional marks and overrides and the line and paragraph separators.
pub(super) fn is_bidi_or_separator(c: char) -> bool {
    matches!(
        c,
        '\u{2028}'
            | '\u{2029}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

fn escape(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    let needs = |c: char| is_hostile(c) || (c == '\n' && !keep_newlines);
    if !s.contains(needs) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if needs(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One-line text with every control character (newlines included) written as `\u{..}`.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// Multi-line text with every control character but newline and tab written as `\u{..}`.
pub fn escape_controls_multiline(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_written_visibly() {
        assert_eq!(
            escape_controls("a\x1b[2J\x07b\r\nc\0\u{9b}d\u{202e}"),
            "a\\u{1b}[2J\\u{7}b\\u{d}\\u{a}c\\u{0}\\u{9b}d\\u{202e}"
        );
        assert_eq!(escape_controls_multiline("a\r\nb\tc\n"), "a\\u{d}\nb\tc\n");
        assert!(matches!(escape_controls("plain é"), Cow::Borrowed(_)));
    }
}
