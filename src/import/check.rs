//! The audit `specgate import FILE --check SPEC`: compares what a source documents with a spec
//! that is kept by hand and lists every disagreement (a parameter one side lacks, a bound or a
//! default that differs, a response field the schema does not have), so that a vendor's update
//! of a page shows up. The same comparison measures the importer's recall on the seed pages.

use std::collections::BTreeSet;

use serde_json::Value;

use super::model::{ConstraintKind, Field, ImportedOperation};
use crate::spec::Operation;

/// What a comparison found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Comparison {
    /// The spec's request parameters (path parameters included).
    pub spec_params: BTreeSet<String>,
    /// Those the source has too.
    pub found_params: BTreeSet<String>,
    /// The spec's response fields of the success status, as dotted paths (`Keys.Key.KeyId`).
    pub spec_fields: BTreeSet<String>,
    /// Those the source has too.
    pub found_fields: BTreeSet<String>,
    /// Every disagreement, one line each, in a fixed order.
    pub disagreements: Vec<String>,
}

impl Comparison {
    /// The share of the spec's parameters the source has (1.0 when the spec has none).
    pub fn param_recall(&self) -> f64 {
        ratio(self.found_params.len(), self.spec_params.len())
    }

    /// The share of the spec's response fields the source has (1.0 when the spec has none).
    pub fn field_recall(&self) -> f64 {
        ratio(self.found_fields.len(), self.spec_fields.len())
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// The dotted paths of a JSON Schema's properties (array items add no segment).
fn schema_paths(schema: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    if let Some(items) = schema.get("items") {
        schema_paths(items, prefix, out);
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (k, v) in props {
            let path = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            out.insert(path.clone());
            schema_paths(v, &path, out);
        }
    }
}

fn field_paths(fields: &[Field], prefix: &str, out: &mut BTreeSet<String>) {
    for f in fields {
        let path = if prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{prefix}.{}", f.name)
        };
        out.insert(path.clone());
        field_paths(&f.children, &path, out);
    }
}

/// Compares the source's operation with the spec's.
pub fn compare(op: &ImportedOperation, spec: &Operation) -> Comparison {
    let mut c = Comparison::default();
    let mut d = Vec::new();
    for sp in &spec.request.params {
        c.spec_params.insert(sp.name.clone());
        let Some(ip) = op.params.iter().find(|p| p.name == sp.name) else {
            d.push(format!(
                "parameter `{}` of the spec is not in the source",
                sp.name
            ));
            continue;
        };
        c.found_params.insert(sp.name.clone());
        if ip.required != sp.required {
            d.push(format!(
                "parameter `{}`: the source says required {}, the spec {}",
                sp.name, ip.required, sp.required
            ));
        }
        let get = |f: fn(&ConstraintKind) -> Option<Value>| ip.find(f).map(|(v, _)| v);
        let pairs: [(&str, Option<Value>, Option<Value>); 5] = [
            (
                "minimum",
                get(|k| matches!(k, ConstraintKind::Minimum(_)).then(|| num(k))),
                sp.minimum.map(Value::from),
            ),
            (
                "maximum",
                get(|k| matches!(k, ConstraintKind::Maximum(_)).then(|| num(k))),
                sp.maximum.map(Value::from),
            ),
            (
                "min_length",
                get(|k| matches!(k, ConstraintKind::MinLength(_)).then(|| num(k))),
                sp.min_length.map(Value::from),
            ),
            (
                "max_length",
                get(|k| matches!(k, ConstraintKind::MaxLength(_)).then(|| num(k))),
                sp.max_length.map(Value::from),
            ),
            (
                "default",
                get(|k| match k {
                    ConstraintKind::Default(v) => Some(v.clone()),
                    _ => None,
                }),
                sp.default.clone(),
            ),
        ];
        for (what, source, spec_v) in pairs {
            if source != spec_v {
                d.push(format!(
                    "parameter `{}`: {what} is {} in the source, {} in the spec",
                    sp.name,
                    shown(&source),
                    shown(&spec_v)
                ));
            }
        }
        let pattern = get(|k| match k {
            ConstraintKind::Pattern(p) => Some(Value::from(p.as_str())),
            _ => None,
        });
        let spec_pattern = sp.pattern.as_ref().map(|r| Value::from(r.as_str()));
        if pattern != spec_pattern {
            d.push(format!(
                "parameter `{}`: pattern is {} in the source, {} in the spec",
                sp.name,
                shown(&pattern),
                shown(&spec_pattern)
            ));
        }
    }
    for ip in &op.params {
        if !c.spec_params.contains(&ip.name) {
            d.push(format!(
                "parameter `{}` of the source is not in the spec",
                ip.name
            ));
        }
    }
    let schema = spec
        .responses
        .get(&spec.request.success)
        .and_then(|r| r.schema.as_ref())
        .map(|s| s.source.clone())
        .unwrap_or(Value::Null);
    schema_paths(&schema, "", &mut c.spec_fields);
    let mut source_fields = BTreeSet::new();
    field_paths(&op.response, "", &mut source_fields);
    for f in &c.spec_fields {
        if source_fields.contains(f) {
            c.found_fields.insert(f.clone());
        } else {
            d.push(format!(
                "response field `{f}` of the spec is not in the source"
            ));
        }
    }
    for f in &source_fields {
        if !c.spec_fields.contains(f) {
            d.push(format!(
                "response field `{f}` of the source is not in the spec's schema"
            ));
        }
    }
    c.disagreements = d;
    c
}

fn num(k: &ConstraintKind) -> Value {
    match k {
        ConstraintKind::Minimum(v) | ConstraintKind::Maximum(v) => Value::from(*v),
        ConstraintKind::MinLength(v) | ConstraintKind::MaxLength(v) => Value::from(*v),
        _ => Value::Null,
    }
}

fn shown(v: &Option<Value>) -> String {
    v.as_ref().map_or("absent".into(), Value::to_string)
}
