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

/// Why a pointer written in a spec or case file does not parse (the loader puts it at its
/// file, line and column).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PointerError {
    /// It does not start with `/`.
    #[error("`{raw}` is not a JSON pointer: it must start with `/` (e.g. `/{raw}`)")]
    NoLeadingSlash {
        /// The pointer as written.
        raw: String,
    },
    /// A `?` selector has no `=`.
    #[error("selector `{part}` in `{raw}` must be written `?field=value`")]
    SelectorWithoutValue {
        /// The selector segment.
        part: String,
        /// The pointer as written.
        raw: String,
    },
    /// A `?` selector has nothing before its `=`.
    #[error("selector `{part}` in `{raw}` has no field name")]
    SelectorWithoutField {
        /// The selector segment.
        part: String,
        /// The pointer as written.
        raw: String,
    },
}

impl PointerPath {
    /// Parses a pointer; the empty string is the whole document.
    pub fn parse(raw: &str) -> Result<Self, PointerError> {
        if raw.is_empty() {
            return Ok(PointerPath {
                raw: String::new(),
                segments: Vec::new(),
            });
        }
        let Some(rest) = raw.strip_prefix('/') else {
            return Err(PointerError::NoLeadingSlash {
                raw: raw.to_string(),
            });
        };
        let mut segments = Vec::new();
        for part in rest.split('/') {
            let text = part.replace("~1", "/").replace("~0", "~");
            if text == "*" {
                segments.push(Segment::Every);
            } else if let Some(sel) = text.strip_prefix('?') {
                let Some((field, value)) = sel.split_once('=') else {
                    return Err(PointerError::SelectorWithoutValue {
                        part: part.to_string(),
                        raw: raw.to_string(),
                    });
                };
                if field.is_empty() {
                    return Err(PointerError::SelectorWithoutField {
                        part: part.to_string(),
                        raw: raw.to_string(),
                    });
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

    /// Every value the path addresses in `doc`, in document order. The concrete pointer of
    /// each is made only when asked for ([`PointerPath::at`]): most checks pass and never
    /// show one.
    pub fn find<'v>(&self, doc: &'v Value) -> Vec<Found<'v>> {
        let mut current = vec![Found {
            value: doc,
            positions: Vec::new(),
        }];
        for seg in &self.segments {
            let mut next = Vec::new();
            for found in current {
                let v = found.value;
                match seg {
                    Segment::Key(k) => {
                        if let Some(c) = child(v, k) {
                            next.push(Found {
                                value: c,
                                positions: found.positions,
                            });
                        }
                    }
                    Segment::Every => {
                        if let Value::Array(a) = v {
                            for (i, c) in a.iter().enumerate() {
                                next.push(found.then(i, c));
                            }
                        }
                    }
                    Segment::Select { field, value } => {
                        if let Value::Array(a) = v
                            && let Some((i, c)) = a
                                .iter()
                                .enumerate()
                                .find(|(_, item)| selects(item, field, value))
                        {
                            next.push(found.then(i, c));
                        }
                    }
                }
            }
            current = next;
        }
        current
    }

    /// The first value the path addresses in `doc`, if any.
    pub fn first<'v>(&self, doc: &'v Value) -> Option<&'v Value> {
        if self.is_plain() {
            // No wildcard and no selector: one walk, nothing collected.
            return self.segments.iter().try_fold(doc, |v, seg| match seg {
                Segment::Key(k) => child(v, k),
                _ => None,
            });
        }
        self.find(doc).into_iter().next().map(|f| f.value)
    }

    /// The concrete RFC 6901 pointer of a value this path found.
    pub fn at(&self, found: &Found<'_>) -> String {
        let mut out = String::new();
        let mut positions = found.positions.iter();
        for seg in &self.segments {
            out.push('/');
            match seg {
                Segment::Key(k) => out.push_str(&escape(k)),
                Segment::Every | Segment::Select { .. } => {
                    out.push_str(&positions.next().copied().unwrap_or_default().to_string())
                }
            }
        }
        out
    }

