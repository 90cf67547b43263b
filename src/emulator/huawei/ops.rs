//! The Huawei operations: each validates its input, reads or changes the state, and returns
//! the success status with its body (none for 204).

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::super::config::Config;
use super::super::deviation::Deviation;
use super::super::identity::IDENTITY;
use super::super::ids::{now_millis, now_rfc3339, uuid_v4};
use super::super::reading;
use super::super::state::{HwAlias, HwKey, HwState};
use super::errors::HwError;
use super::fields::{self, JsonBody};
use super::wire::{alias_entity, is_asymmetric, key_details};

/// The most keys the emulator holds (400 `KMS.1105` beyond).
pub(super) const MAX_KEYS: usize = 10_000;
/// The most aliases the emulator holds (400 `KMS.1105` beyond).
pub(super) const MAX_ALIASES: usize = 10_000;

/// A success: the status and the body (None for an empty body).
pub(super) type Success = (StatusCode, Option<Value>);

/// Checks a `key_id` value (H4), unless [`Deviation::HuaweiBadKeyIdAccepted`] skips the check.
fn checked_key_id<'a>(raw: &'a str, cfg: &Config) -> Result<&'a str, HwError> {
    if cfg.deviates(Deviation::HuaweiBadKeyIdAccepted) {
        Ok(raw)
    } else {
        fields::key_id(raw)
    }
}

/// Reads a required, valid `key_id` (after [`JsonBody::require`]).
fn body_key_id(body: &JsonBody, cfg: &Config) -> Result<String, HwError> {
    let raw = body
        .opt_str("key_id", HwError::invalid_key_id)?
        .ok_or_else(|| HwError::missing("key_id"))?;
    Ok(checked_key_id(raw, cfg)?.to_string())
}

/// Reads a required, valid alias field (after [`JsonBody::require`]); the alias deviations lift
/// the length bound or the `/default` rule.
fn body_alias(body: &JsonBody, name: &str, cfg: &Config) -> Result<String, HwError> {
    let raw = body
        .opt_str(name, HwError::invalid_alias)?
        .ok_or_else(|| HwError::missing(name))?;
    let max_len = if cfg.deviates(Deviation::HuaweiLongAliasAccepted) {
        usize::MAX
    } else {
        fields::MAX_ALIAS_LEN
    };
    let suffix_ok = cfg.deviates(Deviation::HuaweiDefaultSuffixAccepted);
    Ok(fields::alias_rule(raw, max_len, suffix_ok)?.to_string())
}

/// True when `alias` is taken in the project, unless uniqueness is off
/// ([`Deviation::HuaweiDuplicateAliasAccepted`]).
fn alias_taken(state: &HwState, alias: &str, cfg: &Config) -> bool {
    state.alias_taken(alias) && !cfg.deviates(Deviation::HuaweiDuplicateAliasAccepted)
}

/// True when the key is pending deletion and that refuses alias changes (H10).
fn refuses_pending_deletion(key: &HwKey, cfg: &Config) -> bool {
    key.key_state == "4" && !cfg.deviates(Deviation::HuaweiPendingDeletionAccepted)
}

/// The index of an existing key (404 `KMS.0207`).
fn find_key(state: &HwState, key_id: &str) -> Result<usize, HwError> {
    state
        .keys
        .iter()
        .position(|k| k.key_id == key_id)
        .ok_or_else(HwError::key_not_found)
}

