//! The run's deviations as baseline entries: what `--write-baseline` writes and what report.md
//! offers to paste. The rules (which entries are kept, what a new one says) are
//! [`crate::baseline`]'s; this reads them off the report's outcomes.

use crate::baseline::{Deviation, NewEntries, NewEntry, render_file};

use crate::id::CaseId;

use super::model::{FindingReport, OutcomeReport, Report, Status};
use super::text::sorted_findings;

/// The case an outcome is a trial of: its id without the repetition (an id that is not a case
/// id, which only a damaged report could hold, stays as it is).
fn case_of(o: &OutcomeReport) -> String {
    o.id.parse::<CaseId>()
        .map_or_else(|_| o.id.clone(), |id| id.case().to_string())
}

/// The baseline's view of one finding of an outcome of case `case`.
fn deviation<'a>(o: &'a OutcomeReport, case: &'a str, f: &'a FindingReport) -> Deviation<'a> {
    Deviation {
        target: &o.target,
        case,
        kind: f.kind,
        pointer: &f.pointer,
        accepted_by: f.baseline_entry,
        ambiguity: o.status == Status::Ambiguity,
    }
}

/// Every deviation of the run (failed, ambiguity and known cases), one entry per distinct
/// target, case, kind and pointer; entries that already accept a finding keep their reason, and
/// entries the run could not judge (case not run, or no verdict) are kept as they are. Stale
/// entries are dropped: the list only shrinks.
pub fn deviations(report: &Report) -> std::io::Result<Vec<NewEntry>> {
    let mut out = NewEntries::new(report.baseline.as_ref());
    let deviating = |s: Status| matches!(s, Status::Fail | Status::Ambiguity | Status::Known);
    for o in report.outcomes.filter_status(deviating) {
        let o = o?;
        let case = case_of(&o);
        for f in &o.findings {
            out.add(deviation(&o, &case, f));
        }
    }
    out.keep_unjudged();
    Ok(out.finish())
}

/// The entries that would accept this run's findings that no entry accepts: what report.md
/// offers to paste into the baseline.
pub(super) fn unaccepted(report: &Report) -> std::io::Result<Vec<NewEntry>> {
    let mut out = NewEntries::new(report.baseline.as_ref());
    let failing = |s: Status| matches!(s, Status::Fail | Status::Ambiguity);
    for o in report.outcomes.filter_status(failing) {
        let o = o?;
        let case = case_of(&o);
        for f in sorted_findings(&o) {
            if f.baseline_entry.is_none() {
                out.add(deviation(&o, &case, f));
            }
        }
    }
    Ok(out.finish())
}

/// The text of a baseline file for the run's deviations, and how many entries it holds.
pub(super) fn render(report: &Report) -> std::io::Result<(String, usize)> {
    let entries = deviations(report)?;
    let pins = report.baseline.as_ref().map_or(&[][..], |b| &b.pins[..]);
    Ok(render_file(&report.run.id, &entries, pins))
}

/// The whole text of a baseline file for the run's deviations.
pub fn render_baseline_file(report: &Report) -> std::io::Result<String> {
    render(report).map(|(text, _)| text)
}
