//! Reads `service.yaml` and operation files into the spec model, reporting every problem.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use regex::Regex;

use super::model::*;
use crate::diag::Diagnostic;
use crate::pointer::PointerPath;
use crate::yaml::{Node, NodeKind, Reader, parse_file};

const SERVICE_KEYS: &[&str] = &[
    "service",
    "title",
    "protocol",
    "version",
    "endpoint",
    "auth",
    "vars",
    "error",
    "common_errors",
    "volatile",
];
const OPERATION_KEYS: &[&str] = &[
    "operation",
    "summary",
    "supporting",
    "mutating",
    "source",
    "request",
    "pagination",
    "responses",
    "errors",
    "doc_notes",
];
const PARAM_KEYS: &[&str] = &[
    "in",
    "type",
    "required",
    "default",
    "minimum",
    "maximum",
    "min_length",
    "max_length",
    "pattern",
    "not_suffix",
    "enum",
    "format",
    "max_items",
    "source",
];
const AUTH_KINDS: &[&str] = &[
    "none",
    "alibaba-v1",
    "alibaba-v3",
    "huawei-aksk",
    "huawei-token",
];
const VOLATILE_KINDS: &[&str] = &[
    "request-id",
    "id",
    "arn",
    "urn",
    "timestamp",
    "count",
    "name",
];

/// Reads a `service.yaml`.
pub fn load_service(path: &Path) -> Result<Service, Vec<Diagnostic>> {
    let (source, root) = parse_file(path).map_err(|d| vec![d])?;
    let mut r = Reader::new(&source);
    let service = read_service(&mut r, &root, path);
    finish(r, service)
}

/// Reads an operation file of `service`.
pub fn load_operation(path: &Path, service: &Service) -> Result<Operation, Vec<Diagnostic>> {
    let (source, root) = parse_file(path).map_err(|d| vec![d])?;
    let mut r = Reader::new(&source);
    let op = read_operation(&mut r, &root, path, service);
    finish(r, op)
}

/// Turns the reader's diagnostics and the result into one outcome.
fn finish<T>(r: Reader<'_>, value: Option<T>) -> Result<T, Vec<Diagnostic>> {
    match value {
        Some(v) if r.diags.is_empty() => Ok(v),
        _ => Err(r.diags),
    }
}

