//! The pointer check of `specgate lint`: every pointer a step reads (`match`, `equals`, `count`,
//! `capture`) must be able to select something in the response schema of the status the step
//! expects.
//!
//! A pointer such as `/Keys/Keys/*/KeyID` loads, and then fails at run time on every target
//! with "no value at the pointer". Walking it through the operation's JSON Schema finds it
//! before any request: a member that the schema's `properties` do not name, a `*` on something
//! that is not an array, a member of a string. The hint offers the closest path the schema has.
//!
//! What the schema leaves open is not judged: a schema without `properties`, a member allowed by
//! `additionalProperties`, or a combinator (`oneOf`, `anyOf`, `allOf`, `$ref`) stops the walk
//! and the pointer passes. A member missing from an object whose `additionalProperties` is not
//! `false` is still reported, as undocumented: a case that reads a field no source documents
//! asserts a fact without evidence. Steps whose expected status has no documented schema are
//! not checked; teardown steps neither (they assert nothing).

use serde_json::Value;

use crate::case::Step;
use crate::diag::{Diagnostic, did_you_mean_or};
use crate::pointer::{PathStep, PointerPath};
use crate::spec::Operation;
use crate::suite::Suite;

/// The deepest schema path listed for suggestions; deeper ones are not offered.
const MAX_SUGGESTION_DEPTH: usize = 8;

/// Every pointer that cannot select anything, in case file order.
pub(crate) fn check(suite: &Suite) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for file in &suite.case_files {
        for case in &file.cases {
            for step in &case.steps {
                if let Some(op) = suite.operations.get(&step.operation) {
                    check_step(step, op, &case.file, &mut out);
                }
            }
        }
    }
    for op in suite.operations.values() {
        check_marker_pagination(op, &mut out);
    }
    for d in &mut out {
        if let Ok(text) = std::fs::read_to_string(&d.file) {
            d.attach(&text);
        }
    }
    out
}

/// The pointers of one step, against the schema of the status it expects.
fn check_step(step: &Step, op: &Operation, file: &std::path::Path, out: &mut Vec<Diagnostic>) {
    let status = step.expect.status.unwrap_or(op.request.success);
    let Some(schema) = op
        .responses
        .get(&status)
        .and_then(|r| r.schema.as_ref())
        .map(|s| &s.source)
    else {
        return;
    };
    let pointers = step
        .expect
        .matches
        .iter()
        .map(|(p, _)| (p, "match"))
        .chain(step.expect.equals.iter().map(|(p, _)| (p, "equals")))
        .chain(step.expect.count.iter().map(|(p, _)| (p, "count")))
        .chain(step.capture.iter().map(|(_, p)| (p, "capture")));
    for (pointer, key) in pointers {
        if let Some(problem) = walk(schema, pointer) {
            let mut d = Diagnostic::new(
                file,
                step.pos,
                format!(
                    "`{key}` pointer `{pointer}` cannot select anything in the {status} response of {}: {problem}",
                    op.id()
                ),
            )
            .with_class("pointer-unreachable");
            let paths = schema_paths(schema);
            let hint = did_you_mean_or(pointer.as_str(), paths.iter().map(String::as_str), || {
                format!(
                    "the response schema's paths are listed in {}",
                    op.file.display()
                )
            });
            d = d.with_hint(hint);
            out.push(d);
        }
    }
}

/// The pointers of a marker pagination block (`next`, `more`, `items`, and `item_id` inside an
/// item), against the schema of the operation's success status.
fn check_marker_pagination(op: &Operation, out: &mut Vec<Diagnostic>) {
    let Some(pag) = &op.marker_pagination else {
        return;
    };
    let Some(schema) = op
        .responses
        .get(&op.request.success)
        .and_then(|r| r.schema.as_ref())
        .map(|s| &s.source)
    else {
        return;
    };
    let item = PointerPath::parse(&format!("{}/*{}", pag.items, pag.item_id)).ok();
    let pointers = [
        Some((&pag.next, "next")),
        pag.more.as_ref().map(|p| (p, "more")),
        Some((&pag.items, "items")),
        item.as_ref().map(|p| (p, "item_id")),
    ];
    for (pointer, key) in pointers.into_iter().flatten() {
        if let Some(problem) = walk(schema, pointer) {
            let paths = schema_paths(schema);
            let hint = did_you_mean_or(pointer.as_str(), paths.iter().map(String::as_str), || {
                format!(
                    "the response schema's paths are listed in {}",
                    op.file.display()
                )
            });
            out.push(
                Diagnostic::new(
                    &op.file,
                    pag.pos,
                    format!(
                        "`pagination.{key}` pointer `{pointer}` cannot select anything in the {} response of {}: {problem}",
                        op.request.success,
                        op.id()
                    ),
                )
                .with_class("pointer-unreachable")
                .with_hint(hint),
            );
        }
    }
}

/// Walks `pointer` through `schema`; the reason it cannot select anything, or `None` when it
/// can (or the schema leaves it open).
fn walk(schema: &Value, pointer: &PointerPath) -> Option<String> {
    let mut here = schema;
    let mut walked = String::new();
    for step in pointer.steps() {
        if is_open(here) {
            return None;
        }
        let next = match step {
            PathStep::Key(key) => member(here, key, &walked)?,
            PathStep::Every | PathStep::Select { .. } => {
                let items = items(here)
                    .ok_or_else(|| format!("`{}` is not an array in the schema", shown(&walked)));
                let items = match items {
                    Ok(items) => items,
                    Err(problem) => return Some(problem),
                };
                if let PathStep::Select { field } = step
                    && let Some(Err(problem)) = member(items, field, &format!("{walked}/*"))
                {
                    return Some(problem);
                }
                Ok(items)
            }
        };
        match next {
            Ok(child) => here = child,
            Err(problem) => return Some(problem),
        }
        walked.push('/');
        walked.push_str(&match step {
            PathStep::Key(k) => k.to_string(),
            PathStep::Every | PathStep::Select { .. } => "*".to_string(),
        });
    }
    None
}

