//! The `specgate run` command from start to exit code: configure, load, start the embedded
//! emulator when no target is given, plan, execute, present, report, gate. Every exit code of
//! `run` is decided in this file.

use std::sync::Arc;

use super::args::Format;
use super::config::{Mode, RunConfig};
use super::console::Console;
use super::events::{Event, Hub};
use super::execute::{execute, new_run_prefix};
use super::plan::Plan;
use super::{console, dry_run};
use crate::diag::render_all;
use crate::exec::Client;
use crate::exit;
use crate::report::{self, Baseline, Collector, Keep, Report, RunEnd, RunInfo};
use crate::suite::Suite;
use crate::target::{Target, check_target, embedded_target, load_target, vars_of};

/// Runs what `config` asks for and returns the process exit code (see [`crate::exit`]).
pub(crate) fn run(config: RunConfig) -> u8 {
    let suite = match Suite::load(&config.specs, &config.cases) {
        Ok(s) => s,
        Err(diags) => {
            eprint!("{}", render_all(&diags));
            return exit::BAD_INPUT;
        }
    };
    // The suite's digest: in the report, and what a `--reference` recording must be made of.
    let digest = crate::merge::suite_digest(&config.specs, &config.cases, &suite);
    // A damaged or foreign recording is an error before anything is sent.
    let parity = match super::reference::load(&config, &suite, &digest) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut targets = Vec::new();
    let mut diags = Vec::new();
    let overrides = &config.overrides;
    for path in &config.targets {
        match load_target(path, overrides) {
            Ok(t) => {
                // A misspelt service or variable, or one the specs need and the profile lacks,
                // is an error now, not a run that tests less or fails for the wrong reason.
                diags.append(&mut check_target(&t, &suite, overrides));
                targets.push(t);
            }
            Err(mut d) => diags.append(&mut d),
        }
    }
    if !diags.is_empty() {
        eprint!("{}", render_all(&diags));
        return exit::BAD_INPUT;
    }
    // One profile run per region or account (`--var region=…`): the reports name the column.
    super::label::label_targets(&mut targets, &suite, &config.vars);
    let baseline = match &config.baseline {
        Some(path) => match Baseline::load(path) {
            Ok(b) => Some(b),
            Err(diags) => {
                eprint!("{}", render_all(&diags));
                return exit::BAD_INPUT;
            }
        },
        None => None,
    };
    if let Some(b) = &baseline {
        // Entries must name this run's targets and the suite's cases: a misspelt one would
        // never match, and the gate would not notice.
        let embedded = embedded_identity_target("http://127.0.0.1:0");
        let names: Vec<&str> = if targets.is_empty() {
            vec![embedded.name.as_str()]
        } else {
            targets.iter().map(|t| t.name.as_str()).collect()
        };
        let case_ids: Vec<String> = suite.cases().iter().map(|c| c.id()).collect();
        let mut diags = report::check_baseline_entries(b, &names, &case_ids);
        diags.extend(report::check_pins(
            &b.file,
            &b.pins,
            &report::reading_notes(&suite),
        ));
        if !diags.is_empty() {
            eprint!("{}", render_all(&diags));
            return exit::BAD_INPUT;
        }
    }
    if let Some((path, force)) = &config.write_baseline
        && let Err(e) = report::check_writable(path, *force)
    {
        eprintln!("error: {e}");
        return exit::USAGE;
    }
    // `--threads`, else every core, whether the target is the embedded emulator (it serves from
    // this runtime) or not (docs/benchmarks.md measures one thread against all).
    let threads = crate::runtime::run_threads(config.threads);
    let runtime = match crate::runtime::build(threads) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return exit::UNREACHABLE;
        }
    };
    runtime.block_on(run_async(&config, suite, digest, targets, baseline, parity))
}

