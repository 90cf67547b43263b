//! Alibaba response bodies in the real wire shape (kms-wire-facts A1): wrapped lists
//! (`Keys.Key[]`, `Aliases.Alias[]`, `KeyVersions.KeyVersion[]`) and all-string `KeyMetadata`.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value, json};

use super::super::config::Config;
use super::super::deviation::Deviation;
use super::super::identity::IDENTITY;
use super::super::state::{AliAlias, AliKey};
use super::params::Page;

/// `KeyMetadata` of CreateKey; DescribeKey adds the deletion-protection fields.
pub(super) fn key_metadata(key: &AliKey, with_protection: bool) -> Value {
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

/// What an operation answers, before `RequestId` is added: a JSON object, or a list page.
#[derive(Debug, Clone)]
pub(super) enum Body {
    /// Any object.
    Map(Value),
    /// A list page, written straight from its items (see [`List`]).
    List(List),
}

impl Body {
    /// The answer as a JSON value.
    pub(super) fn into_value(self) -> Value {
        match self {
            Body::Map(v) => v,
            Body::List(l) => l.into_value(),
        }
    }
}

/// One item of a list page: string members in order (every Alibaba list item is all strings).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Item(Vec<(&'static str, String)>);

impl Item {
    /// An item with room for `n` members.
    pub(super) fn with_capacity(n: usize) -> Item {
        Item(Vec::with_capacity(n))
    }

    /// The item with one more member.
    pub(super) fn with(mut self, name: &'static str, value: impl Into<String>) -> Item {
        self.0.push((name, value.into()));
        self
    }

    /// Replaces a member's value (in its place), or adds the member.
    pub(super) fn set(&mut self, name: &'static str, value: impl Into<String>) {
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| *k == name) {
            Some((_, v)) => *v = value,
            None => self.0.push((name, value)),
        }
    }
}

impl Serialize for Item {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// A list page: `{<outer>: {<inner>: items}, TotalCount, PageNumber, PageSize}`, with the
/// list-shape deviations applied. It is written without building a JSON value per item: the
/// ListKeys page is made on every request, and building and freeing a map for each key was most
/// of the emulator's own work per request (docs/benchmarks.md).
#[derive(Debug, Clone)]
pub(super) struct List {
    outer: &'static str,
    inner: &'static str,
    /// `None` is written as `null` ([`Deviation::NullEmptyList`]).
    items: Option<Vec<Item>>,
    /// The items directly under `outer`, without the inner wrapper.
    bare: bool,
    total: Value,
    page_number: i64,
    page_size: i64,
}

impl List {
    /// A page of `items` out of `total`, with the list-shape deviations of `cfg`.
    pub(super) fn new(
        outer: &'static str,
        inner: &'static str,
        items: Vec<Item>,
        total: usize,
        page: Page,
        cfg: &Config,
    ) -> List {
        let items = if items.is_empty() && cfg.deviates(Deviation::NullEmptyList) {
            None
        } else {
            Some(items)
        };
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
        let page_number = if cfg.deviates(Deviation::PageNumberEchoWrong) {
            1
        } else {
            page.number
        };
        List {
            outer,
            inner,
            items,
            bare: false,
            total,
            page_number,
            page_size: page.size,
        }
    }

    /// Puts the items directly under the outer member ([`Deviation::KeysBareArray`]).
    pub(super) fn bare(mut self) -> List {
        self.bare = true;
        self
    }

    /// The page as a JSON value, members in the order they are written (for the answers
    /// that are changed after the fact: XML, and deviations that wrap or reorder the page).
    pub(super) fn into_value(self) -> Value {
        serde_json::to_value(self.with_request_id(None)).unwrap_or(Value::Null)
    }

    /// The page with `RequestId` last, ready to write as JSON; the same members, in the same
    /// order, as [`List::into_value`] with the id added.
    pub(super) fn with_request_id<'a>(
        &'a self,
        request_id: Option<&'a str>,
    ) -> impl Serialize + 'a {
        Reply {
            list: self,
            request_id,
        }
    }
}

/// A list page and its `RequestId`, as written.
struct Reply<'a> {
    list: &'a List,
    request_id: Option<&'a str>,
}

