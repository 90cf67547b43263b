//! The reader of Alibaba Cloud's OpenAPI metadata (`api-docs.json` of a product version): per
//! API, `parameters[]` with `in` and `schema{type, required, enum, minimum, maximum, default,
//! description, example}`, `responses."200".schema` (objects marked `itemNode: true` are the
//! `"Keys": {"Key": [...]}` wrappers, so the schema already has the wire shape), `errorCodes`,
//! and `responseDemo` (a JSON string holding the JSON and XML samples). Structured constraints
//! come first; the description's prose adds what the structure lacks.

use serde_json::{Map, Value};

use super::ImportError;
use super::doc_page::fill_required;
use super::model::*;
use super::prose;

/// True when the JSON document is an `api-docs.json`.
pub fn looks_like(v: &Value) -> bool {
    v.get("apis").is_some_and(Value::is_object)
}

/// Reads the operations `wanted` (every one when the file documents one API); `file` is the
/// path as given (for errors), `at` the name the evidence cites.
pub fn read(
    doc: &Value,
    file: &str,
    at: &str,
    wanted: &[String],
) -> Result<Vec<ImportedOperation>, ImportError> {
    let apis = doc
        .get("apis")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let names: Vec<String> = apis.keys().cloned().collect();
    let wanted = super::chosen(file, &names, wanted)?;
    let mut out = Vec::new();
    for w in &wanted {
        let api = apis
            .get(w)
            .ok_or_else(|| ImportError::OperationNotInSource {
                file: file.to_string(),
                wanted: w.clone(),
                found: names
                    .iter()
                    .take(8)
                    .cloned()
                    .chain((names.len() > 8).then(|| format!("... ({} in all)", names.len())))
                    .collect(),
            })?;
        out.push(read_api(w, api, at));
    }
    Ok(out)
}

/// A number written as a number or as text (`"7"`).
fn int(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn param_type(t: &str) -> &'static str {
    match t {
        "integer" | "number" => "integer",
        "boolean" => "boolean",
        "array" => "array",
        "object" => "object",
        _ => "string",
    }
}

