//! What the compatibility page is made of: a run's report.json (its outcomes, readings and
//! baseline entries) and, from the suite, each case's summary and the evidence it cites.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::super::outcome::OutcomeReport;

/// One reading of an ambiguous rule, as report.json's `readings` names it (the page counts
/// its cases itself).
#[derive(Debug, Clone, Deserialize)]
pub struct ReadingCount {
    /// The reading's id.
    pub id: String,
}

/// One row of report.json's `readings`: a doc note with readings, on one target.
#[derive(Debug, Clone, Deserialize)]
pub struct ReadingRowIn {
    /// `<service>/<Operation>`.
    pub operation: String,
    /// The doc note's id.
    pub note: String,
    /// The target's name.
    pub target: String,
    /// Each reading, in spec order.
    pub readings: Vec<ReadingCount>,
}

#[derive(Debug, Deserialize)]
struct RunIn {
    #[serde(default)]
    stable: bool,
}

/// The parts of report.json the page reads.
#[derive(Debug, Deserialize)]
struct ReportIn {
    run: RunIn,
    #[serde(default)]
    readings: Vec<ReadingRowIn>,
    outcomes: Vec<OutcomeReport>,
}

/// What the page shows of a case besides its outcome.
#[derive(Debug, Clone, Default)]
pub struct CaseFacts {
    /// The case's one-line summary.
    pub summary: String,
    /// Each cited source as `kind at: "says"`.
    pub evidence: Vec<String>,
}

/// Everything the page is rendered from.
#[derive(Debug)]
pub struct CompatInput {
    /// Every outcome, in the run's plan order.
    pub outcomes: Vec<OutcomeReport>,
    /// The Readings table.
    pub readings: Vec<ReadingRowIn>,
    /// The known deviations whose reasons the page shows (`--baseline`), if any.
    pub baseline: Option<crate::baseline::Baseline>,
    /// Per case id: its summary and evidence.
    pub cases: BTreeMap<String, CaseFacts>,
}

/// Why the page's input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadInputError {
    /// report.json could not be read.
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// report.json is not a report specgate wrote.
    #[error("{} is not a report.json of specgate run: {message}", .path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// serde's words, with line and column.
        message: String,
    },
    /// The run was not made with `--stable-report`: its page would change from run to run.
    #[error(
        "{} is not a stable report: run `specgate run --stable-report` so that the page holds no times, ports or random ids",
        .path.display()
    )]
    NotStable {
        /// The file.
        path: PathBuf,
    },
    /// The suite or the baseline could not be loaded (each problem with file:line:col).
    #[error("{0}")]
    Suite(String),
}

impl CompatInput {
    /// Reads `report` (a report.json), the suite of `specs` and `cases`, and `baseline`.
    pub fn read(
        report: &Path,
        specs: &Path,
        cases: &[PathBuf],
        baseline: Option<&Path>,
    ) -> Result<CompatInput, ReadInputError> {
        let bytes = std::fs::read(report).map_err(|source| ReadInputError::Read {
            path: report.to_path_buf(),
            source,
        })?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        de.disable_recursion_limit();
        let parsed = ReportIn::deserialize(&mut de).map_err(|e| ReadInputError::Parse {
            path: report.to_path_buf(),
            message: e.to_string(),
        })?;
        if !parsed.run.stable {
            return Err(ReadInputError::NotStable {
                path: report.to_path_buf(),
            });
        }
        let suite = crate::suite::Suite::load(specs, cases)
            .map_err(|d| ReadInputError::Suite(crate::diag::render_all(&d)))?;
        let cases = suite
            .cases()
            .into_iter()
            .map(|c| {
                (
                    c.id(),
                    CaseFacts {
                        summary: c.summary.clone(),
                        evidence: evidence_of(c, &suite),
                    },
                )
            })
            .collect();
        Ok(CompatInput {
            outcomes: parsed.outcomes,
            readings: parsed.readings,
            baseline: baseline
                .map(crate::baseline::Baseline::load)
                .transpose()
                .map_err(|d| ReadInputError::Suite(crate::diag::render_all(&d)))?,
            cases,
        })
    }
}

/// One citation as the page lists it: `kind at: "says" (what it backs)`.
fn cited(e: &crate::spec::Evidence, backs: &str) -> String {
    let mut s = format!("{} {}", e.kind.as_str(), e.at);
    if let Some(says) = &e.says {
        s.push_str(&format!(
            ": \"{}\"",
            says.split_whitespace().collect::<Vec<_>>().join(" ")
        ));
    }
    if !backs.is_empty() {
        s.push_str(&format!(" ({backs})"));
    }
    s
}

/// The evidence behind a case: what the case cites itself, then what the spec cites for what
/// the case relies on (its doc note, each parameter it sends to its operation, the error code
/// it expects); the operation's source when none of them cites anything. Each citation once.
fn evidence_of(case: &crate::case::Case, suite: &crate::suite::Suite) -> Vec<String> {
    let mut out: Vec<String> = case.evidence.iter().map(|e| cited(e, "")).collect();
    let Some(op) = suite.operations.get(&case.operation) else {
        return out;
    };
    if let Some(note) = case
        .doc_note
        .as_ref()
        .and_then(|id| op.doc_notes.iter().find(|n| &n.id == id))
    {
        let backs = format!("doc note `{}`", note.id);
        out.extend(note.evidence.iter().map(|e| cited(e, &backs)));
    }
    let common = suite
        .services
        .get(&op.service)
        .map_or(&[][..], |s| &s.common_errors[..]);
    for step in case.steps.iter().filter(|s| s.operation == case.operation) {
        for (name, _) in step.params.iter().chain(&step.extra_params) {
            if let Some(p) = op.request.param(name) {
                let backs = format!("parameter `{name}`");
                out.extend(p.evidence.iter().map(|e| cited(e, &backs)));
            }
        }
        if let Some(code) = &step.expect.error
            && let Some(row) = op.errors.iter().chain(common).find(|r| &r.code == code)
        {
            let backs = format!("error `{code}`");
            out.extend(row.evidence.iter().map(|e| cited(e, &backs)));
        }
    }
    if out.is_empty() && !op.source.is_empty() {
        out.push(format!("the operation's source: {}", op.source.trim()));
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|s| seen.insert(s.clone()));
    out
}
