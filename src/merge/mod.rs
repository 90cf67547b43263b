//! `specgate merge DIR... --report-dir OUT`: joins the reports of several runs of one suite
//! (the shards of a CI job matrix, runs against other targets or regions) into one report set
//! with one matrix, one field coverage and one gate.
//!
//! Each shard's `report.json` is read twice, as a stream: first to check that it is whole and
//! of the same suite, and to learn its targets; then each outcome is turned back into the
//! outcome a run produced and given to one [`Collector`], which judges
//! it against the baseline (applied once, stale entries judged across every shard), tallies and
//! keeps it on disk like a run does. So the merged report is what one run of the whole plan
//! would have written, and memory does not grow with the number of outcomes.

mod digest;
mod error;
mod read;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub(crate) use digest::{differing_files, suite_digest};
pub(crate) use error::{MergeError, Refused, ReportProblem};
pub(crate) use read::{Header, ShardRun, read_report};

use crate::diag::LoadError;
use crate::exec::CaseOutcome;
use crate::exit::{self, ExitStatus};
use crate::id::CaseId;
use crate::report::{
    self, Baseline, Collector, Keep, OutcomeReport, Report, RunEnd, RunInfo, TargetInfo,
};
use crate::suite::Suite;

/// `specgate merge DIR... [--report-dir OUT] [--baseline FILE] [--stable-report]`.
#[derive(Debug, Clone, clap::Args)]
pub struct MergeArgs {
    /// Report folders of the runs to merge (each holds a report.json), or report.json files.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Where the merged report goes: `OUT/<run-id>/` and `OUT/latest/`.
    #[arg(long, default_value = "reports", value_name = "OUT")]
    pub report_dir: PathBuf,
    /// The merged report folder's name instead of `<UTC time>-merge`.
    #[arg(long, value_name = "ID", value_parser = crate::run::parse_run_id)]
    pub run_id: Option<String>,
    /// Replace times, ports, run prefixes and random ids in the reports by placeholders.
    #[arg(long)]
    pub stable_report: bool,
    /// As `run --history`: append the merged run to FILE and show the trend in report.html.
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
    /// Known deviations (YAML), applied once to every shard's outcomes.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// As `run --strict-readings`: expect every ambiguous page's reference reading.
    #[arg(long)]
    pub strict_readings: bool,
    /// As `run --require-coverage`: fail the gate when fewer than PCT % of the cases were tested.
    #[arg(long, value_name = "PCT", value_parser = crate::run::parse_percent)]
    pub require_coverage: Option<f64>,
    /// The specs directory of the suite the shards ran.
    #[arg(long, default_value = "specs", value_name = "DIR")]
    pub specs: PathBuf,
    /// The case files or directories of the suite the shards ran.
    #[arg(long = "cases", default_value = "cases", value_name = "PATH")]
    pub cases: Vec<PathBuf>,
}

/// One shard's report, checked.
struct Part {
    /// The report.json file.
    file: PathBuf,
    /// Its folder, as named on the command line (the gate names it).
    name: String,
    header: Header,
    run: ShardRun,
}

/// Runs `specgate merge` and returns the exit code: 0 passed, 1 gate failed, 2 usage, 3 a
/// report or the suite is unreadable, damaged or incompatible, 4 no target was reached, 5 the
/// merged report could not be written.
pub(crate) fn merge(args: MergeArgs) -> u8 {
    match load_and_merge(&args) {
        Ok(code) => code,
        Err(e) => exit::fail(&e),
    }
}

/// Loads the suite and baseline, merges; the exit code of a merge that reached a verdict.
fn load_and_merge(args: &MergeArgs) -> Result<u8, MergeError> {
    let suite = Suite::load(&args.specs, &args.cases).map_err(LoadError)?;
    let baseline = match &args.baseline {
        Some(path) => Some(Baseline::load(path).map_err(LoadError)?),
        None => None,
    };
    if let Some(b) = &baseline {
        let diags = report::check_pins(&b.file, &b.pins, &report::reading_notes(&suite));
        if !diags.is_empty() {
            return Err(LoadError(diags).into());
        }
    }
    merge_checked(args, &suite, baseline)
}

