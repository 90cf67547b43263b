//! Masking: replaces the values that differ per target (ids, request ids, ARNs, timestamps,
//! counts) with stable references, so that a documented sample and a real answer can be
//! compared, relations included.
//!
//! The service's `volatile` map names the fields to mask and how:
//!
//! | kind | a value becomes |
//! | --- | --- |
//! | `id`, `request-id`, `name` | `<Field:N>`, numbered per field name in order of first appearance; the same value gets the same number everywhere, and the same reference inside any other string (a KeyId inside a KeyArn) |
//! | `arn` | `acs:kms:<region>:<account>:key/<KeyId:1>` (AWS: `arn:aws:kms:<region>:<account>:key/<KeyId:1>`): ids inside replaced, then region and account |
//! | `urn` | `kms:<region>:<domain>:alias:<alias:1>`: the same for Huawei URNs |
//! | `timestamp` | `<timestamp:YYYY-MM-DDTHH:MM:SSZ>`, the format with digits named by position; `<timestamp:epoch-ms>` for epoch milliseconds |
//! | `count` | `<count>` |
//!
//! Objects are walked in sorted member order, so the output does not depend on the order of
//! the members in the input.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use crate::pointer::scalar_text;
use crate::spec::VolatileKind;

/// Values shorter than this are not searched for inside other strings: a short id would match
/// by accident.
const MIN_EMBEDDED_LEN: usize = 4;

/// Masks every volatile value of `value` (see the module documentation); `volatile` maps field
/// names to their kind.
pub fn mask(value: &Value, volatile: &BTreeMap<String, VolatileKind>) -> Value {
    mask_part(value, value, volatile)
}

/// Masks `part`, a document cut out of `value` (its members and elements taken from `value`'s
/// at the same places), with the references numbered over the whole of `value`: the same as
/// cutting `mask(value)` the same way, without masking what is cut away.
pub(crate) fn mask_part(
    value: &Value,
    part: &Value,
    volatile: &BTreeMap<String, VolatileKind>,
) -> Value {
    let mut refs = Refs::default();
    refs.collect(value, volatile);
    let masker = Masker {
        volatile,
        embedded: Embedder::new(&refs.embedded),
        refs,
    };
    masker.render(part)
}

/// How a volatile kind is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A numbered reference, also replaced inside other strings.
    Reference,
    /// An ARN: `<head>:<service>:<region>:<account>:<resource>`.
    Arn,
    /// A URN: `<service>:<region>:<domain>:<resource>`.
    Urn,
    /// A format skeleton.
    Timestamp,
    /// `<count>`.
    Count,
}

impl Kind {
    /// The rendering of a spec's volatile kind.
    fn of(kind: VolatileKind) -> Kind {
        match kind {
            VolatileKind::Arn => Kind::Arn,
            VolatileKind::Urn => Kind::Urn,
            VolatileKind::Timestamp => Kind::Timestamp,
            VolatileKind::Count => Kind::Count,
            VolatileKind::RequestId | VolatileKind::Id | VolatileKind::Name => Kind::Reference,
        }
    }
}

/// The numbered references given to the values of a document.
#[derive(Debug, Default)]
struct Refs {
    /// Field name → value text → its reference.
    by_field: HashMap<String, HashMap<String, String>>,
    /// Value text → the first reference it got, for replacing it inside other strings.
    embedded: BTreeMap<String, String>,
}

