//! Reads case files, checking them against the specs they name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use super::model::*;
use crate::diag::{Diagnostic, did_you_mean, did_you_mean_or};
use crate::spec::{Operation, Protocol, Service, read_evidence, read_pointer};
use crate::yaml::{Fields, Node, Pos, Reader, parse_file};

use super::expect::read_expect;
use super::scope::{Scope, check_var, check_vars_in};

/// Variables every run defines.
pub const BUILTIN_VARS: &[&str] = &["run_prefix"];

const FILE_KEYS: &[&str] = &["operation", "fixtures", "cases"];

const CASE_KEYS: &[&str] = &[
    "name",
    "provenance",
    "doc_note",
    "reading",
    "evidence",
    "summary",
    "steps",
    "teardown",
    // The single-request shorthand:
    "params",
    "extra_params",
    "raw_body",
    "format",
    "capture",
    "expect",
];

const STEP_KEYS: &[&str] = &[
    "name",
    "operation",
    "params",
    "extra_params",
    "raw_body",
    "format",
    "capture",
    "for_each",
    "expect",
    "precondition",
];

/// The specs a case file is checked against.
pub struct Catalog<'a> {
    /// Services by name.
    pub services: &'a BTreeMap<String, Service>,
    /// Operations by `<service>/<Operation>`.
    pub operations: &'a BTreeMap<String, Operation>,
    /// Services whose specs did not load: their cases are not checked (the spec errors are
    /// reported instead of one "unknown operation" per case file).
    pub broken_services: &'a BTreeSet<String>,
}

/// Reads one case file and checks it against the catalog; every problem is reported.
pub fn load_case_file(path: &Path, catalog: &Catalog<'_>) -> Result<CaseFile, Vec<Diagnostic>> {
    let (source, root) = parse_file(path).map_err(|d| vec![d])?;
    let mut r = Reader::new(&source);
    let file = read_file(&mut r, &root, path, catalog);
    match file {
        Some(f) if r.diags.is_empty() => Ok(f),
        _ => Err(r.diags),
    }
}

fn read_file(r: &mut Reader<'_>, root: &Node, path: &Path, cat: &Catalog<'_>) -> Option<CaseFile> {
    let f = r.map(root, "a case file", FILE_KEYS)?;
    let op_node = f.req(r, "operation", "a case file")?;
    let operation = read_operation_name(r, op_node, cat)?;
    let fixtures = f
        .get("fixtures")
        .map(|n| super::fixture::read_fixtures(r, n, &operation, path, cat))
        .unwrap_or_default();
    let cases_node = f.req(r, "cases", "a case file")?;
    let Some(items) = cases_node.as_seq() else {
        r.wrong_type(cases_node, "`cases`", "a list of cases");
        return None;
    };
    let mut cases = Vec::new();
    let mut names = BTreeSet::new();
    for item in items {
        if let Some(case) = read_case(r, item, &operation, path, cat, &fixtures) {
            if !names.insert(case.name.clone()) {
                r.error_hint(
                    item.get("name").map(|n| n.pos).unwrap_or(item.pos),
                    "duplicate-case",
                    format!("case `{}` is defined twice in this file", case.name),
                    "give each case a unique name",
                );
            }
            cases.push(case);
        }
    }
    Some(CaseFile {
        path: path.to_path_buf(),
        operation,
        cases,
        fixtures,
    })
}

/// Reads `<service>/<Operation>` and checks that the spec exists.
fn read_operation_name(r: &mut Reader<'_>, node: &Node, cat: &Catalog<'_>) -> Option<String> {
    let name = r.string(node, "`operation`")?;
    if cat.operations.contains_key(&name) {
        return Some(name);
    }
    if let Some((service, _)) = name.split_once('/')
        && cat.broken_services.contains(service)
    {
        return None;
    }
    let hint = did_you_mean_or(&name, cat.operations.keys().map(String::as_str), || {
        "name an operation as `<service>/<Operation>`, with a spec in specs/<service>/<Operation>.yaml".to_string()
    });
    r.error_hint(
        node.pos,
        "unknown-operation",
        format!("no spec for operation `{name}`"),
        hint,
    );
    None
}

