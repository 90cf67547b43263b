//! Reading an operation file into an [`Operation`].

use std::collections::BTreeMap;
use std::path::Path;

use super::common::{
    find_node, finish, path_placeholders, read_errors, read_pointer, read_regex, read_schema,
    read_status,
};
use super::evidence::{read_evidence, read_readings};
use super::model::*;
use crate::diag::Diagnostic;
use crate::pointer::PointerPath;
use crate::yaml::{Fields, Node, Reader, parse_file};

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
    "evidence",
];

/// Reads an operation file of `service`.
pub fn load_operation(path: &Path, service: &Service) -> Result<Operation, Vec<Diagnostic>> {
    let (source, root) = parse_file(path).map_err(|d| vec![d])?;
    let mut r = Reader::new(&source);
    let op = read_operation(&mut r, &root, path, service);
    finish(r, op)
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
    // A `style` key marks marker pagination; without it the block is page-number pagination.
    let (pagination, marker_pagination) = match f.get("pagination") {
        Some(n) if n.get("style").is_some() => {
            (None, read_marker_pagination(r, n, request.as_ref()))
        }
        Some(n) => (read_pagination(r, n, request.as_ref()), None),
        None => (None, None),
    };
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
        marker_pagination,
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
    let evidence = f
        .get("evidence")
        .map(|n| read_evidence(r, n))
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
        evidence,
        pos: key.pos,
    })
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
    let page = pagination_param(r, &f, "page", request);
    let size = pagination_param(r, &f, "size", request);
    let total = pagination_pointer(r, &f, "total");
    let items = pagination_pointer(r, &f, "items");
    let item_id = pagination_pointer(r, &f, "item_id");
    let page_echo = pagination_pointer(r, &f, "page_echo");
    let size_echo = pagination_pointer(r, &f, "size_echo");
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

/// Reads `pagination: { style: marker, limit, marker, next, more, items, item_id }`; `more` is
/// optional (an API whose next marker alone says that more follow).
fn read_marker_pagination(
    r: &mut Reader<'_>,
    node: &Node,
    request: Option<&Request>,
) -> Option<MarkerPagination> {
    let keys = [
        "style", "limit", "marker", "next", "more", "items", "item_id",
    ];
    let f = r.map(node, "`pagination`", &keys)?;
    let style = f
        .req(r, "style", "`pagination`")
        .and_then(|n| r.one_of(n, "pagination style", &["marker"]));
    let limit = pagination_param(r, &f, "limit", request);
    let marker = pagination_param(r, &f, "marker", request);
    let next = pagination_pointer(r, &f, "next");
    let items = pagination_pointer(r, &f, "items");
    let item_id = pagination_pointer(r, &f, "item_id");
    let more = match f.get("more") {
        Some(n) => Some(read_pointer(r, n, "`pagination.more`")?),
        None => None,
    };
    style?;
    Some(MarkerPagination {
        limit: limit?,
        marker: marker?,
        next: next?,
        more,
        items: items?,
        item_id: item_id?,
        pos: node.pos,
    })
}

/// The request parameter a `pagination` key names (`page`, `size`, `limit`, `marker`); one the
/// operation's request does not have is an error at its place.
fn pagination_param(
    r: &mut Reader<'_>,
    f: &Fields<'_>,
    k: &str,
    request: Option<&Request>,
) -> Option<String> {
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
}

/// The answer pointer a `pagination` key holds (`total`, `items`, `next`, ...).
fn pagination_pointer(r: &mut Reader<'_>, f: &Fields<'_>, k: &str) -> Option<PointerPath> {
    f.req(r, k, "`pagination`")
        .and_then(|n| read_pointer(r, n, &format!("`pagination.{k}`")))
}

/// The keys of one response.
const RESPONSE_KEYS: &[&str] = &[
    "schema",
    "sample",
    "sample_source",
    "sample_xml",
    "sample_xml_page",
    "sample_xml_source",
];

