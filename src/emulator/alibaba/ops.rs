//! The Alibaba operations: each reads its parameters, reads or changes the state, and returns
//! the response body without its `RequestId`.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Value, json};

use super::super::config::Config;
use super::super::deviation::Deviation;
use super::super::identity::IDENTITY;
use super::super::ids::{rfc3339, uuid_v4};
use super::super::reading;
use super::super::state::{AliAlias, AliKey, AliKeyVersion, AliState};
use super::errors::AliError;
use super::filters::Filters;
use super::keyref::{resolve, resolve_key};
use super::params::{Bends, Page, Params};
use super::wire::{Body, Item, List, alias_item, key_item, key_metadata};

/// The most keys the emulator holds; CreateKey beyond it is `Rejected.LimitExceeded`.
pub(super) const MAX_KEYS: usize = 10_000;
/// The most aliases the emulator holds; CreateAlias beyond it is `Rejected.LimitExceeded`.
pub(super) const MAX_ALIASES: usize = 10_000;

/// An operation: parameters, state and configuration (for its deviations) in, response body
/// (without `RequestId`) out.
pub(super) type Operation = fn(&mut AliState, &Params, &Config) -> Result<Body, AliError>;

/// The operation implementing an `Action`, if any.
pub(super) fn lookup(action: &str) -> Option<Operation> {
    Some(match action {
        "ListKeys" => |s, p, c| list_keys(s, p, c).map(Body::List),
        "ListAliasesByKeyId" => |s, p, c| list_aliases_by_key_id(s, p, c).map(Body::List),
        "ListKeyVersions" => |s, p, c| list_key_versions(s, p, c).map(Body::List),
        "CreateKey" => |s, p, c| create_key(s, p, c).map(Body::Map),
        "DescribeKey" => |s, p, c| describe_key(s, p, c).map(Body::Map),
        "CreateAlias" => |s, p, c| create_alias(s, p, c).map(Body::Map),
        "DeleteAlias" => |s, p, c| delete_alias(s, p, c).map(Body::Map),
        _ => return None,
    })
}

/// Reads `PageNumber` (from 1, or from 0 under [`Deviation::PageNumberZero`]) and `PageSize`.
fn read_page(p: &Params, min_size: i64, max_size: i64, cfg: &Config) -> Result<Page, AliError> {
    let first = if cfg.deviates(Deviation::PageNumberZero) {
        0
    } else {
        1
    };
    Page::read_from(p, first, min_size, max_size)
}

/// ListKeys: every key in creation order, filtered, one page (PageSize 1..100, A2).
fn list_keys(state: &mut AliState, p: &Params, cfg: &Config) -> Result<List, AliError> {
    let min_size = if cfg.deviates(Deviation::ListKeysPageSizeZero) {
        0
    } else {
        1
    };
    let max_size = if cfg.deviates(Deviation::ListKeysPageSizeAboveMax) {
        1000
    } else if cfg.readings.is(reading::PAGE_SIZE_101, "accepted") {
        101
    } else {
        100
    };
    let page = read_page(p, min_size, max_size, cfg)?;
    let filters = match p.get("Filters") {
        Some(raw) => Filters::parse_with(
            raw,
            cfg.readings.is(reading::FILTERS_UNKNOWN_KEY, "ignored"),
        )?,
        None => Filters::default(),
    };
    let ignore_filters = cfg.deviates(Deviation::FiltersIgnored);
    let keys: Vec<&AliKey> = state
        .keys
        .iter()
        .filter(|k| ignore_filters || filters.matches(k, &state.aliases))
        .collect();
    let items = page
        .slice(
            &keys,
            // ListKeys pages never overlap: the deviation is scoped to the key-bound lists.
            Bends {
                overlap: false,
                ..Bends::of(cfg)
            },
        )
        .iter()
        .map(|k| {
            let mut item = key_item(k);
            if cfg.deviates(Deviation::KeyArnOfAnotherKey) {
                item.set("KeyArn", IDENTITY.key_arn(&other_key_id(state, &k.key_id)));
            }
            item
        })
        .collect();
    let list = List::new("Keys", "Key", items, keys.len(), page, cfg);
    Ok(if cfg.deviates(Deviation::KeysBareArray) {
        list.bare()
    } else {
        list
    })
}

/// The id of the key after `key_id` in creation order (wrapping), for the deviations that
/// name another key.
fn other_key_id(state: &AliState, key_id: &str) -> String {
    let i = state.keys.iter().position(|k| k.key_id == key_id);
    let next = i.map_or(0, |i| (i + 1) % state.keys.len().max(1));
    state
        .keys
        .get(next)
        .map_or_else(|| key_id.to_string(), |k| k.key_id.clone())
}