fn read_case(
    r: &mut Reader<'_>,
    node: &Node,
    file_op: &str,
    path: &Path,
    cat: &Catalog<'_>,
    fixtures: &[std::sync::Arc<crate::case::Fixture>],
) -> Option<Case> {
    let f = r.map(node, "a case", CASE_KEYS)?;
    let name = f.req(r, "name", "a case").and_then(|n| {
        let s = r.string(n, "`name`")?;
        if s.is_empty()
            || !s
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            r.error_hint(
                n.pos,
                "bad-value",
                format!("case name `{s}` has characters other than a-z, 0-9 and `-`"),
                format!("use a name like `{}`", slug(&s)),
            );
        }
        Some(s)
    });
    let provenance = f.req(r, "provenance", "a case").and_then(|n| {
        r.one_of(n, "provenance", &["documented", "inferred", "observed"])
            .map(|p| match p {
                "documented" => Provenance::Documented,
                "inferred" => Provenance::Inferred,
                _ => Provenance::Observed,
            })
    });
    let doc_note = f.get("doc_note").and_then(|n| {
        let id = r.string(n, "`doc_note`")?;
        let op = cat.operations.get(file_op)?;
        if !op.doc_notes.iter().any(|d| d.id == id) {
            let ids: Vec<&str> = op.doc_notes.iter().map(|d| d.id.as_str()).collect();
            let hint = did_you_mean_or(&id, ids.iter().copied(), || {
                format!("the doc notes of {file_op} are: {}", ids.join(", "))
            });
            r.error_hint(
                n.pos,
                "unknown-doc-note",
                format!("{file_op} has no doc note `{id}`"),
                hint,
            );
        }
        Some(id)
    });
    let reading = f.get("reading").and_then(|n| {
        let id = r.string(n, "`reading`")?;
        read_reading(r, n, &id, doc_note.as_deref(), file_op, cat);
        Some(id)
    });
    let evidence = f
        .get("evidence")
        .map(|n| read_evidence(r, n))
        .unwrap_or_default();
    if provenance == Some(Provenance::Inferred) && doc_note.is_none() {
        r.error_hint(
            f.node.pos,
            "missing-key",
            "an inferred case has no `doc_note`",
            "name the spec's doc note whose interpretation this case tests: `doc_note: <id>`",
        );
    }
    let summary = f
        .get("summary")
        .and_then(|n| r.string(n, "`summary`"))
        .unwrap_or_default();

    let shorthand: Vec<&str> = [
        "params",
        "extra_params",
        "raw_body",
        "format",
        "capture",
        "expect",
    ]
    .into_iter()
    .filter(|k| f.get(k).is_some())
    .collect();
    let steps_node = f.get("steps");
    // Collect every capture first, to tell "used before set" from "never set".
    let mut all_captures = BTreeSet::new();
    if let Some(items) = steps_node.and_then(Node::as_seq) {
        for s in items {
            collect_captures(s, &mut all_captures);
        }
    } else {
        collect_captures(node, &mut all_captures);
    }
    let mut scope = Scope {
        // A fixture's variable is set before the first step.
        captured: fixtures.iter().map(|x| x.name.clone()).collect(),
        captured_later: all_captures,
    };
    let steps = match (steps_node, shorthand.is_empty()) {
        (Some(_), false) => {
            r.error_hint(
                f.node.pos,
                "conflicting-keys",
                format!("a case has both `steps` and `{}`", shorthand.join("`, `")),
                "move the request into a step under `steps`, or drop `steps`",
            );
            return None;
        }
        (Some(sn), true) => {
            let Some(items) = sn.as_seq() else {
                r.wrong_type(sn, "`steps`", "a list of steps");
                return None;
            };
            if items.is_empty() {
                r.error_hint(
                    sn.pos,
                    "bad-value",
                    "`steps` is empty",
                    "add at least one step",
                );
            }
            items
                .iter()
                .filter_map(|s| {
                    let sf = r.map(s, "a step", STEP_KEYS)?;
                    read_step(r, &sf, file_op, cat, &mut scope, StepKind::Step)
                })
                .collect::<Vec<_>>()
        }
        (None, _) => {
            let step = read_step(r, &f, file_op, cat, &mut scope, StepKind::Shorthand);
            step.into_iter().collect()
        }
    };
    let teardown = read_teardown(r, f.get("teardown"), file_op, cat, &mut scope);
    let all: Vec<&Step> = steps.iter().chain(&teardown).collect();
    let fixtures = super::fixture::used_by(&all, fixtures);
    let mutating = all
        .iter()
        .copied()
        .chain(
            fixtures
                .iter()
                .flat_map(|x| std::iter::once(&x.create).chain(&x.teardown)),
        )
        .any(|s| cat.operations.get(&s.operation).is_some_and(|o| o.mutating));
    Some(Case {
        name: name?,
        operation: file_op.to_string(),
        provenance: provenance?,
        doc_note,
        reading,
        evidence,
        summary,
        steps,
        teardown,
        mutating,
        fixtures,
        file: path.to_path_buf(),
        pos: node.pos,
    })
}

