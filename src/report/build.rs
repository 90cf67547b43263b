//! Builds the [`Report`] of a run: applies the baseline, decides the gate, counts, and lays out
//! the matrix.

use std::collections::BTreeMap;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::baseline::{Baseline, format_date};
use super::matrix;
use super::model::*;
use crate::case::Provenance;
use crate::exec::Verdict;
use crate::run::RunResult;
use crate::target::Target;

/// What the report needs beyond the outcomes.
#[derive(Debug, Clone)]
pub struct RunInfo {
    /// The run id (the report folder's name), see [`run_id`].
    pub run_id: String,
    /// When the run started; its UTC date decides whether baseline entries have expired.
    pub started_at: OffsetDateTime,
    /// The targets, in the order given.
    pub targets: Vec<TargetInfo>,
    /// The documented success-response fields of every operation (see
    /// [`matrix::documented_fields`]).
    pub documented_fields: BTreeMap<String, Vec<String>>,
    /// `--insecure`.
    pub insecure: bool,
    /// `--allow-mutations`.
    pub allow_mutations: bool,
}

/// The default run id: the UTC start time and the run prefix, `20261124T113000Z-sg-1a2b3c4d`.
pub fn run_id(started_at: OffsetDateTime, run_prefix: &str) -> String {
    let fmt = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let stamp = started_at
        .to_offset(time::UtcOffset::UTC)
        .format(&fmt)
        .unwrap_or_else(|_| "19700101T000000Z".into());
    format!("{stamp}-{run_prefix}")
}

/// Describes targets for the report: names, endpoints (without credentials) and auth kinds.
pub fn target_infos(targets: &[Target]) -> Vec<TargetInfo> {
    targets
        .iter()
        .map(|t| TargetInfo {
            name: t.name.clone(),
            embedded: t.embedded,
            services: t
                .services
                .iter()
                .map(|(name, st)| ServiceInfo {
                    name: name.clone(),
                    endpoint: without_userinfo(&st.endpoint),
                    auth: st.auth.kind().to_string(),
                })
                .collect(),
        })
        .collect()
}

/// Removes a `user:password@` part from a URL, if any.
fn without_userinfo(endpoint: &str) -> String {
    match url::Url::parse(endpoint) {
        Ok(mut u) if !u.username().is_empty() || u.password().is_some() => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.to_string().trim_end_matches('/').to_string()
        }
        _ => endpoint.to_string(),
    }
}