async fn run_async(
    config: &RunConfig,
    suite: Suite,
    digest: report::SuiteDigest,
    mut targets: Vec<Target>,
    baseline: Option<Baseline>,
    parity: Option<crate::record::parity::ParityCheck>,
) -> u8 {
    // With no target, start the embedded emulator on an ephemeral loopback port.
    let mut emulator = None;
    if targets.is_empty() {
        // Listing and dry runs send nothing: they need the embedded target's names and
        // variables, not a running emulator.
        if !config.sends() {
            targets.push(embedded_identity_target("http://127.0.0.1:<emulator-port>"));
        } else {
            let mut emulator_config = crate::emulator::Config::default();
            for choice in &config.emulator_readings {
                emulator_config.readings.choose(choice);
            }
            match crate::emulator::spawn(emulator_config).await {
                Ok(handle) => {
                    targets.push(embedded_identity_target(&handle.base_url()));
                    emulator = Some(handle);
                }
                Err(e) => {
                    eprintln!("error: cannot start the embedded emulator on 127.0.0.1: {e}");
                    return exit::UNREACHABLE;
                }
            }
        }
    }
    let plan = match Plan::new(&suite, targets, config) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    if config.mode == Mode::List {
        console::list(&plan);
        return exit::OK;
    }
    // An empty shard of a non-empty selection is no mistake: more shards than selected cases.
    if let Some(message) = super::no_cases::refusal(&config.selection, &plan, plan.cases().len()) {
        eprint!("{message}");
        if let Some(handle) = emulator {
            let _ = handle.shutdown().await;
        }
        return exit::NO_CASES;
    }
    if config.mode == Mode::DryRun {
        let redactor = crate::redact::Redactor::for_targets(plan.targets());
        dry_run::dry_run(&suite, &plan, &redactor);
        return exit::OK;
    }
    let client = match Client::new(config.client.clone()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::UNREACHABLE;
        }
    };
    let run_prefix = new_run_prefix();
    let started_at = time::OffsetDateTime::now_utc();
    let info = RunInfo {
        run_id: config
            .report
            .run_id
            .clone()
            .unwrap_or_else(|| report::run_id(started_at, &run_prefix)),
        started_at,
        targets: report::target_infos(plan.targets()),
        documented_fields: report::documented_fields(&suite),
        insecure: config.client.insecure,
        allow_mutations: config.allow_mutations,
    };
    let collector = match new_collector(config, info, baseline, plan.len()) {
        Ok(c) => c
            .with_readings(report::reading_notes(&suite), config.strict_readings)
            .with_suite(digest, config.shard.map(|s| s.to_string()))
            .with_left_out(plan.left_out().iter().map(|l| l.line()).collect()),
        Err(e) => {
            eprintln!(
                "error: cannot create a temporary file for the run's outcomes: {e} (set TMPDIR to a writable folder)"
            );
            return exit::USAGE;
        }
    };
    // `--reference`: the matrix's parity row and the *Spec vs. recording* section.
    let collector = match &config.parity {
        Some(p) => collector.with_parity(p.reference.display().to_string(), !p.only),
        None => collector,
    };
    let suite = Arc::new(suite);
    let plan = Arc::new(plan);
    let hub = Hub::new(vec![Box::new(Console::for_stdout(
        plan.clone(),
        config.console,
        config.strict_readings,
    ))]);
    let executed = execute(
        suite.clone(),
        plan.clone(),
        config,
        client,
        &run_prefix,
        super::execute::Outlets {
            collector,
            hub,
            parity,
        },
    )
    .await;
    if let Some(handle) = emulator {
        let _ = handle.shutdown().await;
    }
    let (stats, collector, mut hub) = match executed {
        Ok(done) => done,
        Err(e) => return exit::fail(&exit::InternalError(e)),
    };
    let unreachable = collector.all_unreachable();
    let internal = collector.internal_errors();
    let mut rep = collector.finish(RunEnd {
        run_prefix,
        interrupted: stats.interrupted,
        duration_ms: stats.duration_ms,
    });
    if !stats.interrupted {
        // An interrupted run fails anyway; what it did not reach is not the point then.
        report::require_tested(&mut rep, config.require_coverage);
    }
    hub.emit(&Event::RunFinished {
        report: &rep,
        stats: &stats,
    });
    // A report that cannot be made stable is not the one asked for: written, but REPORT_FAILED.
    let stable = !config.report.stable
        || report::stabilize(&mut rep)
            .map_err(|e| eprintln!("error: cannot make the report stable: {e}"))
            .is_ok();
    if let Some(path) = &config.report.history {
        for w in report::record_history(path, &mut rep) {
            eprintln!("warning: {w}");
        }
    }
    let mut written = write_outputs(config, &rep) && stable;
    if let Some((out, force)) = &config.record
        && !stats.interrupted
    {
        written &= super::reference::write(&plan, &suite, &rep, out, *force);
        if written && !unreachable {
            // A recording is of what the target does, deviations included: no gate.
            return exit::OK;
        }
    }
    if stats.signal == Some(super::signals::StopSignal::Terminate) {
        return exit::TERMINATED;
    }
    if !written && !stats.interrupted {
        return exit::REPORT_FAILED;
    }
    if internal > 0 && !stats.interrupted {
        eprintln!(
            "error: specgate failed inside on {internal} case{} (a bug in specgate, not a verdict on the target: please report it); exit {}",
            if internal == 1 { "" } else { "s" },
            exit::INTERNAL
        );
    }
    exit_code(stats.interrupted, unreachable, internal, rep.passed())
}

