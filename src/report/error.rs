//! What can go wrong when the report is written: errors as data, each with the sentence the
//! console prints (`error: cannot write the report under DIR: <this>`). Where the report stage
//! maps to an exit code is `crate::exit`'s business.

use std::io;
use std::path::PathBuf;

/// A report (or a baseline written from it) that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The run id cannot name the report's folder.
    #[error(transparent)]
    RunId(#[from] BadRunId),
    /// Outcomes were lost on their way to the report's store (a full disk, a removed file).
    #[error("some outcomes could not be kept for the report: {0}")]
    OutcomesLost(String),
    /// `--write-baseline` would replace a file without `--force`.
    #[error("{} already exists; pass --force to replace it", .0.display())]
    BaselineExists(PathBuf),
    /// Reading the kept outcomes, rendering or writing a file failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// A run id that cannot name a report folder.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadRunId {
    /// Longer than `MAX_RUN_ID` (128) bytes.
    #[error("a run id is at most {max} characters (it names a folder), not {len}")]
    TooLong {
        /// The limit.
        max: usize,
        /// The id's length.
        len: usize,
    },
    /// Empty, starting with `.`, `latest`, or with a character other than letters, digits,
    /// `.`, `_` and `-`.
    #[error(
        "`{id}` cannot be a run id: use letters, digits, `.`, `_` and `-`, not starting with `.`, and not `{latest}`"
    )]
    NotAFolderName {
        /// The id as given.
        id: String,
        /// The name the run id may not take (`latest`).
        latest: &'static str,
    },
}

/// What went wrong with a report's store of outcomes (carried inside an `io::Error`, since the
/// outcomes are read back while the formats stream into writers).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// One outcome's record does not fit the store's 32-bit length.
    #[error("an outcome's record is larger than 4 GiB")]
    RecordTooLarge,
    /// The outcomes file is no longer there.
    #[error("the outcomes file is gone")]
    Gone,
    /// Outcomes were lost while the run wrote them.
    #[error("{0}")]
    Lost(String),
    /// No outcome with this index.
    #[error("no outcome {0}")]
    NoOutcome(usize),
    /// The outcome's record was not kept: only problems are kept when no report is written,
    /// or writing it failed (the reason).
    #[error("{}", not_kept(.0.as_deref()))]
    NotKept(Option<String>),
}

fn not_kept(lost: Option<&str>) -> String {
    match lost {
        Some(e) => format!("the outcome was not kept: {e}"),
        None => "the outcome was not kept (no report is written)".to_string(),
    }
}

impl From<StoreError> for io::Error {
    fn from(e: StoreError) -> io::Error {
        io::Error::other(e)
    }
}

impl ReportError {
    /// The `io::ErrorKind` of an I/O error; `AlreadyExists` for a baseline that would be
    /// replaced; `Other` otherwise.
    pub fn kind(&self) -> io::ErrorKind {
        match self {
            ReportError::Io(e) => e.kind(),
            ReportError::BaselineExists(_) => io::ErrorKind::AlreadyExists,
            _ => io::ErrorKind::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_the_sentences_the_console_prints() {
        let e = ReportError::from(BadRunId::NotAFolderName {
            id: "../x".into(),
            latest: "latest",
        });
        assert_eq!(
            e.to_string(),
            "`../x` cannot be a run id: use letters, digits, `.`, `_` and `-`, not starting with `.`, and not `latest`"
        );
        assert_eq!(e.kind(), io::ErrorKind::Other);
        let e = ReportError::BaselineExists(PathBuf::from("b.yaml"));
        assert_eq!(
            e.to_string(),
            "b.yaml already exists; pass --force to replace it"
        );
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        let e = ReportError::from(io::Error::new(io::ErrorKind::NotFound, "gone"));
        assert_eq!(
            (e.to_string().as_str(), e.kind()),
            ("gone", io::ErrorKind::NotFound)
        );
        let store: io::Error = StoreError::NotKept(None).into();
        assert_eq!(
            store.to_string(),
            "the outcome was not kept (no report is written)"
        );
        assert_eq!(
            StoreError::NotKept(Some("disk full".into())).to_string(),
            "the outcome was not kept: disk full"
        );
    }
}
