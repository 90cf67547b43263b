//! Builds a [`Node`] tree from YAML text with the `yaml-rust2` event parser.

use std::path::{Path, PathBuf};

use yaml_rust2::Yaml;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::node::{Node, NodeKind, Pos};
use crate::diag::Diagnostic;

/// A user file kept in memory so that diagnostics can quote its lines.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user gave it (or as found under a directory).
    pub path: PathBuf,
    /// The whole text of the file.
    pub text: String,
}

/// Reads and parses a YAML file; the error names the file, line and column.
pub fn parse_file(path: &Path) -> Result<(SourceFile, Node), Diagnostic> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::new(path, Pos::default(), format!("cannot read the file: {e}")).with_class("io")
    })?;
    let node = parse_str(path, &text).map_err(|mut d| {
        d.attach(&text);
        d
    })?;
    Ok((
        SourceFile {
            path: path.to_path_buf(),
            text,
        },
        node,
    ))
}

/// The deepest nesting of mappings and sequences a file may have. The shipped specs and cases
/// nest at most a dozen levels; every later step (schemas, parameters, captures, signing) walks
/// values recursively, and a bound here keeps all of them within a thread's stack.
pub const MAX_DEPTH: usize = 64;

/// Parses YAML text that came from `path` (used in messages only).
///
/// The parser is driven event by event (its own `load` recurses once per level), and a file
/// nested deeper than [`MAX_DEPTH`] is refused at the collection that goes too deep.
pub fn parse_str(path: &Path, text: &str) -> Result<Node, Diagnostic> {
    parse_str_with(path, text, ParseOptions::default())
}

/// How [`parse_str_with`] reads a file; the default is what [`parse_str`] does.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions {
    /// Keep every scalar as the text written ([`NodeKind::Str`]; an empty value reads `~`),
    /// for a format that gives its scalars their own meaning (the emulator's seed files).
    pub text_scalars: bool,
    /// Refuse a second document instead of ignoring it.
    pub single_document: bool,
}

/// [`parse_str`] with options.
pub fn parse_str_with(path: &Path, text: &str, options: ParseOptions) -> Result<Node, Diagnostic> {
    let mut builder = Builder {
        text_scalars: options.text_scalars,
        ..Builder::default()
    };
    let mut parser = Parser::new_from_str(text);
    loop {
        let (ev, mark) = next_event(&mut parser, path, text)?;
        let opens = matches!(ev, Event::SequenceStart(..) | Event::MappingStart(..));
        if opens && builder.stack.len() >= MAX_DEPTH {
            return Err(Diagnostic::new(
                path,
                marker_pos(text, &mark),
                format!("the YAML nests deeper than {MAX_DEPTH} levels here"),
            )
            .with_class("yaml")
            .with_hint("no spec, case or target needs this depth; flatten the value"));
        }
        // One document: the first one's end is the end.
        let last = matches!(ev, Event::DocumentEnd | Event::StreamEnd);
        builder.on_event(ev, mark);
        if last {
            break;
        }
    }
    if options.single_document {
        // Read on to the end: a syntax error or another document there is refused too.
        loop {
            match next_event(&mut parser, path, text)? {
                (Event::StreamEnd, _) => break,
                (Event::DocumentStart, mark) => {
                    return Err(Diagnostic::new(
                        path,
                        marker_pos(text, &mark),
                        "expected a single YAML document",
                    )
                    .with_class("yaml")
                    .with_hint("remove the `---` and what follows it"));
                }
                _ => {}
            }
        }
    }
    if let Some((pos, what)) = builder.unsupported {
        return Err(Diagnostic::new(
            path,
            marker_pos(text, &pos),
            format!("YAML {what} are not supported"),
        )
        .with_class("yaml")
        .with_hint("write the value out in full"));
    }
    Ok(builder.root.unwrap_or(Node {
        kind: NodeKind::Null,
        pos: Pos {
            line: 1,
            col: 1,
            len: 1,
        },
    }))
}

/// The parser's next event; a syntax error becomes a diagnostic at its place.
fn next_event(
    parser: &mut Parser<std::str::Chars<'_>>,
    path: &Path,
    text: &str,
) -> Result<(Event, Marker), Diagnostic> {
    parser.next_token().map_err(|e| {
        Diagnostic::new(
            path,
            marker_pos(text, e.marker()),
            format!("YAML syntax error: {}", e.info()),
        )
        .with_class("yaml")
        .with_hint("check the indentation and quoting on this line or the one above; a value with `: ` or `#` in it needs quotes")
    })
}

/// Converts a parser marker to a 1-based position.
fn marker_pos(text: &str, m: &Marker) -> Pos {
    // The scanner's line is 1-based and its index counts characters, not bytes (slicing the
    // text at it panicked on multi-byte text; found by tests/it/fuzz_yaml.rs).
    let index = text
        .char_indices()
        .nth(m.index())
        .map_or(text.len(), |(i, _)| i);
    let line_start = text[..index].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = text[line_start..index].chars().count() + 1;
    Pos {
        line: m.line().max(1),
        col,
        len: 1,
    }
}

/// An open collection while events stream in.
enum Open {
    Seq(Pos, Vec<Node>),
    Map(Pos, Vec<(Node, Node)>, Option<Node>),
}

