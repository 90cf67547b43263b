//! `${name}` variables in case files: finding and substituting them.

use std::collections::BTreeMap;

use serde_json::Value;

/// Variables in scope for one step: target vars, built-ins and captures.
pub type Vars = BTreeMap<String, Value>;

/// A `${name}` whose variable has no value (a capture that found nothing or did not run).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`${{{name}}}` is not set")]
pub struct UnsetVar {
    /// The variable's name.
    pub name: String,
}

/// The names referenced as `${name}` in a string, in order.
pub fn references(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        out.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    out
}

/// The names referenced anywhere inside a JSON value (strings only).
pub fn value_references(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => references(s),
        Value::Array(items) => items.iter().flat_map(value_references).collect(),
        Value::Object(m) => m.values().flat_map(value_references).collect(),
        _ => Vec::new(),
    }
}

/// Replaces `${name}` in a string; each value is passed through `render` (e.g. regex escaping).
pub fn substitute_with(
    s: &str,
    vars: &Vars,
    render: impl Fn(&str) -> String,
) -> Result<String, UnsetVar> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return Ok(out);
        };
        let name = &after[..end];
        let value = vars.get(name).ok_or_else(|| UnsetVar {
            name: name.to_string(),
        })?;
        out.push_str(&render(&crate::pointer::scalar_text(value)));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Replaces `${name}` in a string; the error is the first unknown name.
pub fn substitute(s: &str, vars: &Vars) -> Result<String, UnsetVar> {
    substitute_with(s, vars, str::to_string)
}

/// Substitutes inside a JSON value. A string that is exactly `${name}` takes the variable's
/// value with its JSON type.
pub fn substitute_value(v: &Value, vars: &Vars) -> Result<Value, UnsetVar> {
    Ok(match v {
        Value::String(s) => {
            let refs = references(s);
            if refs.len() == 1 && *s == format!("${{{}}}", refs[0]) {
                vars.get(&refs[0]).cloned().ok_or_else(|| UnsetVar {
                    name: refs[0].clone(),
                })?
            } else {
                Value::String(substitute(s, vars)?)
            }
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| substitute_value(i, vars))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| Ok((k.clone(), substitute_value(v, vars)?)))
                .collect::<Result<_, UnsetVar>>()?,
        ),
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vars() -> Vars {
        [
            ("region".to_string(), json!("cn-hangzhou")),
            ("n".to_string(), json!(3)),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn finds_references_in_order() {
        assert_eq!(references("a${x}b${y}"), ["x", "y"]);
        assert!(references("no vars $x {y}").is_empty());
    }

    #[test]
    fn whole_string_reference_keeps_the_type() {
        assert_eq!(substitute_value(&json!("${n}"), &vars()).unwrap(), json!(3));
        assert_eq!(
            substitute_value(&json!("n=${n}"), &vars()).unwrap(),
            json!("n=3")
        );
    }

    #[test]
    fn unknown_variable_is_named() {
        assert_eq!(substitute("${nope}", &vars()).unwrap_err().name, "nope");
    }

    #[test]
    fn render_escapes_values_only() {
        let mut v = vars();
        v.insert("id".into(), json!("a.b"));
        let s = substitute_with("^x\\.${id}$", &v, regex::escape).unwrap();
        assert_eq!(s, "^x\\.a\\.b$");
    }
}
