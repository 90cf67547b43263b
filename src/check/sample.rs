//! The sample check: the answer, masked, has the structure and the stable values of the
//! documented sample.
//!
//! Both documents are masked ([`mask`](super::mask::mask)), then every array is cut to its first
//! element (the sample shows one or a few items, an answer any number), and the two are
//! compared member by member: the same member names at every level, the same JSON types (read
//! before masking), and equal values where they are not masked.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::finding::{Finding, kinds};
use crate::spec::VolatileKind;

use super::diff::unified;
use super::equals::json_equal;
use super::mask::mask_part;
use super::{brief, cmp_pointers};

/// At most this many differences are reported; one more finding counts the rest.
pub const MAX_DIFFERENCES: usize = 100;

/// The two documents as the sample check compares them: masked, arrays cut to their first
/// element.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The documented sample.
    pub expected: Value,
    /// The answer.
    pub actual: Value,
}

/// Masks both documents with the service's `volatile` map and cuts their arrays to the first
/// element; what [`sample_diff`] shows.
pub fn prepare(
    sample: &Value,
    actual: &Value,
    volatile: &BTreeMap<String, VolatileKind>,
) -> Prepared {
    // Masking is structural, so masking the cut document (with the references numbered over
    // the whole one) is cutting the masked document, without masking every item of a long page.
    Prepared {
        expected: mask_part(sample, &first_elements(sample), volatile),
        actual: mask_part(actual, &first_elements(actual), volatile),
    }
}

/// The unified diff of two prepared documents ([`prepare`]), for reports and the console; empty
/// when they are the same.
pub fn sample_diff(expected: &Value, actual: &Value) -> String {
    unified(expected, actual)
}

/// Compares an answer with the documented sample: one `diff` finding per differing pointer
/// (a missing or extra member, a different JSON type, a different stable value, an empty array
/// where the sample has items), sorted by pointer, at most [`MAX_DIFFERENCES`] plus a count.
pub fn check_sample(
    sample: &Value,
    actual: &Value,
    volatile: &BTreeMap<String, VolatileKind>,
) -> Vec<Finding> {
    let raw_expected = first_elements(sample);
    let raw_actual = first_elements(actual);
    let prepared = Prepared {
        expected: mask_part(sample, &raw_expected, volatile),
        actual: mask_part(actual, &raw_actual, volatile),
    };
    let mut out = Vec::new();
    compare(
        Pair {
            masked: &prepared.expected,
            raw: &raw_expected,
        },
        Pair {
            masked: &prepared.actual,
            raw: &raw_actual,
        },
        String::new(),
        &mut out,
    );
    out.sort_by(|a, b| cmp_pointers(&a.pointer, &b.pointer));
    let total = out.len();
    if total > MAX_DIFFERENCES {
        out.truncate(MAX_DIFFERENCES);
        out.push(Finding::new(
            kinds::DIFF,
            format!(
                "{} more differences not shown ({total} in all)",
                total - MAX_DIFFERENCES
            ),
        ));
    }
    out
}

/// A copy of the document with every array cut to its first element.
fn first_elements(v: &Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.iter().take(1).map(first_elements).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), first_elements(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The same place in a masked document and in the original.
#[derive(Clone, Copy)]
struct Pair<'a> {
    /// The masked value, compared for equality and shown.
    masked: &'a Value,
    /// The original value, whose JSON type is compared.
    raw: &'a Value,
}

