//! The equals check: each addressed value equals a JSON value (`expect.equals`).

use serde_json::Value;

use crate::finding::{Finding, kinds};
use crate::pointer::PointerPath;
use crate::vars::{Vars, substitute_value};

use super::brief;
use super::matcher::missing;

/// Checks `expect.equals` for one pointer: `${vars}` in `expected` are substituted (a string
/// that is exactly `${name}` takes the variable's JSON type), and every value the pointer
/// selects must equal the result (`value`, numbers compared by value so `1` equals `1.0`).
/// A pointer that selects nothing is `missing`; an unknown variable is a `value` finding.
pub fn check_equals(
    pointer: &PointerPath,
    expected: &Value,
    vars: &Vars,
    body: &Value,
) -> Vec<Finding> {
    let want = match substitute_value(expected, vars) {
        Ok(v) => v,
        Err(crate::vars::UnsetVar { name }) => {
            return vec![
                Finding::new(
                    kinds::VALUE,
                    format!(
                        "the expected value for {pointer} uses ${{{name}}}, which has no value"
                    ),
                )
                .at(pointer.as_str())
                .values(expected.clone(), Value::Null),
            ];
        }
    };
    let found = pointer.find(body);
    if found.is_empty() {
        return vec![missing(pointer).values(brief(&want), Value::Null)];
    }
    found
        .iter()
        .filter(|f| !json_equal(f.value, &want))
        .map(|f| {
            Finding::new(kinds::VALUE, "the value differs from the expected value")
                .at(pointer.at(f))
                .values(brief(&want), brief(f.value))
        })
        .collect()
}

/// JSON equality with numbers compared by value (`1 == 1.0`); everything else as `==`.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                (Some(i), Some(j), _, _) => i == j,
                (_, _, Some(i), Some(j)) => i == j,
                _ => x.as_f64() == y.as_f64(),
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testutil::*;
    use serde_json::json;

    fn body() -> Value {
        json!({"PageSize": 2, "Keys": {"Key": [{"KeyId": "a"}, {"KeyId": "b"}]}, "Score": 1.0})
    }

    #[test]
    fn equal_values_pass_with_variables_keeping_their_type() {
        let mut v = vars();
        v.insert("size".into(), json!(2));
        assert!(check_equals(&ptr("/PageSize"), &json!("${size}"), &v, &body()).is_empty());
        assert!(check_equals(&ptr("/Score"), &json!(1), &v, &body()).is_empty());
        assert!(check_equals(&ptr("/Keys/Key/0"), &json!({"KeyId": "a"}), &v, &body()).is_empty());
    }

    #[test]
    fn a_different_value_is_a_value_finding_per_element() {
        let found = check_equals(&ptr("/Keys/Key/*/KeyId"), &json!("a"), &vars(), &body());
        assert_eq!(kinds_of(&found), [kinds::VALUE]);
        assert_eq!(found[0].pointer, "/Keys/Key/1/KeyId");
        assert_eq!(
            (found[0].expected.clone(), found[0].actual.clone()),
            (json!("a"), json!("b"))
        );
    }

    #[test]
    fn a_string_is_not_the_number_it_spells() {
        let found = check_equals(&ptr("/PageSize"), &json!("2"), &vars(), &body());
        assert_eq!(kinds_of(&found), [kinds::VALUE]);
    }

    #[test]
    fn nothing_selected_is_missing() {
        let found = check_equals(&ptr("/PageNumber"), &json!(1), &vars(), &body());
        assert_eq!(kinds_of(&found), [kinds::MISSING]);
        assert_eq!(found[0].pointer, "/PageNumber");
    }

    #[test]
    fn an_unknown_variable_is_named() {
        let found = check_equals(&ptr("/PageSize"), &json!("${gone}"), &vars(), &body());
        assert_eq!(kinds_of(&found), [kinds::VALUE]);
        assert!(found[0].message.contains("${gone}"));
    }

    #[test]
    fn numbers_compare_by_value() {
        assert!(json_equal(&json!(1), &json!(1.0)));
        assert!(json_equal(&json!([1, {"a": 2}]), &json!([1.0, {"a": 2}])));
        assert!(!json_equal(&json!(1), &json!(2)));
        assert!(!json_equal(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
        assert!(!json_equal(&json!(u64::MAX), &json!(-1)));
    }
}