/// Checks a case's `reading:`: it needs a `doc_note`, and the note must list that reading.
fn read_reading(
    r: &mut Reader<'_>,
    n: &Node,
    id: &str,
    doc_note: Option<&str>,
    file_op: &str,
    cat: &Catalog<'_>,
) {
    let Some(note_id) = doc_note else {
        r.error_hint(
            n.pos,
            "missing-key",
            format!("`reading: {id}` without a `doc_note`"),
            "name the doc note whose reading this case tests: `doc_note: <id>`",
        );
        return;
    };
    let Some(note) = cat
        .operations
        .get(file_op)
        .and_then(|op| op.doc_notes.iter().find(|d| d.id == note_id))
    else {
        return; // the unknown doc note is reported already
    };
    if note.reading(id).is_none() {
        let ids: Vec<&str> = note.readings.iter().map(|x| x.id.as_str()).collect();
        let hint = if ids.is_empty() {
            format!("doc note `{note_id}` lists no `readings`; add them there, or drop `reading`")
        } else {
            match did_you_mean(id, ids.iter().copied()) {
                Some(best) => format!("did you mean `{best}`? (one of: {})", ids.join(", ")),
                None => format!("use one of: {}", ids.join(", ")),
            }
        };
        r.error_hint(
            n.pos,
            "unknown-reading",
            format!("doc note `{note_id}` has no reading `{id}`"),
            hint,
        );
    }
}

/// Turns free text into a valid case name, for hints.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Adds the names a step (or case shorthand) captures.
fn collect_captures(node: &Node, out: &mut BTreeSet<String>) {
    if let Some(entries) = node.get("capture").and_then(Node::as_map) {
        out.extend(
            entries
                .iter()
                .filter_map(|(k, _)| k.as_str().map(str::to_string)),
        );
    }
}

/// Where a step stands in its case; a `precondition` belongs only in `steps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StepKind {
    /// A step under `steps`.
    Step,
    /// The single-request shorthand (no `steps`).
    Shorthand,
    /// A step under `teardown`.
    Teardown,
}

/// Reads a `teardown:` list (of a case or a fixture); absent is empty.
pub(super) fn read_teardown(
    r: &mut Reader<'_>,
    node: Option<&Node>,
    file_op: &str,
    cat: &Catalog<'_>,
    scope: &mut Scope,
) -> Vec<Step> {
    let Some(tn) = node else {
        return Vec::new();
    };
    let Some(items) = tn.as_seq() else {
        r.wrong_type(tn, "`teardown`", "a list of steps");
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|s| {
            let sf = r.map(s, "a teardown step", STEP_KEYS)?;
            read_step(r, &sf, file_op, cat, scope, StepKind::Teardown)
        })
        .collect()
}

