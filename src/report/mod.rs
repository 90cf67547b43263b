//! Reports of a run: `report.md`, `report.html`, `junit.xml` and `report.json` in
//! `DIR/<run-id>/` and `DIR/latest/`, the compatibility matrix, and the baseline gate.
//!
//! The run's outcomes become one [`Report`] (the data of `report.json`, with the baseline
//! applied and the gate decided); every format renders that one value. See `docs/reports.md`.

mod baseline;
mod build;
mod html;
mod junit;
mod markdown;
mod matrix;
mod model;
mod stable;
mod text;
mod write;

pub use baseline::{
    Baseline, Entry, Evaluation, NewEntry, check_writable, deviations, pointer_matches,
    render_file as render_baseline_file, write_file as write_baseline,
};
pub use build::{RunInfo, run_id, target_infos};
pub use html::render as render_html;
pub use junit::render as render_junit;
pub use markdown::render as render_markdown;
pub use matrix::{
    Cell, Matrix, OperationCoverage, TargetCoverage, documented_fields, schema_fields,
};
pub use model::*;
pub use stable::{STABLE_PREFIX, STABLE_TIME, stabilize};
pub use text::gate_summary;
pub use write::{
    FILES, LATEST, Written, atomic_write, check_run_id, render_all, render_json, write_reports,
};
