//! The ListKeys `Filters` parameter: parsing and matching (interpretation A9).
//!
//! `Filters` is a JSON array of at most 10 `{"Key": ..., "Values": [...]}` pairs with at most
//! 10 string values each. Values of one pair are ORed, pairs with the same Key are ORed together,
//! and different Keys are ANDed. A Key whose pairs carry no value at all constrains nothing.

use serde_json::Value;

use super::super::state::AliKey;
use super::errors::AliError;

/// The filterable properties of a key, as named in `Filters`.
const KNOWN_KEYS: &[&str] = &[
    "KeyState",
    "KeySpec",
    "KeyUsage",
    "ProtectionLevel",
    "CreatorType",
    "DKMSInstanceId",
];

/// The most pairs, and the most values in one pair.
const MAX_PAIRS: usize = 10;
const MAX_VALUES: usize = 10;

/// A parsed filter: for each property named, the accepted values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    by_key: Vec<(String, Vec<String>)>,
}

impl Filters {
    /// Parses the `Filters` parameter; every malformed input is 400 `InvalidParameter`.
    #[cfg(test)]
    pub fn parse(raw: &str) -> Result<Self, AliError> {
        Self::parse_with(raw, false)
    }

    /// Parses `Filters`; a pair whose Key is not a known key is 400 `InvalidParameter`, or,
    /// with `ignore_unknown` (reading `b` of `filters-unknown-key`), constrains nothing.
    pub fn parse_with(raw: &str, ignore_unknown: bool) -> Result<Self, AliError> {
        let bad = || AliError::invalid("Filters");
        let value: Value = serde_json::from_str(raw).map_err(|_| bad())?;
        let pairs = value.as_array().ok_or_else(bad)?;
        if pairs.len() > MAX_PAIRS {
            return Err(bad());
        }
        let mut filters = Filters::default();
        for pair in pairs {
            let obj = pair.as_object().ok_or_else(bad)?;
            let key = obj.get("Key").and_then(Value::as_str).ok_or_else(bad)?;
            let known = KNOWN_KEYS.contains(&key);
            if !known && !ignore_unknown {
                return Err(bad());
            }
            let values = obj
                .get("Values")
                .and_then(Value::as_array)
                .ok_or_else(bad)?;
            if values.len() > MAX_VALUES {
                return Err(bad());
            }
            let values: Vec<String> = values
                .iter()
                .map(|v| v.as_str().map(str::to_string).ok_or_else(bad))
                .collect::<Result<_, _>>()?;
            if !known {
                continue;
            }
            match filters.by_key.iter_mut().find(|(k, _)| k == key) {
                Some((_, acc)) => acc.extend(values),
                None => filters.by_key.push((key.to_string(), values)),
            }
        }
        Ok(filters)
    }

    /// True when the key satisfies every property named in the filter.
    pub fn matches(&self, key: &AliKey) -> bool {
        self.by_key.iter().all(|(name, values)| {
            values.is_empty() || {
                let actual = property(key, name);
                values.iter().any(|v| v == actual)
            }
        })
    }
}

/// The value of a filterable property of a key.
fn property<'a>(key: &'a AliKey, name: &str) -> &'a str {
    match name {
        "KeyState" => &key.key_state,
        "KeySpec" => &key.key_spec,
        "KeyUsage" => &key.key_usage,
        "ProtectionLevel" => &key.protection_level,
        "CreatorType" => &key.creator_type,
        "DKMSInstanceId" => &key.dkms_instance_id,
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::default_state;

    #[test]
    fn the_page_example_is_parsed_and_combined() {
        let raw = r#"[{"Key":"KeyState","Values":["Enabled","Disabled"]},{"Key":"KeyState","Values":["PendingDeletion"]},{"Key":"KeySpec","Values":["Aliyun_AES_256"]}]"#;
        let f = Filters::parse(raw).expect("valid");
        let keys = default_state().alibaba.keys;
        let hits: Vec<&AliKey> = keys.iter().filter(|k| f.matches(k)).collect();
        assert!(!hits.is_empty());
        assert!(
            hits.iter()
                .all(|k| k.key_spec == "Aliyun_AES_256" && k.key_state != "PendingImport")
        );
        assert!(hits.iter().any(|k| k.key_state == "PendingDeletion"));
        let expected = keys
            .iter()
            .filter(|k| k.key_spec == "Aliyun_AES_256" && k.key_state != "PendingImport")
            .count();
        assert_eq!(hits.len(), expected);
    }

    #[test]
    fn malformed_filters_are_invalid() {
        let eleven_values = format!(
            r#"[{{"Key":"KeyState","Values":[{}]}}]"#,
            ["\"Enabled\""; 11].join(",")
        );
        let eleven_pairs = format!("[{}]", [r#"{"Key":"KeyState","Values":[]}"#; 11].join(","));
        for raw in [
            "not json",
            "{}",
            "[1]",
            r#"[{"Key":"Color","Values":["x"]}]"#,
            r#"[{"Key":"KeyState"}]"#,
            r#"[{"Key":"KeyState","Values":[1]}]"#,
            &eleven_values,
            &eleven_pairs,
        ] {
            assert_eq!(
                Filters::parse(raw).expect_err(raw).code,
                "InvalidParameter",
                "{raw}"
            );
        }
        assert!(Filters::parse("[]").is_ok());
        let unknown = r#"[{"Key":"NoSuchKey","Values":["x"]}]"#;
        assert!(Filters::parse(unknown).is_err());
        assert_eq!(
            Filters::parse_with(unknown, true).expect("ignored"),
            Filters::default()
        );
        assert!(Filters::parse_with(r#"[{"Key":"NoSuchKey","Values":[1]}]"#, true).is_err());
        assert!(Filters::parse(r#"[{"Key":"KeyState","Values":[],"Extra":1}]"#).is_ok());
    }
}
