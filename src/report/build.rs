//! What a report needs besides the outcomes (run id, targets, documented fields), and the
//! gate's decision.

use std::collections::BTreeMap;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::model::*;
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
    /// [`documented_fields`](super::matrix::documented_fields)).
    pub documented_fields: BTreeMap<String, Vec<String>>,
    /// `--insecure`.
    pub insecure: bool,
    /// `--allow-mutations`.
    pub allow_mutations: bool,
}

/// How a run ended, for the report's header.
#[derive(Debug, Clone)]
pub struct RunEnd {
    /// The prefix of every resource the run created.
    pub run_prefix: String,
    /// True when Ctrl-C stopped the run early.
    pub interrupted: bool,
    /// Wall time of the run in milliseconds.
    pub duration_ms: u64,
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
                    endpoint: crate::redact::without_userinfo(&st.endpoint),
                    auth: st.auth.kind().to_string(),
                })
                .collect(),
        })
        .collect()
}

/// The report's facts about the run as a whole.
pub(super) fn run_meta(info: &RunInfo, end: &RunEnd) -> RunMeta {
    RunMeta {
        id: info.run_id.clone(),
        started_at: info
            .started_at
            .to_offset(time::UtcOffset::UTC)
            .replace_nanosecond(0)
            .unwrap_or(info.started_at)
            .format(&Rfc3339)
            .unwrap_or_default(),
        duration_ms: end.duration_ms,
        run_prefix: end.run_prefix.clone(),
        partial: end.interrupted,
        stable: false,
        insecure: info.insecure,
        allow_mutations: info.allow_mutations,
        suite: None,
        shard: None,
        strict_readings: false,
        left_out: Vec::new(),
    }
}

/// Decides the gate: every reason it fails, in a fixed order. The gate: conformance failures (documented cases), errors, an interrupted run and the
/// baseline's own problems fail it. A failed inferred case (a documentation ambiguity: the target
/// reads the page another way than the suite) fails it only under `--strict-readings`.
pub(super) fn gate(
    counts: &Counts,
    baseline: Option<&BaselineReport>,
    interrupted: bool,
    strict_readings: bool,
) -> Gate {
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
    if counts.ambiguity > 0 && strict_readings {
        reasons.push(format!(
            "{} (failed inferred cases, --strict-readings) not in the baseline",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ambiguities_fail_the_gate_only_under_strict_readings() {
        let counts = Counts {
            total: 3,
            pass: 2,
            ambiguity: 1,
            ..Counts::default()
        };
        let lenient = gate(&counts, None, false, false);
        assert!(lenient.reasons.is_empty(), "{:?}", lenient.reasons);
        let strict = gate(&counts, None, false, true);
        assert_eq!(
            strict.reasons,
            [
                "1 documentation ambiguity (failed inferred cases, --strict-readings) not in the baseline"
            ]
        );
        let failing = Counts { fail: 1, ..counts };
        assert_eq!(gate(&failing, None, false, false).reasons.len(), 1);
    }
}
