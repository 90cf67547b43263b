//! The count check: an addressed array's length is within bounds (`expect.count`).

use serde_json::{Value, json};

use crate::case::CountBounds;
use crate::finding::{Finding, kinds};
use crate::pointer::PointerPath;
use crate::vars::{Vars, substitute_value};

use super::matcher::missing;
use super::{brief, type_name};

/// Checks `expect.count` for one pointer: every value it selects must be an array whose length
/// is within `min..=max` (`count`). Bounds may be `${vars}` that resolve to whole numbers or
/// strings of digits; one that does not is a `value` finding. A pointer that selects nothing is
/// `missing`.
pub fn check_count(
    pointer: &PointerPath,
    bounds: &CountBounds,
    vars: &Vars,
    body: &Value,
) -> Vec<Finding> {
    let min = match bound(pointer, "min", bounds.min.as_ref(), vars) {
        Ok(b) => b,
        Err(f) => return vec![f],
    };
    let max = match bound(pointer, "max", bounds.max.as_ref(), vars) {
        Ok(b) => b,
        Err(f) => return vec![f],
    };
    let expected = json!({"min": min, "max": max});
    let found = pointer.find(body);
    if found.is_empty() {
        return vec![missing(pointer).values(expected, Value::Null)];
    }
    let mut out = Vec::new();
    for f in &found {
        let (at, v) = (|| pointer.at(f), f.value);
        let Value::Array(items) = v else {
            out.push(
                Finding::new(
                    kinds::COUNT,
                    format!("expected an array, got {}", type_name(v)),
                )
                .at(at())
                .values(expected.clone(), brief(v)),
            );
            continue;
        };
        let n = items.len() as u64;
        let message = match (min, max) {
            (Some(lo), _) if n < lo => format!("{n} items, fewer than the minimum of {lo}"),
            (_, Some(hi)) if n > hi => format!("{n} items, more than the maximum of {hi}"),
            _ => continue,
        };
        out.push(
            Finding::new(kinds::COUNT, message)
                .at(at())
                .values(expected.clone(), n),
        );
    }
    out
}

/// Resolves one bound to a whole number.
fn bound(
    pointer: &PointerPath,
    which: &str,
    raw: Option<&Value>,
    vars: &Vars,
) -> Result<Option<u64>, Finding> {
    let Some(raw) = raw else { return Ok(None) };
    let bad = |why: String| {
        Finding::new(
            kinds::VALUE,
            format!("the {which} count for {pointer} {why}"),
        )
        .at(pointer.as_str())
        .values(raw.clone(), Value::Null)
    };
    let value = substitute_value(raw, vars).map_err(|crate::vars::UnsetVar { name }| {
        bad(format!("uses ${{{name}}}, which has no value"))
    })?;
    let n = match &value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    n.map(Some)
        .ok_or_else(|| bad(format!("is {value}, not a whole number")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testutil::*;

    fn bounds(min: Option<Value>, max: Option<Value>) -> CountBounds {
        CountBounds { min, max }
    }

    fn body() -> Value {
        json!({"Keys": {"Key": [1, 2, 3]}, "TotalCount": 3})
    }

    #[test]
    fn a_length_within_bounds_passes() {
        let b = bounds(Some(json!(1)), Some(json!(3)));
        assert!(check_count(&ptr("/Keys/Key"), &b, &vars(), &body()).is_empty());
    }

    #[test]
    fn too_few_and_too_many_are_count_findings() {
        let few = check_count(
            &ptr("/Keys/Key"),
            &bounds(Some(json!(4)), None),
            &vars(),
            &body(),
        );
        assert_eq!(kinds_of(&few), [kinds::COUNT]);
        assert_eq!(few[0].actual, json!(3));
        assert_eq!(few[0].expected, json!({"min": 4, "max": null}));
        let many = check_count(
            &ptr("/Keys/Key"),
            &bounds(None, Some(json!(2))),
            &vars(),
            &body(),
        );
        assert_eq!(kinds_of(&many), [kinds::COUNT]);
        assert!(many[0].message.contains("maximum of 2"));
    }

    #[test]
    fn bounds_may_be_variables_holding_numbers_or_digits() {
        let mut v = vars();
        v.insert("total".into(), json!(3));
        v.insert("text".into(), json!("3"));
        let b = bounds(Some(json!("${total}")), Some(json!("${text}")));
        assert!(check_count(&ptr("/Keys/Key"), &b, &v, &body()).is_empty());
        v.insert("total".into(), json!(4));
        let b = bounds(Some(json!("${total}")), None);
        assert_eq!(
            kinds_of(&check_count(&ptr("/Keys/Key"), &b, &v, &body())),
            [kinds::COUNT]
        );
    }

    #[test]
    fn a_bad_bound_is_a_value_finding() {
        let b = bounds(Some(json!("${missing}")), None);
        let found = check_count(&ptr("/Keys/Key"), &b, &vars(), &body());
        assert_eq!(kinds_of(&found), [kinds::VALUE]);
        assert!(found[0].message.contains("${missing}"));
        let b = bounds(Some(json!("many")), None);
        let found = check_count(&ptr("/Keys/Key"), &b, &vars(), &body());
        assert_eq!(kinds_of(&found), [kinds::VALUE]);
    }

    #[test]
    fn a_non_array_is_a_count_finding_and_nothing_is_missing() {
        let b = bounds(Some(json!(0)), None);
        let found = check_count(&ptr("/TotalCount"), &b, &vars(), &body());
        assert_eq!(kinds_of(&found), [kinds::COUNT]);
        assert!(found[0].message.contains("integer"));
        let found = check_count(&ptr("/Aliases"), &b, &vars(), &body());
        assert_eq!(kinds_of(&found), [kinds::MISSING]);
    }
}
