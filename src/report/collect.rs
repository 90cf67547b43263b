//! Builds the report while the run goes on: each finished case is judged against the baseline,
//! given its status, tallied (counts, matrix, field coverage, baseline entries) and kept as a
//! record in the [`Store`](super::store::Store). What stays in memory grows by one slot per
//! case, whatever the cases recorded, so a run of 100,000 cases reports in bounded memory.

use std::path::Path;

use super::build::{RunEnd, RunInfo, gate, run_meta};
use super::latency::LatencyBuilder;
use super::matrix::{CoverageBuilder, MatrixBuilder};
use super::model::*;
use super::readings::{ReadingPolicy, ReadingsBuilder, gate_reasons};
use super::store::{Outcomes, StoreWriter};
use crate::baseline::{Baseline, BaselineTally};
use crate::case::Provenance;
use crate::exec::{CaseOutcome, Verdict};
use crate::finding::kinds;
use crate::redact::Redactor;

/// Which outcomes keep their whole record (findings, diff, exchanges) for later reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Every outcome: a report is written.
    All,
    /// Only outcomes that are not a pass: enough for the console's failure text and
    /// `--write-baseline` when no report is written.
    Problems,
}

/// The report of a run in the making; see the module documentation.
pub struct Collector {
    info: RunInfo,
    keep: Keep,
    baseline: Option<BaselineTally>,
    store: StoreWriter,
    /// Target names in the order outcomes first named them; matrix and store number them so.
    targets: Vec<String>,
    counts: Counts,
    matrix: MatrixBuilder,
    coverage: Option<CoverageBuilder>,
    /// Every exchange's time, per operation.
    latency: LatencyBuilder,
    /// Which readings the run expects, and the tallies of reading cases.
    policy: ReadingPolicy,
    readings: ReadingsBuilder,
    /// Cases that ran (not skipped), and whether every one of them failed to connect.
    ran: usize,
    reached: bool,
    /// Outcomes with an `internal` finding: specgate failed on them, not the target.
    internal: usize,
    /// Blocked cases by (target, set-up operation), and the (target, operation) pairs whose own
    /// cases gave a verdict: a set-up deviation that no case of the run reports fails the gate.
    blocked: std::collections::BTreeMap<(String, String), usize>,
    /// Per target and set-up operation: how many cases went on past its deviation.
    set_aside: std::collections::BTreeMap<(String, String), usize>,
    judged_ops: std::collections::BTreeSet<(String, String)>,
    /// Applied to every outcome as it is taken: nothing reaches the store unredacted.
    redactor: Redactor,
    /// The suite's digest and the run's shard, for `run` in report.json.
    suite: Option<SuiteDigest>,
    shard: Option<String>,
    /// With `--reference`: the parity row and the *Spec vs. recording* section.
    parity: Option<super::parity::ParityBuilder>,
    /// The plan's lines about cases left out (a service the target does not serve).
    left_out: Vec<String>,
}

impl Collector {
    /// A collector for a plan of `planned` cases. Records go to an unnamed temporary file in
    /// `dir` (the report folder, so that a big run's records sit where its report will), else
    /// in the system's temporary folder.
    pub fn new(
        mut info: RunInfo,
        baseline: Option<Baseline>,
        keep: Keep,
        planned: usize,
        dir: Option<&Path>,
    ) -> std::io::Result<Collector> {
        let today = info.started_at.to_offset(time::UtcOffset::UTC).date();
        let documented = std::mem::take(&mut info.documented_fields);
        let coverage = (keep == Keep::All).then(|| CoverageBuilder::new(documented));
        let policy = ReadingPolicy {
            pins: baseline
                .as_ref()
                .map(|b| b.pins.clone())
                .unwrap_or_default(),
            ..ReadingPolicy::default()
        };
        Ok(Collector {
            store: StoreWriter::new(planned, dir)?,
            baseline: baseline.map(|b| BaselineTally::new(b, today)),
            info,
            keep,
            targets: Vec::new(),
            counts: Counts::default(),
            matrix: MatrixBuilder::default(),
            coverage,
            latency: LatencyBuilder::default(),
            policy,
            readings: ReadingsBuilder::default(),
            ran: 0,
            reached: false,
            internal: 0,
            blocked: Default::default(),
            set_aside: Default::default(),
            judged_ops: Default::default(),
            redactor: Redactor::default(),
            suite: None,
            shard: None,
            parity: None,
            left_out: Vec::new(),
        })
    }