impl Refs {
    /// Numbers the referenced values of `v` in order of first appearance (sorted members).
    fn collect(&mut self, v: &Value, volatile: &BTreeMap<String, VolatileKind>) {
        match v {
            Value::Object(m) => {
                for (k, child) in sorted(m) {
                    match volatile.get(k).map(|kind| Kind::of(*kind)) {
                        Some(Kind::Reference) => self.collect_field(k, child, volatile),
                        _ => self.collect(child, volatile),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| self.collect(i, volatile)),
            _ => {}
        }
    }

    /// Numbers the scalars of a referenced field (directly, or inside arrays).
    fn collect_field(&mut self, field: &str, v: &Value, volatile: &BTreeMap<String, VolatileKind>) {
        match v {
            Value::String(s) if s.is_empty() => {}
            Value::String(_) | Value::Number(_) => {
                let text = scalar_text(v);
                let numbers = self.by_field.entry(field.to_string()).or_default();
                let next = numbers.len() + 1;
                let reference = numbers
                    .entry(text.clone())
                    .or_insert_with(|| format!("<{field}:{next}>"))
                    .clone();
                if text.chars().count() >= MIN_EMBEDDED_LEN {
                    self.embedded.entry(text).or_insert(reference);
                }
            }
            Value::Array(items) => items
                .iter()
                .for_each(|i| self.collect_field(field, i, volatile)),
            other => self.collect(other, volatile),
        }
    }

    /// The reference of a value of a field, if it got one.
    fn get(&self, field: &str, text: &str) -> Option<&String> {
        self.by_field.get(field)?.get(text)
    }
}

/// Replaces the embeddable values inside strings by their references, with the semantics of
/// one regex alternating every value, longest first: at the leftmost place where any value
/// occurs, the longest value found there wins (so that `alias/ab` wins over `alias/a`), and the
/// search goes on after it. A plain literal search: building that regex for every document cost
/// more than all the other checks of a step together.
struct Embedder {
    /// (value, reference), longest value first, then by text.
    needles: Vec<(String, String)>,
    /// The values by their first four bytes.
    by_head: HashMap<[u8; 4], Bucket>,
    /// Bit `b0 << 8 | b1` is set when some value starts with the bytes `b0 b1`: a quick filter.
    heads: Vec<u64>,
    /// The length of the shortest value, in bytes (at least [`MIN_EMBEDDED_LEN`]).
    shortest: usize,
}

/// The values that start with the same four bytes, as indices into [`Embedder::needles`].
enum Bucket {
    /// A few, tried in order (longest first).
    Few(Vec<usize>),
    /// Many (names sharing a prefix such as `alias/`): looked up by text for each of their
    /// lengths, longest first, so that the search stays linear in the text however many values
    /// share the prefix.
    Many {
        /// The distinct lengths, longest first.
        lengths: Vec<usize>,
        /// The values by their bytes.
        by_text: HashMap<Box<[u8]>, usize>,
    },
}

/// A bucket with more values than this is looked up by text.
const FEW: usize = 8;

impl Bucket {
    /// The longest value `rest` starts with, if any.
    fn find(&self, needles: &[(String, String)], rest: &[u8]) -> Option<usize> {
        match self {
            Bucket::Few(list) => list
                .iter()
                .copied()
                .find(|&k| rest.starts_with(needles[k].0.as_bytes())),
            Bucket::Many { lengths, by_text } => lengths
                .iter()
                .filter(|&&n| n <= rest.len())
                .find_map(|&n| by_text.get(&rest[..n]).copied()),
        }
    }
}

impl Embedder {
    /// The embedder of a document's references; `None` when there is nothing to embed.
    fn new(embedded: &BTreeMap<String, String>) -> Option<Embedder> {
        let mut needles: Vec<(String, String)> = embedded
            .iter()
            .filter(|(k, _)| k.len() >= MIN_EMBEDDED_LEN)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if needles.is_empty() {
            return None;
        }
        needles.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        let mut groups: HashMap<[u8; 4], Vec<usize>> = HashMap::new();
        let mut heads = vec![0u64; 1024];
        for (i, (needle, _)) in needles.iter().enumerate() {
            let b = needle.as_bytes();
            groups.entry([b[0], b[1], b[2], b[3]]).or_default().push(i);
            let bit = usize::from(b[0]) << 8 | usize::from(b[1]);
            heads[bit >> 6] |= 1 << (bit & 63);
        }
        let by_head = groups
            .into_iter()
            .map(|(head, list)| {
                if list.len() <= FEW {
                    return (head, Bucket::Few(list));
                }
                let mut lengths: Vec<usize> = list.iter().map(|&k| needles[k].0.len()).collect();
                lengths.dedup(); // `list` is longest first
                let by_text = list
                    .iter()
                    .map(|&k| (Box::from(needles[k].0.as_bytes()), k))
                    .collect();
                (head, Bucket::Many { lengths, by_text })
            })
            .collect();
        let shortest = needles.last().map_or(MIN_EMBEDDED_LEN, |(n, _)| n.len());
        Some(Embedder {
            needles,
            by_head,
            heads,
            shortest,
        })
    }

    /// `s` with every embedded value replaced by its reference.
    fn replace(&self, s: &str) -> String {
        let b = s.as_bytes();
        let mut out = String::new();
        let mut last = 0;
        let mut i = 0;
        while i + self.shortest <= b.len() {
            let bit = usize::from(b[i]) << 8 | usize::from(b[i + 1]);
            if self.heads[bit >> 6] & (1 << (bit & 63)) != 0
                && let Some(bucket) = self.by_head.get(&[b[i], b[i + 1], b[i + 2], b[i + 3]])
                && let Some(k) = bucket.find(&self.needles, &b[i..])
            {
                // A value starts with a UTF-8 leading byte and ends with a whole character, so
                // `i` and the end of the match are character boundaries.
                let (needle, reference) = &self.needles[k];
                out.push_str(&s[last..i]);
                out.push_str(reference);
                i += needle.len();
                last = i;
                continue;
            }
            i += 1;
        }
        if last == 0 {
            return s.to_string();
        }
        out.push_str(&s[last..]);
        out
    }
}

/// Renders a document with its volatile values masked.
struct Masker<'a> {
    volatile: &'a BTreeMap<String, VolatileKind>,
    refs: Refs,
    embedded: Option<Embedder>,
}

impl Masker<'_> {
    /// Masks a value that is not itself under a volatile field.
    fn render(&self, v: &Value) -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, child)| {
                        let masked = match self.volatile.get(k) {
                            Some(kind) => self.render_field(k, Kind::of(*kind), child),
                            None => self.render(child),
                        };
                        (k.clone(), masked)
                    })
                    .collect::<Map<String, Value>>(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|i| self.render(i)).collect()),
            Value::String(s) => Value::String(self.embed(s)),
            other => other.clone(),
        }
    }

    /// Masks the value of a volatile field of the given kind.
    fn render_field(&self, field: &str, kind: Kind, v: &Value) -> Value {
        let text = match v {
            Value::String(s) if s.is_empty() => return v.clone(),
            Value::String(_) | Value::Number(_) => scalar_text(v),
            Value::Array(items) => {
                return Value::Array(
                    items
                        .iter()
                        .map(|i| self.render_field(field, kind, i))
                        .collect(),
                );
            }
            other => return self.render(other),
        };
        Value::String(match kind {
            Kind::Reference => self
                .refs
                .get(field, &text)
                .cloned()
                .unwrap_or_else(|| format!("<{field}>")),
            Kind::Timestamp => format!("<timestamp:{}>", skeleton(&text)),
            Kind::Count => "<count>".to_string(),
            // AWS ARNs carry a partition first (`arn:aws:kms:<region>:<account>:key/...`).
            Kind::Arn if text.starts_with("arn:") => {
                self.structured(&text, 6, 3, "<region>", 4, "<account>")
            }
            Kind::Arn => self.structured(&text, 5, 2, "<region>", 3, "<account>"),
            Kind::Urn => self.structured(&text, 4, 1, "<region>", 2, "<domain>"),
        })
    }

    /// Replaces every embeddable value inside `s` by its reference.
    fn embed(&self, s: &str) -> String {
        match &self.embedded {
            Some(e) => e.replace(s),
            None => s.to_string(),
        }
    }

    /// Masks an ARN or URN split on `:` into `parts` segments (the last one keeps its colons):
    /// embedded values are replaced in every segment, and the region and account segments that
    /// hold no reference are replaced by their placeholders. A value that does not split into
    /// that many segments only gets its embedded values replaced.
    fn structured(
        &self,
        text: &str,
        parts: usize,
        region_at: usize,
        region: &str,
        account_at: usize,
        account: &str,
    ) -> String {
        let segments: Vec<&str> = text.splitn(parts, ':').collect();
        if segments.len() < parts {
            return self.embed(text);
        }
        segments
            .iter()
            .enumerate()
            .map(|(i, seg)| {
                let placeholder = match i {
                    _ if i == region_at => Some(region),
                    _ if i == account_at => Some(account),
                    _ => None,
                };
                let embedded = self.embed(seg);
                match placeholder {
                    Some(p) if embedded == *seg && !seg.is_empty() => p.to_string(),
                    _ => embedded,
                }
            })
            .collect::<Vec<_>>()
            .join(":")
    }
}

