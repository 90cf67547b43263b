//! The reader of a vendor documentation page saved as text, in either layout: Alibaba's
//! ("Parameter Type Required Example Description" rows, "Sample requests", "JSON format",
//! "Error codes") and Huawei's ("Table N ..." blocks with "Definition / Constraints / Range /
//! Default Value", "Example Requests", "Example Responses", "Status Codes"). Everything else on
//! a page (SDK samples with their line-number gutters, permission tables) is skipped: only the
//! sections named above are read.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use super::ImportError;
use super::model::*;
use super::prose;

/// The two layouts a page can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Alibaba Cloud's API reference page.
    Alibaba,
    /// Huawei Cloud's API reference page.
    Huawei,
}

static ALI_HEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^P\w*meter Type Required Example Description$").unwrap());
static ALI_REQ_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Za-z][\w.]*) (String|Integer|Long|Boolean|Float|Double|Array|Object|Map|Json)(?: of \w+)? (Yes|No\.?|Optional|Required)(?: (.*))?$").unwrap()
});
static ALI_RESP_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Za-z][\w.]*) (String|Integer|Long|Boolean|Float|Double|Array|Object|Map)(?: of (\w+))?(?: (.*))?$").unwrap()
});
static ERROR_ROW: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([1-5]\d\d) ([A-Za-z][\w.]*) (.+)$").unwrap());
static HW_URI: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(GET|POST|PUT|DELETE|PATCH) (/\S+)$").unwrap());
static HW_TABLE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^Table \d+ (.+)$").unwrap());
static HW_STATUS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Status code: (\d{3})$").unwrap());
static IDENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z_][A-Za-z0-9_.\-]*$").unwrap());
static SDK_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b([A-Z][A-Za-z0-9]+)Request\(\)").unwrap());

/// The layout of a page, or none when it is neither.
pub fn layout(text: &str) -> Option<Layout> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    if lines.iter().any(|l| ALI_HEADER.is_match(l)) || lines.contains(&"Request parameters") {
        return Some(Layout::Alibaba);
    }
    let uri = lines.iter().any(|l| HW_URI.is_match(l));
    let tables = lines.iter().any(|l| HW_TABLE.is_match(l));
    (uri && tables).then_some(Layout::Huawei)
}

/// Reads the one operation of a page. `name` is the operation name given on the command line
/// (`--operation`), needed where the page does not name its operation itself.
pub fn read(text: &str, at: &str, name: Option<&str>) -> Result<ImportedOperation, ImportError> {
    match layout(text) {
        Some(Layout::Alibaba) => alibaba(text, at, name),
        Some(Layout::Huawei) => huawei(text, at, name),
        None => Err(ImportError::UnknownKind {
            file: at.to_string(),
        }),
    }
}

fn src(at: &str) -> SourceRef {
    SourceRef {
        kind: "page",
        at: at.to_string(),
    }
}

fn param_type(t: &str) -> &'static str {
    match t.to_ascii_lowercase().as_str() {
        "integer" | "long" | "int" => "integer",
        "boolean" => "boolean",
        "array" => "array",
        "object" | "map" => "object",
        _ => "string",
    }
}

fn field_type(t: &str) -> FieldType {
    match t.to_ascii_lowercase().as_str() {
        "integer" | "long" | "int" => FieldType::Integer,
        "float" | "double" | "number" => FieldType::Number,
        "boolean" => FieldType::Boolean,
        "array" => FieldType::Array,
        "object" | "map" => FieldType::Object,
        _ => FieldType::String,
    }
}

/// A value written as text, typed like its parameter.
fn typed(text: &str, ty: &str) -> Value {
    match ty {
        "integer" => text
            .trim()
            .parse::<i64>()
            .map_or_else(|_| Value::String(text.to_string()), Value::from),
        "boolean" if text == "true" || text == "false" => Value::Bool(text == "true"),
        _ => Value::String(text.to_string()),
    }
}

fn first_sentence(lines: &[&str]) -> String {
    lines
        .iter()
        .map(|l| l.trim())
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_string()
}

