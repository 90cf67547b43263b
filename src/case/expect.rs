//! Reading a step's `expect:` block.

use std::collections::BTreeSet;

use serde_json::Value;

use super::model::*;
use super::scope::{Scope, check_vars_in};
use crate::diag::did_you_mean_or;
use crate::pointer::PointerPath;
use crate::spec::{Operation, Service, compile_regex, read_pointer, read_status};
use crate::vars;
use crate::yaml::{Node, Reader};

const EXPECT_KEYS: &[&str] = &[
    "status",
    "error",
    "schema",
    "match",
    "equals",
    "count",
    "pagination",
    "sample",
    "format",
];

pub(crate) fn read_expect(
    r: &mut Reader<'_>,
    node: &Node,
    op: &Operation,
    service: &Service,
    known: &BTreeSet<String>,
    scope: &Scope,
) -> Option<Expect> {
    let f = r.map(node, "`expect`", EXPECT_KEYS)?;
    let mut e = Expect {
        status: f.get("status").and_then(|n| read_status(r, n)),
        ..Expect::default()
    };
    if let Some(n) = f.get("error") {
        e.error = r.string(n, "`error`");
        if let Some(code) = &e.error {
            let documented = op
                .errors
                .iter()
                .chain(&service.common_errors)
                .any(|d| d.code == *code);
            if !documented {
                let codes: Vec<&str> = op
                    .errors
                    .iter()
                    .chain(&service.common_errors)
                    .map(|d| d.code.as_str())
                    .collect();
                let hint = did_you_mean_or(code, codes.iter().copied(), || {
                    format!(
                        "add it to `errors` in {} with its status and source, or use one of: {}",
                        op.file.display(),
                        codes.join(", ")
                    )
                });
                r.error_hint(
                    n.pos,
                    "unknown-error-code",
                    format!(
                        "error code `{code}` is not documented for {} or its service",
                        op.id()
                    ),
                    hint,
                );
            }
        }
    }
    e.schema = f.get("schema").and_then(|n| r.boolean(n, "`schema`"));
    if let Some(n) = f.get("match") {
        for (k, v) in pointer_entries(r, n, "`match`") {
            let Some(text) = r.string(v, "a `match` regex") else {
                continue;
            };
            check_vars_in(r, v, known, scope);
            // Compile with every variable replaced by a plain word, to catch syntax errors now.
            let probe: vars::Vars = vars::references(&text)
                .into_iter()
                .map(|name| (name, Value::String("x".into())))
                .collect();
            if let Ok(t) = vars::substitute(&text, &probe)
                && compile_regex(r, v, &t, "this `match` value").is_some()
            {
                e.matches.push((k, text));
            }
        }
    }
    if let Some(n) = f.get("equals") {
        for (k, v) in pointer_entries(r, n, "`equals`") {
            check_vars_in(r, v, known, scope);
            e.equals.push((k, v.to_json()));
        }
    }
    if let Some(n) = f.get("count") {
        for (k, v) in pointer_entries(r, n, "`count`") {
            let Some(cf) = r.map(v, "a `count` bound", &["min", "max"]) else {
                continue;
            };
            let mut bounds = CountBounds::default();
            for (key, slot) in [("min", &mut bounds.min), ("max", &mut bounds.max)] {
                if let Some(b) = cf.get(key) {
                    let j = b.to_json();
                    if !(j.is_u64() || j.as_str().is_some_and(|s| s.starts_with("${"))) {
                        r.wrong_type(b, &format!("`count.{key}`"), "a whole number or `${var}`");
                    }
                    check_vars_in(r, b, known, scope);
                    *slot = Some(j);
                }
            }
            e.count.push((k, bounds));
        }
    }
    if let Some(n) = f.get("pagination") {
        e.pagination = r.one_of(n, "pagination mode", &["page", "walk"]).map(|m| {
            if m == "walk" {
                PaginationMode::Walk
            } else {
                PaginationMode::Page
            }
        });
        if op.pagination.is_none() && op.marker_pagination.is_none() {
            r.error_hint(
                n.pos,
                "bad-value",
                format!("{} has no `pagination` in its spec", op.id()),
                "remove `pagination`, or describe the pagination in the spec",
            );
        }
    }
    if let Some(n) = f.get("format") {
        e.format = r.one_of(n, "format", &["json", "xml"]).map(|v| match v {
            "xml" => BodyFormat::Xml,
            _ => BodyFormat::Json,
        });
    }
    if let Some(n) = f.get("sample") {
        e.sample = r.boolean(n, "`sample`").unwrap_or(false);
        let has_sample = op.responses.values().any(|resp| resp.sample.is_some());
        if e.sample && !has_sample {
            r.error_hint(
                n.pos,
                "bad-value",
                format!("{} has no documented sample to compare with", op.id()),
                "add `sample:` to the spec's success response, or remove `sample: true`",
            );
        }
    }
    Some(e)
}

/// Reads a mapping of pointer → node, reporting bad pointers.
fn pointer_entries<'n>(
    r: &mut Reader<'_>,
    node: &'n Node,
    what: &str,
) -> Vec<(PointerPath, &'n Node)> {
    let Some(entries) = node.as_map() else {
        r.wrong_type(node, what, "a mapping of JSON pointer to value");
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|(k, v)| read_pointer(r, k, &format!("a key of {what}")).map(|p| (p, v)))
        .collect()
}
