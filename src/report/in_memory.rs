//! [`Report::build`]: the report of a run held in memory (tests, tools), through the same
//! [`Collector`] a live run feeds.

use super::build::{RunEnd, RunInfo};
use super::collect::{Collector, Keep};
use super::model::Report;
use crate::baseline::Baseline;
use crate::exec::CaseOutcome;

/// A finished run held in memory: its outcomes in plan order. `specgate run` streams its
/// outcomes into a [`Collector`] instead; this is for building reports from outcomes at hand.
#[derive(Debug, Clone, Default)]
pub struct RunResult {
    /// The outcomes, in plan order.
    pub outcomes: Vec<CaseOutcome>,
    /// The run's resource prefix.
    pub run_prefix: String,
    /// True when Ctrl-C stopped the run early.
    pub interrupted: bool,
    /// Wall time of the run in milliseconds.
    pub duration_ms: u64,
}

impl Report {
    /// Builds the report of a run held in memory (or an interrupted one): the same
    /// [`Collector`] a live run feeds, fed every outcome in order.
    pub fn build(
        result: &RunResult,
        info: &RunInfo,
        baseline: Option<&Baseline>,
    ) -> std::io::Result<Report> {
        let mut c = Collector::new(
            info.clone(),
            baseline.cloned(),
            Keep::All,
            result.outcomes.len(),
            None,
        )?;
        for (i, o) in result.outcomes.iter().enumerate() {
            c.add(i, o.clone());
        }
        Ok(c.finish(RunEnd {
            run_prefix: result.run_prefix.clone(),
            interrupted: result.interrupted,
            duration_ms: result.duration_ms,
        }))
    }
}
