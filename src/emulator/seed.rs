//! The built-in seed: a fixed, deterministic state with every key state, spec and usage.
//!
//! Ids are derived from labels and dates are fixed, so two emulators started from the default
//! seed answer the same. The first key in creation order (the first that ListKeys returns) has
//! more than 10 aliases and more than 10 versions, so walks with a small PageSize span pages.

use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use super::ids::{rfc3339, uuid_from_label};
use super::state::{AliAlias, AliKey, AliKeyVersion, AliState, HwAlias, HwKey, HwState, State};

/// 2024-01-01T00:00:00Z, the origin of every seeded date.
const SEED_EPOCH: i64 = 1_704_067_200;

/// One row of the Alibaba seed table.
struct AliRow {
    spec: &'static str,
    usage: &'static str,
    state: &'static str,
    protection: &'static str,
    origin: &'static str,
    creator: &'static str,
    instance: bool,
    rotation: &'static str,
    versions: usize,
    aliases: &'static [&'static str],
}

const fn row(
    spec: &'static str,
    usage: &'static str,
    state: &'static str,
    protection: &'static str,
    versions: usize,
    aliases: &'static [&'static str],
) -> AliRow {
    AliRow {
        spec,
        usage,
        state,
        protection,
        origin: "Aliyun_KMS",
        creator: "User",
        instance: false,
        rotation: "Disabled",
        versions,
        aliases,
    }
}

const ED: &str = "ENCRYPT/DECRYPT";
const SV: &str = "SIGN/VERIFY";

/// The Alibaba keys, in creation order.
fn alibaba_rows() -> Vec<AliRow> {
    vec![
        AliRow {
            rotation: "Enabled",
            ..row(
                "Aliyun_AES_256",
                ED,
                "Enabled",
                "SOFTWARE",
                12,
                &[
                    "alias/seed/primary-01",
                    "alias/seed/primary-02",
                    "alias/seed/primary-03",
                    "alias/seed/primary-04",
                    "alias/seed/primary-05",
                    "alias/seed/primary-06",
                    "alias/seed/primary-07",
                    "alias/seed/primary-08",
                    "alias/seed/primary-09",
                    "alias/seed/primary-10",
                    "alias/seed/primary-11",
                    "alias/seed/primary-12",
                ],
            )
        },
        row(
            "Aliyun_AES_256",
            ED,
            "Enabled",
            "HSM",
            3,
            &["alias/seed/hsm-aes"],
        ),
        row("Aliyun_SM4", ED, "Enabled", "HSM", 1, &["alias/seed/sm4"]),
        row(
            "RSA_2048",
            ED,
            "Enabled",
            "SOFTWARE",
            1,
            &["alias/seed/rsa-encrypt"],
        ),
        row("RSA_2048", SV, "Enabled", "SOFTWARE", 2, &[]),
        row(
            "EC_P256",
            SV,
            "Enabled",
            "SOFTWARE",
            1,
            &["alias/seed/ec-sign"],
        ),
        row("EC_P256K", SV, "Disabled", "SOFTWARE", 1, &[]),
        row("EC_SM2", SV, "Enabled", "HSM", 1, &[]),
        row("EC_SM2", ED, "Enabled", "HSM", 1, &[]),
        row(
            "Aliyun_AES_256",
            ED,
            "Disabled",
            "SOFTWARE",
            2,
            &["alias/seed/disabled"],
        ),
        row(
            "Aliyun_AES_256",
            ED,
            "PendingDeletion",
            "SOFTWARE",
            1,
            &["alias/seed/doomed"],
        ),
        AliRow {
            origin: "EXTERNAL",
            ..row(
                "Aliyun_AES_256",
                ED,
                "PendingImport",
                "SOFTWARE",
                1,
                &["alias/seed/byok"],
            )
        },
        AliRow {
            origin: "EXTERNAL",
            ..row("Aliyun_SM4", ED, "PendingImport", "HSM", 1, &[])
        },
        AliRow {
            creator: "Service",
            rotation: "Enabled",
            ..row(
                "Aliyun_AES_256",
                ED,
                "Enabled",
                "SOFTWARE",
                4,
                &["alias/acs/ecs"],
            )
        },
        AliRow {
            instance: true,
            ..row(
                "RSA_3072",
                ED,
                "Enabled",
                "HSM",
                1,
                &["alias/seed/instance-rsa"],
            )
        },
        AliRow {
            instance: true,
            ..row("Aliyun_AES_256", ED, "Enabled", "HSM", 1, &[])
        },
        row("RSA_2048", SV, "PendingDeletion", "SOFTWARE", 1, &[]),
        row("EC_P256", SV, "Disabled", "HSM", 1, &[]),
        AliRow {
            rotation: "Suspended",
            ..row("Aliyun_AES_256", ED, "Disabled", "SOFTWARE", 3, &[])
        },
        row(
            "Aliyun_SM4",
            ED,
            "Enabled",
            "SOFTWARE",
            1,
            &["alias/seed/sm4-soft"],
        ),
        row("Aliyun_AES_256", ED, "Enabled", "SOFTWARE", 2, &[]),
        row("RSA_3072", SV, "Enabled", "SOFTWARE", 1, &[]),
    ]
}