    /// The same collector, redacting every outcome it takes with `redactor` (the run's, which
    /// knows its credentials) before judging and keeping it.
    pub fn redacting(mut self, redactor: Redactor) -> Collector {
        self.redactor = redactor;
        self
    }

    /// Gives the collector the suite's notes with readings (for the *Readings* table) and
    /// `--strict-readings`; the baseline's reading pins are kept.
    pub fn with_readings(mut self, notes: Vec<super::readings::NoteInfo>, strict: bool) -> Self {
        self.policy.notes = notes;
        self.policy.strict = strict;
        self
    }

    /// Gives the report the suite's digest and, for a run of one shard, `K/N` (both in
    /// report.json's `run`, read by `specgate merge`).
    pub fn with_suite(mut self, suite: SuiteDigest, shard: Option<String>) -> Self {
        self.suite = Some(suite);
        self.shard = shard;
        self
    }

    /// Gives the report a parity row and a *Spec vs. recording* section: the run compares
    /// its answers with the recording in `recording` (`--reference`); `spec_checks` is false
    /// under `--checks parity`.
    pub fn with_parity(mut self, recording: String, spec_checks: bool) -> Self {
        self.parity = Some(super::parity::ParityBuilder::new(recording, spec_checks));
        self
    }

    /// Takes what comparing an outcome of `case` on `target` with the recording found (call
    /// it for each compared outcome, before [`Collector::add_shown`]). Without
    /// [`Collector::with_parity`] it does nothing.
    pub(crate) fn add_parity(
        &mut self,
        target: &str,
        case: &str,
        p: &crate::record::parity::CaseParity,
    ) {
        let Some(b) = &mut self.parity else { return };
        let shared: Vec<crate::finding::Finding> = p
            .shared
            .iter()
            .map(|f| {
                let mut f = f.clone();
                self.redactor.finding(&mut f);
                f
            })
            .collect();
        b.add(
            target,
            case,
            p.steps,
            p.identical,
            &shared,
            p.recorded_verdict.as_deref(),
        );
    }

    /// Gives the report the plan's lines about the selected cases it left out because their
    /// target does not serve their service (report.json's `run.left_out`, report.md's header).
    pub fn with_left_out(mut self, lines: Vec<String>) -> Self {
        self.left_out = lines;
        self
    }

    /// Takes the outcome of the case at `plan_index` and returns its status.
    pub fn add(&mut self, plan_index: usize, o: CaseOutcome) -> Status {
        self.add_shown(plan_index, o).status
    }

    /// Like [`Collector::add`], and gives the outcome's report (redacted, judged) back, for
    /// the console's line of the case as it finishes.
    pub fn add_shown(&mut self, plan_index: usize, mut o: CaseOutcome) -> OutcomeReport {
        self.redactor.outcome(&mut o);
        // The baseline and the matrix judge the case, whichever repetition this is.
        let case = o.id.case().to_string();
        let accepted = match &mut self.baseline {
            Some(b) => b.accept(&o.target, &case, o.verdict, &o.findings),
            None => vec![None; o.findings.len()],
        };
        let mut status = status_of(o.verdict, o.provenance, &accepted);
        if let (Some(note), Some(reading)) = (&o.doc_note, &o.reading)
            && matches!(status, Status::Fail | Status::Ambiguity)
        {
            status = self
                .policy
                .failed_status(&o.target, &o.operation, note, reading);
        }
        if o.verdict != Verdict::Skipped {
            self.ran += 1;
            let unreachable = o.verdict == Verdict::Error
                && o.findings
                    .iter()
                    .all(|f| f.kind == kinds::CONNECT || f.kind == kinds::TLS);
            self.reached |= !unreachable;
        }
        if o.findings.iter().any(|f| f.kind == kinds::INTERNAL) {
            self.internal += 1;
        }
        let target = match self.targets.iter().position(|t| *t == o.target) {
            Some(i) => i,
            None => {
                self.targets.push(o.target.clone());
                self.targets.len() - 1
            }
        };
        for op in &o.set_aside_by {
            *self
                .set_aside
                .entry((o.target.clone(), op.clone()))
                .or_default() += 1;
        }
        if let Some(op) = &o.blocked_by {
            *self
                .blocked
                .entry((o.target.clone(), op.clone()))
                .or_default() += 1;
        }
        if status.is_judged() {
            self.judged_ops
                .insert((o.target.clone(), o.operation.clone()));
        }
        if let (Some(note), Some(reading)) = (&o.doc_note, &o.reading) {
            self.readings
                .add(target, &o.operation, note, reading, o.verdict);
        }
        for x in &o.exchanges {
            self.latency.add(&o.operation, x.elapsed_ms);
        }
        let report = outcome_report(o, status, accepted);
        self.counts.add(status);
        self.matrix
            .add(target, &report.operation, &case, report.provenance, status);
        if let Some(c) = &mut self.coverage {
            c.add(&report);
        }
        let keep = self.keep == Keep::All || status != Status::Pass;
        self.store.add(plan_index, target, &report, keep);
        report
    }

