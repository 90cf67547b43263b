//! Writes an imported operation as a spec and a case file in this project's formats: block YAML
//! with JSON scalars, in a fixed order (importing twice writes the same bytes), all files of an
//! import or none (each is written to a temporary file beside its place and renamed at the end;
//! an existing file with other content is never replaced without `force`).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::ImportError;
use super::derive::Derived;
use super::model::*;

/// Renders a JSON value as block YAML (scalars written as JSON, which YAML 1.2 reads alike).
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    emit(v, 0, &mut out);
    out
}

fn key(k: &str) -> String {
    let plain = !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_/$.-".contains(c))
        && !k.starts_with(['-', '.'])
        && !matches!(
            k,
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain {
        k.to_string()
    } else {
        serde_json::to_string(k).unwrap_or_default()
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Object(m) if m.is_empty() => "{}".into(),
        Value::Array(a) if a.is_empty() => "[]".into(),
        _ => serde_json::to_string(v).unwrap_or_default(),
    }
}

fn is_block(v: &Value) -> bool {
    match v {
        Value::Object(m) => !m.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => false,
    }
}

fn emit(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, v) in m {
                if is_block(v) {
                    out.push_str(&format!("{pad}{}:\n", key(k)));
                    emit(v, indent + 2, out);
                } else {
                    out.push_str(&format!("{pad}{}: {}\n", key(k), scalar(v)));
                }
            }
        }
        Value::Array(a) if !a.is_empty() => {
            for item in a {
                if is_block(item) {
                    // "- " then the first line of the item on the same line.
                    let mut inner = String::new();
                    emit(item, indent + 2, &mut inner);
                    let body = inner
                        .strip_prefix(&" ".repeat(indent + 2))
                        .unwrap_or(&inner);
                    if item.is_array() {
                        out.push_str(&format!("{pad}-\n{inner}"));
                    } else {
                        out.push_str(&format!("{pad}- {body}"));
                    }
                } else {
                    out.push_str(&format!("{pad}- {}\n", scalar(item)));
                }
            }
        }
        _ => out.push_str(&format!("{pad}{}\n", scalar(v))),
    }
}

/// The JSON Schema of a field list: an object with these members, open to others. A page's
/// response table or sample may leave out members the service sends (Huawei ListKeys answers
/// `key_details` beside `keys`): a draft that refused them would fail a faithful target, a
/// false failure. A reviewer who has evidence that the answer holds exactly these members
/// closes the object (`additionalProperties: false`) by hand.
pub fn schema_of(fields: &[Field]) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for f in fields {
        if f.required {
            required.push(json!(f.name));
        }
        let s = match f.ty {
            FieldType::String if !f.enum_values.is_empty() => {
                json!({ "type": "string", "enum": f.enum_values })
            }
            FieldType::String => json!({ "type": "string" }),
            FieldType::Integer => json!({ "type": "integer" }),
            FieldType::Number => json!({ "type": "number" }),
            FieldType::Boolean => json!({ "type": "boolean" }),
            FieldType::Object => schema_of(&f.children),
            FieldType::Array if f.children.is_empty() => json!({ "type": "array" }),
            FieldType::Array => json!({ "type": "array", "items": schema_of(&f.children) }),
        };
        props.insert(f.name.clone(), s);
    }
    json!({
        "type": "object",
        "required": required,
        "properties": props,
    })
}

/// Operations whose name starts with one of these change something.
const MUTATING: &[&str] = &[
    "Create",
    "Update",
    "Delete",
    "Put",
    "Set",
    "Schedule",
    "Cancel",
    "Enable",
    "Disable",
    "Tag",
    "Untag",
    "Import",
    "Rotate",
    "Modify",
    "Add",
    "Remove",
    "Associate",
    "Disassociate",
    "Move",
];

