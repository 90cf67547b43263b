//! Reports of a run: `report.md`, `report.html`, `junit.xml` and `report.json` in
//! `DIR/<run-id>/` and `DIR/latest/`, the compatibility matrix, and the baseline gate.
//!
//! As cases finish, a [`Collector`] judges each outcome against the baseline, tallies counts,
//! matrix and coverage, and keeps the outcome as a record on disk (the [`Outcomes`] of the report); at the end it
//! becomes one [`Report`] (the data of `report.json`, with the gate decided) whose outcomes are
//! read back one at a time. Every format renders that one value, streamed, so memory does not
//! grow with the run. See `docs/reports.md`.
//!
//! The modules name each other in one direction only (the `layers` test fails on a cycle);
//! bottom-up:
//!
//! 1. the data: `status` ([`Status`], [`Counts`]), `error`, `outcome` ([`OutcomeReport`],
//!    [`FindingReport`]), `readings`, `matrix`, `store` ([`Outcomes`]), `model` ([`Report`]);
//! 2. judging and collecting: `build` (run facts, the gate), `text`, `stable`, `untested`,
//!    `collect` ([`Collector`], which applies [`crate::baseline`]), `in_memory`
//!    ([`RunResult`]), `deviations` (the run's baseline entries), `distinct` (the run's deviations grouped by
//!    reach), `finding_text` (how a finding reads), `annotations` (GitHub `::error` lines);
//! 3. the renderers: `html`, `junit`, `markdown/` (one file per section);
//! 4. writing: `write` (the report folder, `latest/`, a `--write-baseline` file);
//! 5. `compat`: `specgate compat`, the compatibility page of a target rendered from a stable
//!    report.json and the suite (docs/compat/README.md).

mod annotations;
mod build;
mod collect;
pub mod compat;
mod deviations;
mod distinct;
mod error;
mod finding_text;
mod history;
mod html;
mod in_memory;
mod junit;
mod latency;
#[cfg(test)]
mod layers;
mod markdown;
mod matrix;
mod model;
mod outcome;
mod parity;
mod readings;
mod stable;
mod stale;
mod status;
mod store;
mod text;
mod trend;
mod untested;
mod write;

pub use crate::baseline::{
    Baseline, Entry, NewEntry, ReadingPin, check_entries as check_baseline_entries, check_writable,
    pointer_matches,
};
pub use annotations::{
    MAX_ANNOTATIONS, annotations_at_most, github_annotations, in_github_actions,
};
pub use build::{RunEnd, RunInfo, run_id, target_infos};
pub use collect::{Collector, Keep};
pub use deviations::{deviations, render_baseline_file};
pub use distinct::{DeviationGroup, distinct_deviations, distinct_text};
pub use error::{BadRunId, ReportError, StoreError};
pub use finding_text::{Folded, cut_middle, finding_text, findings_block, fold, pointer_pattern};
pub use history::{HistoryCounts, read as read_history};
pub use html::{MAX_OUTCOMES as HTML_MAX_OUTCOMES, render as render_html};
pub use in_memory::RunResult;
pub use junit::render as render_junit;
pub use markdown::render as render_markdown;
pub use matrix::{
    Cell, Matrix, OperationCoverage, ParityCell, TargetCoverage, documented_fields,
    overall as parity_overall, schema_fields,
};
pub use model::*;
pub use parity::{Disagreement, SpecVsRecording};
pub use readings::{
    NoteInfo, PinSource, ReadingPolicy, ReadingRow, ReadingTally, ReadingVerdict, check_pins,
    reading_notes,
};
pub use stable::{STABLE_PREFIX, STABLE_TIME, stabilize, stabilize_with};
pub use stale::remove_stale_temporaries;
pub use store::{Outcomes, Slot};
pub use text::{
    ambiguity_line, gate_summary, other_reading_line as outcome_reading_line, outcome_text,
};
pub use trend::{SHOWN as HISTORY_SHOWN, record as record_history};
pub use untested::{require_tested, untested_summary};
pub use write::{
    FILES, LATEST, Written, atomic_write, check_run_id, render_json, write_baseline, write_reports,
};
