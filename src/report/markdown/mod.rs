//! `report.md`: the verdict, the counts, the matrix and every failure, sized to be a CI step
//! summary (long lists, values, diffs and bodies are capped; report.html has everything).

use std::io;

mod baseline;
mod distinct;
mod failures;
mod header;
mod inline;
mod not_run;
mod readings;
mod spec_vs_recording;
mod tables;

use baseline::{accept, baseline};
use distinct::distinct;
use failures::{errors, failures, known};
use header::header;
use not_run::{blocked, not_run};
use readings::readings;
use spec_vs_recording::spec_vs_recording;
use tables::{coverage, matrix};

use super::model::*;

/// At most this many cases are detailed per section.
const MAX_CASES: usize = 50;
/// At most this many findings are listed per case.
const MAX_FINDINGS: usize = 20;
/// At most this many lines of a diff are shown.
const MAX_DIFF_LINES: usize = 60;
/// A response body is cut at this many characters.
const MAX_BODY: usize = 1500;
/// At most this many never-compared fields are listed per operation.
const MAX_FIELDS: usize = 30;

/// Renders `report.md`. Only the outcomes it details are read back from the report's store.
pub fn render(r: &Report) -> io::Result<String> {
    let mut out = String::new();
    header(&mut out, r);
    distinct(&mut out, r)?;
    matrix(&mut out, r);
    coverage(&mut out, r);
    readings(&mut out, r)?;
    spec_vs_recording(&mut out, r);
    failures(
        &mut out,
        r,
        Status::Fail,
        "Failures",
        "Documented (or observed) behaviour the target does not have.",
    )?;
    failures(
        &mut out,
        r,
        Status::Ambiguity,
        "Documentation ambiguities",
        "These `inferred` cases test one reading of an ambiguous page; the target reads it \
         differently. Decide which reading is right, then fix the case or add it to the baseline.",
    )?;
    errors(&mut out, r)?;
    known(&mut out, r)?;
    baseline(&mut out, r);
    accept(&mut out, r)?;
    blocked(&mut out, r)?;
    not_run(&mut out, r)?;
    Ok(out)
}
