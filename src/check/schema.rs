//! The schema check: the body validates against the spec's JSON Schema.

use serde_json::{Map, Value};

use crate::finding::{Finding, FindingKind, kinds};
use crate::spec::Schema;

use super::{brief, cmp_pointers, truncate_chars};

/// At most this many violations are reported for one body; one more finding says how many
/// were left out.
pub const MAX_VIOLATIONS: usize = 50;

/// The longest message kept from the validator, in characters (its messages quote the value).
const MESSAGE_LIMIT: usize = 300;

/// One place where a document breaks its schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// RFC 6901 pointer to the offending value in the document.
    pub pointer: String,
    /// The schema keyword that failed, as `{keyword: value}` when it can be read from the
    /// schema, else the keyword's location in the schema.
    pub expected: Value,
    /// The offending value (described instead when it is large).
    pub actual: Value,
    /// What is wrong, in the validator's words.
    pub message: String,
}

/// Every violation of `schema` by `doc`, sorted by pointer then message, without duplicates.
pub fn violations(schema: &Schema, doc: &Value) -> Vec<Violation> {
    // Most answers conform: the yes/no validation is much cheaper than collecting errors.
    if schema.validator.is_valid(doc) {
        return Vec::new();
    }
    let mut out: Vec<Violation> = schema
        .validator
        .iter_errors(doc)
        .map(|e| {
            let pointer = e.instance_path().as_str().to_string();
            let schema_path = e.schema_path().as_str().to_string();
            // The reason without the offending value (which is `actual`): a large value printed
            // first would push the reason past the cap.
            let message = e.masked_with("the value").to_string();
            let message = if message.chars().count() > MESSAGE_LIMIT {
                format!("{}...", truncate_chars(&message, MESSAGE_LIMIT))
            } else {
                message
            };
            Violation {
                actual: doc.pointer(&pointer).map_or(Value::Null, brief),
                expected: keyword(&schema.source, &schema_path),
                pointer,
                message,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        cmp_pointers(&a.pointer, &b.pointer).then_with(|| a.message.cmp(&b.message))
    });
    out.dedup_by(|a, b| a.pointer == b.pointer && a.message == b.message);
    out
}

/// The failing keyword as `{keyword: value}`, read from the schema at its location; the
/// location itself when it cannot be read there (e.g. behind a `$ref`).
fn keyword(source: &Value, schema_path: &str) -> Value {
    let name = schema_path.rsplit('/').next().unwrap_or_default();
    match source.pointer(schema_path) {
        Some(v) if !name.is_empty() => {
            let mut m = Map::new();
            m.insert(name.replace("~1", "/").replace("~0", "~"), brief(v));
            Value::Object(m)
        }
        _ => Value::String(format!("schema {schema_path}")),
    }
}

/// Validates `doc` and turns each violation into a finding of `kind`, capped at
/// [`MAX_VIOLATIONS`] plus one finding that counts the rest.
pub(crate) fn findings_of_kind(kind: FindingKind, schema: &Schema, doc: &Value) -> Vec<Finding> {
    let all = violations(schema, doc);
    let total = all.len();
    let mut out: Vec<Finding> = all
        .into_iter()
        .take(MAX_VIOLATIONS)
        .map(|v| {
            Finding::new(kind, v.message)
                .at(v.pointer)
                .values(v.expected, v.actual)
        })
        .collect();
    if total > MAX_VIOLATIONS {
        out.push(Finding::new(
            kind,
            format!(
                "{} more violations not shown ({total} in all)",
                total - MAX_VIOLATIONS
            ),
        ));
    }
    out
}

/// Validates the body against a response schema: one `schema` finding per violation, with the
/// pointer of the offending value, sorted by pointer.
pub fn check_schema(schema: &Schema, body: &Value) -> Vec<Finding> {
    findings_of_kind(kinds::SCHEMA, schema, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testutil::*;
    use serde_json::json;

    #[test]
    fn a_correct_body_passes() {
        let s = list_keys_schema();
        assert!(check_schema(&s, &list_keys_body(3, 1, 10, 3)).is_empty());
    }

    #[test]
    fn total_count_as_a_string_is_reported_at_its_pointer() {
        let s = list_keys_schema();
        let mut body = list_keys_body(1, 1, 10, 1);
        body["TotalCount"] = json!("1");
        let found = check_schema(&s, &body);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].kind, kinds::SCHEMA);
        assert_eq!(found[0].pointer, "/TotalCount");
        assert_eq!(found[0].expected, json!({"type": "integer"}));
        assert_eq!(found[0].actual, json!("1"));
    }

    #[test]
    fn keys_as_a_bare_array_is_a_schema_finding_at_keys() {
        let s = list_keys_schema();
        let mut body = list_keys_body(2, 1, 10, 2);
        let flat = body["Keys"]["Key"].clone();
        body["Keys"] = flat;
        let found = check_schema(&s, &body);
        assert!(!found.is_empty());
        assert!(found.iter().all(|f| f.kind == kinds::SCHEMA));
        assert!(found.iter().any(|f| f.pointer == "/Keys"), "{found:#?}");
    }

    #[test]
    fn findings_are_sorted_by_pointer() {
        let s = list_keys_schema();
        let mut body = list_keys_body(2, 1, 10, 2);
        body["TotalCount"] = json!("2");
        body["PageNumber"] = json!("1");
        body["Keys"]["Key"][1]["KeyId"] = json!(5);
        let found = check_schema(&s, &body);
        let pointers: Vec<&str> = found.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["/Keys/Key/1/KeyId", "/PageNumber", "/TotalCount"]
        );
    }

    #[test]
    fn violations_are_capped() {
        let s = compile(json!({"type": "array", "items": {"type": "integer"}}));
        let doc = Value::Array((0..120).map(|i| json!(format!("{i}"))).collect());
        let found = check_schema(&s, &doc);
        assert_eq!(found.len(), MAX_VIOLATIONS + 1);
        assert!(found[MAX_VIOLATIONS].message.contains("70 more"));
    }

    #[test]
    fn a_big_offending_value_is_described_not_copied() {
        let s = compile(json!({"type": "object"}));
        let doc = Value::Array((0..500).map(|i| json!(i)).collect());
        let found = check_schema(&s, &doc);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].actual, json!("<array of 500 items>"));
        assert!(found[0].message.chars().count() <= MESSAGE_LIMIT + 3);
    }
}