/// The fixed instant `days` days and `hours` hours after the seed epoch.
fn seed_time(days: i64, hours: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(SEED_EPOCH).unwrap_or(OffsetDateTime::UNIX_EPOCH)
        + Duration::days(days)
        + Duration::hours(hours)
}

/// A KMS-instance style key id (`key-hzz6…`) derived from a label.
fn instance_key_id(label: &str) -> String {
    let h = hex::encode(Sha256::digest(label.as_bytes()));
    format!("key-hzz6{}", &h[..17])
}

/// The default Alibaba state.
fn alibaba_state() -> AliState {
    let mut keys = Vec::new();
    let mut aliases = Vec::new();
    for (i, r) in alibaba_rows().into_iter().enumerate() {
        let i64i = i as i64;
        let label = format!("alibaba-key-{i}");
        let key_id = if r.instance {
            instance_key_id(&label)
        } else {
            uuid_from_label(&label)
        };
        let created = seed_time(i64i, i64i % 24);
        let versions: Vec<AliKeyVersion> = (0..r.versions)
            .map(|v| AliKeyVersion {
                key_version_id: uuid_from_label(&format!("{label}-version-{v}")),
                creation_date: rfc3339(created + Duration::days(30 * v as i64)),
            })
            .collect();
        let rotating = r.rotation != "Disabled";
        let next_rotation = if rotating {
            let base = created + Duration::days(30 * r.versions.saturating_sub(1) as i64);
            rfc3339(base + Duration::days(365))
        } else {
            String::new()
        };
        let pending_deletion = r.state == "PendingDeletion";
        keys.push(AliKey {
            key_id: key_id.clone(),
            key_spec: r.spec.into(),
            key_usage: r.usage.into(),
            key_state: r.state.into(),
            protection_level: r.protection.into(),
            origin: r.origin.into(),
            description: format!("specgate seed key {i:02}"),
            creation_date: rfc3339(created),
            creator_type: r.creator.into(),
            dkms_instance_id: if r.instance {
                "kst-hzz65f176a0ogplgq2y1x".into()
            } else {
                String::new()
            },
            automatic_rotation: r.rotation.into(),
            rotation_interval: if rotating {
                "31536000s".into()
            } else {
                String::new()
            },
            next_rotation_date: next_rotation,
            delete_date: if pending_deletion {
                rfc3339(seed_time(400 + i64i, 0))
            } else {
                String::new()
            },
            material_expire_time: String::new(),
            deletion_protection: "Disabled".into(),
            deletion_protection_description: String::new(),
            versions,
        });
        for name in r.aliases {
            aliases.push(AliAlias {
                alias_name: (*name).into(),
                key_id: key_id.clone(),
            });
        }
    }
    AliState { keys, aliases }
}

/// One row of the Huawei seed table: alias, spec, usage, state, default flag, origin.
type HwRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    &'static str,
);