/// The spec of `op` as a YAML document.
pub fn spec_yaml(op: &ImportedOperation, d: &Derived) -> String {
    let ev = |says: &str| json!({ "kind": op.source.kind, "at": op.source.at, "says": says });
    let mut params = Map::new();
    for p in &op.params {
        let mut m = Map::new();
        m.insert("in".into(), json!(p.location));
        m.insert("type".into(), json!(p.ty));
        m.insert("required".into(), json!(p.required));
        let mut max_items = false;
        for c in &p.constraints {
            let (k, v) = match &c.kind {
                ConstraintKind::Default(v) => ("default", v.clone()),
                ConstraintKind::Minimum(v) => ("minimum", json!(v)),
                ConstraintKind::Maximum(v) => ("maximum", json!(v)),
                ConstraintKind::MinLength(v) => ("min_length", json!(v)),
                ConstraintKind::MaxLength(v) => ("max_length", json!(v)),
                ConstraintKind::Pattern(v) => ("pattern", json!(v)),
                ConstraintKind::NotSuffix(v) => ("not_suffix", json!(v)),
                ConstraintKind::Enum(v) => ("enum", json!(v)),
                ConstraintKind::MaxItems(v) => {
                    max_items = true;
                    ("max_items", json!(v))
                }
            };
            m.insert(k.into(), v);
        }
        if max_items {
            m.insert("format".into(), json!("json"));
        }
        let text: Vec<&str> = p
            .description
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .collect();
        m.insert("source".into(), json!(text.join(" / ")));
        let mut evidence: Vec<Value> = Vec::new();
        for c in &p.constraints {
            let e = ev(&c.sentence);
            if !evidence.contains(&e) {
                evidence.push(e);
            }
        }
        if !evidence.is_empty() {
            m.insert("evidence".into(), Value::Array(evidence));
        }
        params.insert(p.name.clone(), Value::Object(m));
    }
    let mut request = Map::new();
    request.insert("method".into(), json!(op.method));
    if let Some(path) = &op.path {
        request.insert("path".into(), json!(path));
    }
    request.insert("success".into(), json!(op.success));
    request.insert("params".into(), Value::Object(params));

    let mut spec = Map::new();
    spec.insert("operation".into(), json!(op.name));
    spec.insert("summary".into(), json!(op.summary));
    spec.insert("supporting".into(), json!(false));
    spec.insert(
        "mutating".into(),
        json!(MUTATING.iter().any(|m| op.name.starts_with(m))),
    );
    spec.insert("source".into(), json!({ "doc": op.source.at }));
    spec.insert("request".into(), Value::Object(request));
    if let Some(pg) = &d.pagination {
        spec.insert(
            "pagination".into(),
            json!({
                "page": pg.page, "size": pg.size, "total": pg.total, "items": pg.items,
                "item_id": pg.item_id, "page_echo": format!("/{}", pg.page), "size_echo": format!("/{}", pg.size),
            }),
        );
    }
    if let Some(pg) = &d.marker_pagination {
        let mut m = Map::new();
        m.insert("style".into(), json!("marker"));
        m.insert("limit".into(), json!(pg.limit));
        m.insert("marker".into(), json!(pg.marker));
        m.insert("next".into(), json!(pg.next));
        if let Some(more) = &pg.more {
            m.insert("more".into(), json!(more));
        }
        m.insert("items".into(), json!(pg.items));
        m.insert("item_id".into(), json!(pg.item_id));
        spec.insert("pagination".into(), Value::Object(m));
    }
    let mut schema = Map::new();
    schema.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    if let Value::Object(s) = schema_of(&op.response) {
        schema.extend(s);
    }
    let mut resp = Map::new();
    resp.insert("schema".into(), Value::Object(schema));
    if let Some(s) = &op.sample {
        resp.insert("sample".into(), s.clone());
        resp.insert("sample_source".into(), json!(op.sample_source));
    }
    let mut responses = Map::new();
    responses.insert(op.success.to_string(), Value::Object(resp));
    spec.insert("responses".into(), Value::Object(responses));
    let errors: Vec<Value> = op
        .errors
        .iter()
        .filter_map(|e| {
            let code = e.code.as_ref()?;
            // A botocore model's error rows come from the model, not from a page.
            let source = if op.style == Style::AwsJson { "metadata" } else { "page" };
            Some(json!({ "status": e.status, "code": code, "source": source, "evidence": [ev(&e.quote)] }))
        })
        .collect();
    if !errors.is_empty() {
        spec.insert("errors".into(), Value::Array(errors));
    }
    let notes: Vec<Value> = d
        .notes
        .iter()
        .map(|n| {
            let mut m = Map::new();
            m.insert("id".into(), json!(n.note.id));
            m.insert("page_says".into(), json!(n.note.page_says));
            m.insert("interpretation".into(), json!(n.note.interpretation));
            if !n.quotes.is_empty() {
                m.insert(
                    "evidence".into(),
                    Value::Array(n.quotes.iter().map(|q| ev(q)).collect()),
                );
            }
            if !n.readings.is_empty() {
                m.insert(
                    "readings".into(),
                    Value::Array(
                        n.readings
                            .iter()
                            .map(|(id, says)| json!({ "id": id, "says": says }))
                            .collect(),
                    ),
                );
            }
            if let Some(r) = &n.reference {
                m.insert("emulator".into(), json!(r));
            }
            if !n.cases.is_empty() {
                m.insert("cases".into(), json!(n.cases));
            }
            Value::Object(m)
        })
        .collect();
    if !notes.is_empty() {
        spec.insert("doc_notes".into(), Value::Array(notes));
    }
    let head = format!(
        "# Imported by `specgate import` from {}: a draft to review before committing.\n",
        op.source.at
    );
    head + &to_yaml(&Value::Object(spec))
}

