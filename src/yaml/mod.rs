//! YAML parsing that keeps the line and column of every node.
//!
//! Specs, cases and targets are read into a [`Node`] tree first, so that every later error can
//! point at the exact place in the user's file.

mod node;
mod parse;
mod read;

pub use node::{Node, NodeKind, Pos};
pub use parse::{MAX_DEPTH, ParseOptions, SourceFile, parse_file, parse_str, parse_str_with};
pub use read::{Fields, Reader};
