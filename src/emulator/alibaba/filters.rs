//! The ListKeys `Filters` parameter: parsing and matching (interpretation A9).
//!
//! `Filters` is a JSON array of at most 10 `{"Key": ..., "Values": [...]}` pairs with at most
//! 10 string values each. Values of one pair are ORed, pairs with the same Key are ORed together,
//! and different Keys are ANDed. A Key whose pairs carry no value at all constrains nothing.
//!
//! The Keys are the eleven of the current SDK's `ListKeysRequest` (A9). What the service does
//! with any other Key is open (doc note `filters-unknown-key`): the emulator follows the reading
//! `refused` (400 `InvalidParameter`).

use serde_json::Value;

use super::super::state::{AliAlias, AliKey};
use super::errors::AliError;

/// The filterable properties of a key, as named in `Filters`: the eleven Keys that the
/// `ListKeysRequest` model of `alibabacloud-kms20160120` 3.3.1 documents (the seed page lists the
/// first six).
const KNOWN_KEYS: &[&str] = &[
    "KeyState",
    "KeySpec",
    "KeyUsage",
    "ProtectionLevel",
    "CreatorType",
    "DKMSInstanceId",
    "keyId",
    "AliasName",
    "Creator",
    "TagKey",
    "TagValue",
];

/// The most pairs, and the most values in one pair.
const MAX_PAIRS: usize = 10;
const MAX_VALUES: usize = 10;

/// A parsed filter: for each property named, the accepted values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Filters {
    by_key: Vec<(String, Vec<String>)>,
}

impl Filters {
    /// Parses the `Filters` parameter; every malformed input is 400 `InvalidParameter`.
    #[cfg(test)]
    pub(super) fn parse(raw: &str) -> Result<Self, AliError> {
        Self::parse_with(raw, false)
    }

    /// Parses `Filters`; a pair whose Key is not a known key is 400 `InvalidParameter`, or,
    /// with `ignore_unknown` (reading `ignored` of `filters-unknown-key`), constrains nothing.
    pub(super) fn parse_with(raw: &str, ignore_unknown: bool) -> Result<Self, AliError> {
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

    /// True when the key satisfies every property named in the filter; `aliases` are every
    /// alias of the account (for `AliasName`).
    pub(super) fn matches(&self, key: &AliKey, aliases: &[AliAlias]) -> bool {
        self.by_key.iter().all(|(name, values)| {
            values.is_empty()
                || properties(key, name, aliases)
                    .iter()
                    .any(|actual| values.iter().any(|v| v == actual))
        })
    }
}

/// The values of a filterable property of a key (a key has several aliases, and no tags here).
fn properties<'a>(key: &'a AliKey, name: &str, aliases: &'a [AliAlias]) -> Vec<&'a str> {
    match name {
        "KeyState" => vec![&key.key_state],
        "KeySpec" => vec![&key.key_spec],
        "KeyUsage" => vec![&key.key_usage],
        "ProtectionLevel" => vec![&key.protection_level],
        "CreatorType" => vec![&key.creator_type],
        "DKMSInstanceId" => vec![&key.dkms_instance_id],
        "keyId" => vec![&key.key_id],
        "Creator" => vec![crate::emulator::IDENTITY.account],
        "AliasName" => aliases
            .iter()
            .filter(|a| a.key_id == key.key_id)
            .map(|a| a.alias_name.as_str())
            .collect(),
        // The emulator's keys carry no tags: a TagKey or TagValue with values matches nothing.
        _ => Vec::new(),
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
        let state = default_state().alibaba;
        let keys = &state.keys;
        let hits: Vec<&AliKey> = keys
            .iter()
            .filter(|k| f.matches(k, &state.aliases))
            .collect();
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
        for key in KNOWN_KEYS {
            let raw = format!(r#"[{{"Key":"{key}","Values":["x"]}}]"#);
            assert!(Filters::parse(&raw).is_ok(), "{raw}");
        }
        assert!(Filters::parse(r#"[{"Key":"KeyState","Values":[],"Extra":1}]"#).is_ok());
    }
}

#[cfg(test)]
mod sdk_keys {
    use super::*;
    use crate::emulator::default_state;

    #[test]
    fn the_sdk_keys_filter_by_id_alias_and_creator() {
        let state = default_state().alibaba;
        let alias = state.aliases.first().expect("a seeded alias");
        let by = |raw: String| {
            let f = Filters::parse(&raw).expect("valid");
            state
                .keys
                .iter()
                .filter(|k| f.matches(k, &state.aliases))
                .map(|k| k.key_id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            by(format!(
                r#"[{{"Key":"keyId","Values":["{}"]}}]"#,
                alias.key_id
            )),
            vec![alias.key_id.clone()]
        );
        assert_eq!(
            by(format!(
                r#"[{{"Key":"AliasName","Values":["{}"]}}]"#,
                alias.alias_name
            )),
            vec![alias.key_id.clone()]
        );
        let account = crate::emulator::IDENTITY.account;
        assert_eq!(
            by(format!(r#"[{{"Key":"Creator","Values":["{account}"]}}]"#)).len(),
            state.keys.len()
        );
        assert!(by(r#"[{"Key":"TagKey","Values":["team"]}]"#.to_string()).is_empty());
    }
}