/// `sample_xml` (read into the tree, which must satisfy the schema like `sample`), with the
/// page's verbatim `sample_xml_page` (which must be well-formed) and `sample_xml_source`.
fn read_xml_sample(
    r: &mut Reader<'_>,
    f: &Fields<'_>,
    schema: Option<&Schema>,
) -> Option<XmlSample> {
    let page = f.get("sample_xml_page").and_then(|n| {
        let text = r.string(n, "`sample_xml_page`")?;
        if let Err(e) = crate::xml::read(text.as_bytes(), None) {
            r.error_hint(
                n.pos,
                "sample-invalid",
                format!("`sample_xml_page` is not well-formed XML: {e}"),
                "copy the XML of the page's sample as it is, without the HTTP status line and headers",
            );
        }
        Some(text)
    });
    let source = f
        .get("sample_xml_source")
        .and_then(|n| r.string(n, "`sample_xml_source`"))
        .unwrap_or_default();
    let n = f.get("sample_xml")?;
    let text = r.string(n, "`sample_xml`")?;
    let tree = match crate::xml::read(text.as_bytes(), schema.map(|s| &s.source)) {
        Ok(doc) => doc.value,
        Err(e) => {
            r.error_hint(
                n.pos,
                "sample-invalid",
                format!("`sample_xml` is not well-formed XML: {e}"),
                "write the XML sample as a block scalar (`sample_xml: |`), in the wire shape",
            );
            return None;
        }
    };
    if let Some(s) = schema {
        for e in s.validator.iter_errors(&tree) {
            let at = e.instance_path().to_string();
            r.error_hint(
                n.pos,
                "sample-invalid",
                format!(
                    "the XML sample, read into the tree, does not satisfy the response schema at `{}`: {e}",
                    if at.is_empty() { "/" } else { &at }
                ),
                "fix the schema or the XML sample: `sample_xml` is the real wire shape; keep a wrong page sample in `sample_xml_page`",
            );
        }
    }
    Some(XmlSample {
        text,
        tree,
        page,
        source,
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
        let Some(f) = r.map(v, "a response", RESPONSE_KEYS) else {
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
        let sample_xml = read_xml_sample(r, &f, schema.as_ref());
        out.insert(
            status,
            Response {
                schema,
                sample,
                sample_source,
                sample_xml,
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
        let Some(f) = r.map(
            item,
            what,
            &[
                "id",
                "page_says",
                "interpretation",
                "cases",
                "evidence",
                "readings",
                "emulator",
            ],
        ) else {
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
        let evidence = f
            .get("evidence")
            .map(|n| read_evidence(r, n))
            .unwrap_or_default();
        let readings = f
            .get("readings")
            .map(|n| read_readings(r, n))
            .unwrap_or_default();
        let emulator = f.get("emulator").and_then(|n| {
            let id = r.string(n, "`emulator`")?;
            if !readings.iter().any(|x| x.id == id) {
                let ids: Vec<&str> = readings.iter().map(|x| x.id.as_str()).collect();
                r.error_hint(
                    n.pos,
                    "unknown-reading",
                    format!("`emulator: {id}` names no reading of this note"),
                    if ids.is_empty() {
                        "list the note's `readings` first".to_string()
                    } else {
                        format!("use one of: {}", ids.join(", "))
                    },
                );
            }
            Some(id)
        });
        if !readings.is_empty() && emulator.is_none() {
            r.error_hint(
                item.pos,
                "missing-key",
                "a doc note with `readings` does not say which one the emulator follows",
                "add `emulator: <reading id>`",
            );
        }
        if let (Some(id), Some(page_says), Some(interpretation)) = (id, page_says, interpretation) {
            out.push(DocNote {
                id,
                page_says,
                interpretation,
                cases,
                evidence,
                readings,
                emulator,
                pos: f.get("cases").map(|n| n.pos).unwrap_or(item.pos),
            });
        }
    }
    out
}