pub(super) fn read_step(
    r: &mut Reader<'_>,
    f: &Fields<'_>,
    file_op: &str,
    cat: &Catalog<'_>,
    scope: &mut Scope,
    kind: StepKind,
) -> Option<Step> {
    let operation = match f.get("operation") {
        Some(n) => read_operation_name(r, n, cat)?,
        None => file_op.to_string(),
    };
    let op = cat.operations.get(&operation)?;
    let service = cat.services.get(&op.service)?;
    let name = f.get("name").and_then(|n| r.string(n, "`name`"));

    // The variables this step may use: target vars, built-ins, earlier captures, for_each.
    let mut known: BTreeSet<String> = BUILTIN_VARS.iter().map(|s| s.to_string()).collect();
    known.extend(service.vars.iter().cloned());
    known.extend(crate::spec::path_placeholders(&service.endpoint));
    known.extend(scope.captured.iter().cloned());
    let for_each = f.get("for_each").and_then(|n| {
        let ff = r.map(n, "`for_each`", &["var", "in"])?;
        let var = ff
            .req(r, "var", "`for_each`")
            .and_then(|n| r.string(n, "`var`"));
        let over_node = ff.req(r, "in", "`for_each`")?;
        let over = r.string(over_node, "`in`")?;
        check_var(r, over_node.pos, &over, &known, scope);
        Some(ForEach { var: var?, over })
    });
    if let Some(fe) = &for_each {
        known.insert(fe.var.clone());
    }

    let params = read_params(r, f.get("params"), op, &known, scope, true);
    let extra_params = read_params(r, f.get("extra_params"), op, &known, scope, false);
    let raw_body = f.get("raw_body").and_then(|n| {
        let s = r.string(n, "`raw_body`")?;
        if service.protocol == Protocol::Rpc {
            r.error_hint(
                n.pos,
                "bad-value",
                format!("`raw_body` is for rest and aws-json operations; {operation} is rpc"),
                "send parameters with `params` or `extra_params`",
            );
        }
        Some(s)
    });
    let format = read_format(r, f.get("format"), service, &operation);
    let expect = match f.get("expect") {
        Some(n) => read_expect(r, n, op, service, &known, scope)?,
        None => Expect::default(),
    };
    check_format(r, f, format, &expect, op);
    let mut capture = Vec::new();
    if let Some(cn) = f.get("capture") {
        match cn.as_map() {
            Some(entries) => {
                for (k, v) in entries {
                    if let (Some(var), Some(p)) = (
                        r.string(k, "a capture name"),
                        read_pointer(r, v, "a capture"),
                    ) {
                        capture.push((var, p));
                    }
                }
            }
            None => r.wrong_type(cn, "`capture`", "a mapping of variable name to pointer"),
        }
    }
    for (var, _) in &capture {
        scope.captured.insert(var.clone());
    }
    let precondition = f
        .get("precondition")
        .and_then(|n| read_precondition(r, n, kind, capture.is_empty()));
    Some(Step {
        name,
        operation,
        params,
        extra_params,
        raw_body,
        format,
        capture,
        for_each,
        expect,
        precondition,
        pos: f.node.pos,
        file: r.source.path.as_path().into(),
    })
}

/// Reads a step's `precondition`: the words that say what the account must have for the
/// step's capture to find something. It needs a capture, and it is for set-up steps only.
fn read_precondition(
    r: &mut Reader<'_>,
    n: &Node,
    kind: StepKind,
    no_capture: bool,
) -> Option<String> {
    let words = r.string(n, "`precondition`")?;
    if words.trim().is_empty() {
        r.error_hint(
            n.pos,
            "bad-value",
            "`precondition` is empty",
            "say what the account must have, e.g. \"a key pending deletion among the first 100 keys\"",
        );
        return None;
    }
    if kind == StepKind::Teardown {
        r.error_hint(
            n.pos,
            "bad-value",
            "a teardown step cannot have a `precondition`",
            "put the `precondition` on the step under `steps` that discovers the resource",
        );
        return None;
    }
    if no_capture {
        r.error_hint(
            n.pos,
            "bad-value",
            "a `precondition` needs a `capture` on the same step",
            "the precondition is unmet when the step's capture finds nothing; add the `capture` that discovers the resource",
        );
        return None;
    }
    Some(words)
}