/// The case file of `op` as a YAML document.
pub fn cases_yaml(service: &str, op: &ImportedOperation, d: &Derived) -> String {
    let doc = json!({ "operation": format!("{service}/{}", op.name), "cases": d.cases });
    format!(
        "# Derived by `specgate import` from {}: documented cases cite what the page states; inferred\n\
         # cases name the doc note that says what was read into it.\n{}",
        op.source.at,
        to_yaml(&doc)
    )
}

/// One file to write.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Where.
    pub path: PathBuf,
    /// What.
    pub text: String,
}

/// What a write did to each file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The file did not exist.
    Created,
    /// The file held other content and `force` replaced it.
    Replaced,
    /// The file already held exactly this content.
    Unchanged,
}

/// Writes every planned file or none: refuses (before writing anything) when a file exists with
/// other content and `force` is off; writes each to a temporary file in its directory, and
/// renames them all once every temporary file is complete.
pub fn write_all(files: &[Planned], force: bool) -> Result<Vec<Outcome>, ImportError> {
    let mut outcomes = Vec::new();
    for f in files {
        outcomes.push(match fs::read(&f.path) {
            Ok(old) if old == f.text.as_bytes() => Outcome::Unchanged,
            Ok(_) if force => Outcome::Replaced,
            Ok(_) => {
                return Err(ImportError::Exists {
                    path: f.path.clone(),
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Outcome::Created,
            Err(e) => {
                return Err(ImportError::Write {
                    path: f.path.clone(),
                    source: e,
                });
            }
        });
    }
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let result = stage_and_commit(files, &outcomes, &mut created_dirs);
    if result.is_err() {
        for d in created_dirs.iter().rev() {
            let _ = fs::remove_dir(d);
        }
    }
    result.map(|()| outcomes)
}

fn stage_and_commit(
    files: &[Planned],
    outcomes: &[Outcome],
    created_dirs: &mut Vec<PathBuf>,
) -> Result<(), ImportError> {
    let werr = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ImportError::Write { path, source }
    };
    let mut staged = Vec::new();
    for (f, o) in files.iter().zip(outcomes) {
        if *o == Outcome::Unchanged {
            continue;
        }
        let dir = f.path.parent().unwrap_or(Path::new("."));
        let mut missing = Vec::new();
        let mut d = dir;
        while !d.as_os_str().is_empty() && !d.exists() {
            missing.push(d.to_path_buf());
            d = d.parent().unwrap_or(Path::new(""));
        }
        fs::create_dir_all(dir).map_err(werr(dir))?;
        created_dirs.extend(missing.into_iter().rev());
        let mut tmp = tempfile::Builder::new()
            .prefix(".specgate-import-")
            .tempfile_in(dir)
            .map_err(werr(dir))?;
        tmp.write_all(f.text.as_bytes()).map_err(werr(&f.path))?;
        tmp.as_file().sync_all().map_err(werr(&f.path))?;
        staged.push((tmp, &f.path));
    }
    for (tmp, path) in staged {
        tmp.persist(path).map_err(|e| ImportError::Write {
            path: path.clone(),
            source: e.error,
        })?;
    }
    Ok(())
}
