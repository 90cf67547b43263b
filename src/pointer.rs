//! JSON pointers with wildcards: `/Keys/Key/*/KeyId` and `/key_details/?key_state=4/key_id`.
//!
//! A plain RFC 6901 pointer addresses one value; `*` fans out over every element of an array,
//! and `?field=value` picks the first array element whose member `field` has that text.

use std::fmt;

use serde_json::Value;

/// A parsed pointer path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointerPath {
    raw: String,
    segments: Vec<Segment>,
}

/// One step of a [`PointerPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// An object member, or an array index when the text is a number.
    Key(String),
    /// Every element of an array.
    Every,
    /// The first array element whose member `field` has the text `value`.
    Select { field: String, value: String },
}

impl PointerPath {
    /// Parses a pointer; the empty string is the whole document.
    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.is_empty() {
            return Ok(PointerPath {
                raw: String::new(),
                segments: Vec::new(),
            });
        }
        let Some(rest) = raw.strip_prefix('/') else {
            return Err(format!(
                "`{raw}` is not a JSON pointer: it must start with `/` (e.g. `/{raw}`)"
            ));
        };
        let mut segments = Vec::new();
        for part in rest.split('/') {
            let text = part.replace("~1", "/").replace("~0", "~");
            if text == "*" {
                segments.push(Segment::Every);
            } else if let Some(sel) = text.strip_prefix('?') {
                let Some((field, value)) = sel.split_once('=') else {
                    return Err(format!(
                        "selector `{part}` in `{raw}` must be written `?field=value`"
                    ));
                };
                if field.is_empty() {
                    return Err(format!("selector `{part}` in `{raw}` has no field name"));
                }
                segments.push(Segment::Select {
                    field: field.to_string(),
                    value: value.to_string(),
                });
            } else {
                segments.push(Segment::Key(text));
            }
        }
        Ok(PointerPath {
            raw: raw.to_string(),
            segments,
        })
    }

    /// The pointer as written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// True when the path can address more than one value (it has a `*`).
    pub fn is_multi(&self) -> bool {
        self.segments.iter().any(|s| matches!(s, Segment::Every))
    }

    /// Every value the path addresses in `doc`, each with its concrete RFC 6901 pointer.
    pub fn select<'v>(&self, doc: &'v Value) -> Vec<(String, &'v Value)> {
        let mut current = vec![(String::new(), doc)];
        for seg in &self.segments {
            let mut next = Vec::new();
            for (at, v) in current {
                match seg {
                    Segment::Key(k) => {
                        let child = match v {
                            Value::Object(m) => m.get(k),
                            Value::Array(a) => k.parse::<usize>().ok().and_then(|i| a.get(i)),
                            _ => None,
                        };
                        if let Some(c) = child {
                            next.push((format!("{at}/{}", escape(k)), c));
                        }
                    }
                    Segment::Every => {
                        if let Value::Array(a) = v {
                            for (i, c) in a.iter().enumerate() {
                                next.push((format!("{at}/{i}"), c));
                            }
                        }
                    }
                    Segment::Select { field, value } => {
                        if let Value::Array(a) = v
                            && let Some((i, c)) = a.iter().enumerate().find(|(_, item)| {
                                item.get(field).map(scalar_text).as_deref() == Some(value.as_str())
                            })
                        {
                            next.push((format!("{at}/{i}"), c));
                        }
                    }
                }
            }
            current = next;
        }
        current
    }
}

impl fmt::Display for PointerPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.raw.is_empty() { "/" } else { &self.raw })
    }
}

/// Escapes a member name for use in a pointer.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The text of a scalar as a selector compares it (strings without quotes).
pub fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pointers(path: &str, doc: &Value) -> Vec<String> {
        PointerPath::parse(path)
            .unwrap()
            .select(doc)
            .into_iter()
            .map(|(p, _)| p)
            .collect()
    }

    #[test]
    fn wildcard_fans_out_over_arrays() {
        let doc = json!({"Keys": {"Key": [{"KeyId": "a"}, {"KeyId": "b"}]}});
        assert_eq!(
            pointers("/Keys/Key/*/KeyId", &doc),
            ["/Keys/Key/0/KeyId", "/Keys/Key/1/KeyId"]
        );
    }

    #[test]
    fn selector_picks_first_matching_element() {
        let doc = json!({"k": [{"s": "2", "id": "x"}, {"s": "4", "id": "y"}, {"s": 4, "id": "z"}]});
        let p = PointerPath::parse("/k/?s=4/id").unwrap();
        let got: Vec<_> = p.select(&doc).into_iter().map(|(_, v)| v.clone()).collect();
        assert_eq!(got, [json!("y")]);
    }

    #[test]
    fn missing_members_select_nothing() {
        assert!(pointers("/a/b", &json!({"a": {}})).is_empty());
        assert!(pointers("/a/*", &json!({"a": {"x": 1}})).is_empty());
    }

    #[test]
    fn escapes_and_indices_follow_rfc6901() {
        let doc = json!({"a/b": [10, 20], "m~n": 1});
        assert_eq!(pointers("/a~1b/1", &doc), ["/a~1b/1"]);
        assert_eq!(pointers("/m~0n", &doc), ["/m~0n"]);
    }

    #[test]
    fn rejects_pointers_without_leading_slash() {
        assert!(
            PointerPath::parse("Keys")
                .unwrap_err()
                .contains("must start with `/`")
        );
        assert!(PointerPath::parse("/a/?x").is_err());
    }
}
