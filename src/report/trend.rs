//! `--history FILE`: this run's line of the history file, and the last [`SHOWN`] runs of the
//! file in the report (report.html draws their pass % and duration).

use std::path::Path;

use super::history::{HistoryCounts, HistoryEntry, append, read};
use super::matrix::score;
use super::model::Report;

/// How many runs report.html's trend shows (the newest ones).
pub const SHOWN: usize = 50;

/// The history line of a finished report.
pub(super) fn entry_of(r: &Report) -> HistoryEntry {
    HistoryEntry {
        run_id: r.run.id.clone(),
        started_at: r.run.started_at.clone(),
        verdict: r.gate.verdict.as_str().to_string(),
        counts: HistoryCounts::from(&r.counts),
        pass_pct: score(r.counts.pass, r.counts.judged()),
        duration_ms: r.run.duration_ms,
        operations: r
            .matrix
            .operations
            .iter()
            .map(|row| (row.operation.clone(), row.all.score()))
            .collect(),
    }
}

/// `--history FILE`: reads FILE, appends this run, and gives the report the last [`SHOWN`]
/// runs (this one last). Returns the warnings to print; an append that fails is one of them.
pub fn record(path: &Path, r: &mut Report) -> Vec<String> {
    let (mut entries, mut warnings) = read(path);
    let entry = entry_of(r);
    if let Err(e) = append(path, &entry) {
        warnings.push(format!(
            "{}: cannot append this run to the history: {e}",
            path.display()
        ));
    }
    entries.push(entry);
    let skip = entries.len().saturating_sub(SHOWN);
    r.history = entries.split_off(skip);
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(id: &str) -> Report {
        let result = crate::report::RunResult {
            outcomes: Vec::new(),
            run_prefix: "sg-00000000".into(),
            interrupted: false,
            duration_ms: 42,
        };
        let info = crate::report::RunInfo {
            run_id: id.into(),
            started_at: time::OffsetDateTime::UNIX_EPOCH,
            targets: Vec::new(),
            documented_fields: Default::default(),
            insecure: false,
            allow_mutations: false,
        };
        Report::build(&result, &info, None).unwrap()
    }

    #[test]
    fn the_report_shows_the_last_runs_with_this_one_last() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.jsonl");
        for i in 0..SHOWN + 10 {
            append(&path, &entry_of(&report(&format!("old-{i}")))).unwrap();
        }
        let mut r = report("now");
        let warnings = record(&path, &mut r);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(r.history.len(), SHOWN);
        assert_eq!(r.history[0].run_id, "old-11");
        assert_eq!(r.history[SHOWN - 1].run_id, "now");
        assert_eq!(r.history[SHOWN - 1].duration_ms, 42);
        assert_eq!(
            read(&path).0.len(),
            SHOWN + 11,
            "every run stays in the file"
        );
    }
}
