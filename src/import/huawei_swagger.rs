//! The reader of Huawei Cloud's API Explorer definitions: Swagger 2.0 documents with `paths`,
//! `definitions`, per-parameter `minLength`/`maxLength`/`pattern`/`enum`/`minimum`/`maximum`/
//! `default`, a body parameter whose schema's properties are the request's body members, and
//! request samples in `x-request-examples-*` extensions. They list statuses, not error codes.

use serde_json::{Map, Value};

use super::ImportError;
use super::doc_page::fill_required;
use super::model::*;
use super::prose;

/// True when the JSON document is a Swagger 2.0 definition.
pub fn looks_like(v: &Value) -> bool {
    v.get("swagger").and_then(Value::as_str) == Some("2.0")
        && v.get("paths").is_some_and(Value::is_object)
}

const METHODS: &[&str] = &["get", "post", "put", "delete", "patch"];

/// Reads the operations `wanted` (every one when the document defines one).
pub fn read(
    doc: &Value,
    file: &str,
    at: &str,
    wanted: &[String],
) -> Result<Vec<ImportedOperation>, ImportError> {
    let mut found: Vec<(String, String, String, &Value)> = Vec::new();
    for (path, item) in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for m in METHODS {
            if let Some(op) = item.get(*m) {
                let name = op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| path.rsplit('/').next().unwrap_or("").to_string());
                found.push((name, m.to_ascii_uppercase(), path.clone(), op));
            }
        }
    }
    let names: Vec<String> = found.iter().map(|f| f.0.clone()).collect();
    let wanted = super::chosen(file, &names, wanted)?;
    wanted
        .iter()
        .map(|w| {
            let (name, method, path, op) = found.iter().find(|f| &f.0 == w).ok_or_else(|| {
                ImportError::OperationNotInSource {
                    file: file.to_string(),
                    wanted: w.clone(),
                    found: names.clone(),
                }
            })?;
            Ok(read_op(doc, name, method, path, op, at))
        })
        .collect()
}

/// Follows a `$ref` into `definitions` (a few levels at most).
fn resolve<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
    for _ in 0..8 {
        let Some(r) = v.get("$ref").and_then(Value::as_str) else {
            return v;
        };
        match r
            .strip_prefix("#/")
            .and_then(|p| doc.pointer(&format!("/{p}")))
        {
            Some(next) => v = next,
            None => return v,
        }
    }
    v
}

fn param_type(t: Option<&str>) -> &'static str {
    match t {
        Some("integer") | Some("number") => "integer",
        Some("boolean") => "boolean",
        Some("array") => "array",
        Some("object") => "object",
        _ => "string",
    }
}

/// One parameter from a Swagger parameter or body property.
fn param(name: &str, location: &'static str, s: &Value, required: bool) -> Param {
    let ty = param_type(s.get("type").and_then(Value::as_str));
    let description: Vec<String> = s
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("")
        .lines()
        .map(str::to_string)
        .collect();
    let mut constraints = Vec::new();
    let said = |key: &str, v: &Value| {
        format!(
            "{name} {key}: {}",
            v.as_str().map_or(v.to_string(), str::to_string)
        )
    };
    let int = |k: &str| {
        s.get(k)
            .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
    };
    for (key, make) in [
        (
            "minimum",
            ConstraintKind::Minimum as fn(i64) -> ConstraintKind,
        ),
        ("maximum", ConstraintKind::Maximum),
    ] {
        if let Some(v) = int(key) {
            constraints.push(Constraint {
                kind: make(v),
                sentence: said(key, &s[key]),
            });
        }
    }
    for (key, make) in [
        (
            "minLength",
            ConstraintKind::MinLength as fn(u64) -> ConstraintKind,
        ),
        ("maxLength", ConstraintKind::MaxLength),
    ] {
        if let Some(v) = int(key) {
            constraints.push(Constraint {
                kind: make(v.max(0) as u64),
                sentence: said(key, &s[key]),
            });
        }
    }
    if let Some(p) = s.get("pattern").and_then(Value::as_str)
        && regex::Regex::new(p).is_ok()
    {
        constraints.push(Constraint {
            kind: ConstraintKind::Pattern(p.to_string()),
            sentence: said("pattern", &s["pattern"]),
        });
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        let members = e
            .iter()
            .map(|m| m.as_str().map_or(m.to_string(), |x| x.trim().to_string()))
            .collect();
        constraints.push(Constraint {
            kind: ConstraintKind::Enum(members),
            sentence: said("enum", &s["enum"]),
        });
    }
    if let Some(d) = s.get("default") {
        let v = match (ty, d) {
            ("integer", Value::String(t)) => t.parse::<i64>().map_or(d.clone(), Value::from),
            _ => d.clone(),
        };
        constraints.push(Constraint {
            kind: ConstraintKind::Default(v),
            sentence: said("default", d),
        });
    }
    let parsed = prose::parse(&description, ty);
    for c in parsed.constraints {
        let same =
            |k: &Constraint| std::mem::discriminant(&k.kind) == std::mem::discriminant(&c.kind);
        if !constraints.iter().any(same) && !matches!(c.kind, ConstraintKind::MaxItems(_)) {
            constraints.push(c);
        }
    }
    Param {
        name: name.to_string(),
        location,
        ty,
        required,
        example: s
            .get("example")
            .map(|e| e.as_str().map_or(e.to_string(), str::to_string)),
        description,
        constraints,
        notes: parsed.notes,
    }
}

