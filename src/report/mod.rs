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
pub use matrix::{
    Cell, Matrix, OperationCoverage, TargetCoverage, documented_fields, schema_fields,
};
pub use model::*;
pub use stable::{STABLE_PREFIX, STABLE_TIME, stabilize};
pub use write::{FILES, LATEST, Written, atomic_write, check_run_id, render_all, write_reports};

/// Renders `report.md`.
pub fn render_markdown(r: &Report) -> String {
    markdown::render(r)
}

/// Renders `report.html`.
pub fn render_html(r: &Report) -> Result<String, serde_json::Error> {
    html::render(r)
}

/// Renders `junit.xml`.
pub fn render_junit(r: &Report) -> Result<String, quick_junit::SerializeError> {
    junit::render(r)
}

/// Renders `report.json`.
pub fn render_json(r: &Report) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(r).map(|mut s| {
        s.push('\n');
        s
    })
}

/// The lines printed under the console summary: how the baseline changed the verdict, and
/// why the gate failed.
pub fn gate_summary(r: &Report) -> String {
    let mut out = String::new();
    if let Some(b) = &r.baseline {
        out.push_str(&format!(
            "baseline {}: {} known deviation{} accepted\n",
            b.file,
            r.counts.known,
            if r.counts.known == 1 { "" } else { "s" }
        ));
        for e in b.entries.iter().filter(|e| e.state.fails_gate()) {
            out.push_str(&format!(
                "  {}:{}: {} entry: [{}] {} on {}{}\n",
                b.file,
                e.line,
                e.state.as_str(),
                e.kind,
                e.case,
                e.target,
                if e.pointer.is_empty() {
                    String::new()
                } else {
                    format!(" at {}", e.pointer)
                }
            ));
        }
    }
    out.push_str(&format!("gate: {}", r.gate.verdict.upper()));
    if !r.gate.reasons.is_empty() {
        out.push_str(&format!(": {}", r.gate.reasons.join("; ")));
    }
    out.push('\n');
    out
}