/// Where each trial goes in the merged plan: case-major, then target, then repetition, as
/// `run` orders a plan of every case against every target.
struct Layout {
    cases: BTreeMap<String, usize>,
    targets: Vec<String>,
    repeat: u32,
}

impl Layout {
    fn planned(&self) -> usize {
        self.cases.len() * self.targets.len() * self.repeat as usize
    }

    fn index(&self, id: &CaseId, target: &str) -> Result<usize, Refused> {
        let case = id.case().to_string();
        let ci = *self.cases.get(&case).ok_or(Refused::UnknownCase(case))?;
        let ti = self
            .targets
            .iter()
            .position(|t| *t == target)
            .ok_or_else(|| Refused::UnknownTarget(target.to_string()))?;
        Ok(
            (ci * self.targets.len() + ti) * self.repeat as usize + id.repetition.max(1) as usize
                - 1,
        )
    }
}

/// The trial an outcome of a report is, read from its `id`.
fn trial(o: &OutcomeReport) -> Result<CaseId, Refused> {
    o.id.parse().map_err(|source| Refused::BadId {
        target: o.target.clone(),
        source,
    })
}

fn merge_checked(
    args: &MergeArgs,
    suite: &Suite,
    baseline: Option<Baseline>,
) -> Result<u8, MergeError> {
    let digest = suite_digest(&args.specs, &args.cases, suite);
    // Pass 1: every report whole, of this suite; targets and repetitions.
    let mut parts = Vec::new();
    let mut repeat = 1;
    for dir in &args.dirs {
        let file = if dir.is_dir() {
            dir.join("report.json")
        } else {
            dir.clone()
        };
        let mut count = |o: OutcomeReport| {
            repeat = repeat.max(trial(&o)?.repetition);
            Ok(())
        };
        let bad = |problem| MergeError::Report {
            file: file.clone(),
            problem,
        };
        let header = read_report(&file, &mut count).map_err(bad)?;
        let Some(run) = header.run.clone() else {
            return Err(bad(ReportProblem::NoRun));
        };
        if header.schema_version != Some(report::SCHEMA_VERSION) {
            return Err(bad(ReportProblem::SchemaVersion {
                found: header.schema_version,
                ours: report::SCHEMA_VERSION,
            }));
        }
        match &run.suite {
            None => return Err(bad(ReportProblem::NoSuiteDigest)),
            Some(d) if *d != digest => {
                let files = differing_files(&digest, d);
                return Err(bad(ReportProblem::OtherSuite {
                    specs: args.specs.display().to_string(),
                    cases: args
                        .cases
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    differing: match files.len() {
                        0 => "the digests".to_string(),
                        1..=10 => files.join(", "),
                        n => format!("{} and {} more", files[..10].join(", "), n - 10),
                    },
                }));
            }
            Some(_) => {}
        }
        parts.push(Part {
            file,
            name: dir.display().to_string(),
            header,
            run,
        });
    }
    check_shards(&parts)?;
    // The targets: in order of first appearance; a target in several reports is one column.
    let mut targets: Vec<TargetInfo> = Vec::new();
    for p in &parts {
        for t in &p.header.targets {
            if !targets.iter().any(|x| x.name == t.name) {
                targets.push(t.clone());
            }
        }
    }
    let layout = Layout {
        cases: suite
            .cases()
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id(), i))
            .collect(),
        targets: targets.iter().map(|t| t.name.clone()).collect(),
        repeat,
    };
    // As `run` does: baseline entries must name these targets and the suite's cases.
    if let Some(b) = &baseline {
        let names: Vec<&str> = layout.targets.iter().map(String::as_str).collect();
        let case_ids: Vec<String> = layout.cases.keys().cloned().collect();
        let diags = report::check_baseline_entries(b, &names, &case_ids);
        if !diags.is_empty() {
            return Err(LoadError(diags).into());
        }
    }
    let started_at = parts
        .iter()
        .filter_map(|p| {
            time::OffsetDateTime::parse(
                &p.run.started_at,
                &time::format_description::well_known::Rfc3339,
            )
            .ok()
        })
        .min()
        .unwrap_or_else(time::OffsetDateTime::now_utc);
    let info = RunInfo {
        run_id: args
            .run_id
            .clone()
            .unwrap_or_else(|| report::run_id(time::OffsetDateTime::now_utc(), "merge")),
        started_at,
        targets,
        documented_fields: report::documented_fields(suite),
        insecure: parts.iter().any(|p| p.run.insecure),
        allow_mutations: parts.iter().any(|p| p.run.allow_mutations),
    };
    let dir = std::fs::create_dir_all(&args.report_dir)
        .is_ok()
        .then_some(args.report_dir.as_path());
    let mut collector = Collector::new(info, baseline, Keep::All, layout.planned(), dir)
        .map_err(MergeError::TempFile)?
        .with_readings(report::reading_notes(suite), args.strict_readings)
        .with_suite(digest, None)
        .with_left_out(left_out_lines(&parts));
    // Pass 2: every outcome to the one collector, in any order (the store sorts by plan index).
    let mut seen = vec![false; layout.planned()];
    let mut failing: Vec<usize> = vec![0; parts.len()];
    let strict = args.strict_readings;
    for (pi, p) in parts.iter().enumerate() {
        let mut feed = |o: OutcomeReport| {
            let id = trial(&o)?;
            let i = layout.index(&id, &o.target)?;
            if std::mem::replace(&mut seen[i], true) {
                return Err(Refused::Duplicate {
                    id: o.id,
                    target: o.target,
                });
            }
            if collector.add(i, case_outcome(o, id)).fails_gate(strict) {
                failing[pi] += 1;
            }
            Ok(())
        };
        read_report(&p.file, &mut feed).map_err(|problem| MergeError::Report {
            file: p.file.clone(),
            problem,
        })?;
    }
    let unreachable = collector.all_unreachable();
    let prefixes: Vec<String> = parts.iter().map(|p| p.run.run_prefix.clone()).collect();
    let mut rep = collector.finish(RunEnd {
        run_prefix: distinct(&prefixes).join(","),
        interrupted: parts.iter().any(|p| p.run.partial),
        duration_ms: parts.iter().map(|p| p.run.duration_ms).max().unwrap_or(0),
    });
    let partial = rep.run.partial;
    if !partial {
        report::require_tested(&mut rep, args.require_coverage);
    }
    name_failing_shards(&mut rep, &parts, &failing);
    // A report that cannot be made stable is not the report asked for: it is still written,
    // and the merge exits REPORT_FAILED.
    let unstable = if args.stable_report {
        report::stabilize_with(&mut rep, &prefixes)
            .err()
            .map(MergeError::Stabilize)
    } else {
        None
    };
    if let Some(e) = &unstable {
        eprint!("{}", e.render());
    }
    if let Some(path) = &args.history {
        for w in report::record_history(path, &mut rep) {
            eprintln!("warning: {w}");
        }
    }
    println!(
        "specgate merge: {} reports, {} outcomes, {} target{}",
        parts.len(),
        rep.counts.total,
        rep.targets.len(),
        if rep.targets.len() == 1 { "" } else { "s" }
    );
    let code = write(args, &rep, unreachable)?;
    Ok(if unstable.is_some() {
        exit::REPORT_FAILED
    } else {
        code
    })
}