/// Reads the JSON document starting at the first line from `from` that begins with `{` (before
/// a line for which `stop` holds); braces inside strings do not count.
fn json_block(lines: &[&str], from: usize, stop: impl Fn(&str) -> bool) -> Option<(Value, usize)> {
    let start = (from..lines.len())
        .take_while(|&i| !stop(lines[i].trim()) || i == from)
        .find(|&i| lines[i].trim_start().starts_with('{'))?;
    let (mut depth, mut in_str, mut esc) = (0i32, false, false);
    let mut text = String::new();
    for (i, line) in lines.iter().enumerate().skip(start) {
        text.push_str(line);
        text.push('\n');
        for c in line.chars() {
            match (in_str, esc, c) {
                (true, true, _) => esc = false,
                (true, false, '\\') => esc = true,
                (true, false, '"') => in_str = false,
                (false, _, '"') => in_str = true,
                (false, _, '{' | '[') => depth += 1,
                (false, _, '}' | ']') => depth -= 1,
                _ => {}
            }
        }
        if depth <= 0 {
            return serde_json::from_str(&text).ok().map(|v| (v, i + 1));
        }
    }
    None
}

// ---------------------------------------------------------------- Alibaba ----

/// One row of an Alibaba response table.
struct Row {
    name: String,
    ty: String,
    item: Option<String>,
    example: String,
}

fn alibaba(text: &str, at: &str, wanted: Option<&str>) -> Result<ImportedOperation, ImportError> {
    let lines: Vec<&str> = text.lines().collect();
    let pos = |h: &str| lines.iter().position(|l| l.trim() == h);
    let req_start = pos("Request parameters").ok_or_else(|| ImportError::NoParameterTable {
        file: at.to_string(),
        expected: "a \"Request parameters\" section with a \"Parameter Type Required Example Description\" table".into(),
    })?;
    let resp_start = pos("Response parameters").unwrap_or(lines.len());
    let after = if resp_start < lines.len() {
        resp_start
    } else {
        req_start
    };
    let examples = (after..lines.len())
        .find(|&i| matches!(lines[i].trim(), "Examples" | "Sample requests"))
        .unwrap_or(lines.len());
    let errors_at = pos("Error codes").unwrap_or(lines.len());

    // Request rows and their descriptions.
    let mut name = None;
    let mut params: Vec<Param> = Vec::new();
    for line in &lines[req_start + 1..resp_start.min(examples)] {
        if let Some(c) = ALI_REQ_ROW.captures(line.trim()) {
            let example = c.get(4).map(|m| m.as_str().trim().to_string());
            if &c[1] == "Action" {
                name = example.clone();
                params.push(Param {
                    name: "Action".into(),
                    location: "query",
                    ty: "string",
                    required: true,
                    example,
                    description: Vec::new(),
                    constraints: Vec::new(),
                    notes: Vec::new(),
                });
                continue;
            }
            let required = matches!(&c[3], "Yes" | "Required");
            params.push(Param {
                name: c[1].to_string(),
                location: "query",
                ty: param_type(&c[2]),
                required,
                example: example.filter(|e| !e.is_empty()),
                description: Vec::new(),
                constraints: Vec::new(),
                notes: Vec::new(),
            });
        } else if let Some(p) = params.last_mut() {
            p.description.push(line.to_string());
        }
    }
    if params.iter().all(|p| p.name == "Action") {
        return Err(ImportError::NoParameterTable {
            file: at.to_string(),
            expected: "rows \"<Name> <Type> <Yes|No> <Example>\" under \"Request parameters\""
                .into(),
        });
    }
    params.retain(|p| p.name != "Action");
    for p in &mut params {
        let parsed = prose::parse(&p.description, p.ty);
        p.constraints = parsed.constraints;
        p.notes = parsed.notes;
        if p.example
            .as_deref()
            .is_some_and(|e| e.starts_with('[') || e.starts_with('{'))
            && p.ty == "string"
        {
            // A JSON value in a string: its "a maximum of N pairs" bounds the entries.
        } else {
            p.constraints
                .retain(|c| !matches!(c.kind, ConstraintKind::MaxItems(_)));
        }
    }

    // Response rows.
    let mut rows: Vec<Row> = Vec::new();
    let resp_end = examples.min(errors_at);
    let mut i = resp_start + 1;
    while i < resp_end {
        let t = lines[i].trim();
        if let Some(c) = ALI_RESP_ROW.captures(t) {
            rows.push(Row {
                name: c[1].to_string(),
                ty: c[2].to_string(),
                item: c.get(3).map(|m| m.as_str().to_string()),
                example: c.get(4).map_or("", |m| m.as_str()).trim().to_string(),
            });
        } else if IDENT.is_match(t)
            && !t.contains('.')
            && rows
                .last()
                .is_some_and(|r| r.ty == "Array" && r.item.is_none())
            && lines[i + 1..resp_end]
                .iter()
                .map(|l| l.trim())
                .find(|l| !l.is_empty())
                .is_some_and(|n| ALI_RESP_ROW.is_match(n))
            && let Some(r) = rows.last_mut()
        {
            r.item = Some(t.to_string());
        }
        i += 1;
    }

    // Sample request: "?Action=X" then "&Name=Value" lines.
    let mut sample_request = Vec::new();
    if let Some(s) = (examples..lines.len()).find(|&i| lines[i].contains("Action=")) {
        if name.is_none() {
            name = lines[s]
                .split("Action=")
                .nth(1)
                .map(|n| n.trim().trim_start_matches('&').to_string());
        }
        for l in &lines[s + 1..] {
            let Some(kv) = l.trim().strip_prefix('&') else {
                break;
            };
            let Some((k, v)) = kv.split_once('=') else {
                continue;
            };
            if let Some(p) = params.iter().find(|p| p.name == k) {
                sample_request.push((k.to_string(), typed(v, p.ty)));
            }
        }
    }
    let name = name.ok_or_else(|| ImportError::NoOperationName {
        file: at.to_string(),
    })?;
    if let Some(w) = wanted
        && w != name
    {
        return Err(ImportError::OperationNotInSource {
            file: at.to_string(),
            wanted: w.to_string(),
            found: vec![name],
        });
    }

    // JSON sample.
    let mut notes = Vec::new();
    let json_at = (examples..lines.len()).find(|&i| lines[i].trim() == "JSON format");
    let sample = json_at
        .and_then(|j| json_block(&lines, j + 1, |l| l == "Error codes"))
        .map(|(v, _)| v);
    let (response, sample, sample_source) = alibaba_response(&rows, sample, &mut notes);

    // Errors.
    let mut errors = Vec::new();
    for l in lines.iter().skip(errors_at + 1) {
        if let Some(c) = ERROR_ROW.captures(l.trim()) {
            errors.push(ErrorRow {
                status: c[1].parse().unwrap_or(400),
                code: Some(c[2].to_string()),
                quote: l.trim().to_string(),
            });
        }
    }

    let mut op = ImportedOperation {
        name,
        style: Style::Rpc,
        summary: first_sentence(&lines),
        source: src(at),
        method: "POST".into(),
        path: None,
        success: 200,
        params,
        sample_request,
        response,
        sample,
        sample_source,
        errors,
        notes,
        prose_bounds: Vec::new(),
        paginator: None,
    };
    fill_required(&mut op);
    Ok(op)
}