/// The request sample: the first `x-request-examples*` extension that holds a JSON object (as
/// an object, as a JSON string, or wrapped in one more object).
fn request_example(op: &Value) -> Option<Map<String, Value>> {
    let obj = op.as_object()?;
    let mut keys: Vec<&String> = obj
        .keys()
        .filter(|k| k.starts_with("x-request-examples"))
        .collect();
    keys.sort();
    keys.iter().find_map(|k| {
        let v = &obj[*k];
        let v = match v {
            Value::String(s) => serde_json::from_str(s).ok()?,
            other => other.clone(),
        };
        let Value::Object(m) = v else { return None };
        // { "<description>": { ...body... } } or the body itself.
        if m.len() == 1
            && let Some(inner) = m.values().next()
        {
            match inner {
                Value::Object(b) => return Some(b.clone()),
                Value::String(s) => return serde_json::from_str(s).ok(),
                _ => {}
            }
        }
        Some(m)
    })
}

fn read_op(
    doc: &Value,
    name: &str,
    method: &str,
    path: &str,
    op: &Value,
    at: &str,
) -> ImportedOperation {
    let mut params = Vec::new();
    let mut body_example = None;
    for p in op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let p = resolve(doc, p);
        let pname = p.get("name").and_then(Value::as_str).unwrap_or("");
        let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
        match p.get("in").and_then(Value::as_str) {
            Some("body") => {
                let schema = resolve(doc, p.get("schema").unwrap_or(&Value::Null));
                let req: Vec<&str> = schema
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                for (k, s) in schema
                    .get("properties")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    params.push(param(k, "body", resolve(doc, s), req.contains(&k.as_str())));
                }
                body_example = request_example(p)
                    .or_else(|| schema.get("example").and_then(Value::as_object).cloned());
            }
            Some("path") => params.push(param(pname, "path", p, true)),
            Some("query") => params.push(param(pname, "query", p, required)),
            _ => {} // headers: the token and the signature are the target's auth
        }
    }
    let body_example = body_example.or_else(|| request_example(op));
    let responses = op
        .get("responses")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let success = responses
        .keys()
        .filter_map(|k| k.parse::<u16>().ok())
        .find(|s| (200..300).contains(s))
        .unwrap_or(200);
    let ok = responses
        .get(&success.to_string())
        .cloned()
        .unwrap_or(Value::Null);
    let sample = ok
        .pointer("/examples/application~1json")
        .cloned()
        .or_else(|| {
            ok.get("examples")
                .and_then(|e| e.as_object()?.values().next().cloned())
        })
        .filter(Value::is_object);
    let schema = resolve(doc, ok.get("schema").unwrap_or(&Value::Null));
    let response = fields(doc, schema, sample.as_ref(), 0);
    let mut errors = Vec::new();
    for (status, r) in &responses {
        if let Ok(s) = status.parse::<u16>()
            && s >= 400
        {
            let d = r.get("description").and_then(Value::as_str).unwrap_or("");
            errors.push(ErrorRow {
                status: s,
                code: None,
                quote: format!("{s} {d}").trim().to_string(),
            });
        }
    }
    let mut op_out = ImportedOperation {
        name: name.to_string(),
        style: Style::Rest,
        summary: op
            .get("summary")
            .or_else(|| op.get("description"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string(),
        source: SourceRef {
            kind: "metadata",
            at: at.to_string(),
        },
        method: method.to_string(),
        path: Some(path.to_string()),
        success,
        params,
        sample_request: body_example
            .map(|m| m.into_iter().collect())
            .unwrap_or_default(),
        response,
        sample_source: "The definition's example response, verbatim.".into(),
        sample,
        errors,
        notes: Vec::new(),
        prose_bounds: Vec::new(),
        paginator: None,
    };
    fill_required(&mut op_out);
    op_out
}

/// The field tree of a response schema, `$ref`s followed; a member is required when the
/// sample has it (all of them when there is no sample and the schema says `required`).
fn fields(doc: &Value, schema: &Value, sample: Option<&Value>, depth: usize) -> Vec<Field> {
    if depth > 8 {
        return Vec::new();
    }
    let req: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, s)| {
            let s = resolve(doc, s);
            let inner = sample.and_then(|v| v.get(k));
            let (ty, children) = match s.get("type").and_then(Value::as_str) {
                Some("array") => {
                    let items = resolve(doc, s.get("items").unwrap_or(&Value::Null));
                    let first = inner.and_then(Value::as_array).and_then(|a| a.first());
                    (FieldType::Array, fields(doc, items, first, depth + 1))
                }
                Some("integer") => (FieldType::Integer, Vec::new()),
                Some("number") => (FieldType::Number, Vec::new()),
                Some("boolean") => (FieldType::Boolean, Vec::new()),
                Some("string") => (FieldType::String, Vec::new()),
                _ if s.get("properties").is_some() => {
                    (FieldType::Object, fields(doc, s, inner, depth + 1))
                }
                _ => (FieldType::String, Vec::new()),
            };
            Field {
                name: k.clone(),
                ty,
                required: match sample {
                    Some(v) => v.get(k).is_some(),
                    None => req.contains(&k.as_str()),
                },
                children,
                enum_values: Vec::new(),
            }
        })
        .collect()
}