/// The JSON type for a structural comparison (sample diff, parity): integers and fractions are
/// both numbers.
pub(crate) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Escapes a member name for a pointer.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Compares one place of the two documents, recursively.
fn compare(expected: Pair<'_>, actual: Pair<'_>, at: String, out: &mut Vec<Finding>) {
    let (te, ta) = (json_type(expected.raw), json_type(actual.raw));
    if te != ta {
        out.push(
            Finding::new(
                kinds::DIFF,
                format!(
                    "the sample has {} here, the answer {}",
                    article(te),
                    article(ta)
                ),
            )
            .at(at)
            .values(brief(expected.masked), brief(actual.masked)),
        );
        return;
    }
    match (expected.masked, actual.masked) {
        (Value::Object(em), Value::Object(am)) => {
            let (Value::Object(er), Value::Object(ar)) = (expected.raw, actual.raw) else {
                return;
            };
            let mut names: Vec<&String> = em.keys().chain(am.keys()).collect();
            names.sort();
            names.dedup();
            for name in names {
                let here = format!("{at}/{}", escape(name));
                match (em.get(name), am.get(name), er.get(name), ar.get(name)) {
                    (Some(e), Some(a), Some(e_raw), Some(a_raw)) => compare(
                        Pair {
                            masked: e,
                            raw: e_raw,
                        },
                        Pair {
                            masked: a,
                            raw: a_raw,
                        },
                        here,
                        out,
                    ),
                    (Some(e), None, _, _) => out.push(
                        Finding::new(
                            kinds::DIFF,
                            format!("{name} is in the sample but not in the answer"),
                        )
                        .at(here)
                        .values(brief(e), Value::Null),
                    ),
                    (None, Some(a), _, _) => out.push(
                        Finding::new(
                            kinds::DIFF,
                            format!("{name} is in the answer but not in the sample"),
                        )
                        .at(here)
                        .values(Value::Null, brief(a)),
                    ),
                    _ => {}
                }
            }
        }
        (Value::Array(ea), Value::Array(aa)) => {
            let (Value::Array(er), Value::Array(ar)) = (expected.raw, actual.raw) else {
                return;
            };
            match (ea.first(), aa.first(), er.first(), ar.first()) {
                (Some(e), Some(a), Some(e_raw), Some(a_raw)) => compare(
                    Pair {
                        masked: e,
                        raw: e_raw,
                    },
                    Pair {
                        masked: a,
                        raw: a_raw,
                    },
                    format!("{at}/0"),
                    out,
                ),
                (Some(e), None, _, _) => out.push(
                    Finding::new(
                        kinds::DIFF,
                        "the answer's array is empty, the sample's has items",
                    )
                    .at(at)
                    .values(Value::Array(vec![brief(e)]), Value::Array(Vec::new())),
                ),
                // An empty sample array says nothing about the items' structure.
                _ => {}
            }
        }
        (e, a) if !json_equal(e, a) => out.push(
            Finding::new(kinds::DIFF, "the value differs from the sample")
                .at(at)
                .values(e.clone(), brief(a)),
        ),
        _ => {}
    }
}

