//! Resolving a `KeyId` parameter: a key id, a key ARN, an alias name or an alias ARN (A8).

use super::super::identity::IDENTITY;
use super::super::state::{AliKey, AliState};
use super::errors::AliError;

/// What a `KeyId` value names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum KeyRef<'a> {
    /// A key id (from a plain id or a key ARN of this account and region).
    Id(&'a str),
    /// An alias name with its `alias/` prefix (plain or from an alias ARN).
    Alias(&'a str),
}

impl<'a> KeyRef<'a> {
    /// Classifies a `KeyId` value. ARNs of another account or region keep their full text as
    /// the id, so they are not found.
    pub(super) fn parse(raw: &'a str) -> Self {
        let prefix = IDENTITY.arn_prefix();
        if let Some(rest) = raw.strip_prefix(prefix.as_str()) {
            if let Some(id) = rest.strip_prefix("key/") {
                return KeyRef::Id(id);
            }
            if rest.starts_with("alias/") {
                return KeyRef::Alias(rest);
            }
            return KeyRef::Id(raw);
        }
        if raw.starts_with("alias/") {
            KeyRef::Alias(raw)
        } else {
            KeyRef::Id(raw)
        }
    }
}

/// Finds the index of the key a `KeyId` names. With `allow_alias` false, an alias is
/// 400 `Unsupported.Alias`; an unknown key is 404 `Forbidden.KeyNotFound` and an unknown alias
/// 404 `Forbidden.AliasNotFound`.
pub(super) fn resolve(state: &AliState, raw: &str, allow_alias: bool) -> Result<usize, AliError> {
    let id = match KeyRef::parse(raw) {
        KeyRef::Id(id) => id,
        KeyRef::Alias(name) => {
            if !allow_alias {
                return Err(AliError::unsupported_alias());
            }
            state
                .alias(name)
                .map(|a| a.key_id.as_str())
                .ok_or_else(AliError::alias_not_found)?
        }
    };
    state
        .keys
        .iter()
        .position(|k| k.key_id == id)
        .ok_or_else(AliError::key_not_found)
}

/// Like [`resolve`], returning the key itself.
pub(super) fn resolve_key<'s>(
    state: &'s AliState,
    raw: &str,
    allow_alias: bool,
) -> Result<&'s AliKey, AliError> {
    let i = resolve(state, raw, allow_alias)?;
    state.keys.get(i).ok_or_else(AliError::key_not_found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_arns_and_aliases_are_told_apart() {
        assert_eq!(KeyRef::parse("abc"), KeyRef::Id("abc"));
        assert_eq!(KeyRef::parse("alias/x"), KeyRef::Alias("alias/x"));
        let arn = IDENTITY.key_arn("abc");
        assert_eq!(KeyRef::parse(&arn), KeyRef::Id("abc"));
        let aarn = IDENTITY.alias_arn("alias/x");
        assert_eq!(KeyRef::parse(&aarn), KeyRef::Alias("alias/x"));
        let foreign = "acs:kms:cn-beijing:1:key/abc";
        assert_eq!(KeyRef::parse(foreign), KeyRef::Id(foreign));
    }
}