    /// True when cases ran and every one of them failed to connect (or to agree on TLS): the
    /// target could not be reached at all.
    pub fn all_unreachable(&self) -> bool {
        self.ran > 0 && !self.reached
    }

    /// How many outcomes specgate itself failed on (a case task that panicked or was lost):
    /// their verdict says nothing about the target.
    pub fn internal_errors(&self) -> usize {
        self.internal
    }

    /// The report of the run.
    pub fn finish(self, end: RunEnd) -> Report {
        let Collector {
            info,
            baseline,
            store,
            targets: seen,
            counts,
            matrix,
            coverage,
            latency,
            blocked,
            set_aside,
            judged_ops,
            policy,
            readings,
            suite,
            shard,
            parity,
            left_out,
            ..
        } = self;
        let baseline = baseline.map(BaselineTally::finish);
        // Columns: the given targets, then any target only the outcomes name.
        let mut targets = info.targets.clone();
        for name in &seen {
            if !targets.iter().any(|t| &t.name == name) {
                targets.push(TargetInfo {
                    name: name.clone(),
                    embedded: false,
                    services: Vec::new(),
                });
            }
        }
        let names: Vec<String> = targets.iter().map(|t| t.name.clone()).collect();
        let mut readings = readings.finish(&names, &seen, &policy);
        // A target that serves none of a note's service has nothing to say about it.
        readings.retain(|row| {
            row.readings.iter().any(|t| t.judged() + t.unjudged > 0)
                || targets
                    .iter()
                    .find(|t| t.name == row.target)
                    .is_none_or(|t| {
                        t.services.is_empty()
                            || t.services
                                .iter()
                                .any(|s| row.operation.split('/').next() == Some(s.name.as_str()))
                    })
        });
        let mut gate = gate(&counts, baseline.as_ref(), end.interrupted, policy.strict);
        for reason in gate_reasons(&readings) {
            gate.fail(reason);
        }
        let mut matrix = matrix.finish(&names, &seen);
        let spec_vs_recording = parity.map(|p| {
            let (cells, section) = p.finish(&names);
            matrix.parity = Some(cells);
            section
        });
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "specgate".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            run: RunMeta {
                suite,
                shard,
                strict_readings: policy.strict,
                left_out,
                ..run_meta(&info, &end)
            },
            gate: with_unreported_set_up(gate, &blocked, &set_aside, &judged_ops),
            counts,
            matrix,
            spec_vs_recording,
            coverage: coverage.map(|c| c.finish(&names)).unwrap_or_default(),
            readings,
            targets,
            baseline,
            latency: latency.finish(),
            history: Vec::new(),
            outcomes: Outcomes::new(store.finish(seen)),
        }
    }
}

/// Adds one gate reason per set-up operation that blocked cases on a target where none of its
/// own cases gave a verdict in this run (filtered out): otherwise nothing would report it.
/// Likewise for a set-up operation whose deviation cases went on past (`set_aside`).
fn with_unreported_set_up(
    mut gate: Gate,
    blocked: &std::collections::BTreeMap<(String, String), usize>,
    set_aside: &std::collections::BTreeMap<(String, String), usize>,
    judged_ops: &std::collections::BTreeSet<(String, String)>,
) -> Gate {
    for ((target, op), n) in blocked {
        if judged_ops.contains(&(target.clone(), op.clone())) {
            continue;
        }
        gate.fail(format!(
            "{op} deviated in a set-up step on {target} and blocked {n} case{}, and no case of {op} ran to report it",
            if *n == 1 { "" } else { "s" }
        ));
    }
    for ((target, op), n) in set_aside {
        if judged_ops.contains(&(target.clone(), op.clone())) {
            continue;
        }
        gate.fail(format!(
            "{op} deviated in a set-up step on {target} ({n} case{} went on past it), and no case of {op} ran to report it",
            if *n == 1 { "" } else { "s" }
        ));
    }
    gate
}

