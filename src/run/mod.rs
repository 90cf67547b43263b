//! `specgate run`: load, select, execute concurrently, present like `cargo test`, report.

mod args;
mod console;
mod dry_run;
mod execute;

use std::sync::Arc;

pub use args::{Format, RunArgs};
pub use console::failure_text;
pub use execute::{Planned, RunResult, execute};

use crate::diag::render_all;
use crate::exec::{Client, ClientOptions, Verdict};
use crate::exit;
use crate::finding::kinds;
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
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return exit::UNREACHABLE;
        }
    };
    runtime.block_on(run_async(args, suite, targets))
}

async fn run_async(args: RunArgs, suite: Suite, mut targets: Vec<Target>) -> u8 {
    // With no target, start the embedded emulator on an ephemeral loopback port.
    let mut emulator = None;
    if targets.is_empty() {
        match crate::emulator::spawn(crate::emulator::Config::default()).await {
            Ok(handle) => {
                let id = crate::emulator::identity();
                targets.push(embedded_target(
                    &handle.base_url(),
                    vars_of(&[("region", id.region), ("account", id.account)]),
                    vars_of(&[
                        ("project_id", id.project_id),
                        ("huawei_region", id.huawei_region),
                        ("domain_id", id.domain_id),
                    ]),
                ));
                emulator = Some(handle);
            }
            Err(e) => {
                eprintln!("error: cannot start the embedded emulator on 127.0.0.1: {e}");
                return exit::UNREACHABLE;
            }
        }
    }
    let plan = execute::plan(&suite, &targets, &args);
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
            &execute::redactor_for(&targets),
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
    let result = execute(suite.clone(), Arc::new(targets), plan, &args, client).await;
    if let Some(handle) = emulator {
        let _ = handle.shutdown().await;
    }
    console::present(&result, &args);
    exit_code(&result)
}

/// The exit code for a finished run.
fn exit_code(result: &RunResult) -> u8 {
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
    if ran
        .iter()
        .any(|o| matches!(o.verdict, Verdict::Fail | Verdict::Error))
    {
        exit::GATE_FAILED
    } else {
        exit::OK
    }
}
