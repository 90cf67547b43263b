//! `specgate lint`: validate specs and cases, reporting every problem with its place.

use std::path::PathBuf;

use crate::diag::{Diagnostic, render_all};
use crate::suite::Suite;

/// What `specgate lint` checks.
#[derive(Debug, Clone, clap::Args)]
pub struct LintArgs {
    /// Case files or directories to check (default: `cases/`).
    pub paths: Vec<PathBuf>,
    /// The specs directory.
    #[arg(long, default_value = "specs")]
    pub specs: PathBuf,
    /// The seed pages, for checking page quotes (default: `../shared/seeds` beside the
    /// checkout, skipped when absent).
    #[arg(long)]
    pub seeds: Option<PathBuf>,
}

/// The outcome of a lint: counts for the summary, or every diagnostic.
pub struct LintReport {
    /// Services, operations and cases that loaded cleanly.
    pub counts: (usize, usize, usize),
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads and checks the suite.
pub fn lint(args: &LintArgs) -> LintReport {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("cases")]
    } else {
        args.paths.clone()
    };
    match Suite::load(&args.specs, &paths) {
        Ok(suite) => {
            let seeds = crate::evidence_lint::find_seeds(args.seeds.as_deref(), &args.specs);
            let mut diagnostics = crate::pointer_lint::check(&suite);
            diagnostics.extend(crate::evidence_lint::check(&suite, seeds.as_deref()));
            LintReport {
                counts: if diagnostics.is_empty() {
                    (
                        suite.services.len(),
                        suite.operations.len(),
                        suite.cases().len(),
                    )
                } else {
                    (0, 0, 0)
                },
                diagnostics,
            }
        }
        Err(diagnostics) => LintReport {
            counts: (0, 0, 0),
            diagnostics,
        },
    }
}

impl LintReport {
    /// The text printed for people: the diagnostics, or a one-line summary.
    pub fn render(&self) -> String {
        if self.diagnostics.is_empty() {
            let (s, o, c) = self.counts;
            format!("lint ok: {s} services, {o} operations, {c} cases\n")
        } else {
            render_all(&self.diagnostics)
        }
    }
}