/// `POST /kms/aliases`: binds a new alias to a key; 201 with the alias entity.
pub(super) fn create_alias(
    state: &mut HwState,
    body: &JsonBody,
    cfg: &Config,
) -> Result<Success, HwError> {
    body.require(&["key_id", "alias"])?;
    let key_id = body_key_id(body, cfg)?;
    let alias = body_alias(body, "alias", cfg)?;
    // Reading `required` of `alias-prefix`: the alias API's names carry the `alias/` prefix. (A key's
    // own `key_alias`, of CreateKey and UpdateKeyAlias, is another name and keeps its rule.)
    if cfg.readings.is(reading::ALIAS_PREFIX, "required") && !alias.starts_with("alias/") {
        return Err(HwError::invalid_alias());
    }
    let index = find_key(state, &key_id)?;
    if refuses_pending_deletion(&state.keys[index], cfg) {
        return Err(HwError::pending_deletion());
    }
    if alias_taken(state, &alias, cfg) {
        return Err(HwError::duplicate_alias());
    }
    if state.aliases.len() >= MAX_ALIASES {
        return Err(HwError::too_many());
    }
    let now = now_rfc3339();
    let entity = HwAlias {
        alias,
        key_id,
        create_time: now.clone(),
        update_time: now,
    };
    let mut out = alias_entity(&entity, cfg);
    if cfg.deviates(Deviation::HuaweiKeyIdFormat) {
        out["key_id"] = entity.key_id.to_uppercase().into();
    }
    state.aliases.push(entity);
    let status = if cfg.deviates(Deviation::HuaweiCreateAlias200) {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Some(out)))
}

/// `GET /kms/aliases?key_id=&limit=&marker=`: one page of aliases, as one object
/// `{"aliases": [...], "page_info": {...}}` (H13: the object that Huawei's Terraform provider
/// decodes and every edition of the page's example that was read shows).
pub(super) fn list_aliases(
    state: &mut HwState,
    query: &[(String, String)],
    cfg: &Config,
) -> Result<Success, HwError> {
    let get = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };
    let key_id = get("key_id").map(|k| checked_key_id(k, cfg)).transpose()?;
    let limit = get("limit")
        .map(|v| fields::parse_int(v).ok_or_else(HwError::invalid_limit))
        .transpose()?;
    let marker = get("marker")
        .map(|v| fields::parse_int(v).ok_or_else(HwError::invalid_marker))
        .transpose()?;
    let (limit, offset) = fields::paging(limit, marker)?;
    if let Some(id) = key_id {
        find_key(state, id)?;
    }
    let matching: Vec<&HwAlias> = state
        .aliases
        .iter()
        .filter(|a| key_id.is_none_or(|id| a.key_id == id))
        .collect();
    let (items, next_marker) = fields::page(&matching, limit, offset);
    let aliases: Vec<Value> = items.iter().map(|a| alias_entity(a, cfg)).collect();
    let count = aliases.len();
    let page = json!({
        "aliases": aliases,
        "page_info": { "next_marker": next_marker, "current_count": count },
    });
    let body = if cfg.deviates(Deviation::HuaweiListAliasesArray) {
        json!([page])
    } else {
        page
    };
    Ok((StatusCode::OK, Some(body)))
}

/// `DELETE /kms/aliases` with `{"key_id", "aliases": [...]}`: removes aliases of one key,
/// all or none; 204 without a body.
pub(super) fn delete_alias(
    state: &mut HwState,
    body: &JsonBody,
    cfg: &Config,
) -> Result<Success, HwError> {
    body.require(&["key_id", "aliases"])?;
    let key_id = body_key_id(body, cfg)?;
    let names: Vec<&str> = match body.get("aliases") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().ok_or_else(|| HwError::invalid_param("aliases")))
            .collect::<Result<_, _>>()?,
        _ => return Err(HwError::invalid_param("aliases")),
    };
    if names.is_empty() {
        return Err(HwError::missing("aliases"));
    }
    find_key(state, &key_id)?;
    if let Some(missing) = names.iter().find(|n| {
        !state
            .aliases
            .iter()
            .any(|a| a.alias == **n && a.key_id == key_id)
    }) {
        return Err(HwError::invalid_param(&format!(
            "aliases ({missing} is not an alias of the key)"
        )));
    }
    state
        .aliases
        .retain(|a| !(a.key_id == key_id && names.contains(&a.alias.as_str())));
    if cfg.deviates(Deviation::HuaweiDeleteAlias200) {
        return Ok((StatusCode::OK, Some(json!({}))));
    }
    Ok((StatusCode::NO_CONTENT, None))
}

