//! Small helpers shared by the checks: brief values, pointer order, JSON type names.

use serde_json::Value;

/// The largest value copied into a finding as is; bigger ones are described instead.
const BRIEF_LIMIT: usize = 512;

/// A value small enough to put in a finding: the value itself, or a one-line description of it
/// when its JSON text is longer than [`BRIEF_LIMIT`].
pub(crate) fn brief(v: &Value) -> Value {
    let text = v.to_string();
    if text.len() <= BRIEF_LIMIT {
        return v.clone();
    }
    Value::String(match v {
        Value::Array(a) => format!("<array of {} items>", a.len()),
        Value::Object(m) => {
            let names: Vec<&str> = m.keys().take(8).map(String::as_str).collect();
            let more = if m.len() > names.len() { ", ..." } else { "" };
            format!("<object with {}{more}>", names.join(", "))
        }
        _ => format!("{}...", truncate_chars(&text, BRIEF_LIMIT)),
    })
}

/// The first `max` characters of `s` (never splitting a character).
pub(crate) fn truncate_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Orders RFC 6901 pointers segment by segment, array indices by number, so that
/// `/Keys/Key/2` comes before `/Keys/Key/10`.
pub(crate) fn cmp_pointers(a: &str, b: &str) -> std::cmp::Ordering {
    let mut x = a.split('/');
    let mut y = b.split('/');
    loop {
        match (x.next(), y.next()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(p), Some(q)) => {
                let order = match (p.parse::<u64>(), q.parse::<u64>()) {
                    (Ok(i), Ok(j)) => i.cmp(&j),
                    _ => p.cmp(q),
                };
                if order.is_ne() {
                    return order;
                }
            }
        }
    }
}

/// The JSON type of a value, as a word for messages.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