fn read_api(name: &str, api: &Value, at: &str) -> ImportedOperation {
    let mut params = Vec::new();
    for p in api
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(pname) = p.get("name").and_then(Value::as_str) else {
            continue;
        };
        let schema = p.get("schema").cloned().unwrap_or(Value::Null);
        let ty = param_type(
            schema
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("string"),
        );
        let description: Vec<String> = schema
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .lines()
            .map(str::to_string)
            .collect();
        let mut constraints = Vec::new();
        let said = |what: &str, v: &dyn std::fmt::Display| format!("{pname} schema {what}: {v}");
        if let Some(v) = int(schema.get("minimum")) {
            constraints.push(Constraint {
                kind: ConstraintKind::Minimum(v),
                sentence: said("minimum", &v),
            });
        }
        if let Some(v) = int(schema.get("maximum")) {
            constraints.push(Constraint {
                kind: ConstraintKind::Maximum(v),
                sentence: said("maximum", &v),
            });
        }
        if let Some(e) = schema.get("enum").and_then(Value::as_array) {
            let members: Vec<String> = e
                .iter()
                .filter_map(|m| {
                    m.as_str()
                        .map(|s| s.trim().to_string())
                        .or_else(|| Some(m.to_string()))
                })
                .collect();
            constraints.push(Constraint {
                sentence: said("enum", &members.join(", ")),
                kind: ConstraintKind::Enum(members),
            });
        }
        if let Some(d) = schema.get("default") {
            let text = d.as_str().map_or(d.to_string(), str::to_string);
            let v = match ty {
                "integer" => text
                    .trim()
                    .parse::<i64>()
                    .map_or(Value::String(text.clone()), Value::from),
                _ => Value::String(text.clone()),
            };
            constraints.push(Constraint {
                kind: ConstraintKind::Default(v),
                sentence: said("default", &text),
            });
        }
        let parsed = prose::parse(&description, ty);
        for c in parsed.constraints {
            let same =
                |k: &Constraint| std::mem::discriminant(&k.kind) == std::mem::discriminant(&c.kind);
            if !constraints.iter().any(same) {
                constraints.push(c);
            }
        }
        let example = schema
            .get("example")
            .map(|e| e.as_str().map_or(e.to_string(), str::to_string));
        if !example
            .as_deref()
            .is_some_and(|e| e.starts_with('[') || e.starts_with('{'))
        {
            constraints.retain(|c| !matches!(c.kind, ConstraintKind::MaxItems(_)));
        }
        params.push(Param {
            name: pname.to_string(),
            location: match p.get("in").and_then(Value::as_str) {
                Some("path") => "path",
                Some("header") => "header",
                Some("body") | Some("formData") => "body",
                _ => "query",
            },
            ty,
            required: schema
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            example,
            description,
            constraints,
            notes: parsed.notes,
        });
    }
    let sample = api
        .get("responseDemo")
        .and_then(Value::as_str)
        .and_then(|s| serde_json::from_str::<Value>(s).ok())
        .and_then(|demos| {
            demos.as_array()?.iter().find_map(|d| {
                (d.get("type")? == "json")
                    .then(|| d.get("example")?.as_str())
                    .flatten()
                    .and_then(|e| serde_json::from_str::<Value>(e).ok())
            })
        })
        .filter(Value::is_object);
    let schema = api
        .pointer("/responses/200/schema")
        .cloned()
        .unwrap_or(Value::Null);
    let response = fields(&schema, sample.as_ref());
    let mut errors = Vec::new();
    if let Some(codes) = api.get("errorCodes").and_then(Value::as_object) {
        for (status, rows) in codes {
            for r in rows.as_array().into_iter().flatten() {
                let code = r.get("errorCode").and_then(Value::as_str).unwrap_or("");
                let msg = r.get("errorMessage").and_then(Value::as_str).unwrap_or("");
                if !code.is_empty() {
                    errors.push(ErrorRow {
                        status: status.parse().unwrap_or(400),
                        code: Some(code.to_string()),
                        quote: format!("{status} {code} {msg}").trim().to_string(),
                    });
                }
            }
        }
    }
    let mut op = ImportedOperation {
        name: name.to_string(),
        style: Style::Rpc,
        summary: api
            .get("summary")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string(),
        source: SourceRef {
            kind: "metadata",
            at: at.to_string(),
        },
        method: "POST".into(),
        path: None,
        success: 200,
        params,
        sample_request: Vec::new(),
        response,
        sample_source: "The metadata's JSON responseDemo, verbatim.".into(),
        sample,
        errors,
        notes: Vec::new(),
        prose_bounds: Vec::new(),
        paginator: None,
    };
    fill_required(&mut op);
    op
}

/// The field tree of a metadata response schema (already the wire shape); a member is required
/// when the sample has it.
fn fields(schema: &Value, sample: Option<&Value>) -> Vec<Field> {
    let props = schema
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_else(Map::new);
    props
        .iter()
        .map(|(k, s)| {
            let inner = sample.and_then(|v| v.get(k));
            let (ty, children) = match s.get("type").and_then(Value::as_str).unwrap_or("string") {
                "object" => (FieldType::Object, fields(s, inner)),
                "array" => {
                    let first = inner.and_then(|v| v.as_array()).and_then(|a| a.first());
                    (
                        FieldType::Array,
                        s.get("items").map(|i| fields(i, first)).unwrap_or_default(),
                    )
                }
                "integer" => (FieldType::Integer, Vec::new()),
                "number" => (FieldType::Number, Vec::new()),
                "boolean" => (FieldType::Boolean, Vec::new()),
                _ => (FieldType::String, Vec::new()),
            };
            Field {
                name: k.clone(),
                ty,
                required: inner.is_some(),
                children,
                enum_values: Vec::new(),
            }
        })
        .collect()
}