/// Adds required parameters the sample request leaves out, with the source's example value.
pub(crate) fn fill_required(op: &mut ImportedOperation) {
    for p in &op.params {
        if p.required
            && p.location != "path"
            && !op.sample_request.iter().any(|(k, _)| k == &p.name)
            && let Some(e) = &p.example
        {
            op.sample_request.push((p.name.clone(), typed(e, p.ty)));
        }
    }
}

/// The item name of an Alibaba array: "Array of Key", the line under the row, or the singular.
fn item_name(r: &Row) -> String {
    if let Some(i) = &r.item {
        return i.clone();
    }
    let n = &r.name;
    if let Some(s) = n.strip_suffix("ses") {
        format!("{s}s")
    } else if let Some(s) = n.strip_suffix('s') {
        s.to_string()
    } else {
        format!("{n}Item")
    }
}

/// The response tree and the sample in the wire shape (`"Keys": {"Key": [...]}`).
fn alibaba_response(
    rows: &[Row],
    sample: Option<Value>,
    notes: &mut Vec<Note>,
) -> (Vec<Field>, Option<Value>, String) {
    let array_rows: Vec<&Row> = rows.iter().filter(|r| r.ty == "Array").collect();
    let Some(mut sample) = sample.filter(Value::is_object) else {
        // No readable sample: the rows after an array row are its items' members.
        let mut top: Vec<Field> = Vec::new();
        let mut current: Option<usize> = None;
        for r in rows {
            let f = Field {
                name: r.name.clone(),
                ty: field_type(&r.ty),
                required: true,
                children: Vec::new(),
                enum_values: Vec::new(),
            };
            match current {
                Some(ix) => top[ix].children[0].children.push(f),
                None if r.ty == "Array" => {
                    top.push(Field {
                        name: r.name.clone(),
                        ty: FieldType::Object,
                        required: true,
                        children: vec![Field {
                            name: item_name(r),
                            ty: FieldType::Array,
                            required: true,
                            children: Vec::new(),
                            enum_values: Vec::new(),
                        }],
                        enum_values: Vec::new(),
                    });
                    current = Some(top.len() - 1);
                }
                None => top.push(f),
            }
        }
        let built = sample_from(&top, rows);
        if !rows.is_empty() {
            notes.push(Note {
                id: "sample-from-table".into(),
                page_says: "the JSON sample under \"Sample success responses\" is not a JSON document".into(),
                interpretation: "The spec's sample is built from the response table's example column, each array \
                                 wrapped as {\"<Name>\": {\"<Item>\": [...]}} like every Alibaba RPC answer; \
                                 the members after an array row are read as its items' members."
                    .into(),
            });
        }
        return (
            top,
            (!rows.is_empty()).then_some(built),
            "Built from the response table's examples (doc_notes sample-from-table).".into(),
        );
    };
    let mut how = vec!["The page's JSON sample"];
    // A single wrapper the table does not name ({"KMS": {...}}) is not part of the answer.
    if let Some(obj) = sample.as_object()
        && obj.len() == 1
        && let Some((k, v)) = obj.iter().next()
        && v.is_object()
        && !rows.iter().any(|r| &r.name == k)
    {
        notes.push(Note {
            id: "sample-root-wrapper".into(),
            page_says: format!("the JSON sample wraps the answer in \"{k}\""),
            interpretation: format!(
                "The response table has no member {k}: the answer's members are the wrapper's, as in the \
                 other pages of the product; the spec's sample is unwrapped."
            ),
        });
        how.push("without its root wrapper");
        sample = v.clone();
    }
    // A bare array of a table's Array member is re-wrapped as {"Item": [...]}.
    if let Some(obj) = sample.as_object_mut() {
        for r in &array_rows {
            if let Some(v) = obj.get_mut(&r.name)
                && v.is_array()
            {
                let item = item_name(r);
                let mut m = Map::new();
                m.insert(item.clone(), v.take());
                *v = Value::Object(m);
                notes.push(Note {
                    id: format!("{}-bare-array", kebab(&r.name)),
                    page_says: format!("the JSON sample shows \"{}\" as a bare array", r.name),
                    interpretation: format!(
                        "Alibaba RPC answers wrap every list as {{\"{}\": {{\"{item}\": [...]}}}} (the table's \
                         item {item}); the schema requires the wrapper and the spec's sample is re-wrapped.",
                        r.name
                    ),
                });
                how.push("with bare arrays re-wrapped");
            }
        }
    }
    let mut fields = fields_of(&sample, rows);
    // Table members the sample lacks are optional.
    let known: Vec<String> = {
        let mut v = Vec::new();
        collect_names(&fields, &mut v);
        v
    };
    for r in rows {
        if !known.contains(&r.name) && array_rows.iter().all(|a| item_name(a) != r.name) {
            fields.push(Field {
                name: r.name.clone(),
                ty: field_type(&r.ty),
                required: false,
                children: Vec::new(),
                enum_values: Vec::new(),
            });
        }
    }
    let how = if how.len() == 1 {
        "The page's JSON sample, verbatim.".to_string()
    } else {
        format!("{} (see doc_notes).", how.join(", "))
    };
    (fields, Some(sample), how)
}

