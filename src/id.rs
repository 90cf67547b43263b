//! The names a run gives to what it runs: an operation (`alibaba-kms/ListKeys`), a case
//! (`alibaba-kms/ListKeys::page-size-1`, with `#3` for the third repetition under `--repeat`)
//! and a target (`local`, `aliyun[region=cn-hangzhou]`).
//!
//! Inside specgate they are values with fields; they become text only when shown or written
//! ([`Display`](std::fmt::Display), the same strings as ever), and text that comes from outside
//! (a report read by `merge`, a baseline file) becomes an id through [`FromStr`], which says
//! what is wrong with a malformed one.

use std::fmt;
use std::str::FromStr;

/// Why a text is not an id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// No `/` between the service and the operation.
    #[error("`{0}` is not an operation: write `<service>/<Operation>`")]
    Operation(String),
    /// No `::` between the operation and the case name, or an empty name.
    #[error("`{0}` is not a case: write `<service>/<Operation>::<case>`")]
    Case(String),
    /// A `#` not followed by a repetition number from 1.
    #[error("`{0}` is not a case: `#` must be followed by a repetition number from 1")]
    Repetition(String),
    /// An empty target name.
    #[error("a target name is empty")]
    Target,
}

/// An operation of a service: `<service>/<Operation>`.
///
/// Not ordered: lists of ids are sorted by their text (see [`crate::suite::Suite::cases`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OperationId {
    /// The service's directory name, e.g. `alibaba-kms`.
    pub service: String,
    /// The operation's name, e.g. `ListKeys`.
    pub operation: String,
}

impl OperationId {
    /// The id of `operation` of `service`.
    pub fn new(service: impl Into<String>, operation: impl Into<String>) -> OperationId {
        OperationId {
            service: service.into(),
            operation: operation.into(),
        }
    }
}

impl fmt::Display for OperationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.service, self.operation)
    }
}

impl FromStr for OperationId {
    type Err = IdError;

    /// `<service>/<Operation>`, both parts non-empty, one `/`.
    fn from_str(s: &str) -> Result<Self, IdError> {
        match s.split_once('/') {
            Some((service, operation))
                if !service.is_empty() && !operation.is_empty() && !operation.contains('/') =>
            {
                Ok(OperationId::new(service, operation))
            }
            _ => Err(IdError::Operation(s.to_string())),
        }
    }
}

/// One case of an operation, and which repetition of it (`--repeat`): the trial name.
///
/// Not ordered: lists of ids are sorted by their text (see [`crate::suite::Suite::cases`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CaseId {
    /// The operation of the case's file.
    pub operation: OperationId,
    /// The case's name, unique in its file.
    pub name: String,
    /// Which repetition (from 1) under `--repeat`; 0 when the run does not repeat.
    pub repetition: u32,
}

impl CaseId {
    /// The id of case `name` of `operation`, not a repetition.
    pub fn new(operation: OperationId, name: impl Into<String>) -> CaseId {
        CaseId {
            operation,
            name: name.into(),
            repetition: 0,
        }
    }

    /// The same case as repetition `n` (0: not a repetition).
    pub fn repeated(mut self, n: u32) -> CaseId {
        self.repetition = n;
        self
    }

    /// The case this trial is a run of: the same id without its repetition.
    pub fn case(&self) -> CaseId {
        CaseId {
            repetition: 0,
            ..self.clone()
        }
    }

    /// The part after `::`: the case's name, with `#N` for a repetition (the report's `case`).
    pub fn name_in_operation(&self) -> String {
        match self.repetition {
            0 => self.name.clone(),
            n => format!("{}#{n}", self.name),
        }
    }
}

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}::{}", self.operation, self.name)?;
        if self.repetition > 0 {
            write!(f, "#{}", self.repetition)?;
        }
        Ok(())
    }
}

impl FromStr for CaseId {
    type Err = IdError;

    /// `<service>/<Operation>::<case>`, optionally followed by `#N` (N from 1).
    fn from_str(s: &str) -> Result<Self, IdError> {
        let (op, rest) = s
            .split_once("::")
            .ok_or_else(|| IdError::Case(s.to_string()))?;
        let operation = op.parse::<OperationId>().map_err(|e| match e {
            IdError::Operation(_) => IdError::Case(s.to_string()),
            e => e,
        })?;
        let (name, repetition) = match rest.rsplit_once('#') {
            None => (rest, 0),
            Some((name, n)) => {
                let digits = !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
                match n.parse::<u32>() {
                    Ok(n) if digits && n > 0 => (name, n),
                    _ => return Err(IdError::Repetition(s.to_string())),
                }
            }
        };
        if name.is_empty() || name.contains("::") {
            return Err(IdError::Case(s.to_string()));
        }
        Ok(CaseId {
            operation,
            name: name.to_string(),
            repetition,
        })
    }
}

