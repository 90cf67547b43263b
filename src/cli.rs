//! The command line: parse arguments and call the library.

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::exit;
use crate::lint::{LintArgs, lint};

/// specgate: conformance harness for cloud HTTP APIs.
#[derive(Debug, Parser)]
#[command(name = "specgate", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the suite against the embedded emulator or `--target` profiles, gating like `cargo test`.
    Run(crate::run::RunArgs),
    /// Run the suite against one target (default: the embedded emulator) and write what it
    /// answered as a recording, for `run --reference` (docs/parity.md).
    Record(crate::record::RecordArgs),
    /// Check specs and cases; every error names its file, line and column.
    Lint(LintArgs),
    /// Find and delete resources that earlier runs left on a target (by run prefix; asks first).
    Sweep(crate::sweep::SweepArgs),
    /// Serve the reference emulator of both KMS APIs.
    Serve(crate::emulator::ServeArgs),
    /// Merge the reports of shards (`run --shard K/N`) or of runs against other targets into
    /// one report set and one gate.
    Merge(crate::merge::MergeArgs),
    /// Draft a spec and derived cases from a vendor's documentation: a page saved as text,
    /// Alibaba OpenAPI metadata or a Huawei API Explorer definition (docs/import.md).
    Import(crate::import::ImportArgs),
    /// Write the specs in another format (`openapi`: an OpenAPI 3.1 document).
    Export(crate::import::openapi::ExportArgs),
    /// Render the compatibility page of a target from a `--stable-report` run's report.json
    /// (per operation pass %, each deviation with its findings, diff and evidence); `--check`
    /// compares it with a committed page (docs/compat/README.md).
    Compat(crate::report::compat::CompatArgs),
}

/// Runs specgate with the given arguments and returns the process exit code.
pub fn main_with_args(args: Vec<String>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return exit::code(if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            });
        }
    };
    match cli.command {
        // The command line becomes plain settings here; nothing after this sees clap's types.
        Command::Run(mut args) => {
            let _bundle = match crate::bundled::use_if_absent(
                &mut args.specs,
                &mut args.cases,
                &mut args.targets,
            ) {
                Ok(bundle) => bundle,
                Err(e) => return bundle_error(e),
            };
            exit::code(crate::run::run(crate::run::RunConfig::from_args(args)))
        }
        Command::Record(mut args) => {
            let run = &mut args.run;
            let _bundle = match crate::bundled::use_if_absent(
                &mut run.specs,
                &mut run.cases,
                &mut run.targets,
            ) {
                Ok(bundle) => bundle,
                Err(e) => return bundle_error(e),
            };
            exit::code(crate::run::run(args.into_config()))
        }
        Command::Serve(args) => serve(args),
        Command::Sweep(args) => exit::code(crate::sweep::sweep(args)),
        Command::Merge(mut args) => {
            let _bundle =
                match crate::bundled::use_if_absent(&mut args.specs, &mut args.cases, &mut []) {
                    Ok(bundle) => bundle,
                    Err(e) => return bundle_error(e),
                };
            exit::code(crate::merge::merge(args))
        }
        Command::Import(args) => exit::code(crate::import::run(&args)),
        Command::Export(args) => exit::code(crate::import::openapi::run(&args)),
        Command::Compat(args) => match crate::report::compat::compat(&args) {
            Ok(()) => exit::code(exit::OK),
            Err(e) => exit::code(exit::fail(&e)),
        },
        Command::Lint(args) => {
            let report = lint(&args);
            if report.diagnostics.is_empty() {
                print!("{}", report.render());
                let _ = std::io::stdout().flush();
                exit::code(exit::OK)
            } else {
                eprint!("{}", report.render());
                exit::code(exit::BAD_INPUT)
            }
        }
    }
}

/// The bundled suite could not be written to a temporary folder.
fn bundle_error(e: std::io::Error) -> ExitCode {
    eprintln!("error: cannot write the built-in suite to a temporary folder: {e}");
    exit::code(exit::BAD_INPUT)
}

/// Runs the emulator until Ctrl-C.
fn serve(args: crate::emulator::ServeArgs) -> ExitCode {
    let threads = match args.threads {
        Some(n) => usize::from(n),
        None => crate::runtime::threads(crate::runtime::half_the_cores()),
    };
    let served = crate::runtime::build(threads)
        .map_err(crate::emulator::ServeError::Runtime)
        .and_then(|runtime| runtime.block_on(crate::emulator::serve(args)));
    match served {
        Ok(()) => exit::code(exit::OK),
        // The map in `exit`: `serve --list-deviations | head` ends quietly with BROKEN_PIPE.
        Err(e) => exit::code(exit::fail(&e)),
    }
}