/// `format: json | xml | none`: the RPC `Format` parameter a step sends.
fn read_format(
    r: &mut Reader<'_>,
    node: Option<&Node>,
    service: &Service,
    operation: &str,
) -> RequestFormat {
    let Some(n) = node else {
        return RequestFormat::Json;
    };
    let format = match r.one_of(n, "format", &["json", "xml", "none"]) {
        Some("xml") => RequestFormat::Xml,
        Some("none") => RequestFormat::None,
        _ => RequestFormat::Json,
    };
    if service.protocol != Protocol::Rpc {
        r.error_hint(
            n.pos,
            "bad-value",
            format!("`format` is the rpc `Format` parameter; {operation} is not rpc"),
            "remove `format`: rest and aws-json operations always ask for JSON",
        );
    }
    format
}

/// What `format` and `expect.format` allow: a walk reads JSON pages only, and a sample diff of
/// an XML answer needs the spec's `sample_xml`.
fn check_format(
    r: &mut Reader<'_>,
    f: &Fields<'_>,
    format: RequestFormat,
    expect: &Expect,
    op: &Operation,
) {
    let body = Step::body_format_of(format, expect);
    // The expectation's own key where there is one, else the step's `format`.
    let at = |key: &str| {
        f.get("expect")
            .and_then(|e| e.get(key))
            .or_else(|| f.get("format"))
            .map_or(f.node.pos, |n| n.pos)
    };
    if expect.pagination == Some(PaginationMode::Walk) && format != RequestFormat::Json {
        r.error_hint(
            at("pagination"),
            "bad-value",
            format!(
                "`pagination: walk` needs JSON pages; this step sends `format: {}`",
                format.as_str()
            ),
            "check one page with `pagination: page`, or walk in a `format: json` step",
        );
    }
    let has_xml_sample = op.responses.values().any(|resp| resp.sample_xml.is_some());
    if body == BodyFormat::Xml && expect.sample && !has_xml_sample {
        r.error_hint(
            at("sample"),
            "bad-value",
            format!(
                "{} has no documented XML sample to compare an XML answer with",
                op.id()
            ),
            "add `sample_xml:` to the spec's success response, or remove `sample: true`",
        );
    }
}

fn read_params(
    r: &mut Reader<'_>,
    node: Option<&Node>,
    op: &Operation,
    known: &BTreeSet<String>,
    scope: &Scope,
    must_be_known: bool,
) -> Vec<(String, Value)> {
    let Some(node) = node else { return Vec::new() };
    let Some(entries) = node.as_map() else {
        r.wrong_type(node, "`params`", "a mapping of parameter name to value");
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in entries {
        let Some(name) = r.string(k, "a parameter name") else {
            continue;
        };
        if must_be_known && op.request.param(&name).is_none() {
            let names: Vec<&str> = op.request.params.iter().map(|p| p.name.as_str()).collect();
            let hint = match did_you_mean(&name, names.iter().copied()) {
                Some(best) => format!(
                    "did you mean `{best}`? (to send a parameter the spec does not document, use `extra_params`)"
                ),
                None => format!(
                    "{} takes: {}; to send an undocumented parameter, use `extra_params`",
                    op.id(),
                    names.join(", ")
                ),
            };
            r.error_hint(
                Pos {
                    len: name.chars().count().max(1),
                    ..k.pos
                },
                "unknown-param",
                format!("{} has no parameter `{name}`", op.id()),
                hint,
            );
            continue;
        }
        check_vars_in(r, v, known, scope);
        out.push((name, v.to_json()));
    }
    out
}