/// The members of an object in name order.
fn sorted(m: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut members: Vec<_> = m.iter().collect();
    members.sort_by(|a, b| a.0.cmp(b.0));
    members
}

/// The format of a timestamp with its digits named by position: `2019-08-06T10:22:03Z` →
/// `YYYY-MM-DDTHH:MM:SSZ`, `…:03.5+08:00` → `…:SS.f+hh:mm`; 13 digits are `epoch-ms` and 10
/// digits `epoch-s`. Text that does not start with a four-digit year has each digit as `N`.
pub fn skeleton(text: &str) -> String {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.len() {
            13 => "epoch-ms".to_string(),
            10 => "epoch-s".to_string(),
            n => "N".repeat(n),
        };
    }
    let iso = text.bytes().take_while(u8::is_ascii_digit).count() == 4;
    const FIELDS: [char; 6] = ['Y', 'M', 'D', 'H', 'M', 'S'];
    let mut out = String::with_capacity(text.len());
    let mut run = 0; // index of the current digit run
    let mut in_digits = false;
    let mut letter = 'N';
    let mut prev = '\0'; // the last non-digit character
    let mut in_offset = false;
    for c in text.chars() {
        if !c.is_ascii_digit() {
            if in_digits {
                run += 1;
            }
            in_digits = false;
            prev = c;
            out.push(c);
            continue;
        }
        if !in_digits {
            in_digits = true;
            letter = if !iso {
                'N'
            } else if run < FIELDS.len() {
                FIELDS[run]
            } else if in_offset && prev == ':' {
                'm'
            } else if prev == '+' || prev == '-' {
                in_offset = true;
                'h'
            } else if prev == '.' || prev == ',' {
                'f'
            } else {
                'N'
            };
        }
        out.push(letter);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn volatile() -> BTreeMap<String, VolatileKind> {
        [
            ("RequestId", "request-id"),
            ("KeyId", "id"),
            ("KeyArn", "arn"),
            ("AliasName", "name"),
            ("AliasArn", "arn"),
            ("CreationDate", "timestamp"),
            ("TotalCount", "count"),
            ("alias", "name"),
            ("alias_urn", "urn"),
            ("domain_id", "id"),
            ("key_id", "id"),
            ("create_time", "timestamp"),
        ]
        .into_iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                VolatileKind::from_name(v).expect("a volatile kind"),
            )
        })
        .collect()
    }

    #[test]
    fn the_same_value_gets_the_same_reference() {
        let doc = json!({"Aliases": {"Alias": [
            {"KeyId": "key-a", "AliasName": "alias/one"},
            {"KeyId": "key-a", "AliasName": "alias/two"},
            {"KeyId": "key-b", "AliasName": "alias/three"}
        ]}});
        let m = mask(&doc, &volatile());
        let ids: Vec<&Value> = (0..3).map(|i| &m["Aliases"]["Alias"][i]["KeyId"]).collect();
        assert_eq!(
            ids,
            [
                &json!("<KeyId:1>"),
                &json!("<KeyId:1>"),
                &json!("<KeyId:2>")
            ]
        );
        assert_eq!(
            m["Aliases"]["Alias"][2]["AliasName"],
            json!("<AliasName:3>")
        );
    }

    #[test]
    fn a_key_id_inside_a_key_arn_becomes_its_reference() {
        let doc = json!({
            "KeyId": "80e9409f-78fa-42ab-84bd-83f40c81b5c3",
            "KeyArn": "acs:kms:cn-hangzhou:123456:key/80e9409f-78fa-42ab-84bd-83f40c81b5c3"
        });
        let m = mask(&doc, &volatile());
        assert_eq!(
            m["KeyArn"],
            json!("acs:kms:<region>:<account>:key/<KeyId:1>")
        );
        // An ARN of another key keeps the foreign id visible.
        let doc = json!({"KeyId": "k-1111", "KeyArn": "acs:kms:cn-hangzhou:1:key/k-2222"});
        let m = mask(&doc, &volatile());
        assert_eq!(m["KeyArn"], json!("acs:kms:<region>:<account>:key/k-2222"));
    }

    #[test]
    fn a_huawei_urn_keeps_its_relations() {
        let doc = json!({
            "alias": "kms-1234",
            "alias_urn": "kms:cn-north-7:3bab8e245e854f68af5967c00dd43127:alias:kms-1234",
            "domain_id": "3bab8e245e854f68af5967c00dd43127",
            "key_id": "0d0466b0-e727-4d9c-b35d-f84bb474a37f"
        });
        let m = mask(&doc, &volatile());
        assert_eq!(
            m["alias_urn"],
            json!("kms:<region>:<domain_id:1>:alias:<alias:1>")
        );
        // Without the domain id in the body, the segment is a placeholder.
        let doc = json!({"alias": "kms-1234", "alias_urn": "kms:cn-north-7:3bab:alias:kms-1234"});
        let m = mask(&doc, &volatile());
        assert_eq!(
            m["alias_urn"],
            json!("kms:<region>:<domain>:alias:<alias:1>")
        );
    }

    #[test]
    fn an_aws_arn_masks_its_region_and_account_after_the_partition() {
        let doc = json!({"KeyId": "1234abcd",
                         "KeyArn": "arn:aws:kms:us-east-2:111122223333:key/1234abcd"});
        let m = mask(&doc, &volatile());
        assert_eq!(
            m["KeyArn"],
            json!("arn:aws:kms:<region>:<account>:key/<KeyId:1>")
        );
    }

    #[test]
    fn an_alias_arn_embeds_the_alias_name() {
        let doc = json!({"AliasName": "alias/ExampleAlias1",
                         "AliasArn": "acs:kms:cn-hangzhou:123456:alias/ExampleAlias1"});
        let m = mask(&doc, &volatile());
        assert_eq!(
            m["AliasArn"],
            json!("acs:kms:<region>:<account>:<AliasName:1>")
        );
    }

    #[test]
    fn ids_are_replaced_inside_stable_strings_too() {
        let doc = json!({"RequestId": "7DC0013A-0000", "Recommend": "https://x/?requestId=7DC0013A-0000"});
        let m = mask(&doc, &volatile());
        assert_eq!(m["Recommend"], json!("https://x/?requestId=<RequestId:1>"));
        // Short values are not searched for.
        let doc = json!({"KeyId": "k1", "Description": "k1k1"});
        assert_eq!(mask(&doc, &volatile())["Description"], json!("k1k1"));
    }

    #[test]
    fn the_longest_embedded_value_wins() {
        let doc = json!({"Aliases": [{"AliasName": "alias/ab"}, {"AliasName": "alias/abc"}],
                         "Note": "alias/abc"});
        let m = mask(&doc, &volatile());
        assert_eq!(m["Note"], json!("<AliasName:2>"));
    }

    /// The embedder gives what one regex alternating every value, longest first, gave.
    #[test]
    fn the_embedder_replaces_like_a_longest_first_alternation() {
        let values = [
            "alias/ab",
            "alias/abc",
            "abcd",
            "bcde",
            "cdef",
            "k-aaaa",
            "k-aaaa-1",
            "ééé-x",
            "x-éé",
            "aaaa",
        ];
        // Many values sharing their first four bytes take the other lookup.
        let many: Vec<String> = (0..40)
            .map(|i| format!("alias/n{}", "x".repeat(i % 13) + &i.to_string()))
            .collect();
        let embedded: BTreeMap<String, String> = values
            .iter()
            .map(|v| v.to_string())
            .chain(many.iter().cloned())
            .enumerate()
            .map(|(i, v)| (v, format!("<R:{i}>")))
            .collect();
        let mut needles: Vec<&String> = embedded.keys().collect();
        needles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        let alternation: Vec<String> = needles.iter().map(|n| regex::escape(n)).collect();
        let re = regex::Regex::new(&alternation.join("|")).unwrap();
        let e = Embedder::new(&embedded).unwrap();
        for s in [
            "",
            "abc",
            "abcdef",
            "xabcdefx",
            "alias/abcd",
            "alias/ab alias/abc alias/a",
            "k-aaaa-1k-aaaa-2",
            "aaaaaaaaa",
            "ééé-xx-éé",
            "prefix ééé-x-ééé-x suffix",
            "bcdefabcd",
            "alias/nxxx3 alias/n39alias/nxxxxxxxxxxxx12 alias/n4 alias/n alias/nxx",
            "acs:kms:cn-hangzhou:1:alias/nxxxxxxxxx9alias/nxxxxxxxxx9",
        ] {
            let want = re.replace_all(s, |c: &regex::Captures<'_>| embedded[&c[0]].clone());
            assert_eq!(e.replace(s), want, "{s}");
        }
    }

    #[test]
    fn timestamps_become_format_skeletons() {
        let doc = json!({"CreationDate": "2019-08-06T10:22:03Z", "create_time": "1521718512426"});
        let m = mask(&doc, &volatile());
        assert_eq!(m["CreationDate"], json!("<timestamp:YYYY-MM-DDTHH:MM:SSZ>"));
        assert_eq!(m["create_time"], json!("<timestamp:epoch-ms>"));
        assert_eq!(
            skeleton("2019-08-06T10:22:03.123+08:00"),
            "YYYY-MM-DDTHH:MM:SS.fff+hh:mm"
        );
        assert_eq!(skeleton("2019-8-06 10:22:03"), "YYYY-M-DD HH:MM:SS");
        assert_eq!(skeleton("1565086923"), "epoch-s");
        assert_eq!(skeleton("06/08/2019"), "NN/NN/NNNN");
    }

    #[test]
    fn counts_and_empty_values() {
        let doc = json!({"TotalCount": 17, "KeyId": "", "KeyArn": ""});
        let m = mask(&doc, &volatile());
        assert_eq!(
            m,
            json!({"TotalCount": "<count>", "KeyId": "", "KeyArn": ""})
        );
    }

    #[test]
    fn arrays_under_a_volatile_field_are_masked_element_by_element() {
        let doc = json!({"KeyId": ["k-aaaa", "k-bbbb", "k-aaaa"], "keys": ["k-bbbb"]});
        let m = mask(&doc, &volatile());
        assert_eq!(m["KeyId"], json!(["<KeyId:1>", "<KeyId:2>", "<KeyId:1>"]));
        assert_eq!(m["keys"], json!(["<KeyId:2>"]));
    }

    #[test]
    fn output_does_not_depend_on_member_order() {
        let a = json!({"KeyId": "k-bbbb", "Other": {"KeyId": "k-aaaa"}});
        let b: Value =
            serde_json::from_str(r#"{"Other": {"KeyId": "k-aaaa"}, "KeyId": "k-bbbb"}"#).unwrap();
        let (ma, mb) = (mask(&a, &volatile()), mask(&b, &volatile()));
        assert_eq!(ma, mb);
        assert_eq!(ma["KeyId"], json!("<KeyId:1>"));
        assert_eq!(
            serde_json::to_string(&mask(&a, &volatile())).unwrap(),
            serde_json::to_string(&ma).unwrap()
        );
    }

    #[test]
    fn non_volatile_values_are_kept() {
        let doc = json!({"PageNumber": 1, "KeyState": "Enabled", "Flag": true, "Nothing": null});
        assert_eq!(mask(&doc, &volatile()), doc);
    }
}
