//! Reading pieces shared by service and operation files: pointers, schemas, regexes, statuses,
//! documented errors.

use std::sync::Arc;

use regex::Regex;

use super::model::{DocumentedError, Schema};
use crate::diag::Diagnostic;
use crate::pointer::PointerPath;
use crate::yaml::{Node, NodeKind, Reader};

/// Turns the reader's diagnostics and the result into one outcome.
pub(crate) fn finish<T>(r: Reader<'_>, value: Option<T>) -> Result<T, Vec<Diagnostic>> {
    match value {
        Some(v) if r.diags.is_empty() => Ok(v),
        _ => Err(r.diags),
    }
}

/// Reads a JSON pointer (with `*` and `?k=v` allowed).
pub(crate) fn read_pointer(r: &mut Reader<'_>, node: &Node, what: &str) -> Option<PointerPath> {
    let s = r.string(node, what)?;
    match PointerPath::parse(&s) {
        Ok(p) => Some(p),
        Err(e) => {
            r.error_hint(
                node.pos,
                "bad-pointer",
                format!("{what} is not a valid pointer: {e}"),
                "write a JSON pointer such as `/Keys/Key/0/KeyId`",
            );
            None
        }
    }
}

/// Compiles a JSON Schema written inline in YAML.
pub(crate) fn read_schema(r: &mut Reader<'_>, node: &Node) -> Option<Schema> {
    let source = node.to_json();
    if !source.is_object() && !source.is_boolean() {
        r.wrong_type(node, "a JSON Schema", "a mapping");
        return None;
    }
    match jsonschema::draft202012::new(&source) {
        Ok(v) => Some(Schema {
            source,
            validator: Arc::new(v),
        }),
        Err(e) => {
            let at = e.instance_path().to_string();
            r.error_hint(
                find_node(node, &at).map(|n| n.pos).unwrap_or(node.pos),
                "bad-schema",
                format!("the JSON Schema does not compile: {e}"),
                format!(
                    "fix the schema at `{}` (JSON Schema 2020-12)",
                    if at.is_empty() { "/" } else { &at }
                ),
            );
            None
        }
    }
}

/// Finds the node at a JSON pointer inside a YAML tree, to point errors at it.
pub(crate) fn find_node<'n>(node: &'n Node, pointer: &str) -> Option<&'n Node> {
    let mut cur = node;
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        cur = match &cur.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.key_text() == seg)
                .map(|(_, v)| v)?,
            NodeKind::Seq(items) => items.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

pub(crate) fn read_errors(r: &mut Reader<'_>, node: &Node, what: &str) -> Vec<DocumentedError> {
    let Some(items) = node.as_seq() else {
        r.wrong_type(node, what, "a list of `{ status, code }`");
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let Some(f) = r.map(
            item,
            "an error entry",
            &[
                "status",
                "code",
                "retryable",
                "source",
                "message",
                "evidence",
            ],
        ) else {
            continue;
        };
        let status = f
            .req(r, "status", "an error entry")
            .and_then(|n| read_status(r, n));
        let code = f
            .req(r, "code", "an error entry")
            .and_then(|n| r.string(n, "`code`"));
        let retryable = f
            .get("retryable")
            .and_then(|n| r.boolean(n, "`retryable`"))
            .unwrap_or(false);
        let source = f
            .get("source")
            .and_then(|n| r.string(n, "`source`"))
            .unwrap_or_default();
        if let Some(n) = f.get("message") {
            r.string(n, "`message`");
        }
        let evidence = f
            .get("evidence")
            .map(|n| super::evidence::read_evidence(r, n))
            .unwrap_or_default();
        if let (Some(status), Some(code)) = (status, code) {
            out.push(DocumentedError {
                status,
                code,
                retryable,
                source,
                evidence,
            });
        }
    }
    out
}

/// Reads an HTTP status code (100..=599).
pub(crate) fn read_status(r: &mut Reader<'_>, node: &Node) -> Option<u16> {
    let i = r.int(node, "an HTTP status")?;
    match u16::try_from(i) {
        Ok(s) if (100..=599).contains(&s) => Some(s),
        _ => {
            r.error_hint(
                node.pos,
                "bad-value",
                format!("{i} is not an HTTP status"),
                "use a status between 100 and 599",
            );
            None
        }
    }
}

/// The `{name}` placeholders of a path template.
pub fn path_placeholders(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        out.push(rest[start + 1..start + end].to_string());
        rest = &rest[start + end + 1..];
    }
    out
}

/// Compiles a regex, pointing at the node when it does not compile.
pub(crate) fn read_regex(r: &mut Reader<'_>, node: &Node, what: &str) -> Option<Regex> {
    let s = r.string(node, what)?;
    compile_regex(r, node, &s, what)
}

/// Compiles regex text that came from `node`.
pub(crate) fn compile_regex(
    r: &mut Reader<'_>,
    node: &Node,
    text: &str,
    what: &str,
) -> Option<Regex> {
    match Regex::new(text) {
        Ok(re) => Some(re),
        Err(e) => {
            let detail = e.to_string();
            let last = detail.lines().last().unwrap_or("").trim().to_string();
            r.error_hint(
                node.pos,
                "bad-regex",
                format!("{what} is not a valid regex: {last}"),
                "fix the regex (Rust `regex` syntax; in YAML, single-quote it so that `\\d` stays as written)",
            );
            None
        }
    }
}
