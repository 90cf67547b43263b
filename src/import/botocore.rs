//! The reader of botocore's machine-readable service models (`service-2.json`, the AWS JSON
//! protocol): each operation's input structure becomes the body parameters (with the shapes'
//! `min`/`max` — lengths for strings, values for integers —, `pattern`, `enum` and the
//! structure's `required`), its output structure the response schema, its modelled `errors` the
//! error rows. The HTML documentation is read as plain text: the operation's first paragraph is
//! the summary, each member's documentation the parameter's source text, read by the [`prose`]
//! parser too; where the prose states another bound than the shape, both are kept (the shape's
//! in the spec, the prose's as the two readings of a doc note quoting both, each with its case).
//! `paginators-1.json` and `examples-1.json` beside the model add the paginator (a doc note and
//! the spec's marker pagination) and the sample.

use std::path::Path;

use serde_json::Value;

use super::ImportError;
use super::model::*;
use super::prose;

/// True when the JSON document is a botocore service model.
pub fn looks_like(v: &Value) -> bool {
    v.pointer("/metadata/protocol")
        .is_some_and(Value::is_string)
        && v.get("operations").is_some_and(Value::is_object)
        && v.get("shapes").is_some_and(Value::is_object)
}

/// Reads the operations `wanted` (every one when the model has a single operation); `file` is
/// the model's path, beside which `paginators-1.json` and `examples-1.json` are looked for.
pub fn read(
    doc: &Value,
    file: &Path,
    at: &str,
    wanted: &[String],
) -> Result<Vec<ImportedOperation>, ImportError> {
    let shown = file.display().to_string();
    let beside = |name: &str| -> Value {
        file.parent()
            .map(|d| d.join(name))
            .and_then(|p| std::fs::read_to_string(p).ok())
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(Value::Null)
    };
    let paginators = beside("paginators-1.json");
    let examples = beside("examples-1.json");
    let names: Vec<String> = doc["operations"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let wanted = super::chosen(&shown, &names, wanted)?;
    wanted
        .iter()
        .map(|w| {
            let op = doc["operations"]
                .get(w)
                .ok_or_else(|| ImportError::OperationNotInSource {
                    file: shown.clone(),
                    wanted: w.clone(),
                    found: names.clone(),
                })?;
            Ok(read_op(
                doc,
                w,
                op,
                at,
                paginators.pointer(&format!("/pagination/{w}")),
                examples.pointer(&format!("/examples/{w}/0")),
            ))
        })
        .collect()
}

/// The HTML of a `documentation` entry as plain lines: one per paragraph or list item, tags
/// removed, the five entities decoded, white space collapsed.
pub fn html_lines(html: &str) -> Vec<String> {
    let breaks = regex::Regex::new(r"(?i)</p>|<li>|</li>|<br\s*/?>|</ul>|<ul>").expect("valid");
    let tags = regex::Regex::new(r"<[^>]*>").expect("valid");
    breaks
        .replace_all(html, "\n")
        .lines()
        .map(|l| {
            let t = tags.replace_all(l, "");
            let t = t
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
            t.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .filter(|l| !l.is_empty())
        .collect()
}

fn shape<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc.pointer(&format!("/shapes/{name}"))
        .unwrap_or(&Value::Null)
}

fn param_type(t: &str) -> &'static str {
    match t {
        "integer" | "long" => "integer",
        "boolean" => "boolean",
        "list" => "array",
        "structure" | "map" => "object",
        _ => "string",
    }
}

/// The constraints a shape states, each quoted as `<Shape> <key>: <value>`.
fn shape_constraints(name: &str, s: &Value, ty: &str) -> Vec<Constraint> {
    let said = |k: &str| format!("{name} {k}: {}", s[k]);
    let mut out = Vec::new();
    for (k, lower) in [("min", true), ("max", false)] {
        let Some(v) = s.get(k).and_then(Value::as_i64) else {
            continue;
        };
        let kind = match (ty, lower) {
            ("integer", true) => ConstraintKind::Minimum(v),
            ("integer", false) => ConstraintKind::Maximum(v),
            ("string", true) => ConstraintKind::MinLength(v.max(0) as u64),
            ("string", false) => ConstraintKind::MaxLength(v.max(0) as u64),
            _ => continue, // a list's number of entries: the spec format has no check for it
        };
        out.push(Constraint {
            kind,
            sentence: said(k),
        });
    }
    if let Some(p) = s.get("pattern").and_then(Value::as_str)
        && regex::Regex::new(p).is_ok()
    {
        out.push(Constraint {
            kind: ConstraintKind::Pattern(p.to_string()),
            sentence: format!("{name} pattern: {p}"),
        });
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        out.push(Constraint {
            kind: ConstraintKind::Enum(
                e.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
            ),
            sentence: said("enum"),
        });
    }
    out
}

fn bound_value(k: &ConstraintKind) -> Option<i64> {
    match k {
        ConstraintKind::Minimum(v) | ConstraintKind::Maximum(v) => Some(*v),
        ConstraintKind::MinLength(v) | ConstraintKind::MaxLength(v) => Some(*v as i64),
        _ => None,
    }
}

fn read_op(
    doc: &Value,
    name: &str,
    op: &Value,
    at: &str,
    paginator: Option<&Value>,
    example: Option<&Value>,
) -> ImportedOperation {
    let mut params = Vec::new();
    let mut notes = Vec::new();
    let mut prose_bounds = Vec::new();
    let input = op
        .pointer("/input/shape")
        .and_then(Value::as_str)
        .unwrap_or("");
    let input_shape = shape(doc, input);
    let required: Vec<&str> = input_shape["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for (m, member) in input_shape["members"].as_object().into_iter().flatten() {
        let sname = member["shape"].as_str().unwrap_or("");
        let s = shape(doc, sname);
        let ty = param_type(s["type"].as_str().unwrap_or("string"));
        let description = html_lines(member["documentation"].as_str().unwrap_or(""));
        let mut constraints = shape_constraints(sname, s, ty);
        let parsed = prose::parse(&description, ty);
        for c in parsed.constraints {
            let same = constraints
                .iter()
                .find(|k| std::mem::discriminant(&k.kind) == std::mem::discriminant(&c.kind))
                .cloned();
            match same {
                None if !matches!(c.kind, ConstraintKind::MaxItems(_)) => constraints.push(c),
                Some(st) if bound_value(&st.kind).is_some() && st.kind != c.kind => {
                    let id = format!("{}-structure-prose", super::doc_page::kebab(m));
                    if !notes.iter().any(|n: &Note| n.id == id) {
                        notes.push(Note {
                            id: id.clone(),
                            page_says: format!(
                                "The shape says \"{}\"; the member's documentation says \"{}\"",
                                st.sentence, c.sentence
                            ),
                            interpretation: format!(
                                "The structure and the prose disagree about {m}. The spec keeps the \
                                 shape's bound (what the SDKs validate); neither is picked for the \
                                 service: the note's readings are `prose` (a value past the prose's \
                                 bound is refused) and `shape` (it is accepted), each with its case. \
                                 The reference reading is `prose`, the operation's own words."
                            ),
                        });
                    }
                    prose_bounds.push(ProseBound {
                        param: m.clone(),
                        constraint: c,
                        structure: st,
                        note: id,
                    });
                }
                _ => {}
            }
        }
        params.push(Param {
            name: m.clone(),
            location: "body",
            ty,
            required: required.contains(&m.as_str()),
            example: None,
            description,
            constraints,
            notes: parsed.notes,
        });
    }
    let output = op
        .pointer("/output/shape")
        .and_then(Value::as_str)
        .unwrap_or("");
    let response = fields(doc, shape(doc, output), 0);
    let errors = op["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["shape"].as_str())
        .map(|code| {
            let s = shape(doc, code);
            let status = s
                .pointer("/error/httpStatusCode")
                .and_then(Value::as_u64)
                .map_or(400, |v| v as u16);
            let said = html_lines(s["documentation"].as_str().unwrap_or("")).join(" ");
            ErrorRow {
                status,
                code: Some(code.to_string()),
                quote: format!("{code}: {said}").trim().to_string(),
            }
        })
        .collect();
    let marker_paginator = paginator.and_then(|pg| {
        let text = |k: &str| pg[k].as_str().map(str::to_string);
        Some(Paginator {
            input_token: text("input_token")?,
            output_token: text("output_token")?,
            limit_key: text("limit_key"),
            more_results: text("more_results"),
            result_key: text("result_key")?,
        })
    });
    if let Some(pg) = paginator {
        let get = |k: &str| pg[k].as_str().unwrap_or("-").to_string();
        notes.push(Note {
            id: "pagination-token".into(),
            page_says: format!(
                "paginators-1.json: input_token {}, output_token {}, limit_key {}, more_results {}, result_key {}",
                get("input_token"),
                get("output_token"),
                get("limit_key"),
                get("more_results"),
                get("result_key")
            ),
            interpretation: format!(
                "The operation pages by token: send {} as the next request's {}, while {} is true, \
                 at most {} items a page. The spec's marker pagination block says so, and the \
                 pagination-walk case follows the markers; that no item repeats and the walk ends \
                 is this project's reading of a paginator.",
                get("output_token"),
                get("input_token"),
                get("more_results"),
                get("limit_key")
            ),
        });
    }
    let sample_request: Vec<(String, Value)> = example
        .and_then(|e| e["input"].as_object())
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let sample = example
        .and_then(|e| e.get("output"))
        .filter(|v| v.is_object())
        .map(|v| wire_timestamps(doc, shape(doc, output), v));
    if let Some(e) = example.filter(|_| sample.is_some()) {
        notes.insert(
            0,
            Note {
                id: "sample-example".into(),
                page_says: format!(
                    "examples-1.json: {}",
                    e["title"]
                        .as_str()
                        .unwrap_or("the operation's first example")
                ),
                interpretation: "The example's request and answer are of the documentation's own \
                    account (its key ids and aliases); the sample diff compares the structure and \
                    the values a target could share, so it is inferred. The example writes \
                    timestamps as dates; the sample has them as the protocol sends them (epoch \
                    seconds)."
                    .into(),
            },
        );
    }
    let summary = html_lines(op["documentation"].as_str().unwrap_or(""))
        .first()
        .map(|l| {
            prose::sentences(l)
                .first()
                .map_or(l.clone(), |s| s.to_string())
        })
        .unwrap_or_default();
    ImportedOperation {
        name: name.to_string(),
        style: Style::AwsJson,
        summary,
        source: SourceRef {
            kind: "metadata",
            at: at.to_string(),
        },
        method: "POST".into(),
        path: None,
        success: 200,
        params,
        sample_request,
        response,
        sample_source: "examples-1.json: the example's output, verbatim.".into(),
        sample,
        errors,
        notes,
        prose_bounds,
        paginator: marker_paginator,
    }
}

/// The example's value `v` of shape `s` in the wire shape: RFC 3339 dates of `timestamp`
/// members become epoch seconds, as the AWS JSON protocol sends them.
fn wire_timestamps(doc: &Value, s: &Value, v: &Value) -> Value {
    match (s["type"].as_str(), v) {
        (Some("timestamp"), Value::String(t)) => {
            time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
                .map_or(v.clone(), |d| Value::from(d.unix_timestamp()))
        }
        (Some("structure"), Value::Object(m)) => Value::Object(
            m.iter()
                .map(|(k, x)| {
                    let ms = s
                        .pointer(&format!("/members/{k}/shape"))
                        .and_then(Value::as_str)
                        .map_or(&Value::Null, |n| shape(doc, n));
                    (k.clone(), wire_timestamps(doc, ms, x))
                })
                .collect(),
        ),
        (Some("list"), Value::Array(a)) => {
            let item = shape(
                doc,
                s.pointer("/member/shape")
                    .and_then(Value::as_str)
                    .unwrap_or(""),
            );
            Value::Array(a.iter().map(|x| wire_timestamps(doc, item, x)).collect())
        }
        _ => v.clone(),
    }
}

/// The field tree of an output structure: members required where the structure says so;
/// timestamps are numbers (epoch seconds) in the AWS JSON protocol.
fn fields(doc: &Value, s: &Value, depth: usize) -> Vec<Field> {
    if depth > 8 {
        return Vec::new();
    }
    let req: Vec<&str> = s["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    s["members"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, m)| {
            let ms = shape(doc, m["shape"].as_str().unwrap_or(""));
            let (ty, children) = field_type(doc, ms, depth);
            Field {
                name: k.clone(),
                ty,
                required: req.contains(&k.as_str()),
                children,
                enum_values: ms["enum"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
            }
        })
        .collect()
}

fn field_type(doc: &Value, s: &Value, depth: usize) -> (FieldType, Vec<Field>) {
    match s["type"].as_str().unwrap_or("string") {
        "integer" | "long" => (FieldType::Integer, Vec::new()),
        "float" | "double" | "timestamp" => (FieldType::Number, Vec::new()),
        "boolean" => (FieldType::Boolean, Vec::new()),
        "structure" => (FieldType::Object, fields(doc, s, depth + 1)),
        "list" => {
            let item = shape(
                doc,
                s.pointer("/member/shape")
                    .and_then(Value::as_str)
                    .unwrap_or(""),
            );
            match item["type"].as_str() {
                Some("structure") => (FieldType::Array, fields(doc, item, depth + 1)),
                _ => (FieldType::Array, Vec::new()),
            }
        }
        _ => (FieldType::String, Vec::new()),
    }
}
