//! Typed reading of a [`Node`] tree, collecting every problem as a [`Diagnostic`].
//!
//! Loaders for specs, cases and targets use [`Reader`] so that one pass reports all errors of a
//! file with positions, instead of stopping at the first.

use super::{Node, NodeKind, Pos, SourceFile};
use crate::diag::{Diagnostic, did_you_mean, did_you_mean_or};

/// Collects the diagnostics of one file while it is being read.
pub struct Reader<'a> {
    /// The file being read.
    pub source: &'a SourceFile,
    /// Every problem found so far.
    pub diags: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    /// Starts reading `source`.
    pub fn new(source: &'a SourceFile) -> Self {
        Reader {
            source,
            diags: Vec::new(),
        }
    }

    /// Records an error at `pos`.
    pub fn error(&mut self, pos: Pos, class: &'static str, message: impl Into<String>) {
        self.diags.push(
            Diagnostic::new(&self.source.path, pos, message)
                .with_class(class)
                .with_source(self.source),
        );
    }

    /// Records an error at `pos` with a hint on how to fix it.
    pub fn error_hint(
        &mut self,
        pos: Pos,
        class: &'static str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.diags.push(
            Diagnostic::new(&self.source.path, pos, message)
                .with_class(class)
                .with_hint(hint)
                .with_source(self.source),
        );
    }

    /// Reads a mapping whose keys must all be in `allowed`; unknown keys are reported with a
    /// "did you mean" hint. Returns `None` (and reports) when the node is not a mapping.
    pub fn map<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
        allowed: &[&'static str],
    ) -> Option<Fields<'n>> {
        let Some(entries) = node.as_map() else {
            self.wrong_type(node, what, "a mapping");
            return None;
        };
        for (key, _) in entries {
            let Some(name) = key.as_str() else {
                self.error(
                    key.pos,
                    "wrong-type",
                    format!(
                        "a key in {what} must be a string, found {}",
                        key.type_name()
                    ),
                );
                continue;
            };
            if !allowed.contains(&name) {
                let hint = did_you_mean_or(name, allowed.iter().copied(), || {
                    format!("the keys allowed here are: {}", allowed.join(", "))
                });
                self.error_hint(
                    Pos {
                        len: name.chars().count().max(1),
                        ..key.pos
                    },
                    "unknown-key",
                    format!("unknown key `{name}` in {what}"),
                    hint,
                );
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (key, _) in entries {
            if let Some(name) = key.as_str()
                && !seen.insert(name)
            {
                self.error_hint(
                    key.pos,
                    "duplicate-key",
                    format!("key `{name}` appears twice in {what}"),
                    "remove one of them",
                );
            }
        }
        Some(Fields { node, entries })
    }

    /// Reports that `node` should have been of another type.
    pub fn wrong_type(&mut self, node: &Node, what: &str, expected: &str) {
        self.error_hint(
            node.pos,
            "wrong-type",
            format!("{what} must be {expected}, found {}", node.type_name()),
            format!("write {what} as {expected}"),
        );
    }

    /// Reads a string scalar.
    pub fn string(&mut self, node: &Node, what: &str) -> Option<String> {
        match &node.kind {
            NodeKind::Str(s) => Some(s.clone()),
            _ => {
                self.wrong_type(node, what, "a string");
                None
            }
        }
    }

    /// Reads a boolean scalar.
    pub fn boolean(&mut self, node: &Node, what: &str) -> Option<bool> {
        match node.kind {
            NodeKind::Bool(b) => Some(b),
            _ => {
                self.wrong_type(node, what, "`true` or `false`");
                None
            }
        }
    }

    /// Reads an integer scalar.
    pub fn int(&mut self, node: &Node, what: &str) -> Option<i64> {
        match node.kind {
            NodeKind::Int(i) => Some(i),
            _ => {
                self.wrong_type(node, what, "an integer");
                None
            }
        }
    }

    /// Reads a non-negative integer that fits `u64`.
    pub fn count(&mut self, node: &Node, what: &str) -> Option<u64> {
        let i = self.int(node, what)?;
        match u64::try_from(i) {
            Ok(u) => Some(u),
            Err(_) => {
                self.error(
                    node.pos,
                    "wrong-type",
                    format!("{what} must not be negative"),
                );
                None
            }
        }
    }

    /// Reads a list of strings.
    pub fn strings(&mut self, node: &Node, what: &str) -> Option<Vec<String>> {
        let Some(items) = node.as_seq() else {
            self.wrong_type(node, what, "a list of strings");
            return None;
        };
        Some(items.iter().filter_map(|n| self.string(n, what)).collect())
    }

    /// Reads one of a fixed set of words.
    pub fn one_of(
        &mut self,
        node: &Node,
        what: &str,
        allowed: &[&'static str],
    ) -> Option<&'static str> {
        let s = self.string(node, what)?;
        if let Some(found) = allowed.iter().find(|a| **a == s) {
            return Some(found);
        }
        let hint = match did_you_mean(&s, allowed.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? (one of: {})", allowed.join(", ")),
            None => format!("use one of: {}", allowed.join(", ")),
        };
        self.error_hint(
            node.pos,
            "bad-value",
            format!("`{s}` is not a valid {what}"),
            hint,
        );
        None
    }
}

/// The entries of a mapping that passed the unknown-key check.
pub struct Fields<'n> {
    /// The mapping node itself, for errors about a missing key.
    pub node: &'n Node,
    entries: &'n [(Node, Node)],
}

impl<'n> Fields<'n> {
    /// The value of an optional key.
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// The value of a required key; reports a missing key at the mapping.
    pub fn req(&self, r: &mut Reader<'_>, key: &str, what: &str) -> Option<&'n Node> {
        let found = self.get(key);
        if found.is_none() {
            r.error_hint(
                self.node.pos,
                "missing-key",
                format!("{what} has no `{key}`"),
                format!("add `{key}:` to {what}"),
            );
        }
        found
    }

    /// All entries, in file order.
    pub fn entries(&self) -> &'n [(Node, Node)] {
        self.entries
    }
}
