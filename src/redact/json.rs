//! JSON for files people may `cat`: pretty-printed like serde_json's, with the characters
//! that JSON allows raw but a terminal acts on (DEL, the C1 controls, the bidirectional
//! overrides, the line separators) written as `\u` escapes. Parsed back, the data is the same.

use std::io::{self, Write};

use serde_json::ser::{Formatter, PrettyFormatter};

/// True for a character written as a `\u` escape inside JSON strings.
pub fn needs_json_escape(c: char) -> bool {
    // serde_json escapes the C0 controls itself.
    matches!(c, '\u{7f}'..='\u{9f}') || super::controls::is_bidi_or_separator(c)
}

/// Writes a string fragment with the characters `escape` selects as `\uXXXX`.
pub fn write_escaped_fragment<W: ?Sized + Write>(
    w: &mut W,
    fragment: &str,
    escape: impl Fn(char) -> bool,
) -> io::Result<()> {
    let mut start = 0;
    for (i, c) in fragment.char_indices() {
        if !escape(c) {
            continue;
        }
        w.write_all(&fragment.as_bytes()[start..i])?;
        write!(w, "\\u{:04x}", c as u32)?;
        start = i + c.len_utf8();
    }
    w.write_all(&fragment.as_bytes()[start..])
}

/// serde_json's pretty formatter, escaping what [`needs_json_escape`] selects.
#[derive(Default)]
pub struct PrettyEscaping(PrettyFormatter<'static>);

impl Formatter for PrettyEscaping {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, f: &str) -> io::Result<()> {
        write_escaped_fragment(w, f, needs_json_escape)
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;
    use serde_json::json;

    use super::*;

    #[test]
    fn pretty_like_serde_json_with_terminal_controls_escaped() {
        let v = json!({"a": ["x\u{9b}31m\u{7f}\u{202e}", 1], "b\u{85}": {}});
        let mut out = Vec::new();
        v.serialize(&mut serde_json::Serializer::with_formatter(
            &mut out,
            PrettyEscaping::default(),
        ))
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains(needs_json_escape), "{text}");
        assert!(text.contains("\\u009b31m\\u007f\\u202e"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
        let plain = json!({"k": [1, {"z": null}]});
        let mut out = Vec::new();
        plain
            .serialize(&mut serde_json::Serializer::with_formatter(
                &mut out,
                PrettyEscaping::default(),
            ))
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string_pretty(&plain).unwrap()
        );
    }
}