/// The schema of member `key` of the object (or element of the array) `here`: `Ok(schema)`,
/// `Err(reason)` when it cannot exist, or `None` when the schema leaves it open.
fn member<'s>(here: &'s Value, key: &str, walked: &str) -> Option<Result<&'s Value, String>> {
    if let Some(items) = items(here)
        && key.parse::<usize>().is_ok()
    {
        return Some(Ok(items));
    }
    if let Some(properties) = here.get("properties").and_then(Value::as_object) {
        if let Some(child) = properties.get(key) {
            return Some(Ok(child));
        }
        return match here.get("additionalProperties") {
            Some(Value::Bool(false)) => Some(Err(format!(
                "the object at `{}` has no member `{key}` (its members: {})",
                shown(walked),
                names(properties)
            ))),
            Some(extra @ Value::Object(_)) => Some(Ok(extra)),
            _ => Some(Err(format!(
                "the object at `{}` documents no member `{key}` (its members: {})",
                shown(walked),
                names(properties)
            ))),
        };
    }
    match here.get("type").and_then(Value::as_str) {
        Some(kind @ ("string" | "integer" | "number" | "boolean" | "null")) => Some(Err(format!(
            "`{}` is a {kind} in the schema, which has no member `{key}`",
            shown(walked)
        ))),
        _ => None,
    }
}

/// The array items schema of `here`, when it describes an array.
fn items(here: &Value) -> Option<&Value> {
    here.get("items")
}

/// True when the schema at this point cannot be judged: `true`, or a combinator or reference.
fn is_open(here: &Value) -> bool {
    here == &Value::Bool(true)
        || ["oneOf", "anyOf", "allOf", "$ref", "if"]
            .iter()
            .any(|k| here.get(k).is_some())
}

/// `/` for the document itself, else the path walked so far.
fn shown(walked: &str) -> &str {
    if walked.is_empty() { "/" } else { walked }
}

/// The member names of an object schema, as `A, B, C`.
fn names(properties: &serde_json::Map<String, Value>) -> String {
    properties
        .keys()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every path the schema documents (`/Keys/Key/*/KeyId`), for suggestions.
fn schema_paths(schema: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect_paths(schema, String::new(), 0, &mut out);
    out
}

fn collect_paths(here: &Value, prefix: String, depth: usize, out: &mut Vec<String>) {
    if depth > MAX_SUGGESTION_DEPTH {
        return;
    }
    if let Some(properties) = here.get("properties").and_then(Value::as_object) {
        for (name, child) in properties {
            let path = format!("{prefix}/{name}");
            out.push(path.clone());
            collect_paths(child, path, depth + 1, out);
        }
    }
    if let Some(items) = items(here) {
        let path = format!("{prefix}/*");
        out.push(path.clone());
        collect_paths(items, path, depth + 1, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::did_you_mean;
    use serde_json::json;

    fn keys_schema() -> Value {
        json!({
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "TotalCount": {"type": "integer"},
                "Keys": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                        "Key": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "additionalProperties": false,
                                "properties": {"KeyId": {"type": "string"}, "KeyArn": {"type": "string"}}
                            }
                        }
                    }
                },
                "Tags": {"type": "object", "additionalProperties": {"type": "string"}},
                "Loose": {"type": "object", "properties": {"a": {"type": "string"}}},
                "Free": {"type": "object"},
                "Either": {"oneOf": [{"type": "string"}, {"type": "object"}]}
            }
        })
    }

    fn problem(pointer: &str) -> Option<String> {
        walk(&keys_schema(), &PointerPath::parse(pointer).unwrap())
    }

    #[test]
    fn documented_paths_pass() {
        for ok in [
            "",
            "/TotalCount",
            "/Keys/Key",
            "/Keys/Key/*/KeyId",
            "/Keys/Key/0/KeyArn",
            "/Keys/Key/?KeyId=abc/KeyArn",
            "/Tags/anything",
            "/Free/whatever/deep",
            "/Loose/a",
            "/Either/x",
        ] {
            assert_eq!(problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn paths_the_schema_cannot_have_are_named() {
        let p = problem("/Keys/Keys/*/KeyID").expect("a typo of Key");
        assert!(p.contains("no member `Keys`") && p.contains("`Key`"), "{p}");
        let p = problem("/Keys/Key/*/KeyID").expect("a typo of KeyId");
        assert!(p.contains("no member `KeyID`"), "{p}");
        let p = problem("/TotalCount/*").expect("a * on an integer");
        assert!(p.contains("not an array"), "{p}");
        let p = problem("/Keys/Key/?KeyID=x").expect("a selector on a missing field");
        assert!(p.contains("`KeyID`"), "{p}");
        let p = problem("/TotalCount/x").expect("a member of an integer");
        assert!(p.contains("is a integer") || p.contains("integer"), "{p}");
        let p = problem("/Loose/b").expect("undocumented in an open object");
        assert!(p.contains("documents no member `b`"), "{p}");
    }

    #[test]
    fn suggestions_come_from_the_schema() {
        let paths = schema_paths(&keys_schema());
        assert!(paths.contains(&"/Keys/Key/*/KeyId".to_string()));
        assert_eq!(
            did_you_mean("/Keys/Keys/*/KeyID", paths.iter().map(String::as_str)),
            Some("/Keys/Key/*/KeyId")
        );
    }
}