/// A type name with its article, for messages.
fn article(ty: &str) -> String {
    match ty {
        "array" | "object" => format!("an {ty}"),
        "null" => "null".to_string(),
        _ => format!("a {ty}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testutil::*;
    use serde_json::json;

    fn volatile() -> BTreeMap<String, VolatileKind> {
        alibaba_service().volatile
    }

    fn sample() -> Value {
        list_keys_sample()
    }

    #[test]
    fn a_conforming_answer_with_other_ids_and_more_items_passes() {
        let actual = list_keys_body(3, 1, 10, 3);
        let found = check_sample(&sample(), &actual, &volatile());
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn keys_as_a_bare_array_is_a_diff() {
        let mut actual = list_keys_body(2, 1, 10, 2);
        let flat = actual["Keys"]["Key"].clone();
        actual["Keys"] = flat;
        let found = check_sample(&sample(), &actual, &volatile());
        assert_eq!(kinds_of(&found), [kinds::DIFF]);
        assert_eq!(found[0].pointer, "/Keys");
        assert!(
            found[0]
                .message
                .contains("an object here, the answer an array")
        );
    }

    #[test]
    fn an_arn_of_another_key_breaks_the_relation() {
        let mut actual = list_keys_body(1, 1, 10, 1);
        actual["Keys"]["Key"][0]["KeyArn"] = json!("acs:kms:cn-hangzhou:1:key/someone-else");
        let found = check_sample(&sample(), &actual, &volatile());
        assert_eq!(kinds_of(&found), [kinds::DIFF]);
        assert_eq!(found[0].pointer, "/Keys/Key/0/KeyArn");
        assert_eq!(
            found[0].expected,
            json!("acs:kms:<region>:<account>:key/<KeyId:1>")
        );
        assert_eq!(
            found[0].actual,
            json!("acs:kms:<region>:<account>:key/someone-else")
        );
    }

    #[test]
    fn missing_extra_and_changed_members_are_one_finding_each_sorted() {
        let mut actual = list_keys_body(1, 1, 10, 1);
        let obj = actual.as_object_mut().unwrap();
        obj.remove("PageSize");
        obj.insert("Extra".into(), json!(true));
        obj.insert("PageNumber".into(), json!(2));
        let found = check_sample(&sample(), &actual, &volatile());
        let pointers: Vec<&str> = found.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(pointers, ["/Extra", "/PageNumber", "/PageSize"]);
        assert!(found.iter().all(|f| f.kind == kinds::DIFF));
        assert_eq!(
            (found[1].expected.clone(), found[1].actual.clone()),
            (json!(1), json!(2))
        );
    }

    #[test]
    fn a_count_as_a_string_is_a_type_difference_though_both_mask_alike() {
        let mut actual = list_keys_body(1, 1, 10, 1);
        actual["TotalCount"] = json!("1");
        let found = check_sample(&sample(), &actual, &volatile());
        assert_eq!(kinds_of(&found), [kinds::DIFF]);
        assert_eq!(found[0].pointer, "/TotalCount");
        assert!(
            found[0]
                .message
                .contains("a number here, the answer a string")
        );
    }

    #[test]
    fn an_empty_list_shows_as_a_difference() {
        let actual = list_keys_body(0, 1, 10, 0);
        let found = check_sample(&sample(), &actual, &volatile());
        assert_eq!(kinds_of(&found), [kinds::DIFF]);
        assert_eq!(found[0].pointer, "/Keys/Key");
        assert_eq!(found[0].actual, json!([]));
    }

    #[test]
    fn the_prepared_diff_is_stable_and_readable() {
        let mut actual = list_keys_body(4, 1, 10, 4);
        actual["Keys"]["Key"][0]["KeyArn"] = json!("acs:kms:cn-hangzhou:1:key/other");
        let p = prepare(&sample(), &actual, &volatile());
        assert_eq!(p.actual["Keys"]["Key"].as_array().map(Vec::len), Some(1));
        let d = sample_diff(&p.expected, &p.actual);
        assert!(d.starts_with("--- expected\n+++ actual\n"), "{d}");
        assert!(
            d.contains("-        \"KeyArn\": \"acs:kms:<region>:<account>:key/<KeyId:1>\","),
            "{d}"
        );
        assert!(
            d.contains("+        \"KeyArn\": \"acs:kms:<region>:<account>:key/other\","),
            "{d}"
        );
        assert!(!d.contains("cn-hangzhou"), "{d}");
        let again = prepare(&sample(), &actual, &volatile());
        assert_eq!(d, sample_diff(&again.expected, &again.actual));
        let same = prepare(&sample(), &list_keys_body(2, 1, 10, 2), &volatile());
        assert_eq!(sample_diff(&same.expected, &same.actual), "");
    }

    #[test]
    fn masking_the_cut_document_is_cutting_the_masked_one() {
        let mut actual = list_keys_body(12, 1, 20, 12);
        // An id of a later item inside the first one's ARN keeps the later item's number.
        let later = actual["Keys"]["Key"][7]["KeyId"].clone();
        actual["Keys"]["Key"][0]["KeyArn"] = json!(format!(
            "acs:kms:cn-hangzhou:1:key/{}",
            later.as_str().unwrap()
        ));
        for doc in [sample(), actual] {
            let p = prepare(&doc, &doc, &volatile());
            assert_eq!(
                p.actual,
                first_elements(&crate::check::mask(&doc, &volatile()))
            );
        }
    }

    #[test]
    fn differences_are_capped() {
        let many: serde_json::Map<String, Value> =
            (0..150).map(|i| (format!("m{i:03}"), json!(i))).collect();
        let found = check_sample(&json!({}), &Value::Object(many), &BTreeMap::new());
        assert_eq!(found.len(), MAX_DIFFERENCES + 1);
        assert!(found[MAX_DIFFERENCES].message.contains("50 more"));
    }
}