/// Shards of one target set must all be there, once: `1/N` to `N/N`.
fn check_shards(parts: &[Part]) -> Result<(), MergeError> {
    let mut groups: BTreeMap<Vec<String>, Vec<(&Part, u32, u32)>> = BTreeMap::new();
    for p in parts {
        let Some(s) = &p.run.shard else { continue };
        let shard = crate::run::shard::parse_shard(s).map_err(|e| MergeError::Report {
            file: p.file.clone(),
            problem: ReportProblem::Shard(e),
        })?;
        let mut names: Vec<String> = p.header.targets.iter().map(|t| t.name.clone()).collect();
        names.sort();
        groups
            .entry(names)
            .or_default()
            .push((p, shard.index, shard.count));
    }
    for (targets, shards) in groups {
        let n = shards[0].2;
        if let Some((p, _, other)) = shards.iter().find(|s| s.2 != n) {
            return Err(MergeError::OtherSplit {
                file: p.file.clone(),
                other: *other,
                count: n,
            });
        }
        let missing: Vec<String> = (1..=n)
            .filter(|k| !shards.iter().any(|s| s.1 == *k))
            .map(|k| format!("{k}/{n}"))
            .collect();
        if !missing.is_empty() {
            return Err(MergeError::MissingShards { missing, targets });
        }
    }
    Ok(())
}

