//! `fixtures:` in a case file: resources that several cases use as they are, created once per
//! run (see [`Fixture`]). Read and checked here; created and removed by `exec::fixture`.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use super::load::{Catalog, StepKind, read_step, read_teardown};
use super::model::{Fixture, Step};
use super::scope::Scope;
use crate::vars;
use crate::yaml::{Node, Reader};

const FIXTURE_KEYS: &[&str] = &["name", "summary", "create", "teardown"];
const STEP_KEYS: &[&str] = &[
    "name",
    "operation",
    "params",
    "extra_params",
    "raw_body",
    "capture",
    "expect",
];

/// Reads a file's `fixtures:` list; every problem is reported at its place.
pub(super) fn read_fixtures(
    r: &mut Reader<'_>,
    node: &Node,
    file_op: &str,
    path: &Path,
    cat: &Catalog<'_>,
) -> Vec<Arc<Fixture>> {
    let Some(items) = node.as_seq() else {
        r.wrong_type(node, "`fixtures`", "a list of fixtures");
        return Vec::new();
    };
    let mut out: Vec<Arc<Fixture>> = Vec::new();
    for item in items {
        let Some(f) = r.map(item, "a fixture", FIXTURE_KEYS) else {
            continue;
        };
        let name_node = f.req(r, "name", "a fixture");
        let name = name_node.and_then(|n| r.string(n, "`name`"));
        let summary = f
            .get("summary")
            .and_then(|n| r.string(n, "`summary`"))
            .unwrap_or_default();
        let mut scope = Scope {
            captured: BTreeSet::new(),
            captured_later: BTreeSet::new(),
        };
        let create = f.req(r, "create", "a fixture").and_then(|n| {
            let sf = r.map(n, "a fixture's `create` step", STEP_KEYS)?;
            read_step(r, &sf, file_op, cat, &mut scope, StepKind::Teardown)
        });
        let (Some(name), Some(create)) = (name, create) else {
            continue;
        };
        let pos = name_node.map(|n| n.pos).unwrap_or(item.pos);
        if !create.capture.iter().any(|(var, _)| *var == name) {
            r.error_hint(
                create.pos,
                "bad-value",
                format!("the `create` step of fixture `{name}` does not capture `{name}`"),
                format!("add `capture: {{ {name}: <pointer to the resource id> }}` to it"),
            );
        }
        if out.iter().any(|x| x.name == name) {
            r.error_hint(
                pos,
                "duplicate-case",
                format!("fixture `{name}` is defined twice in this file"),
                "give each fixture a unique name",
            );
        }
        let teardown = read_teardown(r, f.get("teardown"), file_op, cat, &mut scope);
        out.push(Arc::new(Fixture {
            name,
            file: path.to_path_buf(),
            summary,
            create,
            teardown,
        }));
    }
    out
}

/// The fixtures whose variable the steps use.
pub(super) fn used_by(steps: &[&Step], fixtures: &[Arc<Fixture>]) -> Vec<Arc<Fixture>> {
    let mut names = BTreeSet::new();
    for s in steps {
        for (_, v) in s.params.iter().chain(&s.extra_params) {
            names.extend(vars::value_references(v));
        }
        if let Some(b) = &s.raw_body {
            names.extend(vars::references(b));
        }
        if let Some(fe) = &s.for_each {
            names.insert(fe.over.clone());
        }
        for (_, v) in &s.expect.equals {
            names.extend(vars::value_references(v));
        }
        for (_, m) in &s.expect.matches {
            names.extend(vars::references(m));
        }
        for (_, bounds) in &s.expect.count {
            for v in [&bounds.min, &bounds.max].into_iter().flatten() {
                names.extend(vars::value_references(v));
            }
        }
    }
    fixtures
        .iter()
        .filter(|f| names.contains(&f.name))
        .cloned()
        .collect()
}