/// The collector of the run's outcomes. With a report to write, every record is kept, next to
/// the report folder; otherwise only the records of cases that did not pass.
fn new_collector(
    config: &RunConfig,
    info: RunInfo,
    baseline: Option<Baseline>,
    planned: usize,
) -> std::io::Result<Collector> {
    if config.record.is_some() && config.report.dir.is_none() {
        // A recording reads every outcome back.
        return Collector::new(info, baseline, Keep::All, planned, None);
    }
    let (keep, dir) = if let Some(report_dir) = &config.report.dir {
        let dir = std::fs::create_dir_all(report_dir)
            .is_ok()
            .then_some(report_dir.as_path());
        // What earlier runs, killed while writing their reports, left behind.
        for path in report::remove_stale_temporaries(report_dir) {
            eprintln!(
                "note: removed {}, left by an earlier run that was killed",
                path.display()
            );
        }
        (Keep::All, dir)
    } else {
        (Keep::Problems, None)
    };
    Collector::new(info, baseline, keep, planned, dir)
}

/// Prints the gate, writes the report folder and the `--write-baseline` file; false when one
/// of them could not be written.
fn write_outputs(config: &RunConfig, rep: &Report) -> bool {
    let mut written = true;
    // With `--format json`, stdout carries only JSON events.
    let say = |s: &str| {
        if config.console.format == Format::Json {
            eprint!("{s}");
        } else {
            print!("{s}");
        }
    };
    if let Some(line) = report::untested_summary(rep) {
        say(&line);
    }
    say(&report::gate_summary(rep));
    if let Some(report_dir) = &config.report.dir {
        let summary = std::env::var_os("GITHUB_STEP_SUMMARY")
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from);
        match report::write_reports(rep, report_dir, summary.as_deref()) {
            Ok(w) => say(&format!(
                "report: {}\n",
                w.run_dir.join("report.html").display()
            )),
            Err(e) => {
                written = false;
                eprintln!(
                    "error: cannot write the report under {}: {e}",
                    report_dir.display()
                );
            }
        }
    }
    if let Some((path, force)) = &config.write_baseline {
        match report::write_baseline(path, rep, *force) {
            Ok(n) => say(&format!(
                "baseline: wrote {n} entries to {} for review\n",
                path.display()
            )),
            Err(e) => {
                written = false;
                eprintln!("error: cannot write the baseline: {e}");
            }
        }
    }
    written
}

/// The exit code for a finished run: interrupted, specgate's own failure on some case
/// (`internal` outcomes: the gate's verdict cannot be trusted), unreachable, or the gate's
/// verdict.
fn exit_code(interrupted: bool, unreachable: bool, internal: usize, passed: bool) -> u8 {
    if interrupted {
        exit::INTERRUPTED
    } else if internal > 0 {
        exit::INTERNAL
    } else if unreachable {
        exit::UNREACHABLE
    } else if passed {
        exit::OK
    } else {
        exit::GATE_FAILED
    }
}

/// The embedded target at `base_url`, with the emulator's identity as its variables.
fn embedded_identity_target(base_url: &str) -> Target {
    let id = crate::emulator::identity();
    embedded_target(
        base_url,
        vars_of(&[("region", id.region), ("account", id.account)]),
        vars_of(&[
            ("project_id", id.project_id),
            ("huawei_region", id.huawei_region),
            ("domain_id", id.domain_id),
        ]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_error_is_its_own_exit_code_not_the_gate() {
        // A run that specgate itself failed on exits 70 whatever the gate says.
        assert_eq!(exit_code(false, false, 1, true), exit::INTERNAL);
        assert_eq!(exit_code(false, false, 2, false), exit::INTERNAL);
        // An interrupted run stays interrupted.
        assert_eq!(exit_code(true, false, 1, false), exit::INTERRUPTED);
        assert_eq!(exit_code(false, true, 0, false), exit::UNREACHABLE);
        assert_eq!(exit_code(false, false, 0, true), exit::OK);
        assert_eq!(exit_code(false, false, 0, false), exit::GATE_FAILED);
    }
}