/// `POST /kms/update-key-alias`: renames a key's own alias (H6, H8–H10).
pub(super) fn update_key_alias(
    state: &mut HwState,
    body: &JsonBody,
    cfg: &Config,
) -> Result<Success, HwError> {
    body.require(&["key_id", "key_alias"])?;
    let key_id = body_key_id(body, cfg)?;
    let new_alias = body_alias(body, "key_alias", cfg)?;
    fields::sequence(body)?;
    let index = find_key(state, &key_id)?;
    let key = &state.keys[index];
    let default_key = key.is_default();
    if default_key && !cfg.deviates(Deviation::HuaweiDefaultKeyUpdateAccepted) {
        return Err(HwError::default_key());
    }
    if refuses_pending_deletion(key, cfg) {
        return Err(HwError::pending_deletion());
    }
    if key.key_alias != new_alias && alias_taken(state, &new_alias, cfg) {
        return Err(HwError::duplicate_alias());
    }
    let old_alias = std::mem::replace(&mut state.keys[index].key_alias, new_alias.clone());
    let echoed = if cfg.deviates(Deviation::HuaweiUpdateEchoesOldAlias) {
        old_alias
    } else {
        new_alias
    };
    Ok((
        StatusCode::OK,
        Some(json!({"key_info": {"key_id": key_id, "key_alias": echoed}})),
    ))
}

/// The bounds of `pending_days` (SDK `ScheduleKeyDeletionRequestBody`: "取值为7到1096").
pub(super) const PENDING_DAYS: std::ops::RangeInclusive<i64> = 7..=1096;

/// `POST /kms/schedule-key-deletion` (the SDK's `DeleteKey`): schedules a key's deletion in
/// `pending_days` days (7 to 1096, a string on the wire); 200 with `key_id` and `key_state`
/// "4" (pending deletion). A Default Master Key is refused (`KMS.0211`), and a key already
/// pending deletion is `KMS.0210` (our choice: the pages name no code for it).
pub(super) fn schedule_key_deletion(
    state: &mut HwState,
    body: &JsonBody,
    cfg: &Config,
) -> Result<Success, HwError> {
    body.require(&["key_id", "pending_days"])?;
    let key_id = body_key_id(body, cfg)?;
    let days = body
        .opt_int("pending_days", || HwError::invalid_param("pending_days"))?
        .ok_or_else(|| HwError::missing("pending_days"))?;
    if !PENDING_DAYS.contains(&days) {
        return Err(HwError::invalid_param("pending_days"));
    }
    fields::sequence(body)?;
    let index = find_key(state, &key_id)?;
    let key = &mut state.keys[index];
    if key.is_default() {
        return Err(HwError::default_key());
    }
    if key.key_state == "4" {
        return Err(HwError::pending_deletion());
    }
    let now: i64 = now_millis().parse().unwrap_or(0);
    key.key_state = "4".into();
    key.scheduled_deletion_date = (now + days * 86_400_000).to_string();
    Ok((
        StatusCode::OK,
        Some(json!({"key_id": key_id, "key_state": "4"})),
    ))
}

/// Key specs create-key accepts (SDK `CreateKeyRequestBody`).
const SPECS: &[&str] = &[
    "AES_256",
    "SM4",
    "RSA_2048",
    "RSA_3072",
    "RSA_4096",
    "EC_P256",
    "EC_P384",
    "SECP256K1",
    "SM2",
    "ED25519",
    "HMAC_256",
    "HMAC_384",
    "HMAC_512",
    "HMAC_SM3",
];

/// The usages a spec allows, the first being the default.
fn usages_of(spec: &str) -> &'static [&'static str] {
    if spec.starts_with("HMAC_") {
        &["GENERATE_VERIFY_MAC"]
    } else if matches!(spec, "RSA_2048" | "RSA_3072" | "RSA_4096" | "SM2") {
        &["SIGN_VERIFY", "ENCRYPT_DECRYPT"]
    } else if is_asymmetric(spec) {
        &["SIGN_VERIFY"]
    } else {
        &["ENCRYPT_DECRYPT"]
    }
}

