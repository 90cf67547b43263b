//! What can stop `specgate merge`: a suite or baseline that does not load, a shard report that
//! cannot be read or does not belong to this merge, or a merged report that cannot be written.

use std::path::PathBuf;

use crate::diag::LoadError;

/// Why `specgate merge` stopped without a verdict.
#[derive(Debug, thiserror::Error)]
pub(crate) enum MergeError {
    /// The suite or the baseline is invalid (diagnostics with file:line:col).
    #[error(transparent)]
    Load(#[from] LoadError),
    /// One report cannot be merged: unreadable, damaged, of another suite or version.
    #[error("{}: {problem}", .file.display())]
    Report {
        /// The report.json file.
        file: PathBuf,
        /// What is wrong with it.
        problem: ReportProblem,
    },
    /// The shard reports of one target set are of different splits.
    #[error(
        "{}: a shard of {other}, but another report of the same targets is a shard of {count}: merge shards of one split",
        .file.display()
    )]
    OtherSplit {
        /// The report.json file.
        file: PathBuf,
        /// Its split's shard count.
        other: u32,
        /// The shard count of the first report of the set.
        count: u32,
    },
    /// Shards of a split are missing.
    #[error(
        "shard{} {} of the run against {} {} missing: a merge without {} would report only part of the plan",
        if .missing.len() == 1 { "" } else { "s" },
        .missing.join(", "),
        .targets.join(", "),
        if .missing.len() == 1 { "is" } else { "are" },
        if .missing.len() == 1 { "it" } else { "them" }
    )]
    MissingShards {
        /// The missing shards, `K/N`.
        missing: Vec<String>,
        /// The targets of the split.
        targets: Vec<String>,
    },
    /// The outcomes cannot be spooled to a temporary file.
    #[error(
        "cannot create a temporary file for the outcomes: {0} (set TMPDIR to a writable folder)"
    )]
    TempFile(std::io::Error),
    /// `--stable-report` could not make the merged report stable.
    #[error("cannot make the report stable: {0}")]
    Stabilize(std::io::Error),
    /// The merged report set could not be written.
    #[error("cannot write the merged report under {}: {source}", .dir.display())]
    Write {
        /// `--report-dir`.
        dir: PathBuf,
        /// Why.
        source: crate::report::ReportError,
    },
}

/// What is wrong with one report given to `merge`.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ReportProblem {
    /// It cannot be opened.
    #[error("cannot open it: {0}")]
    Open(std::io::Error),
    /// It ends early.
    #[error("it is truncated (it ends at line {line}, column {column})")]
    Truncated {
        /// 1-based line where it ends.
        line: usize,
        /// 1-based column where it ends.
        column: usize,
    },
    /// It is not the JSON of a report, or an outcome in it was refused (see [`Refused`]).
    #[error("it is damaged: {0}")]
    Damaged(serde_json::Error),
    /// It has no `run` object.
    #[error("it has no `run` object: not a specgate report.json")]
    NoRun,
    /// It was written by another report schema version.
    #[error(
        "report schema version {} is not this specgate's ({ours}); merge reports written by the same specgate version",
        .found.map_or_else(|| "(none)".to_string(), |v| v.to_string())
    )]
    SchemaVersion {
        /// Its `schema_version`, if any.
        found: Option<u32>,
        /// This specgate's.
        ours: u32,
    },
    /// It has no suite digest.
    #[error(
        "the report has no suite digest (`run.suite`): it was written by a specgate without `merge`; rerun it with this version"
    )]
    NoSuiteDigest,
    /// Its run read another suite.
    #[error(
        "the run read another suite than {specs} and {cases}: {differing} differ (first: this checkout, second: the run's); merge reports of the same suite"
    )]
    OtherSuite {
        /// `--specs`.
        specs: String,
        /// `--cases`, comma-separated.
        cases: String,
        /// The differing files (at most ten named).
        differing: String,
    },
    /// Its `run.shard` is not `K/N`.
    #[error("`run.shard`: {0}")]
    Shard(String),
}

/// Why an outcome of a report does not fit the merge (it becomes a [`ReportProblem::Damaged`]
/// at its place in the file).
#[derive(Debug, thiserror::Error)]
pub(crate) enum Refused {
    /// Its id is not a case id (`svc/Op::case`, `#N` for a repetition).
    #[error("an outcome on `{target}`: {source}")]
    BadId {
        /// The outcome's target.
        target: String,
        /// What is wrong with the id.
        source: crate::id::IdError,
    },
    /// Its case is not in the suite.
    #[error("its case `{0}` is not in the suite")]
    UnknownCase(String),
    /// Its target is not in the report's `targets`.
    #[error("its target `{0}` is not in its `targets`")]
    UnknownTarget(String),
    /// The same trial is in an earlier report.
    #[error(
        "`{id}` on `{target}` is in an earlier report too: each case must be in one shard only (runs against other regions or accounts: `--var region=…` names the target after its region, or give each a profile of its own name)"
    )]
    Duplicate {
        /// The trial.
        id: String,
        /// The target.
        target: String,
    },
}
