//! `specgate compat`: the compatibility page of one target against a suite, rendered from a
//! run's `report.json` (with `--stable-report`) and the suite's specs and cases, as Markdown
//! meant to be committed (`docs/compat/moto-kms.md`, written by `tests/moto/run.sh`).
//!
//! The page holds nothing that changes from one run to the next (no time, port, run id or
//! duration): the same target and suite give the same bytes, so CI can check that the
//! committed page is current by rendering it again and comparing. It says, per operation, how
//! many cases pass, and then each deviation with its findings, its masked diff and the evidence
//! its case cites, kept apart by what the evidence says:
//!
//! - **differs from the model**: a `documented` case failed (a cited source states the
//!   reaction);
//! - **the model is silent**: an `inferred` case failed, or the target follows another reading
//!   of an ambiguous rule (the real service may well do the same);
//! - **errors**: the answer itself broke (a 5xx page that is not JSON, a reset), whatever the
//!   case's provenance.
//!
//! The files: `input` (report.json and the suite's facts read into one [`CompatInput`]), `page`
//! (the Markdown). The command's settings and errors are here.

mod input;
mod page;

use std::path::PathBuf;

pub use input::{CaseFacts, CompatInput, ReadInputError};
pub use page::render;

/// `specgate compat REPORT [--out FILE | --check FILE] [--title TEXT] [--command TEXT]`.
#[derive(Debug, Clone, clap::Args)]
pub struct CompatArgs {
    /// The run's report.json (a run with `--stable-report`), or the report folder holding it.
    #[arg(value_name = "REPORT")]
    pub report: PathBuf,
    /// Write the page to FILE (default: standard output).
    #[arg(long, value_name = "FILE", conflicts_with = "check")]
    pub out: Option<PathBuf>,
    /// Write nothing: compare the page with FILE, print a unified diff and exit 1 when they
    /// differ.
    #[arg(long, value_name = "FILE")]
    pub check: Option<PathBuf>,
    /// The page's title.
    #[arg(long, value_name = "TEXT", default_value = "Compatibility report")]
    pub title: String,
    /// The command that regenerates the page, named in its header and in `--check`'s hint.
    #[arg(long, value_name = "TEXT")]
    pub command: Option<String>,
    /// Known deviations (YAML) whose reasons the page shows beside the findings they describe
    /// (the run's own judgement is not used, so the page does not depend on the baseline the
    /// run had).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// The specs directory of the suite the run used (for each case's summary and evidence).
    #[arg(long, default_value = "specs", value_name = "DIR")]
    pub specs: PathBuf,
    /// The case files or directories of the suite the run used.
    #[arg(long = "cases", default_value = "cases", value_name = "PATH")]
    pub cases: Vec<PathBuf>,
}

/// Why `specgate compat` could not render or compare the page.
#[derive(Debug, thiserror::Error)]
pub enum CompatError {
    /// report.json or the suite could not be read.
    #[error(transparent)]
    Input(#[from] ReadInputError),
    /// The page could not be written, or the committed page read.
    #[error("cannot {what} {}: {source}", .path.display())]
    Io {
        /// `write` or `read`.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// `--check`: the committed page is not what the run renders.
    #[error("{} is not current: the run renders another page (diff above){}", .path.display(), .hint)]
    NotCurrent {
        /// The committed page.
        path: PathBuf,
        /// `; regenerate it with `...`` when `--command` was given.
        hint: String,
    },
}

impl crate::exit::ExitStatus for CompatError {
    fn exit_code(&self) -> u8 {
        match self {
            CompatError::Input(_) => crate::exit::BAD_INPUT,
            CompatError::Io { .. } => crate::exit::REPORT_FAILED,
            CompatError::NotCurrent { .. } => crate::exit::GATE_FAILED,
        }
    }

    fn render(&self) -> String {
        match self {
            CompatError::Input(ReadInputError::Suite(e)) => e.to_string(),
            e => format!("error: {e}\n"),
        }
    }
}

/// Runs `specgate compat`: renders the page, then writes it, prints it or compares it.
pub fn compat(args: &CompatArgs) -> Result<(), CompatError> {
    let report = if args.report.is_dir() {
        args.report.join("report.json")
    } else {
        args.report.clone()
    };
    let input = CompatInput::read(&report, &args.specs, &args.cases, args.baseline.as_deref())?;
    let page = render(&input, &args.title, args.command.as_deref());
    if let Some(path) = &args.check {
        let committed = std::fs::read_to_string(path).map_err(|source| CompatError::Io {
            what: "read",
            path: path.clone(),
            source,
        })?;
        if committed == page {
            return Ok(());
        }
        let diff = similar::TextDiff::from_lines(&committed, &page);
        print!(
            "{}",
            diff.unified_diff()
                .context_radius(3)
                .header(&path.display().to_string(), "rendered from the run")
        );
        return Err(CompatError::NotCurrent {
            path: path.clone(),
            hint: args
                .command
                .as_deref()
                .map(|c| format!("; regenerate it with `{c}`"))
                .unwrap_or_default(),
        });
    }
    match &args.out {
        Some(path) => {
            super::write::atomic_write(path, page.as_bytes()).map_err(|source| CompatError::Io {
                what: "write",
                path: path.clone(),
                source,
            })
        }
        None => {
            print!("{page}");
            Ok(())
        }
    }
}