    /// The steps of the path, for walking a schema instead of a document.
    pub fn steps(&self) -> impl Iterator<Item = PathStep<'_>> {
        self.segments.iter().map(|s| match s {
            Segment::Key(k) => PathStep::Key(k),
            Segment::Every => PathStep::Every,
            Segment::Select { field, .. } => PathStep::Select { field },
        })
    }

    /// True when the path has neither `*` nor a selector.
    fn is_plain(&self) -> bool {
        self.segments.iter().all(|s| matches!(s, Segment::Key(_)))
    }
}

/// One step of a [`PointerPath`] as a schema walk sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStep<'p> {
    /// An object member, or an array index when the text is a number.
    Key(&'p str),
    /// Every element of an array.
    Every,
    /// The first array element whose member `field` has some value.
    Select {
        /// The member the selector compares.
        field: &'p str,
    },
}

/// A value a [`PointerPath`] found, and the array positions its `*` and selectors took.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<'v> {
    /// The value.
    pub value: &'v Value,
    positions: Vec<u32>,
}

impl<'v> Found<'v> {
    /// The element `i` of this (array) value.
    fn then(&self, i: usize, value: &'v Value) -> Found<'v> {
        let mut positions = Vec::with_capacity(self.positions.len() + 1);
        positions.extend_from_slice(&self.positions);
        positions.push(u32::try_from(i).unwrap_or(u32::MAX));
        Found { value, positions }
    }
}

/// The member `k` of an object, or the element `k` of an array when `k` is a number.
fn child<'v>(v: &'v Value, k: &str) -> Option<&'v Value> {
    match v {
        Value::Object(m) => m.get(k),
        Value::Array(a) => k.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    }
}

/// Whether an array element's member `field` has the text `value` (without allocating).
fn selects(item: &Value, field: &str, value: &str) -> bool {
    match item.get(field) {
        Some(Value::String(s)) => s == value,
        Some(other) => scalar_text(other) == value,
        None => false,
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
        let p = PointerPath::parse(path).unwrap();
        p.find(doc).iter().map(|f| p.at(f)).collect()
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
        let got: Vec<_> = p.find(&doc).into_iter().map(|f| f.value.clone()).collect();
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

    /// Each concrete pointer addresses, by RFC 6901, the value found; `first` (which walks plain
    /// paths without collecting) finds the first of them.
    #[test]
    fn concrete_pointers_address_what_was_found_and_first_is_the_first() {
        let doc = json!({
            "Keys": {"Key": [{"Id": "a"}, {"KeyId": "b", "n": [1, 2]}, {"KeyId": "c", "n": [3]}]},
            "k": [{"s": "2"}, {"s": 4, "id": "z"}],
            "a/b": [10, 20]
        });
        let expected: [(&str, &[&str]); 10] = [
            ("", &[""]),
            ("/Keys", &["/Keys"]),
            ("/Keys/Key/1/KeyId", &["/Keys/Key/1/KeyId"]),
            (
                "/Keys/Key/*/KeyId",
                &["/Keys/Key/1/KeyId", "/Keys/Key/2/KeyId"],
            ),
            (
                "/Keys/Key/*/n/*",
                &["/Keys/Key/1/n/0", "/Keys/Key/1/n/1", "/Keys/Key/2/n/0"],
            ),
            ("/k/?s=4/id", &["/k/1/id"]),
            ("/k/?s=9/id", &[]),
            ("/a~1b/1", &["/a~1b/1"]),
            ("/missing", &[]),
            ("/Keys/Key/9", &[]),
        ];
        for (path, want) in expected {
            let p = PointerPath::parse(path).unwrap();
            let found = p.find(&doc);
            assert_eq!(pointers(path, &doc), want, "{path}");
            for f in &found {
                let at = p.at(f);
                assert_eq!(doc.pointer(&at), Some(f.value), "{path}: {at}");
            }
            assert_eq!(p.first(&doc), found.first().map(|f| f.value), "{path}");
        }
    }

    #[test]
    fn rejects_pointers_without_leading_slash() {
        assert!(
            PointerPath::parse("Keys")
                .unwrap_err()
                .to_string()
                .contains("must start with `/`")
        );
        assert!(PointerPath::parse("/a/?x").is_err());
    }
}