/// When the gate fails, one reason per shard whose outcomes fail it, naming its folder.
fn name_failing_shards(rep: &mut Report, parts: &[Part], failing: &[usize]) {
    if rep.passed() {
        return;
    }
    for (p, n) in parts.iter().zip(failing) {
        if *n > 0 {
            rep.gate.reasons.push(format!(
                "{} (run {}{}): {n} of its {} outcomes fail the gate",
                p.name,
                p.run.id,
                p.run
                    .shard
                    .as_deref()
                    .map(|s| format!(", shard {s}"))
                    .unwrap_or_default(),
                p.header.outcomes
            ));
        }
    }
}

fn distinct(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in items {
        if !out.contains(i) {
            out.push(i.clone());
        }
    }
    out
}

/// The outcome a run produced, from its report form: the merge judges it anew.
fn case_outcome(o: OutcomeReport, id: CaseId) -> CaseOutcome {
    CaseOutcome {
        id,
        operation: o.operation,
        target: o.target,
        provenance: o.provenance,
        doc_note: o.doc_note,
        reading: o.reading,
        verdict: o.verdict,
        reason: o.reason,
        blocked_by: o.blocked_by,
        set_aside_by: o.set_aside_by,
        retries: o.retries,
        findings: o
            .findings
            .into_iter()
            .map(|f| {
                let source = f.source.as_ref().map(Into::into);
                crate::finding::Finding {
                    source,
                    ..f.finding
                }
            })
            .collect(),
        exchanges: o.exchanges,
        diff: o.diff,
        duration_ms: o.duration_ms,
    }
}

/// Prints the gate, writes the report set; the exit code.
fn write(args: &MergeArgs, rep: &Report, unreachable: bool) -> Result<u8, MergeError> {
    if let Some(line) = report::untested_summary(rep) {
        print!("{line}");
    }
    print!("{}", report::gate_summary(rep));
    let summary = std::env::var_os("GITHUB_STEP_SUMMARY")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    match report::write_reports(rep, &args.report_dir, summary.as_deref()) {
        Ok(w) => println!("report: {}", w.run_dir.join("report.html").display()),
        Err(source) => {
            return Err(MergeError::Write {
                dir: args.report_dir.clone(),
                source,
            });
        }
    }
    Ok(if unreachable {
        exit::UNREACHABLE
    } else if rep.passed() {
        exit::OK
    } else {
        exit::GATE_FAILED
    })
}

/// The parts' lines about cases left out of the plan, each once, in the order first seen (every
/// shard of one run has the same lines).
fn left_out_lines(parts: &[Part]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for line in parts.iter().flat_map(|p| &p.run.left_out) {
        if !lines.contains(line) {
            lines.push(line.clone());
        }
    }
    lines
}
