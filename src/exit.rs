//! The documented process exit codes.

use std::process::ExitCode;

/// Every case passed (or the command succeeded).
pub const OK: u8 = 0;
/// The gate failed: at least one selected case did not pass.
pub const GATE_FAILED: u8 = 1;
/// The command line was wrong.
pub const USAGE: u8 = 2;
/// A spec, case, target or seed file is invalid; nothing was sent.
pub const BAD_INPUT: u8 = 3;
/// No request reached the target at all (connection refused, DNS, TLS on every request).
pub const UNREACHABLE: u8 = 4;
/// The run finished but its report could not be written (or `--write-baseline` failed):
/// `DIR/latest/` is removed rather than left showing an older run.
pub const REPORT_FAILED: u8 = 5;
/// The run was interrupted (Ctrl-C); the report covers the cases that finished.
pub const INTERRUPTED: u8 = 130;
/// The run was stopped by SIGTERM (CI cancellation, `timeout`); the report covers the cases that
/// finished, as for [`INTERRUPTED`]. 128 + 15, what a shell reports for a process SIGTERM killed.
pub const TERMINATED: u8 = 143;

/// Converts one of the codes above into an [`ExitCode`].
pub fn code(c: u8) -> ExitCode {
    ExitCode::from(c)
}