impl Report {
    /// Builds the report of a finished (or interrupted) run.
    pub fn build(result: &RunResult, info: &RunInfo, baseline: Option<&Baseline>) -> Report {
        let today = info.started_at.to_offset(time::UtcOffset::UTC).date();
        let eval = baseline.map(|b| b.evaluate(&result.outcomes, today));
        let outcomes: Vec<OutcomeReport> = result
            .outcomes
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let accepted = eval
                    .as_ref()
                    .map(|e| e.accepted[i].clone())
                    .unwrap_or_else(|| vec![None; o.findings.len()]);
                let status = match o.verdict {
                    Verdict::Pass => Status::Pass,
                    Verdict::Error => Status::Error,
                    Verdict::Skipped => Status::Skipped,
                    Verdict::Inconclusive => Status::Inconclusive,
                    Verdict::Fail => {
                        if !o.findings.is_empty() && accepted.iter().all(Option::is_some) {
                            Status::Known
                        } else if o.provenance == Provenance::Inferred {
                            Status::Ambiguity
                        } else {
                            Status::Fail
                        }
                    }
                };
                OutcomeReport {
                    id: o.id.clone(),
                    operation: o.operation.clone(),
                    case: o
                        .id
                        .split_once("::")
                        .map(|(_, c)| c.to_string())
                        .unwrap_or_else(|| o.id.clone()),
                    target: o.target.clone(),
                    provenance: o.provenance,
                    verdict: o.verdict,
                    status,
                    reason: o.reason.clone(),
                    duration_ms: o.duration_ms,
                    retries: o.retries,
                    findings: o
                        .findings
                        .iter()
                        .zip(accepted)
                        .map(|(f, entry)| FindingReport {
                            kind: f.kind.clone(),
                            step: f.step.clone(),
                            pointer: f.pointer.clone(),
                            expected: f.expected.clone(),
                            actual: f.actual.clone(),
                            message: f.message.clone(),
                            baseline_entry: entry,
                        })
                        .collect(),
                    diff: o.diff.clone(),
                    exchanges: o.exchanges.clone(),
                }
            })
            .collect();

        let mut counts = Counts::default();
        for o in &outcomes {
            counts.add(o.status);
        }
        let baseline_report = baseline.zip(eval.as_ref()).map(|(b, e)| BaselineReport {
            file: b.file.display().to_string(),
            entries: b
                .entries
                .iter()
                .zip(&e.entries)
                .map(|(en, &(state, matched))| EntryReport {
                    target: en.target.clone(),
                    case: en.case.clone(),
                    kind: en.kind.clone(),
                    pointer: en.pointer.clone(),
                    reason: en.reason.clone(),
                    link: en.link.clone(),
                    expires: en.expires.map(format_date),
                    line: en.pos.line,
                    state,
                    matched,
                })
                .collect(),
        });

        // Columns: the given targets, then any target only the outcomes name.
        let mut targets = info.targets.clone();
        for o in &outcomes {
            if !targets.iter().any(|t| t.name == o.target) {
                targets.push(TargetInfo {
                    name: o.target.clone(),
                    embedded: false,
                    services: Vec::new(),
                });
            }
        }
        let names: Vec<String> = targets.iter().map(|t| t.name.clone()).collect();
        let gate = gate(&counts, baseline_report.as_ref(), result.interrupted);
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "specgate".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            run: RunMeta {
                id: info.run_id.clone(),
                started_at: info
                    .started_at
                    .to_offset(time::UtcOffset::UTC)
                    .replace_nanosecond(0)
                    .unwrap_or(info.started_at)
                    .format(&Rfc3339)
                    .unwrap_or_default(),
                duration_ms: result.duration_ms,
                run_prefix: result.run_prefix.clone(),
                partial: result.interrupted,
                stable: false,
                insecure: info.insecure,
                allow_mutations: info.allow_mutations,
            },
            gate,
            counts,
            matrix: matrix::build(&outcomes, &names),
            coverage: matrix::coverage(&outcomes, &names, &info.documented_fields),
            targets,
            baseline: baseline_report,
            outcomes,
        }
    }
}

/// Decides the gate: every reason it fails, in a fixed order.
fn gate(counts: &Counts, baseline: Option<&BaselineReport>, interrupted: bool) -> Gate {
    let mut reasons = Vec::new();
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    if interrupted {
        reasons.push(
            "the run was interrupted: the report covers only the cases that finished".to_string(),
        );
    }
    if counts.fail > 0 {
        reasons.push(format!(
            "{} not in the baseline",
            plural(counts.fail, "failure", "failures")
        ));
    }
    if counts.ambiguity > 0 {
        reasons.push(format!(
            "{} (failed inferred cases) not in the baseline",
            plural(
                counts.ambiguity,
                "documentation ambiguity",
                "documentation ambiguities"
            )
        ));
    }
    if counts.error > 0 {
        reasons.push(format!(
            "{} (transport or auth: the exchange itself broke)",
            plural(counts.error, "error", "errors")
        ));
    }
    if let Some(b) = baseline {
        let n = |s: EntryState| b.entries.iter().filter(|e| e.state == s).count();
        let stale = n(EntryState::Stale);
        if stale > 0 {
            reasons.push(format!(
                "{} no longer reproduce{}: remove {} from the baseline",
                plural(stale, "baseline entry", "baseline entries"),
                if stale == 1 { "s" } else { "" },
                if stale == 1 { "it" } else { "them" }
            ));
        }
        let expired = n(EntryState::Expired);
        if expired > 0 {
            reasons.push(format!(
                "{} expired: fix the target or renew {}",
                plural(expired, "baseline entry has", "baseline entries have"),
                if expired == 1 { "it" } else { "them" }
            ));
        }
    }
    Gate {
        verdict: if reasons.is_empty() {
            GateVerdict::Pass
        } else {
            GateVerdict::Fail
        },
        reasons,
    }
}
