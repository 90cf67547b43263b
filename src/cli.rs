//! The command line: parse arguments and call the library.

use std::process::ExitCode;

/// Runs specgate with the given arguments and returns the process exit code.
pub fn main_with_args(_args: Vec<String>) -> ExitCode {
    ExitCode::SUCCESS
}
