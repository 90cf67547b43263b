//! `specgate export openapi`: the specs as one OpenAPI 3.1 document, so that mock servers,
//! fuzzers and API catalogs can use what the specs know. RPC operations become `/?Action=<Op>`
//! paths (with `Action` and `Version` as constant query parameters), AWS JSON operations
//! `/#X-Amz-Target=<prefix>.<Op>` (with `X-Amz-Target` as a constant header), REST operations
//! keep their paths; each parameter's constraints become its JSON Schema, body parameters one JSON request
//! body, the success response its schema and sample, and each documented error status the
//! service's error schema.

use std::path::PathBuf;

use serde_json::{Map, Value, json};

use crate::exit;
use crate::spec::{Location, Operation, ParamType, Protocol, Service};
use crate::suite::Suite;

/// The arguments of `specgate export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The format to write.
    #[arg(value_enum)]
    pub format: ExportFormat,
    /// Only this service (repeatable; default: every service).
    #[arg(long = "service", value_name = "NAME")]
    pub services: Vec<String>,
    /// The specs directory.
    #[arg(long, default_value = "specs", value_name = "DIR")]
    pub specs: PathBuf,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// The formats `export` writes.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    /// An OpenAPI 3.1 document (JSON).
    Openapi,
}

fn param_schema(p: &crate::spec::Param) -> Value {
    let mut s = Map::new();
    let ty = match p.ty {
        ParamType::String => "string",
        ParamType::Integer => "integer",
        ParamType::Boolean => "boolean",
        ParamType::Array => "array",
        ParamType::Object => "object",
    };
    s.insert("type".into(), json!(ty));
    if let Some(v) = p.minimum {
        s.insert("minimum".into(), json!(v));
    }
    if let Some(v) = p.maximum {
        s.insert("maximum".into(), json!(v));
    }
    if let Some(v) = p.min_length {
        s.insert("minLength".into(), json!(v));
    }
    if let Some(v) = p.max_length {
        s.insert("maxLength".into(), json!(v));
    }
    if let Some(r) = &p.pattern {
        s.insert("pattern".into(), json!(r.as_str()));
    }
    if let Some(suffix) = &p.not_suffix {
        s.insert(
            "not".into(),
            json!({ "pattern": format!("{}$", regex::escape(suffix)) }),
        );
    }
    if !p.enum_values.is_empty() {
        s.insert("enum".into(), json!(p.enum_values));
    }
    if let Some(d) = &p.default {
        s.insert("default".into(), d.clone());
    }
    if p.format.as_deref() == Some("json") {
        s.insert("contentMediaType".into(), json!("application/json"));
    }
    Value::Object(s)
}

/// A JSON Schema as an OpenAPI 3.1 schema object (the dialect is the document's).
fn schema(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(m) = v.as_object_mut() {
        m.remove("$schema");
    }
    v
}

/// The `X-Amz-Target` of an AWS JSON operation: `<target_prefix>.<Operation>`.
fn aws_target(service: &Service, op: &Operation) -> String {
    format!(
        "{}.{}",
        service.target_prefix.as_deref().unwrap_or_default(),
        op.name
    )
}