impl Serialize for Reply<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let l = self.list;
        let mut m = s.serialize_map(None)?;
        match (&l.items, l.bare) {
            (Some(items), true) => m.serialize_entry(l.outer, items)?,
            (None, true) => m.serialize_entry(l.outer, &Value::Null)?,
            (items, false) => m.serialize_entry(l.outer, &Wrapped(l.inner, items.as_deref()))?,
        }
        m.serialize_entry("TotalCount", &l.total)?;
        m.serialize_entry("PageNumber", &l.page_number)?;
        m.serialize_entry("PageSize", &l.page_size)?;
        if let Some(id) = self.request_id {
            m.serialize_entry("RequestId", id)?;
        }
        m.end()
    }
}

/// `{<inner>: items}` (`null` items for `None`).
struct Wrapped<'a>(&'static str, Option<&'a [Item]>);

impl Serialize for Wrapped<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(self.0, &self.1)?;
        m.end()
    }
}

/// One `Keys.Key[]` item.
pub(super) fn key_item(key: &AliKey) -> Item {
    Item::with_capacity(2)
        .with("KeyId", key.key_id.as_str())
        .with("KeyArn", IDENTITY.key_arn(&key.key_id))
}

/// One `Aliases.Alias[]` item.
pub(super) fn alias_item(alias: &AliAlias) -> Item {
    Item::with_capacity(3)
        .with("AliasName", alias.alias_name.as_str())
        .with("KeyId", alias.key_id.as_str())
        .with("AliasArn", IDENTITY.alias_arn(&alias.alias_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The wire shape of a page, with the list-shape deviations: members in the documented
    /// order, `RequestId` last.
    #[test]
    fn a_page_is_written_in_the_documented_shape() {
        let items = vec![
            Item::default().with("KeyId", "k1").with("KeyArn", "a1"),
            Item::default().with("KeyId", "k2").with("KeyArn", "a2"),
        ];
        let page = Page { number: 2, size: 2 };
        let with = |d: Option<Deviation>| Config {
            deviations: d.into_iter().collect(),
            ..Config::default()
        };
        let written = |list: &List, id| serde_json::to_string(&list.with_request_id(id)).unwrap();
        let faithful = List::new("Keys", "Key", items.clone(), 7, page, &with(None));
        assert_eq!(
            written(&faithful, Some("r-1")),
            r#"{"Keys":{"Key":[{"KeyId":"k1","KeyArn":"a1"},{"KeyId":"k2","KeyArn":"a2"}]},"TotalCount":7,"PageNumber":2,"PageSize":2,"RequestId":"r-1"}"#
        );
        assert_eq!(
            faithful.clone().into_value().to_string(),
            written(&faithful, None),
            "the value form is the written form"
        );
        let cases = [
            (
                Deviation::NullEmptyList,
                vec![],
                false,
                r#"{"Keys":{"Key":null},"TotalCount":7,"PageNumber":2,"PageSize":2}"#,
            ),
            (
                Deviation::NullEmptyList,
                vec![],
                true,
                r#"{"Keys":null,"TotalCount":7,"PageNumber":2,"PageSize":2}"#,
            ),
            (
                Deviation::KeysBareArray,
                items.clone(),
                true,
                r#"{"Keys":[{"KeyId":"k1","KeyArn":"a1"},{"KeyId":"k2","KeyArn":"a2"}],"TotalCount":7,"PageNumber":2,"PageSize":2}"#,
            ),
            (
                Deviation::TotalCountString,
                vec![],
                false,
                r#"{"Keys":{"Key":[]},"TotalCount":"7","PageNumber":2,"PageSize":2}"#,
            ),
            (
                Deviation::TotalCountOffByOne,
                vec![],
                false,
                r#"{"Keys":{"Key":[]},"TotalCount":8,"PageNumber":2,"PageSize":2}"#,
            ),
            (
                Deviation::PageNumberEchoWrong,
                vec![],
                false,
                r#"{"Keys":{"Key":[]},"TotalCount":7,"PageNumber":1,"PageSize":2}"#,
            ),
        ];
        for (d, items, bare, want) in cases {
            let mut list = List::new("Keys", "Key", items, 7, page, &with(Some(d)));
            if bare {
                list = list.bare();
            }
            assert_eq!(written(&list, None), want, "{d:?}");
        }
    }
}
