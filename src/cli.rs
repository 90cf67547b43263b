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
    /// Check specs and cases; every error names its file, line and column.
    Lint(LintArgs),
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