/// The Huawei keys, in creation order.
const HUAWEI_ROWS: &[HwRow] = &[
    (
        "kms/default",
        "AES_256",
        "ENCRYPT_DECRYPT",
        "2",
        true,
        "kms",
    ),
    (
        "obs/default",
        "AES_256",
        "ENCRYPT_DECRYPT",
        "2",
        true,
        "kms",
    ),
    (
        "seed-app-1",
        "AES_256",
        "ENCRYPT_DECRYPT",
        "2",
        false,
        "kms",
    ),
    (
        "seed-app-2",
        "AES_256",
        "ENCRYPT_DECRYPT",
        "2",
        false,
        "kms",
    ),
    (
        "seed-app-3",
        "AES_256",
        "ENCRYPT_DECRYPT",
        "2",
        false,
        "kms",
    ),
    ("seed-sm4", "SM4", "ENCRYPT_DECRYPT", "2", false, "kms"),
    (
        "seed-rsa-sign",
        "RSA_2048",
        "SIGN_VERIFY",
        "2",
        false,
        "kms",
    ),
    ("seed-ec-sign", "EC_P256", "SIGN_VERIFY", "2", false, "kms"),
    (
        "seed-disabled",
        "AES_256",
        "ENCRYPT_DECRYPT",
        "3",
        false,
        "kms",
    ),
    (
        "seed-doomed",
        "AES_256",
        "ENCRYPT_DECRYPT",
        "4",
        false,
        "kms",
    ),
    (
        "seed-byok",
        "AES_256",
        "ENCRYPT_DECRYPT",
        "5",
        false,
        "external",
    ),
];

/// Aliases of the alias API: (alias, index of the key in `HUAWEI_ROWS`).
const HUAWEI_ALIASES: &[(&str, usize)] = &[
    ("seed-alias-a", 2),
    ("seed-alias-b", 2),
    ("seed-alias-c", 2),
    ("seed-alias-d", 3),
    ("seed-alias-disabled", 8),
];

/// The default Huawei state.
fn huawei_state() -> HwState {
    let day_ms: i64 = 86_400_000;
    let keys: Vec<HwKey> = HUAWEI_ROWS
        .iter()
        .enumerate()
        .map(|(i, (alias, spec, usage, state, default, origin))| {
            let created = SEED_EPOCH * 1000 + i as i64 * day_ms;
            HwKey {
                key_id: uuid_from_label(&format!("huawei-key-{i}")),
                key_alias: (*alias).into(),
                key_description: if *default {
                    "Default master key".into()
                } else {
                    format!("specgate seed key {i:02}")
                },
                key_spec: (*spec).into(),
                key_usage: (*usage).into(),
                key_state: (*state).into(),
                default_key: *default,
                creation_date: created.to_string(),
                scheduled_deletion_date: if *state == "4" {
                    (created + 400 * day_ms).to_string()
                } else {
                    String::new()
                },
                origin: (*origin).into(),
            }
        })
        .collect();
    let aliases = HUAWEI_ALIASES
        .iter()
        .enumerate()
        .filter_map(|(n, (alias, idx))| {
            let key = keys.get(*idx)?;
            let t = rfc3339(seed_time(40 + n as i64, 0));
            Some(HwAlias {
                alias: (*alias).into(),
                key_id: key.key_id.clone(),
                create_time: t.clone(),
                update_time: t,
            })
        })
        .collect();
    HwState { keys, aliases }
}

/// The built-in seed state of both clouds.
pub fn default_state() -> State {
    State {
        alibaba: alibaba_state(),
        huawei: huawei_state(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_seed_has_what_cases_rely_on() {
        let s = default_state();
        assert!(s.alibaba.keys.len() >= 20);
        let first = &s.alibaba.keys[0];
        assert!(first.versions.len() > 10);
        let n = s
            .alibaba
            .aliases
            .iter()
            .filter(|a| a.key_id == first.key_id)
            .count();
        assert!(n > 10);
        for state in ["Enabled", "Disabled", "PendingDeletion", "PendingImport"] {
            assert!(
                s.alibaba.keys.iter().any(|k| k.key_state == state),
                "{state}"
            );
        }
        for spec in ["Aliyun_AES_256", "Aliyun_SM4", "RSA_2048", "EC_P256"] {
            assert!(s.alibaba.keys.iter().any(|k| k.key_spec == spec), "{spec}");
        }
        let hw = &s.huawei;
        assert!(
            hw.keys
                .iter()
                .any(|k| k.default_key && k.key_alias == "kms/default")
        );
        assert!(hw.keys.iter().any(|k| k.key_state == "4"));
        assert!(hw.keys.iter().any(|k| k.key_state == "3"));
        assert!(hw.keys.iter().filter(|k| k.key_state == "2").count() >= 3);
        assert_eq!(default_state(), s, "the seed is deterministic");
    }

    #[test]
    fn seeded_ids_are_unique() {
        let s = default_state();
        let mut ids: Vec<&str> = s.alibaba.keys.iter().map(|k| k.key_id.as_str()).collect();
        ids.extend(s.huawei.keys.iter().map(|k| k.key_id.as_str()));
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }
}
