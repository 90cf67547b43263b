//! The `specgate run` command from start to exit code: load, start the embedded emulator when
//! no target is given, plan, execute, present, report, gate.

use std::sync::Arc;

use super::args::{Format, RunArgs};
use super::execute::{RunResult, execute};
use super::{console, dry_run};
use crate::diag::render_all;
use crate::exec::{Client, ClientOptions, Verdict};
use crate::exit;
use crate::finding::kinds;
use crate::report::{self, Baseline, Report, RunInfo};
use crate::suite::Suite;
use crate::target::{Target, embedded_target, load_target, vars_of};

/// Runs the command and returns the process exit code (see [`crate::exit`]).
pub fn run(args: RunArgs) -> u8 {
    let suite = match Suite::load(&args.specs, &args.cases) {
        Ok(s) => s,
        Err(diags) => {
            eprint!("{}", render_all(&diags));
            return exit::BAD_INPUT;
        }
    };
    let mut targets = Vec::new();
    let mut diags = Vec::new();
    let overrides: crate::vars::Vars = args
        .vars
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    for path in &args.targets {
        match load_target(path, &overrides) {
            Ok(t) => targets.push(t),
            Err(mut d) => diags.append(&mut d),
        }
    }
    if !diags.is_empty() {
        eprint!("{}", render_all(&diags));
        return exit::BAD_INPUT;
    }
    let baseline = match &args.baseline {
        Some(path) => match Baseline::load(path) {
            Ok(b) => Some(b),
            Err(diags) => {
                eprint!("{}", render_all(&diags));
                return exit::BAD_INPUT;
            }
        },
        None => None,
    };
    if let Some(path) = &args.write_baseline
        && let Err(e) = report::check_writable(path, args.force)
    {
        eprintln!("error: {e}");
        return exit::USAGE;
    }
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if std::env::var_os("TOKIO_WORKER_THREADS").is_none() {
        builder.worker_threads(worker_threads(args.targets.is_empty()));
    }
    let runtime = match builder.enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return exit::UNREACHABLE;
        }
    };
    runtime.block_on(run_async(args, suite, targets, baseline))
}

/// The runtime's worker threads: every core when the target is the embedded emulator (it
/// serves from this runtime), else half of them, at least one. A run's own work per request is
/// small, and the target is often a process on the same machine (an emulator in CI) that needs
/// the other half: on 2 cores, 1 worker against `specgate serve` sent 17% more requests per
/// second than 2, each costing a quarter less CPU (docs/benchmarks.md). `TOKIO_WORKER_THREADS`
/// overrides this.
fn worker_threads(embedded: bool) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if embedded { cores } else { (cores / 2).max(1) }
}

async fn run_async(
    args: RunArgs,
    suite: Suite,
    mut targets: Vec<Target>,
    baseline: Option<Baseline>,
) -> u8 {
    // With no target, start the embedded emulator on an ephemeral loopback port.
    let mut emulator = None;
    if targets.is_empty() {
        // Listing and dry runs send nothing: they need the embedded target's names and
        // variables, not a running emulator.
        if args.list || args.dry_run {
            targets.push(embedded_identity_target("http://127.0.0.1:<emulator-port>"));
        } else {
            match crate::emulator::spawn(crate::emulator::Config::default()).await {
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
    let plan = super::execute::plan(&suite, &targets, &args);
    if args.list {
        console::list(&plan, targets.len() > 1);
        return exit::OK;
    }
    if args.dry_run {
        let overrides = args
            .vars
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        dry_run::dry_run(
            &suite,
            &targets,
            &plan,
            &overrides,
            &super::execute::redactor_for(&targets),
        );
        return exit::OK;
    }
    let client = match Client::new(ClientOptions {
        timeout: std::time::Duration::from_secs_f64(args.timeout.max(0.001)),
        body_cap: args.body_cap,
        insecure: args.insecure,
    }) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::UNREACHABLE;
        }
    };
    let suite = Arc::new(suite);
    let targets = Arc::new(targets);
    let started_at = time::OffsetDateTime::now_utc();
    let (result, requests) = execute(suite.clone(), targets.clone(), plan, &args, client).await;
    if let Some(handle) = emulator {
        let _ = handle.shutdown().await;
    }
    let info = RunInfo {
        run_id: args
            .run_id
            .clone()
            .unwrap_or_else(|| report::run_id(started_at, &result.run_prefix)),
        started_at,
        targets: report::target_infos(&targets),
        documented_fields: report::documented_fields(&suite),
        insecure: args.insecure,
        allow_mutations: args.allow_mutations,
    };
    let mut rep = Report::build(&result, &info, baseline.as_ref());
    // Failures the baseline accepts show as ignored, with the reason, so that the console and
    // the gate agree.
    let known: std::collections::HashSet<(String, String)> = rep
        .outcomes
        .iter()
        .filter(|o| o.status == report::Status::Known)
        .map(|o| (o.target.clone(), o.id.clone()))
        .collect();
    console::present(&result, requests, &args, &known);
    if args.stable_report {
        report::stabilize(&mut rep);
    }
    write_outputs(&args, &rep);
    exit_code(&result, &rep)
}

/// Prints the gate, writes the report folder and the `--write-baseline` file.
fn write_outputs(args: &RunArgs, rep: &Report) {
    // With `--format json`, stdout carries only JSON events.
    let say = |s: &str| {
        if args.format == Format::Json {
            eprint!("{s}");
        } else {
            print!("{s}");
        }
    };
    say(&report::gate_summary(rep));
    if !args.no_report {
        let summary = std::env::var_os("GITHUB_STEP_SUMMARY")
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from);
        match report::write_reports(rep, &args.report_dir, summary.as_deref()) {
            Ok(w) => say(&format!(
                "report: {}\n",
                w.run_dir.join("report.html").display()
            )),
            Err(e) => eprintln!(
                "error: cannot write the report under {}: {e}",
                args.report_dir.display()
            ),
        }
    }
    if let Some(path) = &args.write_baseline {
        match report::write_baseline(path, rep, args.force) {
            Ok(()) => say(&format!(
                "baseline: wrote {} entries to {} for review\n",
                report::deviations(rep).len(),
                path.display()
            )),
            Err(e) => eprintln!("error: cannot write the baseline: {e}"),
        }
    }
}

/// The exit code for a finished run: interrupted, unreachable, or the gate's verdict.
fn exit_code(result: &RunResult, rep: &Report) -> u8 {
    if result.interrupted {
        return exit::INTERRUPTED;
    }
    let ran: Vec<_> = result
        .outcomes
        .iter()
        .filter(|o| o.verdict != Verdict::Skipped)
        .collect();
    let all_unreachable = !ran.is_empty()
        && ran.iter().all(|o| {
            o.verdict == Verdict::Error
                && o.findings
                    .iter()
                    .all(|f| f.kind == kinds::CONNECT || f.kind == kinds::TLS)
        });
    if all_unreachable {
        return exit::UNREACHABLE;
    }
    if rep.passed() {
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