fn collect_names(fields: &[Field], out: &mut Vec<String>) {
    for f in fields {
        out.push(f.name.clone());
        collect_names(&f.children, out);
    }
}

/// The field tree of a sample, typed by the table where it names the member.
fn fields_of(v: &Value, rows: &[Row]) -> Vec<Field> {
    let Some(obj) = v.as_object() else {
        return Vec::new();
    };
    obj.iter()
        .map(|(k, v)| {
            let table = rows
                .iter()
                .find(|r| &r.name == k)
                .map(|r| field_type(&r.ty));
            let (ty, children) = match v {
                Value::Object(_) => (FieldType::Object, fields_of(v, rows)),
                Value::Array(items) => {
                    let mut merged = Map::new();
                    for it in items {
                        if let Some(o) = it.as_object() {
                            for (ik, iv) in o {
                                merged.entry(ik.clone()).or_insert_with(|| iv.clone());
                            }
                        }
                    }
                    (FieldType::Array, fields_of(&Value::Object(merged), rows))
                }
                Value::Number(n) if n.is_i64() || n.is_u64() => (FieldType::Integer, Vec::new()),
                Value::Number(_) => (FieldType::Number, Vec::new()),
                Value::Bool(_) => (FieldType::Boolean, Vec::new()),
                _ => (
                    table
                        .filter(|t| *t != FieldType::Array && *t != FieldType::Object)
                        .unwrap_or(FieldType::String),
                    Vec::new(),
                ),
            };
            Field {
                name: k.clone(),
                ty,
                required: true,
                children,
                enum_values: Vec::new(),
            }
        })
        .collect()
}

