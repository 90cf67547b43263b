//! Huawei response bodies in the documented shapes (kms-wire-facts B3, H12–H14).

use serde_json::{Value, json};

use super::super::config::Config;
use super::super::deviation::Deviation;
use super::super::identity::IDENTITY;
use super::super::state::{HwAlias, HwKey};

/// True for asymmetric key specs (`key_type` "2").
pub(super) fn is_asymmetric(spec: &str) -> bool {
    spec.starts_with("RSA_")
        || spec.starts_with("EC_")
        || matches!(spec, "SM2" | "SECP256K1" | "ED25519")
}

/// One `key_details[]` entry of list-keys; every field a string.
pub(super) fn key_details(key: &HwKey) -> Value {
    json!({
        "key_id": key.key_id,
        "domain_id": IDENTITY.domain_id,
        "key_alias": key.key_alias,
        "realm": IDENTITY.huawei_region,
        "key_spec": key.key_spec,
        "key_usage": key.key_usage,
        "key_description": key.key_description,
        "creation_date": key.creation_date,
        "scheduled_deletion_date": key.scheduled_deletion_date,
        "key_state": key.key_state,
        "default_key_flag": if key.default_key { "1" } else { "0" },
        "key_type": if is_asymmetric(&key.key_spec) { "2" } else { "1" },
        "expiration_time": "",
        "origin": key.origin,
        "key_rotation_enabled": "false",
        "sys_enterprise_project_id": "0",
        "keystore_id": "0",
    })
}

/// An alias entity: CreateAlias's body and a ListAliases item (H12), with the entity
/// deviations of `cfg`.
pub(super) fn alias_entity(alias: &HwAlias, cfg: &Config) -> Value {
    let time = |t: &str| {
        if cfg.deviates(Deviation::HuaweiCreateTimeNotRfc3339) {
            epoch_millis(t)
        } else {
            t.to_string()
        }
    };
    let mut entity = json!({
        "domain_id": IDENTITY.domain_id,
        "key_id": alias.key_id,
        "alias": alias.alias,
        "alias_urn": IDENTITY.alias_urn(&alias.alias),
        "create_time": time(&alias.create_time),
        "update_time": time(&alias.update_time),
    });
    if cfg.deviates(Deviation::HuaweiAliasUrnMissing)
        && let Some(m) = entity.as_object_mut()
    {
        m.remove("alias_urn");
    }
    entity
}

/// [`Deviation::HuaweiCreateTimeNotRfc3339`]: an RFC 3339 time as epoch milliseconds.
fn epoch_millis(rfc3339: &str) -> String {
    time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .map(|t| (t.unix_timestamp() * 1000).to_string())
        .unwrap_or_else(|_| "0".to_string())
}
