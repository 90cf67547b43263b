//! Alibaba response bodies in the real wire shape (kms-wire-facts A1): wrapped lists
//! (`Keys.Key[]`, `Aliases.Alias[]`, `KeyVersions.KeyVersion[]`) and all-string `KeyMetadata`.

use serde_json::{Map, Value, json};

use super::super::config::Config;
use super::super::deviation::Deviation;
use super::super::identity::IDENTITY;
use super::super::state::{AliAlias, AliKey};
use super::params::Page;

/// `KeyMetadata` of CreateKey; DescribeKey adds the deletion-protection fields.
pub fn key_metadata(key: &AliKey, with_protection: bool) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: &str| {
        m.insert(k.to_string(), Value::String(v.to_string()));
    };
    put("CreationDate", &key.creation_date);
    put("Description", &key.description);
    put("KeyId", &key.key_id);
    put("KeySpec", &key.key_spec);
    put("KeyState", &key.key_state);
    put("KeyUsage", &key.key_usage);
    put("PrimaryKeyVersion", key.primary_version());
    put("DeleteDate", &key.delete_date);
    put("Creator", IDENTITY.account);
    put("Arn", &IDENTITY.key_arn(&key.key_id));
    put("Origin", &key.origin);
    put("MaterialExpireTime", &key.material_expire_time);
    put("ProtectionLevel", &key.protection_level);
    put("LastRotationDate", key.last_rotation_date());
    put("AutomaticRotation", &key.automatic_rotation);
    if !key.rotation_interval.is_empty() {
        put("RotationInterval", &key.rotation_interval);
    }
    if !key.next_rotation_date.is_empty() {
        put("NextRotationDate", &key.next_rotation_date);
    }
    if !key.dkms_instance_id.is_empty() {
        put("DKMSInstanceId", &key.dkms_instance_id);
    }
    if with_protection {
        put("DeletionProtection", &key.deletion_protection);
        put(
            "DeletionProtectionDescription",
            &key.deletion_protection_description,
        );
    }
    Value::Object(m)
}

/// A list body: `{<outer>: {<inner>: items}, TotalCount, PageNumber, PageSize}`, with the
/// list-shape deviations of `cfg`.
pub fn list_body(
    outer: &str,
    inner: &str,
    items: Vec<Value>,
    total: usize,
    page: Page,
    cfg: &Config,
) -> Value {
    let mut m = Map::new();
    let mut wrapper = Map::new();
    let list = if items.is_empty() && cfg.deviates(Deviation::NullEmptyList) {
        Value::Null
    } else {
        Value::Array(items)
    };
    wrapper.insert(inner.to_string(), list);
    m.insert(outer.to_string(), Value::Object(wrapper));
    let total = if cfg.deviates(Deviation::TotalCountOffByOne) {
        total + 1
    } else if cfg.deviates(Deviation::TotalCountTooLow) {
        total.saturating_sub(1)
    } else {
        total
    };
    let total = if cfg.deviates(Deviation::TotalCountString) {
        json!(total.to_string())
    } else {
        json!(total)
    };
    m.insert("TotalCount".into(), total);
    let number = if cfg.deviates(Deviation::PageNumberEchoWrong) {
        1
    } else {
        page.number
    };
    m.insert("PageNumber".into(), json!(number));
    m.insert("PageSize".into(), json!(page.size));
    Value::Object(m)
}

/// One `Keys.Key[]` item.
pub fn key_item(key: &AliKey) -> Value {
    let mut m = Map::with_capacity(2);
    m.insert("KeyId".to_owned(), Value::String(key.key_id.clone()));
    m.insert(
        "KeyArn".to_owned(),
        Value::String(IDENTITY.key_arn(&key.key_id)),
    );
    Value::Object(m)
}

/// One `Aliases.Alias[]` item.
pub fn alias_item(alias: &AliAlias) -> Value {
    json!({
        "AliasName": alias.alias_name,
        "KeyId": alias.key_id,
        "AliasArn": IDENTITY.alias_arn(&alias.alias_name),
    })
}