/// A sample built from the table's example values.
fn sample_from(fields: &[Field], rows: &[Row]) -> Value {
    let mut m = Map::new();
    for f in fields {
        let ex = rows
            .iter()
            .find(|r| r.name == f.name)
            .map_or("", |r| r.example.as_str());
        let v = match f.ty {
            FieldType::Object => sample_from(&f.children, rows),
            FieldType::Array => Value::Array(vec![sample_from(&f.children, rows)]),
            FieldType::Integer => ex.parse::<i64>().map_or(Value::from(0), Value::from),
            FieldType::Number => ex.parse::<f64>().map_or(Value::from(0), Value::from),
            FieldType::Boolean => Value::Bool(ex == "true"),
            FieldType::String => Value::String(ex.to_string()),
        };
        m.insert(f.name.clone(), v);
    }
    Value::Object(m)
}

/// `PageSize` -> `page-size`, `key_id` -> `key-id`.
pub fn kebab(name: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            prev_lower = true;
        } else {
            if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
            prev_lower = false;
        }
    }
    out.trim_matches('-').to_string()
}

// ----------------------------------------------------------------- Huawei ----

/// Where a Huawei table's rows belong.
#[derive(Debug, Clone, PartialEq)]
enum TableKind {
    Params(&'static str),
    Header,
    Response(u16),
    Definition(u16, String),
}

fn is_stop(l: &str) -> bool {
    matches!(
        l,
        "Request Parameters"
            | "Response Parameters"
            | "Example Requests"
            | "Example Responses"
            | "Status Codes"
            | "Error Codes"
            | "SDK Sample Code"
    ) || HW_TABLE.is_match(l)
        || HW_STATUS.is_match(l)
}

fn hw_type(t: &str) -> Option<(String, Option<String>)> {
    let t = t.trim();
    let plain = [
        "String", "Integer", "Long", "Boolean", "Object", "Array", "Number", "Double", "Float",
    ];
    if plain.contains(&t) {
        return Some((t.to_string(), None));
    }
    if let Some(r) = t.strip_prefix("Array of ") {
        let inner = r.trim_end_matches(" objects").trim_end_matches(" object");
        let inner = (!inner.eq_ignore_ascii_case("strings")).then(|| inner.to_string());
        return Some(("Array".into(), inner));
    }
    t.strip_suffix(" object")
        .map(|r| ("Object".to_string(), Some(r.trim().to_string())))
}

fn huawei(text: &str, at: &str, wanted: Option<&str>) -> Result<ImportedOperation, ImportError> {
    let lines: Vec<&str> = text.lines().collect();
    let trimmed: Vec<&str> = lines.iter().map(|l| l.trim()).collect();
    let (method, path) = trimmed
        .iter()
        .find_map(|l| {
            HW_URI
                .captures(l)
                .map(|c| (c[1].to_string(), c[2].to_string()))
        })
        .ok_or_else(|| ImportError::NoParameterTable {
            file: at.to_string(),
            expected: "a URI line \"<METHOD> /path\"".into(),
        })?;
    let summary = trimmed
        .iter()
        .position(|l| *l == "Function")
        .map(|i| first_sentence(&trimmed[i + 1..]))
        .unwrap_or_default();
    let end_tables = trimmed
        .iter()
        .position(|l| *l == "Example Requests" || *l == "Example Responses")
        .unwrap_or(lines.len());

    // Tables.
    let mut in_response = false;
    let mut status = 0u16;
    let mut kind: Option<TableKind> = None;
    let mut params: Vec<Param> = Vec::new();
    // (table kind, name, type, ref)
    let mut fields: Vec<(TableKind, String, String, Option<String>)> = Vec::new();
    let mut success = None;
    let mut i = 0;
    while i < end_tables {
        let l = trimmed[i];
        if l == "Response Parameters" {
            in_response = true;
        } else if let Some(c) = HW_STATUS.captures(l) {
            status = c[1].parse().unwrap_or(0);
            if success.is_none() && (200..300).contains(&status) {
                success = Some(status);
            }
        } else if let Some(c) = HW_TABLE.captures(l) {
            let title = c[1].to_lowercase();
            kind = Some(if in_response {
                if title.contains("response body") {
                    TableKind::Response(status)
                } else {
                    TableKind::Definition(status, c[1].trim().to_string())
                }
            } else if title.contains("path") {
                TableKind::Params("path")
            } else if title.contains("header") {
                TableKind::Header
            } else if title.contains("query") {
                TableKind::Params("query")
            } else {
                TableKind::Params("body")
            });
        } else if let Some(k) = &kind
            && IDENT.is_match(l)
            && ![
                "Parameter",
                "Mandatory",
                "Type",
                "Description",
                "Definition",
                "Constraints",
                "Range",
            ]
            .contains(&l)
        {
            let next: Vec<(usize, &str)> = (i + 1..end_tables)
                .map(|j| (j, trimmed[j]))
                .filter(|(_, t)| !t.is_empty())
                .take(2)
                .collect();
            match k {
                TableKind::Params(_) | TableKind::Header
                    if next.len() == 2
                        && matches!(next[0].1, "Yes" | "No")
                        && hw_type(next[1].1).is_some() =>
                {
                    let (ty, _) = hw_type(next[1].1).unwrap_or_default();
                    let mut j = next[1].0 + 1;
                    let mut description = Vec::new();
                    while j < end_tables
                        && !is_stop(trimmed[j])
                        && !is_row_start(&trimmed, j, end_tables)
                    {
                        description.push(lines[j].to_string());
                        j += 1;
                    }
                    if let TableKind::Params(location) = k {
                        params.push(Param {
                            name: l.to_string(),
                            location,
                            ty: param_type(&ty),
                            required: next[0].1 == "Yes",
                            example: None,
                            description,
                            constraints: Vec::new(),
                            notes: Vec::new(),
                        });
                    }
                    i = j;
                    continue;
                }
                TableKind::Response(_) | TableKind::Definition(..)
                    if !next.is_empty() && hw_type(next[0].1).is_some() =>
                {
                    let (ty, r) = hw_type(next[0].1).unwrap_or_default();
                    fields.push((k.clone(), l.to_string(), ty, r));
                    i = next[0].0 + 1;
                    continue;
                }
                _ => {}
            }
        }
        i += 1;
    }
    if params.is_empty() && fields.is_empty() {
        return Err(ImportError::NoParameterTable {
            file: at.to_string(),
            expected:
                "\"Table N ...\" blocks of rows \"<name> / <Yes|No> / <Type> / <description>\""
                    .into(),
        });
    }
    let success = success.unwrap_or(200);
    for p in &mut params {
        let parsed = prose::parse(&p.description, p.ty);
        p.constraints = parsed.constraints;
        p.notes = parsed.notes;
        p.example = p
            .description
            .iter()
            .flat_map(|d| prose::sentences(d.trim()))
            .find_map(|s| {
                s.strip_prefix("Example: ")
                    .map(|e| e.trim_end_matches('.').to_string())
            });
    }

    // Samples.
    let req_at = trimmed.iter().position(|l| *l == "Example Requests");
    let resp_at = trimmed.iter().position(|l| *l == "Example Responses");
    let mut sample_request = Vec::new();
    if let Some(r) = req_at
        && let Some((Value::Object(body), _)) = json_block(&lines, r + 1, |l| {
            l == "Example Responses" || l == "SDK Sample Code"
        })
    {
        sample_request = body.into_iter().collect();
    }
    let mut sample = None;
    if let Some(r) = resp_at {
        let mut j = r + 1;
        while j < lines.len() && !matches!(trimmed[j], "Status Codes" | "SDK Sample Code") {
            if let Some(c) = HW_STATUS.captures(trimmed[j])
                && c[1].parse::<u16>().ok() == Some(success)
            {
                sample = json_block(&lines, j + 1, |l| {
                    HW_STATUS.is_match(l) || l == "SDK Sample Code"
                })
                .map(|(v, _)| v);
                break;
            }
            j += 1;
        }
    }

    // Status codes.
    let mut errors = Vec::new();
    if let Some(s) = trimmed.iter().position(|l| *l == "Status Codes") {
        let mut j = s + 1;
        while j < lines.len() && trimmed[j] != "Error Codes" {
            if trimmed[j].len() == 3
                && let Ok(code) = trimmed[j].parse::<u16>()
                && code >= 400
                && let Some(desc) = trimmed[j + 1..].iter().find(|l| !l.is_empty())
            {
                errors.push(ErrorRow {
                    status: code,
                    code: None,
                    quote: format!("{code} {desc}"),
                });
            }
            j += 1;
        }
    }

    // The operation's name: the SDK sample's request class, --operation, or the path.
    let sdk = SDK_NAME.captures(text).map(|c| c[1].to_string());
    let name = match (sdk, wanted) {
        (Some(n), Some(w)) if n != w => {
            return Err(ImportError::OperationNotInSource {
                file: at.to_string(),
                wanted: w.to_string(),
                found: vec![n],
            });
        }
        (Some(n), _) => n,
        (None, Some(w)) => w.to_string(),
        (None, None) => path
            .rsplit('/')
            .next()
            .filter(|s| s.contains('-'))
            .map(|s| s.split('-').map(capitalise).collect())
            .ok_or_else(|| ImportError::NoOperationName {
                file: at.to_string(),
            })?,
    };

    let response = hw_fields(
        &fields,
        &TableKind::Response(success),
        success,
        sample.as_ref(),
    );
    let mut op = ImportedOperation {
        name,
        style: Style::Rest,
        summary,
        source: src(at),
        method,
        path: Some(path),
        success,
        params,
        sample_request,
        response,
        sample_source: "The page's example response, verbatim.".into(),
        sample,
        errors,
        notes: Vec::new(),
        prose_bounds: Vec::new(),
        paginator: None,
    };
    fill_required(&mut op);
    Ok(op)
}

/// True when line `j` starts a table row: a name, then Yes/No or a type.
fn is_row_start(trimmed: &[&str], j: usize, end: usize) -> bool {
    if !IDENT.is_match(trimmed[j]) || ["Definition", "Constraints", "Range"].contains(&trimmed[j]) {
        return false;
    }
    let next: Vec<&str> = trimmed[j + 1..end]
        .iter()
        .copied()
        .filter(|t| !t.is_empty())
        .take(2)
        .collect();
    match next.as_slice() {
        [a, b] if matches!(*a, "Yes" | "No") => hw_type(b).is_some(),
        [a, ..] => hw_type(a).is_some() && !matches!(*a, "Yes" | "No"),
        _ => false,
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// The field tree of the table `of`, nested objects read from their definition tables.
fn hw_fields(
    all: &[(TableKind, String, String, Option<String>)],
    of: &TableKind,
    status: u16,
    sample: Option<&Value>,
) -> Vec<Field> {
    all.iter()
        .filter(|(k, ..)| k == of)
        .map(|(_, name, ty, r)| {
            let inner = sample.and_then(|s| s.get(name));
            let children = r
                .as_ref()
                .map(|r| {
                    let def = TableKind::Definition(status, r.clone());
                    let inner = match inner {
                        Some(Value::Array(a)) => a.first(),
                        other => other,
                    };
                    hw_fields(all, &def, status, inner)
                })
                .unwrap_or_default();
            Field {
                name: name.clone(),
                ty: field_type(ty),
                required: sample.is_none_or(|s| s.get(name).is_some()),
                children,
                enum_values: Vec::new(),
            }
        })
        .collect()
}
