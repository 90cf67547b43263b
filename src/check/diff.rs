//! Unified diffs of two JSON documents, for people: pretty-printed with sorted keys, bounded in
//! time and size.

use std::time::Duration;

use serde_json::{Map, Value};
use similar::TextDiff;

/// The longest pretty-printed document diffed as a whole, in bytes; longer ones are cut at a
/// line boundary, with a note.
pub const MAX_DOCUMENT: usize = 256 * 1024;

/// How long the diff algorithm may search for a minimal diff before it settles for a coarser
/// one. Documents small enough to diff within it (all real answers) always give the same text;
/// a diff that hits it may come out coarser on a slower machine.
pub const TIMEOUT: Duration = Duration::from_millis(50);

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// A unified diff (`--- expected` / `+++ actual`, three lines of context) of the two documents
/// pretty-printed with their object keys sorted; empty when they print the same.
pub fn unified(expected: &Value, actual: &Value) -> String {
    let old = pretty(expected);
    let new = pretty(actual);
    if old == new {
        return String::new();
    }
    TextDiff::configure()
        .timeout(TIMEOUT)
        .diff_lines(old.as_str(), new.as_str())
        .unified_diff()
        .context_radius(CONTEXT)
        .header("expected", "actual")
        .to_string()
}

/// The document pretty-printed with sorted keys, cut to [`MAX_DOCUMENT`] bytes, ending in a
/// newline.
fn pretty(v: &Value) -> String {
    let mut text = serde_json::to_string_pretty(&sort_keys(v)).unwrap_or_default();
    if text.len() > MAX_DOCUMENT {
        let cut = text[..floor_char_boundary(&text, MAX_DOCUMENT)]
            .rfind('\n')
            .unwrap_or(0);
        let dropped = text.len() - cut;
        text.truncate(cut);
        text.push_str(&format!(
            "\n... truncated: {dropped} more bytes not compared\n"
        ));
    } else {
        text.push('\n');
    }
    text
}

/// The largest char boundary of `s` at or below `at`.
fn floor_char_boundary(s: &str, at: usize) -> usize {
    (0..=at.min(s.len()))
        .rev()
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(0)
}

/// A copy of the document with the members of every object in name order.
pub fn sort_keys(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut members: Vec<(&String, &Value)> = m.iter().collect();
            members.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                members
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sort_keys(v)))
                    .collect::<Map<String, Value>>(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sort_keys).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::time::Instant;

    #[test]
    fn equal_documents_have_no_diff_whatever_the_key_order() {
        let a = json!({"b": 1, "a": {"y": 2, "x": 3}});
        let b: Value = serde_json::from_str(r#"{"a": {"x": 3, "y": 2}, "b": 1}"#).unwrap();
        assert_eq!(unified(&a, &b), "");
    }

    #[test]
    fn a_changed_value_reads_as_a_unified_diff() {
        let expected = json!({"KeyId": "<KeyId:1>", "KeyArn": "acs:kms:<region>:<account>:key/<KeyId:1>", "State": "Enabled"});
        let actual = json!({"State": "Enabled", "KeyId": "<KeyId:1>", "KeyArn": "acs:kms:<region>:<account>:key/k-2222"});
        let d = unified(&expected, &actual);
        assert_eq!(
            d,
            "--- expected\n+++ actual\n@@ -1,5 +1,5 @@\n {\n-  \"KeyArn\": \"acs:kms:<region>:<account>:key/<KeyId:1>\",\n+  \"KeyArn\": \"acs:kms:<region>:<account>:key/k-2222\",\n   \"KeyId\": \"<KeyId:1>\",\n   \"State\": \"Enabled\"\n }\n"
        );
        // Stable: the same inputs give the same text.
        assert_eq!(d, unified(&expected, &actual));
    }

    #[test]
    fn keys_are_sorted_at_every_level() {
        let v = json!({"z": [{"b": 1, "a": 2}], "a": 0});
        assert_eq!(
            serde_json::to_string(&sort_keys(&v)).unwrap(),
            r#"{"a":0,"z":[{"a":2,"b":1}]}"#
        );
    }

    #[test]
    fn a_huge_diff_finishes_quickly_and_says_it_was_cut() {
        let a = Value::Array((0..60_000).map(|i| json!({"id": i, "v": i * 7})).collect());
        let b = Value::Array((0..60_000).map(|i| json!({"id": i, "v": i * 11})).collect());
        let start = Instant::now();
        let d = unified(&a, &b);
        let took = start.elapsed();
        assert!(took < Duration::from_secs(5), "took {took:?}");
        assert!(d.contains("truncated"), "the note is missing");
        assert!(d.len() < 4 * MAX_DOCUMENT, "{} bytes", d.len());
    }

    #[test]
    fn truncation_keeps_whole_characters() {
        let s = "é".repeat(MAX_DOCUMENT);
        let text = pretty(&json!([s]));
        assert!(text.ends_with("not compared\n"));
        let t = "aé";
        assert_eq!(floor_char_boundary(t, 2), 1);
    }
}
