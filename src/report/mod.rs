//! Reports of a run: `report.md`, `report.html`, `junit.xml` and `report.json` in
//! `DIR/<run-id>/` and `DIR/latest/`, the compatibility matrix, and the baseline gate.
//!
//! As cases finish, a [`Collector`] judges each outcome against the baseline, tallies counts,
//! matrix and coverage, and keeps the outcome as a record on disk (the [`Outcomes`] of the report); at the end it
//! becomes one [`Report`] (the data of `report.json`, with the gate decided) whose outcomes are
//! read back one at a time. Every format renders that one value, streamed, so memory does not
//! grow with the run. See `docs/reports.md`.

mod baseline;
mod baseline_check;
mod build;
mod collect;
mod html;
mod junit;
mod markdown;
mod matrix;
mod model;
mod readings;
mod stable;
mod stale;
mod store;
mod text;
mod untested;
mod write;

pub use baseline::{
    Baseline, Entry, NewEntry, check_writable, deviations, pointer_matches,
    render_file as render_baseline_file, write_file as write_baseline,
};
pub use baseline_check::check_entries as check_baseline_entries;
pub use build::{RunInfo, RunResult, run_id, target_infos};
pub use collect::{Collector, Keep, RunEnd};
pub use html::{MAX_OUTCOMES as HTML_MAX_OUTCOMES, render as render_html};
pub use junit::render as render_junit;
pub use markdown::render as render_markdown;
pub use matrix::{
    Cell, Matrix, OperationCoverage, TargetCoverage, documented_fields, schema_fields,
};
pub use model::*;
pub use readings::{
    NoteInfo, PinSource, ReadingPin, ReadingPolicy, ReadingRow, ReadingTally, ReadingVerdict,
    check_pins, reading_notes,
};
pub use stable::{STABLE_PREFIX, STABLE_TIME, stabilize, stabilize_with};
pub use stale::remove_stale_temporaries;
pub use store::{Outcomes, Slot};
pub use text::{
    ambiguity_line, gate_summary, other_reading_line as outcome_reading_line, outcome_text,
};
pub use untested::{require_tested, untested_summary};
pub use write::{FILES, LATEST, Written, atomic_write, check_run_id, render_json, write_reports};