/// `POST /kms/create-key`: a new key; 200 with `key_info` (`key_id`, `domain_id`, `region_id`).
pub(super) fn create_key(
    state: &mut HwState,
    body: &JsonBody,
    cfg: &Config,
) -> Result<Success, HwError> {
    body.require(&["key_alias"])?;
    let key_alias = body_alias(body, "key_alias", cfg)?;
    let spec = body
        .opt_str("key_spec", || HwError::invalid_param("key_spec"))?
        .unwrap_or("AES_256");
    if !SPECS.contains(&spec) {
        return Err(HwError::invalid_param("key_spec"));
    }
    let usages = usages_of(spec);
    let usage = body
        .opt_str("key_usage", || HwError::invalid_param("key_usage"))?
        .unwrap_or(usages[0]);
    if !usages.contains(&usage) {
        return Err(HwError::invalid_param("key_usage"));
    }
    let description = body
        .opt_str("key_description", || {
            HwError::invalid_param("key_description")
        })?
        .unwrap_or("");
    if description.chars().count() > 255 {
        return Err(HwError::invalid_param("key_description"));
    }
    let origin = body
        .opt_str("origin", || HwError::invalid_param("origin"))?
        .unwrap_or("kms");
    let origin_ok = origin == "kms" || (origin == "external" && !is_asymmetric(spec));
    if !origin_ok {
        return Err(HwError::invalid_param("origin"));
    }
    fields::sequence(body)?;
    if alias_taken(state, &key_alias, cfg) {
        return Err(HwError::duplicate_alias());
    }
    if state.keys.len() >= MAX_KEYS {
        return Err(HwError::too_many());
    }
    let key = HwKey {
        key_id: uuid_v4(),
        key_alias,
        key_description: description.into(),
        key_spec: spec.into(),
        key_usage: usage.into(),
        key_state: if origin == "external" { "5" } else { "2" }.into(),
        default_key: false,
        creation_date: now_millis(),
        scheduled_deletion_date: String::new(),
        origin: origin.into(),
    };
    let out = json!({"key_info": {
        "key_id": key.key_id,
        "domain_id": IDENTITY.domain_id,
        "region_id": IDENTITY.huawei_region,
    }});
    state.keys.push(key);
    Ok((StatusCode::OK, Some(out)))
}

/// Key specs list-keys filters on; `ALL` lists every spec, and absent means `AES_256`.
const LIST_SPECS: &[&str] = &[
    "AES_256", "SM4", "RSA_2048", "RSA_3072", "RSA_4096", "EC_P256", "EC_P384", "SM2", "ALL",
];

/// `POST /kms/list-keys`: keys in creation order, filtered by `key_state` and `key_spec`, one
/// page from `marker` (an offset) of `limit` keys (H14).
pub(super) fn list_keys(
    state: &mut HwState,
    body: &JsonBody,
    cfg: &Config,
) -> Result<Success, HwError> {
    let limit = body.opt_int("limit", HwError::invalid_limit)?;
    let marker = body.opt_int("marker", HwError::invalid_marker)?;
    let (limit, offset) = fields::paging(limit, marker)?;
    let key_state = body
        .opt_str("key_state", || HwError::invalid_param("key_state"))?
        .filter(|s| !s.is_empty());
    if let Some(s) = key_state
        && !matches!(s, "1" | "2" | "3" | "4" | "5")
    {
        return Err(HwError::invalid_param("key_state"));
    }
    let spec = body
        .opt_str("key_spec", || HwError::invalid_param("key_spec"))?
        .filter(|s| !s.is_empty())
        .unwrap_or("AES_256");
    if !LIST_SPECS.contains(&spec) {
        return Err(HwError::invalid_param("key_spec"));
    }
    fields::sequence(body)?;
    let matching: Vec<&HwKey> = state
        .keys
        .iter()
        .filter(|k| key_state.is_none_or(|s| k.key_state == s))
        .filter(|k| spec == "ALL" || k.key_spec == spec)
        .collect();
    let (items, next_marker) = fields::page(&matching, limit, offset);
    let truncated = !next_marker.is_empty();
    let total = if cfg.deviates(Deviation::HuaweiTotalString) {
        json!(matching.len().to_string())
    } else {
        json!(matching.len())
    };
    Ok((
        StatusCode::OK,
        Some(json!({
            "keys": items.iter().map(|k| k.key_id.clone()).collect::<Vec<_>>(),
            "key_details": items.iter().map(|k| key_details(k)).collect::<Vec<_>>(),
            "next_marker": next_marker,
            "truncated": if truncated { "true" } else { "false" },
            "total": total,
        })),
    ))
}