/// Receives parser events and assembles the tree.
#[derive(Default)]
struct Builder {
    stack: Vec<Open>,
    root: Option<Node>,
    unsupported: Option<(Marker, &'static str)>,
    /// Scalars stay text ([`ParseOptions::text_scalars`]).
    text_scalars: bool,
}

impl Builder {
    fn push_value(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Open::Seq(_, items)) => items.push(node),
            Some(Open::Map(_, entries, pending)) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => entries.push((key, node)),
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = Pos {
            line: mark.line().max(1),
            col: mark.col() + 1,
            len: 1,
        };
        match ev {
            Event::Scalar(value, style, anchor, _tag) => {
                if anchor != 0 && self.unsupported.is_none() {
                    self.unsupported = Some((mark, "anchors"));
                }
                let len = value.chars().count().max(1)
                    + if matches!(
                        style,
                        TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted
                    ) {
                        2
                    } else {
                        0
                    };
                let kind = if self.text_scalars {
                    NodeKind::Str(value)
                } else {
                    resolve_scalar(value, style)
                };
                self.push_value(Node {
                    kind,
                    pos: Pos { len, ..pos },
                });
            }
            Event::SequenceStart(anchor, _) => {
                if anchor != 0 && self.unsupported.is_none() {
                    self.unsupported = Some((mark, "anchors"));
                }
                self.stack.push(Open::Seq(pos, Vec::new()));
            }
            Event::MappingStart(anchor, _) => {
                if anchor != 0 && self.unsupported.is_none() {
                    self.unsupported = Some((mark, "anchors"));
                }
                self.stack.push(Open::Map(pos, Vec::new(), None));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Open::Seq(p, items)) => Node {
                        kind: NodeKind::Seq(items),
                        pos: p,
                    },
                    Some(Open::Map(p, entries, _)) => Node {
                        // A block mapping's start marker is unhelpful; point at its first key.
                        pos: entries
                            .first()
                            .map(|(k, _)| Pos { len: 1, ..k.pos })
                            .unwrap_or(p),
                        kind: NodeKind::Map(entries),
                    },
                    None => return,
                };
                self.push_value(node);
            }
            Event::Alias(_) => {
                if self.unsupported.is_none() {
                    self.unsupported = Some((mark, "aliases (`*name`)"));
                }
                self.push_value(Node {
                    kind: NodeKind::Null,
                    pos,
                });
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

/// Resolves a scalar to its core-schema type; quoted and block scalars are always strings.
fn resolve_scalar(value: String, style: TScalarStyle) -> NodeKind {
    if style != TScalarStyle::Plain {
        return NodeKind::Str(value);
    }
    match Yaml::from_str(&value) {
        Yaml::Null => NodeKind::Null,
        Yaml::Boolean(b) => NodeKind::Bool(b),
        Yaml::Integer(i) => NodeKind::Int(i),
        Yaml::Real(r) => match r.parse::<f64>() {
            Ok(f) => NodeKind::Float(f),
            Err(_) => NodeKind::Str(value),
        },
        _ => NodeKind::Str(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error after multi-byte characters on its line: the column counts characters, and the
    /// position never slices inside a character.
    #[test]
    fn an_error_after_multibyte_text_is_located() {
        let d = parse_str(Path::new("x.yaml"), "k: 字x: y\n").unwrap_err();
        assert_eq!((d.pos.line, d.pos.col), (1, 6), "{}", d.message);
        let d = parse_str(Path::new("x.yaml"), "a: [[\u{fffd}[[1]]: ]]\n").unwrap_err();
        assert_eq!(d.pos.line, 1, "{}", d.message);
    }

    const TEXT: ParseOptions = ParseOptions {
        text_scalars: true,
        single_document: true,
    };

    /// With text scalars, every scalar is the text written, and every node keeps its place.
    #[test]
    fn nodes_keep_their_positions() {
        let tree = parse_str_with(Path::new("x.yaml"), "a: 1\nb:\n  - x\n  - {c: d}\n", TEXT)
            .expect("valid");
        let entries = tree.as_map().expect("a map");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].0.as_str(), Some("a"));
        assert_eq!((entries[0].0.pos.line, entries[0].0.pos.col), (1, 1));
        assert_eq!(entries[0].1.kind, NodeKind::Str("1".into()));
        let items = entries[1].1.as_seq().expect("a seq");
        assert_eq!(items[0].as_str(), Some("x"));
        assert_eq!((items[0].pos.line, items[0].pos.col), (3, 5));
        assert!(matches!(items[1].as_map(), Some(m) if m.len() == 1));
        // The default reads the same scalar as an integer.
        let typed = parse_str(Path::new("x.yaml"), "a: 1\n").expect("valid");
        assert_eq!(typed.get("a").map(|n| &n.kind), Some(&NodeKind::Int(1)));
    }

    #[test]
    fn errors_and_anchors_are_reported() {
        assert!(parse_str_with(Path::new("x.yaml"), "a: [", TEXT).is_err());
        let d = parse_str_with(Path::new("x.yaml"), "a: 1\nb: *x\n", TEXT).expect_err("alias");
        assert_eq!(d.pos.line, 2, "{}", d.message);
    }

    /// A second document is ignored by default and refused when asked, at its `---`.
    #[test]
    fn a_second_document_is_refused_when_asked() {
        let two = "a: 1\n---\nb: 2\n";
        assert!(parse_str(Path::new("x.yaml"), two).is_ok());
        let d = parse_str_with(Path::new("x.yaml"), two, TEXT).expect_err("two documents");
        assert_eq!(
            (d.pos.line, d.message.as_str()),
            (2, "expected a single YAML document")
        );
        assert!(parse_str_with(Path::new("x.yaml"), "a: 1\n...\n", TEXT).is_ok());
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_refused_where_it_starts() {
        let ok = format!("a:\n  {}1\n", "- ".repeat(MAX_DEPTH - 2));
        assert!(parse_str(Path::new("x.yaml"), &ok).is_ok());
        let deep = format!("a:\n  {}1\n", "- ".repeat(MAX_DEPTH));
        let d = parse_str(Path::new("x.yaml"), &deep).unwrap_err();
        assert!(d.message.contains("deeper than 64"), "{}", d.message);
        assert_eq!(d.pos.line, 2);
    }
}
