//! The in-memory state of both clouds: plain data, cloned from the seed at start-up.
//!
//! Lists are kept in creation order (interpretation A13), so every listing is stable.

/// The whole emulator state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    /// Alibaba Cloud KMS keys and aliases.
    pub alibaba: AliState,
    /// Huawei Cloud KMS keys and aliases.
    pub huawei: HwState,
}

/// Alibaba keys (in creation order) and aliases (in creation order).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AliState {
    /// Every key, oldest first.
    pub keys: Vec<AliKey>,
    /// Every alias, oldest first.
    pub aliases: Vec<AliAlias>,
}

/// One Alibaba customer master key; every field is the wire string of `KeyMetadata`.
#[derive(Debug, Clone, PartialEq)]
pub struct AliKey {
    /// `KeyId`: a UUID or a KMS-instance id such as `key-hzz…`.
    pub key_id: String,
    /// `KeySpec`, e.g. `Aliyun_AES_256`, `RSA_2048`, `EC_P256`.
    pub key_spec: String,
    /// `KeyUsage`: `ENCRYPT/DECRYPT` or `SIGN/VERIFY`.
    pub key_usage: String,
    /// `KeyState`: `Enabled`, `Disabled`, `PendingDeletion` or `PendingImport`.
    pub key_state: String,
    /// `ProtectionLevel`: `SOFTWARE` or `HSM`.
    pub protection_level: String,
    /// `Origin`: `Aliyun_KMS` or `EXTERNAL`.
    pub origin: String,
    /// `Description`.
    pub description: String,
    /// `CreationDate`, `YYYY-MM-DDTHH:MM:SSZ`.
    pub creation_date: String,
    /// The ListKeys `CreatorType` filter value: `User` or `Service`.
    pub creator_type: String,
    /// `DKMSInstanceId`; empty for keys of the shared KMS.
    pub dkms_instance_id: String,
    /// `AutomaticRotation`: `Enabled`, `Disabled` or `Suspended`.
    pub automatic_rotation: String,
    /// `RotationInterval`, e.g. `31536000s`; empty when rotation is off.
    pub rotation_interval: String,
    /// `NextRotationDate`; empty when rotation is off.
    pub next_rotation_date: String,
    /// `DeleteDate`; set only for `PendingDeletion` keys.
    pub delete_date: String,
    /// `MaterialExpireTime`; empty when the material does not expire.
    pub material_expire_time: String,
    /// `DeletionProtection`: `Enabled` or `Disabled`.
    pub deletion_protection: String,
    /// `DeletionProtectionDescription`.
    pub deletion_protection_description: String,
    /// Key versions, oldest first; the last one is the primary version.
    pub versions: Vec<AliKeyVersion>,
}

/// One version of an Alibaba key.
#[derive(Debug, Clone, PartialEq)]
pub struct AliKeyVersion {
    /// `KeyVersionId`.
    pub key_version_id: String,
    /// `CreationDate`, `YYYY-MM-DDTHH:MM:SSZ`.
    pub creation_date: String,
}

/// One Alibaba alias: a name bound to one key.
#[derive(Debug, Clone, PartialEq)]
pub struct AliAlias {
    /// `AliasName`, including the `alias/` prefix.
    pub alias_name: String,
    /// The `KeyId` it points to.
    pub key_id: String,
}

/// Huawei keys (in creation order) and aliases of the alias API (in creation order).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HwState {
    /// Every key, oldest first.
    pub keys: Vec<HwKey>,
    /// Every alias created through the alias API, oldest first.
    pub aliases: Vec<HwAlias>,
}

/// One Huawei key; string fields are the wire strings of `key_details`.
#[derive(Debug, Clone, PartialEq)]
pub struct HwKey {
    /// `key_id`: a lowercase UUID.
    pub key_id: String,
    /// `key_alias`: the key's own alias (create-key, update-key-alias).
    pub key_alias: String,
    /// `key_description`.
    pub key_description: String,
    /// `key_spec`, e.g. `AES_256`, `RSA_2048`.
    pub key_spec: String,
    /// `key_usage`: `ENCRYPT_DECRYPT` or `SIGN_VERIFY`.
    pub key_usage: String,
    /// `key_state`: "1" pending activation, "2" enabled, "3" disabled, "4" pending deletion,
    /// "5" pending import.
    pub key_state: String,
    /// True for a Default Master Key (`default_key_flag` "1", alias ending `/default`).
    pub default_key: bool,
    /// `creation_date`: milliseconds since the epoch, as a string.
    pub creation_date: String,
    /// `scheduled_deletion_date`: milliseconds since the epoch, or empty.
    pub scheduled_deletion_date: String,
    /// `origin`: `kms` or `external`.
    pub origin: String,
}

impl HwKey {
    /// True for a Default Master Key: flagged so, or its alias ends in `/default`.
    pub fn is_default(&self) -> bool {
        self.default_key || self.key_alias.ends_with("/default")
    }
}

/// One Huawei alias of the alias API (`/kms/aliases`).
#[derive(Debug, Clone, PartialEq)]
pub struct HwAlias {
    /// `alias`.
    pub alias: String,
    /// The `key_id` it points to.
    pub key_id: String,
    /// `create_time`, `YYYY-MM-DDTHH:MM:SSZ`.
    pub create_time: String,
    /// `update_time`, `YYYY-MM-DDTHH:MM:SSZ`.
    pub update_time: String,
}

impl AliState {
    /// The key with this exact id.
    pub fn key(&self, key_id: &str) -> Option<&AliKey> {
        self.keys.iter().find(|k| k.key_id == key_id)
    }

    /// The alias with this exact name.
    pub fn alias(&self, alias_name: &str) -> Option<&AliAlias> {
        self.aliases.iter().find(|a| a.alias_name == alias_name)
    }
}

impl AliKey {
    /// The id of the primary (latest) version, or empty when the key has none.
    pub fn primary_version(&self) -> &str {
        self.versions
            .last()
            .map(|v| v.key_version_id.as_str())
            .unwrap_or("")
    }

    /// The date of the latest rotation: the creation date of the primary version.
    pub fn last_rotation_date(&self) -> &str {
        self.versions
            .last()
            .map(|v| v.creation_date.as_str())
            .unwrap_or(self.creation_date.as_str())
    }
}

impl HwState {
    /// The key with this exact id.
    pub fn key(&self, key_id: &str) -> Option<&HwKey> {
        self.keys.iter().find(|k| k.key_id == key_id)
    }

    /// True when `name` is taken in the project, as a key's `key_alias` or as an alias.
    pub fn alias_taken(&self, name: &str) -> bool {
        self.keys.iter().any(|k| k.key_alias == name)
            || self.aliases.iter().any(|a| a.alias == name)
    }
}