impl PartialEq<str> for CaseId {
    fn eq(&self, other: &str) -> bool {
        other.parse::<CaseId>().is_ok_and(|o| o == *self)
    }
}

impl PartialEq<&str> for CaseId {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl serde::Serialize for CaseId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for CaseId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A target's name in a run: a profile's `name:`, `local` for the embedded emulator, with
/// `[var=value,…]` when `--var` sets the service variables it runs with.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TargetId(String);

impl TargetId {
    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TargetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for TargetId {
    type Err = IdError;

    /// Any name that is not empty (or only spaces).
    fn from_str(s: &str) -> Result<Self, IdError> {
        if s.trim().is_empty() {
            Err(IdError::Target)
        } else {
            Ok(TargetId(s.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_display_as_they_always_were_written() {
        let op = OperationId::new("alibaba-kms", "ListKeys");
        assert_eq!(op.to_string(), "alibaba-kms/ListKeys");
        let case = CaseId::new(op, "page-size-1");
        assert_eq!(case.to_string(), "alibaba-kms/ListKeys::page-size-1");
        assert_eq!(case.name_in_operation(), "page-size-1");
        let third = case.clone().repeated(3);
        assert_eq!(third.to_string(), "alibaba-kms/ListKeys::page-size-1#3");
        assert_eq!(third.name_in_operation(), "page-size-1#3");
        assert_eq!(third.case(), case);
        let first = case.clone().repeated(1);
        assert_eq!(first.to_string(), "alibaba-kms/ListKeys::page-size-1#1");
    }

    #[test]
    fn ids_parse_back_to_themselves() {
        for s in [
            "alibaba-kms/ListKeys::page-size-1",
            "alibaba-kms/ListKeys::page-size-1#1",
            "alibaba-kms/ListKeys::page-size-1#3",
            "huawei-kms/ListKeys::sample-diff#12",
            "a/B::c",
        ] {
            let id: CaseId = s.parse().expect(s);
            assert_eq!(id.to_string(), s);
            assert!(id == s);
        }
        let id: CaseId = "huawei-kms/ListKeys::sample-diff#12".parse().unwrap();
        assert_eq!(id.operation.service, "huawei-kms");
        assert_eq!(id.operation.operation, "ListKeys");
        assert_eq!(id.name, "sample-diff");
        assert_eq!(id.repetition, 12);
        let op: OperationId = "alibaba-kms/CreateKey".parse().unwrap();
        assert_eq!(op, OperationId::new("alibaba-kms", "CreateKey"));
        let t: TargetId = "aliyun[region=cn-hangzhou]".parse().unwrap();
        assert_eq!(t.to_string(), "aliyun[region=cn-hangzhou]");
        assert_eq!(t.as_str(), "aliyun[region=cn-hangzhou]");
    }

    #[test]
    fn malformed_ids_say_what_is_wrong() {
        for s in [
            "ListKeys",
            "a/::c",
            "/B::c",
            "a/B::",
            "a/B/C::c",
            "a::b",
            "a/B::c::d",
        ] {
            assert_eq!(
                s.parse::<CaseId>(),
                Err(IdError::Case(s.to_string())),
                "{s}"
            );
        }
        for s in [
            "a/B::c#",
            "a/B::c#0",
            "a/B::c#x1",
            "a/B::c#-1",
            "a/B::c#+1",
            "a/B::c#99999999999",
        ] {
            assert_eq!(
                s.parse::<CaseId>(),
                Err(IdError::Repetition(s.to_string())),
                "{s}"
            );
        }
        for s in ["ListKeys", "a/", "/B", "a/B/C", ""] {
            assert_eq!(
                s.parse::<OperationId>(),
                Err(IdError::Operation(s.to_string())),
                "{s}"
            );
        }
        assert_eq!("  ".parse::<TargetId>(), Err(IdError::Target));
        let e = "ListKeys".parse::<CaseId>().unwrap_err().to_string();
        assert!(e.contains("<service>/<Operation>::<case>"), "{e}");
    }

    #[test]
    fn case_ids_serialize_as_their_text() {
        let id: CaseId = "a/B::c#2".parse().unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"a/B::c#2\"");
        assert_eq!(serde_json::from_str::<CaseId>(&json).unwrap(), id);
        assert!(serde_json::from_str::<CaseId>("\"a/B\"").is_err());
    }
}
