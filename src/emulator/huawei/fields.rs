//! Reading and validating Huawei request fields: the JSON body object and the shared rules for
//! `key_id`, aliases, `sequence`, `limit` and `marker`.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use super::errors::HwError;

/// `key_id`: 36 bytes, `^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$` (H4).
static KEY_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$")
        .expect("constant regex")
});

/// The characters of an alias: `[a-zA-Z0-9:/_-]`, at least one (H6, H7).
static ALIAS_CHARS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("^[a-zA-Z0-9:/_-]+$").expect("constant regex"));

/// The most characters an alias may have (H6).
pub(super) const MAX_ALIAS_LEN: usize = 255;

/// A parsed JSON request body: always an object.
#[derive(Debug, Clone, Default)]
pub(super) struct JsonBody(Map<String, Value>);

impl JsonBody {
    /// Parses a body that must be a JSON object; anything else is 400 `KMS.0202` (H3).
    pub(super) fn parse(bytes: &[u8]) -> Result<Self, HwError> {
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(m)) => Ok(Self(m)),
            _ => Err(HwError::invalid_json()),
        }
    }

    /// A field's value; JSON `null` counts as absent.
    pub(super) fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    /// Fails with 400 `KMS.0204` when any of the fields is absent (H2).
    pub(super) fn require(&self, names: &[&str]) -> Result<(), HwError> {
        match names.iter().find(|n| self.get(n).is_none()) {
            Some(n) => Err(HwError::missing(n)),
            None => Ok(()),
        }
    }

    /// An optional string field; a non-string value is `invalid`.
    pub(super) fn opt_str(
        &self,
        name: &str,
        invalid: fn() -> HwError,
    ) -> Result<Option<&str>, HwError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(invalid()),
        }
    }

    /// An optional field holding an integer, given as a JSON string or number; anything else is
    /// `invalid`.
    pub(super) fn opt_int(
        &self,
        name: &str,
        invalid: fn() -> HwError,
    ) -> Result<Option<i64>, HwError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => parse_int(s).map(Some).ok_or_else(invalid),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(invalid),
            Some(_) => Err(invalid()),
        }
    }
}

/// A plain decimal integer (optional `-`, ASCII digits).
pub(super) fn parse_int(raw: &str) -> Option<i64> {
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok()
}

/// True for a well-formed `key_id`.
pub(crate) fn valid_key_id(raw: &str) -> bool {
    KEY_ID.is_match(raw)
}

/// Checks a `key_id` value (400 `KMS.0205`).
pub(super) fn key_id(raw: &str) -> Result<&str, HwError> {
    if KEY_ID.is_match(raw) {
        Ok(raw)
    } else {
        Err(HwError::invalid_key_id())
    }
}

/// Checks an alias or `key_alias` value: `^[a-zA-Z0-9:/_-]{1,255}$`, not ending in `/default`
/// (400 `KMS.1101`). The handlers call [`alias_rule`] with these bounds unless a deviation
/// lifts one.
#[cfg(test)]
pub(super) fn alias(raw: &str) -> Result<&str, HwError> {
    alias_rule(raw, MAX_ALIAS_LEN, false)
}

/// The alias rule with its two bounds as parameters, so that a deviation can lift one:
/// at most `max_len` characters of `[a-zA-Z0-9:/_-]`, and a `/default` suffix only when
/// `default_suffix_ok`.
pub(super) fn alias_rule(
    raw: &str,
    max_len: usize,
    default_suffix_ok: bool,
) -> Result<&str, HwError> {
    let ok = ALIAS_CHARS.is_match(raw)
        && raw.len() <= max_len
        && (default_suffix_ok || !raw.ends_with("/default"));
    if ok {
        Ok(raw)
    } else {
        Err(HwError::invalid_alias())
    }
}

/// Checks an optional `sequence`: 36 bytes (400 `KMS.0206`).
pub(super) fn sequence(body: &JsonBody) -> Result<(), HwError> {
    match body.opt_str("sequence", HwError::invalid_sequence)? {
        Some(s) if s.len() != 36 => Err(HwError::invalid_sequence()),
        _ => Ok(()),
    }
}

/// The most entries one page may ask for.
pub(super) const MAX_LIMIT: i64 = 1000;

/// Checks a page `limit` (1..=1000, 400 `KMS.1601`) and `marker` (an offset ≥ 0, 400
/// `KMS.1602`); returns `(limit, offset)` with `limit` None when absent.
pub(super) fn paging(
    limit: Option<i64>,
    marker: Option<i64>,
) -> Result<(Option<usize>, usize), HwError> {
    let limit = match limit {
        None => None,
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Some(n as usize),
        Some(_) => return Err(HwError::invalid_limit()),
    };
    let offset = match marker {
        None => 0,
        Some(n) if n >= 0 => usize::try_from(n).unwrap_or(usize::MAX),
        Some(_) => return Err(HwError::invalid_marker()),
    };
    Ok((limit, offset))
}

/// One page of `items` from `offset`, and the marker of the next page ("" at the end).
pub(super) fn page<T: Clone>(items: &[T], limit: Option<usize>, offset: usize) -> (Vec<T>, String) {
    let start = offset.min(items.len());
    let end = match limit {
        Some(l) => start.saturating_add(l).min(items.len()),
        None => items.len(),
    };
    let next = if end < items.len() {
        end.to_string()
    } else {
        String::new()
    };
    (items[start..end].to_vec(), next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_rules_follow_h4_and_h6() {
        assert!(key_id("bb6a3d22-dc93-47ac-b5bd-88df7ad35f1e").is_ok());
        for bad in [
            "",
            "BB6A3D22-DC93-47AC-B5BD-88DF7AD35F1E",
            "bb6a3d22dc9347acb5bd88df7ad35f1e",
            "x",
        ] {
            assert_eq!(key_id(bad).expect_err(bad).code, "KMS.0205");
        }
        assert!(alias("kms-1234").is_ok());
        assert!(alias("a:b/c_d-e").is_ok());
        let long = "a".repeat(256);
        for bad in ["", "kms/default", "a b", "é", long.as_str()] {
            assert_eq!(alias(bad).expect_err(bad).code, "KMS.1101");
        }
    }

    #[test]
    fn paging_is_checked_and_sliced() {
        assert_eq!(paging(None, None), Ok((None, 0)));
        assert_eq!(paging(Some(0), None).expect_err("0").code, "KMS.1601");
        assert_eq!(paging(Some(1001), None).expect_err("1001").code, "KMS.1601");
        assert_eq!(paging(None, Some(-1)).expect_err("-1").code, "KMS.1602");
        assert_eq!(page(&[1, 2, 3], Some(2), 0), (vec![1, 2], "2".to_string()));
        assert_eq!(page(&[1, 2, 3], Some(2), 2), (vec![3], String::new()));
        assert_eq!(page(&[1, 2, 3], None, 9), (vec![], String::new()));
    }

    #[test]
    fn bodies_must_be_objects() {
        for bad in [&b""[..], b"[]", b"1", b"{", b"\"x\""] {
            assert_eq!(
                JsonBody::parse(bad).expect_err("not an object").code,
                "KMS.0202"
            );
        }
        let b = JsonBody::parse(br#"{"a":null,"limit":"5","n":3}"#).expect("object");
        assert!(b.require(&["a"]).is_err());
        assert_eq!(b.opt_int("limit", HwError::invalid_limit), Ok(Some(5)));
        assert_eq!(b.opt_int("n", HwError::invalid_limit), Ok(Some(3)));
    }
}
