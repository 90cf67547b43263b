//! The Alibaba operations: each reads its parameters, reads or changes the state, and returns
//! the response body without its `RequestId`.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Value, json};

use super::super::ids::{rfc3339, uuid_v4};
use super::super::state::{AliAlias, AliKey, AliKeyVersion, AliState};
use super::errors::AliError;
use super::filters::Filters;
use super::keyref::{resolve, resolve_key};
use super::params::{Page, Params};
use super::wire::{alias_item, key_item, key_metadata, list_body};

/// The most keys the emulator holds; CreateKey beyond it is `Rejected.LimitExceeded`.
pub const MAX_KEYS: usize = 10_000;
/// The most aliases the emulator holds; CreateAlias beyond it is `Rejected.LimitExceeded`.
pub const MAX_ALIASES: usize = 10_000;

/// An operation: parameters and state in, response body (without `RequestId`) out.
pub type Operation = fn(&mut AliState, &Params) -> Result<Value, AliError>;

/// The operation implementing an `Action`, if any.
pub fn lookup(action: &str) -> Option<Operation> {
    Some(match action {
        "ListKeys" => list_keys,
        "ListAliasesByKeyId" => list_aliases_by_key_id,
        "ListKeyVersions" => list_key_versions,
        "CreateKey" => create_key,
        "DescribeKey" => describe_key,
        "CreateAlias" => create_alias,
        "DeleteAlias" => delete_alias,
        _ => return None,
    })
}

/// ListKeys: every key in creation order, filtered, one page (PageSize 1..100, A2).
fn list_keys(state: &mut AliState, p: &Params) -> Result<Value, AliError> {
    let page = Page::read(p, 1, 100)?;
    let filters = match p.get("Filters") {
        Some(raw) => Filters::parse(raw)?,
        None => Filters::default(),
    };
    let keys: Vec<&AliKey> = state.keys.iter().filter(|k| filters.matches(k)).collect();
    let items = page.slice(&keys).iter().map(|k| key_item(k)).collect();
    Ok(list_body("Keys", "Key", items, keys.len(), page))
}

/// ListAliasesByKeyId: the aliases of one key (id or ARN), PageSize 0..101 (A3).
fn list_aliases_by_key_id(state: &mut AliState, p: &Params) -> Result<Value, AliError> {
    let key_id = p.required("KeyId")?;
    let page = Page::read(p, 0, 101)?;
    let key = resolve_key(state, key_id, false)?;
    let aliases: Vec<&AliAlias> = state
        .aliases
        .iter()
        .filter(|a| a.key_id == key.key_id)
        .collect();
    let items = page.slice(&aliases).iter().map(|a| alias_item(a)).collect();
    Ok(list_body("Aliases", "Alias", items, aliases.len(), page))
}

/// ListKeyVersions: the versions of one key (id, ARN or alias), PageSize 0..101 (A3, A5).
fn list_key_versions(state: &mut AliState, p: &Params) -> Result<Value, AliError> {
    let key_id = p.required("KeyId")?;
    let page = Page::read(p, 0, 101)?;
    let key = resolve_key(state, key_id, true)?;
    let items = page
        .slice(&key.versions)
        .iter()
        .map(|v| {
            json!({
                "KeyId": key.key_id,
                "KeyVersionId": v.key_version_id,
                "CreationDate": v.creation_date,
            })
        })
        .collect();
    Ok(list_body(
        "KeyVersions",
        "KeyVersion",
        items,
        key.versions.len(),
        page,
    ))
}

/// DescribeKey: the metadata of one key (id, ARN or alias).
fn describe_key(state: &mut AliState, p: &Params) -> Result<Value, AliError> {
    let key_id = p.required("KeyId")?;
    let key = resolve_key(state, key_id, true)?;
    Ok(json!({ "KeyMetadata": key_metadata(key, true) }))
}

/// Symmetric key specs (the only ones with EXTERNAL origin and automatic rotation).
const SYMMETRIC_SPECS: &[&str] = &[
    "Aliyun_AES_256",
    "Aliyun_AES_128",
    "Aliyun_AES_192",
    "Aliyun_SM4",
];
/// Asymmetric key specs.
const ASYMMETRIC_SPECS: &[&str] = &["RSA_2048", "RSA_3072", "EC_P256", "EC_P256K", "EC_SM2"];

/// The usages a spec allows, the first being the default.
fn usages_of(spec: &str) -> &'static [&'static str] {
    match spec {
        "EC_P256" | "EC_P256K" => &["SIGN/VERIFY"],
        "RSA_2048" | "RSA_3072" | "EC_SM2" => &["ENCRYPT/DECRYPT", "SIGN/VERIFY"],
        _ => &["ENCRYPT/DECRYPT"],
    }
}

/// Reads `RotationInterval` (`<n>s` or `<n>d`, 7 to 730 days) as seconds.
fn rotation_interval(raw: &str) -> Result<u64, AliError> {
    let bad = || AliError::invalid("RotationInterval");
    let (num, unit) = raw.split_at(raw.len().saturating_sub(1));
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let n: u64 = num.parse().map_err(|_| bad())?;
    let secs = match unit {
        "s" => n,
        "d" => n.checked_mul(86_400).ok_or_else(bad)?,
        _ => return Err(bad()),
    };
    if (7 * 86_400..=730 * 86_400).contains(&secs) {
        Ok(secs)
    } else {
        Err(bad())
    }
}

