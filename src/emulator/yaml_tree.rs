//! A small YAML tree that keeps the line and column of every node, for seed-file errors that
//! point at the offending line.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A position in a YAML file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub col: usize,
}

impl Pos {
    fn from_marker(m: &Marker) -> Self {
        Self {
            line: m.line(),
            col: m.col() + 1,
        }
    }
}

/// A YAML node with its position.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A scalar, as its text.
    Scalar(String, Pos),
    /// A sequence.
    Seq(Vec<Node>, Pos),
    /// A mapping, in file order.
    Map(Vec<(Node, Node)>, Pos),
}

impl Node {
    /// Where the node starts.
    pub fn pos(&self) -> Pos {
        match self {
            Node::Scalar(_, p) | Node::Seq(_, p) | Node::Map(_, p) => *p,
        }
    }
}

/// A parse failure: a message and where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeError {
    /// What went wrong.
    pub message: String,
    /// Where.
    pub pos: Pos,
}

/// Builds the tree from parser events.
#[derive(Default)]
struct Builder {
    stack: Vec<Node>,
    docs: Vec<Node>,
    error: Option<TreeError>,
}

impl Builder {
    fn push_value(&mut self, node: Node) {
        match self.stack.last_mut() {
            Some(Node::Seq(items, _)) => items.push(node),
            Some(Node::Map(entries, map_pos)) => {
                if entries.is_empty() {
                    // The parser marks a block mapping after its first key; its first key is
                    // where a reader sees it start.
                    *map_pos = node.pos();
                }
                let waiting =
                    matches!(entries.last(), Some((_, Node::Scalar(s, _))) if s == PENDING);
                match entries.last_mut() {
                    Some((_, v)) if waiting => *v = node,
                    _ => entries.push((node, Node::Scalar(PENDING.into(), Pos::default()))),
                }
            }
            _ => self.docs.push(node),
        }
    }
}

/// Marks a mapping key still waiting for its value (a string no YAML scalar produces alone).
const PENDING: &str = "\u{0}pending";

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = Pos::from_marker(&mark);
        match ev {
            Event::Scalar(text, ..) => self.push_value(Node::Scalar(text, pos)),
            Event::SequenceStart(..) => self.stack.push(Node::Seq(Vec::new(), pos)),
            Event::MappingStart(..) => self.stack.push(Node::Map(Vec::new(), pos)),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(node) = self.stack.pop() {
                    self.push_value(node);
                }
            }
            Event::Alias(_) if self.error.is_none() => {
                self.error = Some(TreeError {
                    message: "anchors and aliases are not supported".into(),
                    pos,
                });
            }
            _ => {}
        }
    }
}

/// Parses one YAML document into a positioned tree (an empty file is an empty mapping).
pub fn parse(text: &str) -> Result<Node, TreeError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    // Event by event: the parser's own `load` recurses once per level; a seed nested deeper
    // than the specs' YAML reader allows is refused where it goes too deep.
    loop {
        let (ev, mark) = parser.next_token().map_err(|e| TreeError {
            message: e.info().to_string(),
            pos: Pos::from_marker(e.marker()),
        })?;
        let opens = matches!(ev, Event::SequenceStart(..) | Event::MappingStart(..));
        if opens && builder.stack.len() >= crate::yaml::MAX_DEPTH {
            return Err(TreeError {
                message: format!(
                    "the YAML nests deeper than {} levels here",
                    crate::yaml::MAX_DEPTH
                ),
                pos: Pos::from_marker(&mark),
            });
        }
        let end = ev == Event::StreamEnd;
        builder.on_event(ev, mark);
        if end {
            break;
        }
    }
    if let Some(err) = builder.error {
        return Err(err);
    }
    if builder.docs.len() > 1 {
        return Err(TreeError {
            message: "expected a single YAML document".into(),
            pos: builder.docs[1].pos(),
        });
    }
    Ok(builder
        .docs
        .pop()
        .unwrap_or(Node::Map(Vec::new(), Pos { line: 1, col: 1 })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_keep_their_positions() {
        let tree = parse("a: 1\nb:\n  - x\n  - {c: d}\n").expect("valid");
        let Node::Map(entries, _) = tree else {
            panic!("a map")
        };
        assert_eq!(entries.len(), 2);
        assert_eq!(
            entries[0].0,
            Node::Scalar("a".into(), Pos { line: 1, col: 1 })
        );
        let Node::Seq(items, _) = &entries[1].1 else {
            panic!("a seq")
        };
        assert_eq!(items[0], Node::Scalar("x".into(), Pos { line: 3, col: 5 }));
        assert!(matches!(&items[1], Node::Map(m, _) if m.len() == 1));
    }

    #[test]
    fn errors_and_anchors_are_reported() {
        assert!(parse("a: [").is_err());
        let e = parse("a: &x 1\nb: *x\n").expect_err("alias");
        assert_eq!(e.pos.line, 2);
    }
}