/// The status of an outcome once the baseline has judged its findings.
fn status_of(verdict: Verdict, provenance: Provenance, accepted: &[Option<usize>]) -> Status {
    match verdict {
        Verdict::Pass => Status::Pass,
        Verdict::Error => Status::Error,
        Verdict::Skipped => Status::Skipped,
        Verdict::Inconclusive => Status::Inconclusive,
        Verdict::Blocked => Status::Blocked,
        Verdict::Fail => {
            if !accepted.is_empty() && accepted.iter().all(Option::is_some) {
                Status::Known
            } else if provenance == Provenance::Inferred {
                Status::Ambiguity
            } else {
                Status::Fail
            }
        }
    }
}

/// The report's form of an outcome, taking its parts rather than copying them.
fn outcome_report(o: CaseOutcome, status: Status, accepted: Vec<Option<usize>>) -> OutcomeReport {
    OutcomeReport {
        case: o.id.name_in_operation(),
        id: o.id.to_string(),
        operation: o.operation,
        target: o.target,
        provenance: o.provenance,
        doc_note: o.doc_note,
        reading: o.reading,
        verdict: o.verdict,
        status,
        reason: o.reason,
        blocked_by: o.blocked_by,
        set_aside_by: o.set_aside_by,
        duration_ms: o.duration_ms,
        retries: o.retries,
        findings: o
            .findings
            .into_iter()
            .zip(accepted)
            .map(|(finding, entry)| FindingReport {
                source: finding.source.as_ref().map(Into::into),
                finding,
                baseline_entry: entry,
            })
            .collect(),
        diff: o.diff,
        exchanges: o.exchanges,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_rows_are_for_targets_that_serve_the_notes_service() {
        let target = |name: &str, service: &str| TargetInfo {
            name: name.into(),
            embedded: false,
            services: vec![ServiceInfo {
                name: service.into(),
                endpoint: "http://127.0.0.1:1".into(),
                auth: "none".into(),
            }],
        };
        let info = RunInfo {
            run_id: "r".into(),
            started_at: time::OffsetDateTime::UNIX_EPOCH,
            targets: vec![target("ali", "alibaba-kms"), target("hw", "huawei-kms")],
            documented_fields: Default::default(),
            insecure: false,
            allow_mutations: false,
        };
        let note = super::super::readings::NoteInfo {
            operation: "alibaba-kms/ListKeys".into(),
            note: "page-size-101".into(),
            readings: vec![("a".into(), "x".into()), ("b".into(), "y".into())],
            emulator: Some("a".into()),
        };
        let c = Collector::new(info, None, Keep::All, 0, None)
            .unwrap()
            .with_readings(vec![note], false);
        let r = c.finish(RunEnd {
            run_prefix: "sg-0".into(),
            interrupted: false,
            duration_ms: 0,
        });
        let targets: Vec<&str> = r.readings.iter().map(|row| row.target.as_str()).collect();
        assert_eq!(targets, ["ali"]);
        assert_eq!(r.readings[0].verdict_text(), "untested");
    }

    #[test]
    fn outcomes_specgate_failed_on_are_counted() {
        let info = RunInfo {
            run_id: "r".into(),
            started_at: time::OffsetDateTime::UNIX_EPOCH,
            targets: Vec::new(),
            documented_fields: Default::default(),
            insecure: false,
            allow_mutations: false,
        };
        let mut c = Collector::new(info, None, Keep::All, 2, None).unwrap();
        let outcome = |kind| CaseOutcome {
            id: "svc/Op::c".parse().unwrap(),
            operation: "svc/Op".into(),
            target: "t".into(),
            provenance: crate::case::Provenance::Documented,
            doc_note: None,
            reading: None,
            verdict: Verdict::Error,
            reason: None,
            blocked_by: None,
            set_aside_by: Vec::new(),
            retries: 0,
            findings: vec![crate::finding::Finding::new(kind, "m")],
            exchanges: Vec::new(),
            diff: None,
            duration_ms: 0,
        };
        c.add(0, outcome(kinds::TIMEOUT));
        assert_eq!(c.internal_errors(), 0);
        c.add(1, outcome(kinds::INTERNAL));
        assert_eq!(c.internal_errors(), 1);
    }
}