fn read_service(r: &mut Reader<'_>, root: &Node, path: &Path) -> Option<Service> {
    let f = r.map(root, "a service file", SERVICE_KEYS)?;
    let dir_name = path
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = f
        .req(r, "service", "a service file")
        .and_then(|n| r.string(n, "`service`"));
    if let (Some(n), Some(node)) = (&name, f.get("service"))
        && *n != dir_name
    {
        r.error_hint(
            node.pos,
            "name-mismatch",
            format!("service `{n}` is in directory `{dir_name}`"),
            format!("name the service `{dir_name}`, or move the file to specs/{n}/"),
        );
    }
    let title = f
        .get("title")
        .and_then(|n| r.string(n, "`title`"))
        .unwrap_or_default();
    let protocol = f
        .req(r, "protocol", "a service file")
        .and_then(|n| r.one_of(n, "protocol", &["rpc", "rest"]))
        .map(|p| {
            if p == "rpc" {
                Protocol::Rpc
            } else {
                Protocol::Rest
            }
        });
    let version = f.get("version").and_then(|n| r.string(n, "`version`"));
    if protocol == Some(Protocol::Rpc) && version.is_none() {
        r.error_hint(
            f.node.pos,
            "missing-key",
            "an rpc service has no `version`",
            "add `version: \"2016-01-20\"` (the API version sent with every request)",
        );
    }
    let endpoint = f
        .req(r, "endpoint", "a service file")
        .and_then(|n| r.string(n, "`endpoint`"));
    let auth = match f.get("auth") {
        Some(n) => match n.as_seq() {
            Some(items) => items
                .iter()
                .filter_map(|i| r.one_of(i, "auth kind", AUTH_KINDS).map(str::to_string))
                .collect(),
            None => {
                r.wrong_type(n, "`auth`", "a list of auth kinds");
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    let vars = f
        .get("vars")
        .and_then(|n| r.strings(n, "`vars`"))
        .unwrap_or_default();
    let error = f
        .req(r, "error", "a service file")
        .and_then(|n| read_error_shape(r, n));
    let common_errors = f
        .get("common_errors")
        .map(|n| read_errors(r, n, "`common_errors`"))
        .unwrap_or_default();
    let mut volatile = BTreeMap::new();
    if let Some(n) = f.get("volatile") {
        match n.as_map() {
            Some(entries) => {
                for (k, v) in entries {
                    if let (Some(field), Some(kind)) = (
                        r.string(k, "a field name"),
                        r.one_of(v, "volatile kind", VOLATILE_KINDS),
                    ) {
                        volatile.insert(field, kind.to_string());
                    }
                }
            }
            None => r.wrong_type(n, "`volatile`", "a mapping of field name to kind"),
        }
    }
    Some(Service {
        name: name?,
        title,
        protocol: protocol?,
        version,
        endpoint: endpoint?,
        auth,
        vars,
        error: error?,
        common_errors,
        volatile,
        file: path.to_path_buf(),
    })
}

fn read_error_shape(r: &mut Reader<'_>, node: &Node) -> Option<ErrorShape> {
    let f = r.map(node, "`error`", &["code", "message", "schema"])?;
    let code = f
        .req(r, "code", "`error`")
        .and_then(|n| read_pointer(r, n, "`error.code`"));
    let message = f
        .req(r, "message", "`error`")
        .and_then(|n| read_pointer(r, n, "`error.message`"));
    let schema = f
        .req(r, "schema", "`error`")
        .and_then(|n| read_schema(r, n));
    Some(ErrorShape {
        code: code?,
        message: message?,
        schema: schema?,
    })
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

fn read_errors(r: &mut Reader<'_>, node: &Node, what: &str) -> Vec<DocumentedError> {
    let Some(items) = node.as_seq() else {
        r.wrong_type(node, what, "a list of `{ status, code }`");
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let Some(f) = r.map(
            item,
            "an error entry",
            &["status", "code", "retryable", "source", "message"],
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
        if let (Some(status), Some(code)) = (status, code) {
            out.push(DocumentedError {
                status,
                code,
                retryable,
                source,
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

fn read_operation(
    r: &mut Reader<'_>,
    root: &Node,
    path: &Path,
    service: &Service,
) -> Option<Operation> {
    let f = r.map(root, "an operation file", OPERATION_KEYS)?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = f
        .req(r, "operation", "an operation file")
        .and_then(|n| r.string(n, "`operation`"));
    if let (Some(n), Some(node)) = (&name, f.get("operation"))
        && *n != stem
    {
        r.error_hint(
            node.pos,
            "name-mismatch",
            format!("operation `{n}` is in file `{stem}.yaml`"),
            format!("name the operation `{stem}` or rename the file to `{n}.yaml`"),
        );
    }
    let summary = f
        .get("summary")
        .and_then(|n| r.string(n, "`summary`"))
        .unwrap_or_default();
    let supporting = f
        .get("supporting")
        .and_then(|n| r.boolean(n, "`supporting`"))
        .unwrap_or(false);
    let mutating = f
        .get("mutating")
        .and_then(|n| r.boolean(n, "`mutating`"))
        .unwrap_or(false);
    let source = f
        .req(r, "source", "an operation file")
        .and_then(|n| read_source(r, n))
        .unwrap_or_default();
    let request = f
        .req(r, "request", "an operation file")
        .and_then(|n| read_request(r, n, service));
    let pagination = f
        .get("pagination")
        .and_then(|n| read_pagination(r, n, request.as_ref()));
    let responses = f
        .get("responses")
        .map(|n| read_responses(r, n))
        .unwrap_or_default();
    let errors = f
        .get("errors")
        .map(|n| read_errors(r, n, "`errors`"))
        .unwrap_or_default();
    let doc_notes = f
        .get("doc_notes")
        .map(|n| read_doc_notes(r, n))
        .unwrap_or_default();
    Some(Operation {
        service: service.name.clone(),
        name: name?,
        summary,
        supporting,
        mutating,
        source,
        request: request?,
        pagination,
        responses,
        errors,
        doc_notes,
        file: path.to_path_buf(),
    })
}

fn read_source(r: &mut Reader<'_>, node: &Node) -> Option<String> {
    let f = r.map(node, "`source`", &["doc", "reference", "url"])?;
    let mut parts = Vec::new();
    for key in ["doc", "reference", "url"] {
        if let Some(n) = f.get(key)
            && let Some(s) = r.string(n, key)
        {
            parts.push(format!("{key}: {s}"));
        }
    }
    if parts.is_empty() {
        r.error_hint(
            node.pos,
            "missing-key",
            "`source` names neither a `doc` nor a `reference`",
            "add `doc: <seed file>` or `reference: <section of the wire facts>`",
        );
    }
    Some(parts.join("; "))
}

fn read_request(r: &mut Reader<'_>, node: &Node, service: &Service) -> Option<Request> {
    let f = r.map(node, "`request`", &["method", "path", "success", "params"])?;
    let method = f
        .req(r, "method", "`request`")
        .and_then(|n| r.one_of(n, "HTTP method", &["GET", "POST", "PUT", "DELETE", "PATCH"]))
        .map(str::to_string);
    let path = f.get("path").and_then(|n| r.string(n, "`path`"));
    if service.protocol == Protocol::Rest && path.is_none() {
        r.error_hint(
            node.pos,
            "missing-key",
            "a rest operation's `request` has no `path`",
            "add `path: /v1.0/{project_id}/kms/...`",
        );
    }
    let success = f
        .get("success")
        .and_then(|n| read_status(r, n))
        .unwrap_or(200);
    let mut params = Vec::new();
    if let Some(pn) = f.get("params") {
        if let Some(entries) = pn.as_map() {
            for (k, v) in entries {
                let Some(name) = r.string(k, "a parameter name") else {
                    continue;
                };
                if let Some(p) = read_param(r, &name, v, k) {
                    params.push(p);
                }
            }
        } else {
            r.wrong_type(
                pn,
                "`params`",
                "a mapping of parameter name to its description",
            );
        }
    }
    if let Some(tpl) = &path {
        for name in path_placeholders(tpl) {
            if !params
                .iter()
                .any(|p: &Param| p.name == name && p.location == Location::Path)
            {
                r.error_hint(
                    f.get("path").map(|n| n.pos).unwrap_or(node.pos),
                    "unknown-param",
                    format!("the path uses `{{{name}}}` but no parameter `{name}` is `in: path`"),
                    format!("declare `{name}: {{ in: path, type: string, required: true }}` under `params`"),
                );
            }
        }
    }
    Some(Request {
        method: method?,
        path,
        success,
        params,
    })
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

fn read_param(r: &mut Reader<'_>, name: &str, node: &Node, key: &Node) -> Option<Param> {
    let what = format!("parameter `{name}`");
    let f = r.map(node, &what, PARAM_KEYS)?;
    let location = f
        .req(r, "in", &what)
        .and_then(|n| {
            r.one_of(
                n,
                "parameter location",
                &["query", "path", "body", "header"],
            )
        })
        .map(|l| match l {
            "query" => Location::Query,
            "path" => Location::Path,
            "body" => Location::Body,
            _ => Location::Header,
        });
    let ty = f
        .req(r, "type", &what)
        .and_then(|n| {
            r.one_of(
                n,
                "parameter type",
                &["string", "integer", "boolean", "array", "object"],
            )
        })
        .map(|t| match t {
            "string" => ParamType::String,
            "integer" => ParamType::Integer,
            "boolean" => ParamType::Boolean,
            "array" => ParamType::Array,
            _ => ParamType::Object,
        });
    let int = |r: &mut Reader<'_>, k: &str| f.get(k).and_then(|n| r.int(n, k));
    let minimum = int(r, "minimum");
    let maximum = int(r, "maximum");
    let cnt = |r: &mut Reader<'_>, k: &str| f.get(k).and_then(|n| r.count(n, k));
    let min_length = cnt(r, "min_length");
    let max_length = cnt(r, "max_length");
    let max_items = cnt(r, "max_items");
    let pattern = f.get("pattern").and_then(|n| read_regex(r, n, "`pattern`"));
    let not_suffix = f
        .get("not_suffix")
        .and_then(|n| r.string(n, "`not_suffix`"));
    let enum_values = match f.get("enum") {
        Some(n) => match n.as_seq() {
            Some(items) => items.iter().map(Node::to_json).collect(),
            None => {
                r.wrong_type(n, "`enum`", "a list");
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    let format = f
        .get("format")
        .and_then(|n| r.one_of(n, "format", &["json"]).map(str::to_string));
    let source = f
        .get("source")
        .and_then(|n| r.string(n, "`source`"))
        .unwrap_or_default();
    Some(Param {
        name: name.to_string(),
        location: location?,
        ty: ty?,
        required: f
            .get("required")
            .and_then(|n| r.boolean(n, "`required`"))
            .unwrap_or(false),
        default: f.get("default").map(Node::to_json),
        minimum,
        maximum,
        min_length,
        max_length,
        pattern,
        not_suffix,
        enum_values,
        format,
        max_items,
        source,
        pos: key.pos,
    })
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

fn read_pagination(
    r: &mut Reader<'_>,
    node: &Node,
    request: Option<&Request>,
) -> Option<Pagination> {
    let keys = [
        "page",
        "size",
        "total",
        "items",
        "item_id",
        "page_echo",
        "size_echo",
    ];
    let f = r.map(node, "`pagination`", &keys)?;
    let param = |r: &mut Reader<'_>, k: &str| {
        let n = f.req(r, k, "`pagination`")?;
        let s = r.string(n, k)?;
        if let Some(req) = request
            && req.param(&s).is_none()
        {
            r.error_hint(
                n.pos,
                "unknown-param",
                format!("`pagination.{k}` names `{s}`, which is not a request parameter"),
                "name one of the parameters under `request.params`",
            );
        }
        Some(s)
    };
    let page = param(r, "page");
    let size = param(r, "size");
    let ptr = |r: &mut Reader<'_>, k: &str| {
        f.req(r, k, "`pagination`")
            .and_then(|n| read_pointer(r, n, &format!("`pagination.{k}`")))
    };
    let total = ptr(r, "total");
    let items = ptr(r, "items");
    let item_id = ptr(r, "item_id");
    let page_echo = ptr(r, "page_echo");
    let size_echo = ptr(r, "size_echo");
    Some(Pagination {
        page: page?,
        size: size?,
        total: total?,
        items: items?,
        item_id: item_id?,
        page_echo: page_echo?,
        size_echo: size_echo?,
    })
}

fn read_responses(r: &mut Reader<'_>, node: &Node) -> BTreeMap<u16, Response> {
    let mut out = BTreeMap::new();
    let Some(entries) = node.as_map() else {
        r.wrong_type(node, "`responses`", "a mapping of status to response");
        return out;
    };
    for (k, v) in entries {
        let Some(status) = read_status(r, k) else {
            continue;
        };
        let Some(f) = r.map(v, "a response", &["schema", "sample", "sample_source"]) else {
            continue;
        };
        let schema = f.get("schema").and_then(|n| read_schema(r, n));
        let sample = f.get("sample").map(Node::to_json);
        if let (Some(s), Some(sample), Some(sn)) = (&schema, &sample, f.get("sample")) {
            for e in s.validator.iter_errors(sample) {
                let at = e.instance_path().to_string();
                r.error_hint(
                    find_node(sn, &at).map(|n| n.pos).unwrap_or(sn.pos),
                    "sample-invalid",
                    format!(
                        "the documented sample does not satisfy the response schema at `{}`: {e}",
                        if at.is_empty() { "/" } else { &at }
                    ),
                    "fix the schema or the sample: the sample must be in the real wire shape",
                );
            }
        }
        let sample_source = f
            .get("sample_source")
            .and_then(|n| r.string(n, "`sample_source`"))
            .unwrap_or_default();
        out.insert(
            status,
            Response {
                schema,
                sample,
                sample_source,
            },
        );
    }
    out
}

fn read_doc_notes(r: &mut Reader<'_>, node: &Node) -> Vec<DocNote> {
    let Some(items) = node.as_seq() else {
        r.wrong_type(node, "`doc_notes`", "a list");
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let what = "a doc note";
        let Some(f) = r.map(item, what, &["id", "page_says", "interpretation", "cases"]) else {
            continue;
        };
        let id = f.req(r, "id", what).and_then(|n| r.string(n, "`id`"));
        let page_says = f
            .req(r, "page_says", what)
            .and_then(|n| r.string(n, "`page_says`"));
        let interpretation = f
            .req(r, "interpretation", what)
            .and_then(|n| r.string(n, "`interpretation`"));
        let cases = f
            .get("cases")
            .and_then(|n| r.strings(n, "`cases`"))
            .unwrap_or_default();
        if let (Some(id), Some(page_says), Some(interpretation)) = (id, page_says, interpretation) {
            out.push(DocNote {
                id,
                page_says,
                interpretation,
                cases,
                pos: f.get("cases").map(|n| n.pos).unwrap_or(item.pos),
            });
        }
    }
    out
}
