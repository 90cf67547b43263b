//! The kinds of a service's `volatile` fields: how a value that differs per target is masked
//! before a documented sample and a real answer are compared (see `check::mask`).

/// How a volatile field's value is masked. Read from `volatile:` in `service.yaml` (an unknown
/// name is an error there, with a did-you-mean).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VolatileKind {
    /// `request-id`: a numbered reference `<Field:N>`.
    RequestId,
    /// `id`: a numbered reference, also replaced inside other strings (a KeyId in a KeyArn).
    Id,
    /// `arn`: ids inside replaced, then region and account.
    Arn,
    /// `urn`: the same for Huawei URNs (region and domain).
    Urn,
    /// `timestamp`: the format, with digits named by position.
    Timestamp,
    /// `count`: `<count>`.
    Count,
    /// `name`: a numbered reference, like `id`.
    Name,
}

impl VolatileKind {
    /// Every kind, in the order the spec reader's hints list them.
    pub const ALL: [VolatileKind; 7] = [
        VolatileKind::RequestId,
        VolatileKind::Id,
        VolatileKind::Arn,
        VolatileKind::Urn,
        VolatileKind::Timestamp,
        VolatileKind::Count,
        VolatileKind::Name,
    ];

    /// The names `service.yaml` may use, in the order of [`VolatileKind::ALL`].
    pub const NAMES: &[&str] = &[
        VolatileKind::RequestId.as_str(),
        VolatileKind::Id.as_str(),
        VolatileKind::Arn.as_str(),
        VolatileKind::Urn.as_str(),
        VolatileKind::Timestamp.as_str(),
        VolatileKind::Count.as_str(),
        VolatileKind::Name.as_str(),
    ];

    /// The kind's name in `service.yaml`.
    pub const fn as_str(self) -> &'static str {
        match self {
            VolatileKind::RequestId => "request-id",
            VolatileKind::Id => "id",
            VolatileKind::Arn => "arn",
            VolatileKind::Urn => "urn",
            VolatileKind::Timestamp => "timestamp",
            VolatileKind::Count => "count",
            VolatileKind::Name => "name",
        }
    }

    /// The kind named `name`, if there is one.
    pub fn from_name(name: &str) -> Option<VolatileKind> {
        VolatileKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_kinds_go_both_ways() {
        for (k, name) in VolatileKind::ALL.into_iter().zip(VolatileKind::NAMES) {
            assert_eq!(k.as_str(), *name);
            assert_eq!(VolatileKind::from_name(name), Some(k));
        }
        assert_eq!(VolatileKind::from_name("ID"), None);
        assert_eq!(
            VolatileKind::NAMES.join(", "),
            "request-id, id, arn, urn, timestamp, count, name"
        );
    }
}