fn operation(service: &Service, op: &Operation) -> Value {
    let mut params = Vec::new();
    if service.protocol == Protocol::Rpc {
        params.push(json!({ "name": "Action", "in": "query", "required": true, "schema": { "const": op.name } }));
        if let Some(v) = &service.version {
            params.push(json!({ "name": "Version", "in": "query", "required": true, "schema": { "const": v } }));
        }
    }
    if service.protocol == Protocol::AwsJson {
        params.push(json!({ "name": "X-Amz-Target", "in": "header", "required": true, "schema": { "const": aws_target(service, op) } }));
    }
    let mut body = Map::new();
    let mut body_required = Vec::new();
    for p in &op.request.params {
        let (location, required) = match p.location {
            Location::Query => ("query", p.required),
            Location::Path => ("path", true),
            Location::Header => ("header", p.required),
            Location::Body => {
                body.insert(p.name.clone(), param_schema(p));
                if p.required {
                    body_required.push(json!(p.name));
                }
                continue;
            }
        };
        params.push(json!({
            "name": p.name, "in": location, "required": required,
            "description": p.source, "schema": param_schema(p),
        }));
    }
    let mut o = Map::new();
    o.insert(
        "operationId".into(),
        json!(format!("{}.{}", op.service, op.name)),
    );
    o.insert("summary".into(), json!(op.summary));
    o.insert("tags".into(), json!([op.service]));
    o.insert("parameters".into(), Value::Array(params));
    if !body.is_empty() {
        o.insert(
            "requestBody".into(),
            json!({ "required": true, "content": { "application/json": { "schema": {
                "type": "object", "required": body_required, "properties": body,
            } } } }),
        );
    }
    let mut responses = Map::new();
    for (status, r) in &op.responses {
        let mut media = Map::new();
        if let Some(s) = &r.schema {
            media.insert("schema".into(), schema(&s.source));
        }
        if let Some(sample) = &r.sample {
            media.insert("example".into(), sample.clone());
        }
        responses.insert(
            status.to_string(),
            json!({ "description": op.summary, "content": { "application/json": media } }),
        );
    }
    let mut errors: Vec<(u16, Vec<&str>)> = Vec::new();
    for e in &op.errors {
        match errors.iter_mut().find(|(s, _)| *s == e.status) {
            Some((_, codes)) => codes.push(&e.code),
            None => errors.push((e.status, vec![&e.code])),
        }
    }
    errors.sort();
    for (status, codes) in errors {
        responses.entry(status.to_string()).or_insert_with(|| {
            json!({
                "description": format!("Documented error codes: {}", codes.join(", ")),
                "content": { "application/json": { "schema": schema(&service.error.schema.source) } },
            })
        });
    }
    o.insert("responses".into(), Value::Object(responses));
    Value::Object(o)
}

/// The OpenAPI 3.1 document of the suite's specs (only `services` when not empty).
pub fn document(suite: &Suite, services: &[String]) -> Value {
    let mut paths = Map::new();
    for op in suite.operations.values() {
        if !services.is_empty() && !services.contains(&op.service) {
            continue;
        }
        let Some(service) = suite.services.get(&op.service) else {
            continue;
        };
        let path = match (&service.protocol, &op.request.path) {
            (Protocol::Rest, Some(p)) => p.clone(),
            // Every AWS JSON operation is `POST /`; the fragment keeps their paths apart.
            (Protocol::AwsJson, _) => format!("/#X-Amz-Target={}", aws_target(service, op)),
            _ => format!("/?Action={}", op.name),
        };
        let item = paths.entry(path).or_insert_with(|| json!({}));
        if let Some(m) = item.as_object_mut() {
            m.insert(
                op.request.method.to_ascii_lowercase(),
                operation(service, op),
            );
        }
    }
    let titles: Vec<&str> = suite
        .services
        .values()
        .filter(|s| services.is_empty() || services.contains(&s.name))
        .map(|s| s.title.as_str())
        .collect();
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": titles.join(", "),
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Written by `specgate export openapi` from the specs: what the vendors' documentation promises, with the constraints the specs check.",
        },
        "paths": paths,
    })
}

/// The command: writes the document, or says why not (exit 3).
pub fn run(args: &ExportArgs) -> u8 {
    let ExportFormat::Openapi = args.format;
    let suite = match Suite::load(&args.specs, &[]) {
        Ok(s) => s,
        Err(diags) => {
            for d in diags {
                eprintln!("{}", d.message);
            }
            eprintln!(
                "error: the specs in {} do not load; run `specgate lint`",
                args.specs.display()
            );
            return exit::BAD_INPUT;
        }
    };
    if let Some(unknown) = args
        .services
        .iter()
        .find(|s| !suite.services.contains_key(*s))
    {
        let known: Vec<&String> = suite.services.keys().collect();
        eprintln!(
            "error: no service `{unknown}` in {}; the services are: {}",
            args.specs.display(),
            known
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return exit::BAD_INPUT;
    }
    let text =
        serde_json::to_string_pretty(&document(&suite, &args.services)).unwrap_or_default() + "\n";
    match &args.out {
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => exit::OK,
            Err(e) => {
                eprintln!("error: {}: cannot write: {e}", path.display());
                exit::REPORT_FAILED
            }
        },
        None => {
            print!("{text}");
            exit::OK
        }
    }
}