/// CreateKey: a new key with one version, `Enabled` (or `PendingImport` for EXTERNAL).
fn create_key(state: &mut AliState, p: &Params) -> Result<Value, AliError> {
    let spec = p.get("KeySpec").unwrap_or("Aliyun_AES_256");
    let symmetric = SYMMETRIC_SPECS.contains(&spec);
    if !symmetric && !ASYMMETRIC_SPECS.contains(&spec) {
        return Err(AliError::invalid("KeySpec"));
    }
    let usages = usages_of(spec);
    let usage = p.get("KeyUsage").unwrap_or(usages[0]);
    if !usages.contains(&usage) {
        return Err(AliError::invalid("KeyUsage"));
    }
    let origin = p.get("Origin").unwrap_or("Aliyun_KMS");
    let origin_ok = origin == "Aliyun_KMS" || (origin == "EXTERNAL" && symmetric);
    if !origin_ok {
        return Err(AliError::invalid("Origin"));
    }
    let protection = p.get("ProtectionLevel").unwrap_or("SOFTWARE");
    if protection != "SOFTWARE" && protection != "HSM" {
        return Err(AliError::invalid("ProtectionLevel"));
    }
    let description = p.get("Description").unwrap_or("");
    if description.chars().count() > 8192 {
        return Err(AliError::invalid("Description"));
    }
    let rotate = p.bool_flag("EnableAutomaticRotation", false)?;
    if rotate && (!symmetric || origin == "EXTERNAL") {
        return Err(AliError::invalid("EnableAutomaticRotation"));
    }
    let interval = match p.get("RotationInterval") {
        Some(raw) => rotation_interval(raw)?,
        None => 365 * 86_400,
    };
    if state.keys.len() >= MAX_KEYS {
        return Err(AliError::limit_exceeded("keys"));
    }
    let now = time::OffsetDateTime::now_utc();
    let created = rfc3339(now);
    let key = AliKey {
        key_id: uuid_v4(),
        key_spec: spec.into(),
        key_usage: usage.into(),
        key_state: if origin == "EXTERNAL" {
            "PendingImport"
        } else {
            "Enabled"
        }
        .into(),
        protection_level: protection.into(),
        origin: origin.into(),
        description: description.into(),
        creation_date: created.clone(),
        creator_type: "User".into(),
        dkms_instance_id: p.get("DKMSInstanceId").unwrap_or("").into(),
        automatic_rotation: if rotate { "Enabled" } else { "Disabled" }.into(),
        rotation_interval: if rotate {
            format!("{interval}s")
        } else {
            String::new()
        },
        next_rotation_date: if rotate {
            rfc3339(now + time::Duration::seconds(interval as i64))
        } else {
            String::new()
        },
        delete_date: String::new(),
        material_expire_time: String::new(),
        deletion_protection: "Disabled".into(),
        deletion_protection_description: String::new(),
        versions: vec![AliKeyVersion {
            key_version_id: uuid_v4(),
            creation_date: created,
        }],
    };
    let body = json!({ "KeyMetadata": key_metadata(&key, false) });
    state.keys.push(key);
    Ok(body)
}

/// `alias/` + 1..255 of `[a-zA-Z0-9_/-]` (A10).
static ALIAS_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("^alias/[a-zA-Z0-9_/-]{1,255}$").expect("constant regex"));

/// True for a valid alias name that is not in the reserved `alias/acs/` space (A10).
pub fn valid_alias_name(name: &str) -> bool {
    ALIAS_NAME.is_match(name) && !name.starts_with("alias/acs/")
}

/// CreateAlias: binds a new alias to a key (id or ARN).
fn create_alias(state: &mut AliState, p: &Params) -> Result<Value, AliError> {
    let name = p.required("AliasName")?;
    let key_id = p.required("KeyId")?;
    if !valid_alias_name(name) {
        return Err(AliError::invalid("AliasName"));
    }
    let index = resolve(state, key_id, false)?;
    if state.alias(name).is_some() {
        return Err(AliError::alias_exists());
    }
    if state.aliases.len() >= MAX_ALIASES {
        return Err(AliError::limit_exceeded("aliases"));
    }
    let key_id = state.keys[index].key_id.clone();
    state.aliases.push(AliAlias {
        alias_name: name.to_string(),
        key_id,
    });
    Ok(json!({}))
}

/// DeleteAlias: removes an alias by name.
fn delete_alias(state: &mut AliState, p: &Params) -> Result<Value, AliError> {
    let name = p.required("AliasName")?;
    if !valid_alias_name(name) {
        return Err(AliError::invalid("AliasName"));
    }
    let index = state
        .aliases
        .iter()
        .position(|a| a.alias_name == name)
        .ok_or_else(AliError::alias_not_found)?;
    state.aliases.remove(index);
    Ok(json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_names_follow_a10() {
        for ok in [
            "alias/a",
            "alias/a_b-c/d",
            &format!("alias/{}", "x".repeat(255)),
            "alias/acs",
        ] {
            assert!(valid_alias_name(ok), "{ok}");
        }
        for bad in [
            "a",
            "alias/",
            "alias/a b",
            "alias/é",
            "alias/acs/ecs",
            &format!("alias/{}", "x".repeat(256)),
        ] {
            assert!(!valid_alias_name(bad), "{bad}");
        }
    }

    #[test]
    fn rotation_intervals_are_bounded() {
        assert_eq!(rotation_interval("604800s"), Ok(604_800));
        assert_eq!(rotation_interval("365d"), Ok(365 * 86_400));
        for bad in ["6d", "731d", "x", "s", "10", "-7d"] {
            assert!(rotation_interval(bad).is_err(), "{bad}");
        }
    }
}