/// ListAliasesByKeyId: the aliases of one key (id or ARN), PageSize 0..101 (A3).
fn list_aliases_by_key_id(
    state: &mut AliState,
    p: &Params,
    cfg: &Config,
) -> Result<List, AliError> {
    let key_id = match p.required("KeyId") {
        Ok(k) => Some(k),
        Err(_) if cfg.deviates(Deviation::MissingKeyIdAccepted) => None,
        Err(e) => return Err(e),
    };
    let page = read_page(p, 0, 101, cfg)?;
    let key_id = match key_id.map(|k| resolve_key(state, k, false)) {
        None => None,
        Some(Ok(key)) => Some(key.key_id.clone()),
        Some(Err(e))
            if e.code == "Forbidden.KeyNotFound" && cfg.deviates(Deviation::UnknownKeyOk) =>
        {
            return Ok(List::new("Aliases", "Alias", Vec::new(), 0, page, cfg));
        }
        Some(Err(e)) => return Err(e),
    };
    let aliases: Vec<&AliAlias> = state
        .aliases
        .iter()
        .filter(|a| key_id.as_ref().is_none_or(|id| a.key_id == *id))
        .collect();
    let items = page
        .slice(&aliases, Bends::of(cfg))
        .iter()
        .map(|a| {
            let mut item = alias_item(a);
            if cfg.deviates(Deviation::AliasNameWithoutPrefix) {
                let bare = a.alias_name.strip_prefix("alias/").unwrap_or(&a.alias_name);
                item.set("AliasName", bare);
            }
            if cfg.deviates(Deviation::AliasArnWithoutName) {
                item.set(
                    "AliasArn",
                    IDENTITY.alias_arn(&format!("alias/{}", a.key_id)),
                );
            }
            item
        })
        .collect();
    Ok(List::new(
        "Aliases",
        "Alias",
        items,
        aliases.len(),
        page,
        cfg,
    ))
}

/// ListKeyVersions: the versions of one key (id, ARN or alias), PageSize 0..101 (A3, A5).
fn list_key_versions(state: &mut AliState, p: &Params, cfg: &Config) -> Result<List, AliError> {
    let key_id = p.required("KeyId")?;
    let page = read_page(p, 0, 101, cfg)?;
    let key = resolve_key(state, key_id, true)?;
    let listed_id = if cfg.deviates(Deviation::VersionsOfAnotherKey) {
        other_key_id(state, &key.key_id)
    } else {
        key.key_id.clone()
    };
    let items = page
        .slice(&key.versions, Bends::of(cfg))
        .iter()
        .map(|v| {
            let created = if cfg.deviates(Deviation::CreationDateNotUtc) {
                utc_plus_8(&v.creation_date)
            } else {
                v.creation_date.clone()
            };
            Item::with_capacity(3)
                .with("KeyId", listed_id.as_str())
                .with("KeyVersionId", v.key_version_id.as_str())
                .with("CreationDate", created)
        })
        .collect();
    Ok(List::new(
        "KeyVersions",
        "KeyVersion",
        items,
        key.versions.len(),
        page,
        cfg,
    ))
}

/// [`Deviation::CreationDateNotUtc`]: `2024-01-01T00:00:00Z` as `2024-01-01T08:00:00+08:00`.
fn utc_plus_8(utc: &str) -> String {
    let parsed = time::OffsetDateTime::parse(utc, &time::format_description::well_known::Rfc3339);
    let fmt =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]+08:00");
    parsed
        .ok()
        .and_then(|t| t.to_offset(time::macros::offset!(+8)).format(&fmt).ok())
        .unwrap_or_else(|| utc.trim_end_matches('Z').to_string())
}

/// DescribeKey: the metadata of one key (id, ARN or alias).
fn describe_key(state: &mut AliState, p: &Params, _cfg: &Config) -> Result<Value, AliError> {
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
fn create_key(state: &mut AliState, p: &Params, _cfg: &Config) -> Result<Value, AliError> {
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
pub(super) fn valid_alias_name(name: &str) -> bool {
    ALIAS_NAME.is_match(name) && !name.starts_with("alias/acs/")
}

/// CreateAlias: binds a new alias to a key (id or ARN).
fn create_alias(state: &mut AliState, p: &Params, cfg: &Config) -> Result<Value, AliError> {
    let name = p.required("AliasName")?;
    let key_id = p.required("KeyId")?;
    let reserved_ok = cfg.deviates(Deviation::ReservedAliasAccepted)
        && ALIAS_NAME.is_match(name)
        && name.starts_with("alias/acs/");
    if !valid_alias_name(name) && !reserved_ok {
        return Err(AliError::invalid("AliasName"));
    }
    let index = resolve(state, key_id, false)?;
    if state.alias(name).is_some() && !cfg.deviates(Deviation::AlibabaDuplicateAliasAccepted) {
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
fn delete_alias(state: &mut AliState, p: &Params, cfg: &Config) -> Result<Value, AliError> {
    let name = p.required("AliasName")?;
    if !valid_alias_name(name) {
        return Err(AliError::invalid("AliasName"));
    }
    let index = state.aliases.iter().position(|a| a.alias_name == name);
    match index {
        Some(i) => {
            state.aliases.remove(i);
        }
        None if cfg.deviates(Deviation::UnknownAliasDeleteOk) => {}
        None => return Err(AliError::alias_not_found()),
    }
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
