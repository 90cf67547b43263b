//! The documented process exit codes, and the one map from an error to its code.
//!
//! Every stage has its error enum (load: [`LoadError`]; target: [`TargetError`]; exec:
//! [`ExecError`]; sweep: `SweepError`; merge: `MergeError`; emulator: [`ServeError`]);
//! [`ExitStatus`] is implemented for each of them here, in one place, so that which failure ends
//! a command with which code is decided by one table (documented in docs/reports.md).

use std::process::ExitCode;

use crate::diag::LoadError;
use crate::emulator::{ServeError, ServerError};
use crate::exec::ExecError;
use crate::merge::MergeError;
use crate::pointer::PointerError;
use crate::sweep::SweepError;
use crate::target::TargetError;
use crate::vars::UnsetVar;

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
/// FILTER and `--skip` selected no case (unless `--no-tests pass`); nothing was sent. The same
/// code as [`UNREACHABLE`], as nextest exits 4 when no test is selected: either way nothing was
/// tested.
pub const NO_CASES: u8 = 4;
/// The run finished but its report could not be written (or `--write-baseline` failed):
/// `DIR/latest/` is removed rather than left showing an older run.
pub const REPORT_FAILED: u8 = 5;
/// The run was interrupted (Ctrl-C); the report covers the cases that finished.
pub const INTERRUPTED: u8 = 130;
/// The run was stopped by SIGTERM (CI cancellation, `timeout`); the report covers the cases that
/// finished, as for [`INTERRUPTED`]. 128 + 15, what a shell reports for a process SIGTERM killed.
pub const TERMINATED: u8 = 143;

/// specgate itself failed: a harness bug, a task that panicked or was lost, a state that
/// cannot happen. Not a verdict on the target (the gate did not fail): report it as a bug. 70
/// is `EX_SOFTWARE` of BSD's `sysexits.h`, "an internal software error".
pub const INTERNAL: u8 = 70;

/// Converts one of the codes above into an [`ExitCode`].
pub fn code(c: u8) -> ExitCode {
    ExitCode::from(c)
}

/// Standard output was closed by its reader (`specgate run --list | head -1`): the process
/// ends at once and quietly, with the status a shell reports for a process that SIGPIPE killed
/// (128 + 13), as `seq 100 | head -1` does. Never 0: the output was cut short.
pub const BROKEN_PIPE: u8 = 141;

/// Makes a write to a closed standard output or error end the process quietly with
/// [`BROKEN_PIPE`] instead of a "failed printing to stdout: Broken pipe" panic (exit 101).
///
/// Rust ignores SIGPIPE, so such a write is an error, and `println!` (and libtest-mimic's
/// console) panic on it. SIGPIPE is not restored instead: the emulator and the client write to
/// sockets, where a vanished peer must be an error, not the end of the process. Every other
/// panic goes to the hook that was installed before.
pub fn quiet_broken_pipe() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("");
        if is_broken_pipe_panic(message) {
            std::process::exit(i32::from(BROKEN_PIPE));
        }
        previous(info);
    }));
}

/// True for the panic of a print to a closed pipe: std's `failed printing to stdout: Broken
/// pipe (os error 32)`, or an `unwrap()` of the `BrokenPipe` error of a console write.
fn is_broken_pipe_panic(message: &str) -> bool {
    (message.starts_with("failed printing to std") && message.contains("Broken pipe"))
        || message.contains("kind: BrokenPipe")
}

/// An error that ends a command: the exit code it ends with, and what is printed.
pub trait ExitStatus: std::fmt::Display {
    /// The process exit code, one of the constants above.
    fn exit_code(&self) -> u8;

    /// What is printed on standard error: `error: ` and the message, one line.
    fn render(&self) -> String {
        format!("error: {self}\n")
    }
}

/// Prints `e` on standard error and gives its exit code: how every command ends on an error.
pub fn fail(e: &dyn ExitStatus) -> u8 {
    eprint!("{}", e.render());
    e.exit_code()
}

/// specgate failed inside (see [`INTERNAL`]): what went wrong, for the bug report.
#[derive(Debug, Clone, thiserror::Error)]
#[error("internal error: {0}")]
pub struct InternalError(pub String);

impl ExitStatus for InternalError {
    fn exit_code(&self) -> u8 {
        INTERNAL
    }

    fn render(&self) -> String {
        format!("{self}\n")
    }
}

impl ExitStatus for LoadError {
    fn exit_code(&self) -> u8 {
        BAD_INPUT
    }

    /// The diagnostics, each with its file:line:col, caret and hint, and a closing count.
    fn render(&self) -> String {
        self.to_string()
    }
}

impl ExitStatus for TargetError {
    fn exit_code(&self) -> u8 {
        BAD_INPUT
    }
}

impl ExitStatus for PointerError {
    fn exit_code(&self) -> u8 {
        BAD_INPUT
    }
}

impl ExitStatus for UnsetVar {
    fn exit_code(&self) -> u8 {
        BAD_INPUT
    }
}

impl ExitStatus for ExecError {
    fn exit_code(&self) -> u8 {
        match self {
            // The case, spec or target asks for a request that cannot be built.
            ExecError::PathParameter { .. }
            | ExecError::Endpoint { .. }
            | ExecError::EndpointWithoutHost { .. } => BAD_INPUT,
            // Without a client nothing can reach the target.
            ExecError::Client(_) => UNREACHABLE,
        }
    }
}

impl ExitStatus for SweepError {
    fn exit_code(&self) -> u8 {
        match self {
            SweepError::Prefix | SweepError::NotConfirmed => USAGE,
            SweepError::Load(_) => BAD_INPUT,
            SweepError::Runtime(_) | SweepError::Client(_) | SweepError::Call(_) => UNREACHABLE,
        }
    }

    fn render(&self) -> String {
        match self {
            SweepError::Load(e) => e.render(),
            _ => format!("error: {self}\n"),
        }
    }
}

impl ExitStatus for MergeError {
    fn exit_code(&self) -> u8 {
        match self {
            MergeError::Load(_)
            | MergeError::Report { .. }
            | MergeError::OtherSplit { .. }
            | MergeError::MissingShards { .. }
            | MergeError::TempFile(_) => BAD_INPUT,
            MergeError::Stabilize(_) | MergeError::Write { .. } => REPORT_FAILED,
        }
    }

    fn render(&self) -> String {
        match self {
            MergeError::Load(e) => e.render(),
            _ => format!("error: {self}\n"),
        }
    }
}

impl ExitStatus for ServeError {
    fn exit_code(&self) -> u8 {
        match self {
            // `serve --list-deviations | head`: the reader had enough.
            ServeError::Listing(e) if e.kind() == std::io::ErrorKind::BrokenPipe => BROKEN_PIPE,
            ServeError::Server(ServerError::Task(_) | ServerError::SlotsClosed) => INTERNAL,
            ServeError::Runtime(_) => UNREACHABLE,
            ServeError::Seed(_)
            | ServeError::Bind { .. }
            | ServeError::Listing(_)
            | ServeError::Server(ServerError::Io(_))
            | ServeError::Io(_) => BAD_INPUT,
        }
    }

    fn render(&self) -> String {
        match self {
            ServeError::Listing(e) if e.kind() == std::io::ErrorKind::BrokenPipe => String::new(),
            _ => format!("error: {self}\n"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An internal error is not a failed gate, and each stage's failures keep their codes.
    #[test]
    fn each_error_maps_to_its_documented_code() {
        let io = || std::io::Error::other("x");
        assert_eq!(InternalError("lost".into()).exit_code(), INTERNAL);
        assert_ne!(INTERNAL, GATE_FAILED);
        assert_eq!(
            InternalError("lost".into()).render(),
            "internal error: lost\n"
        );
        assert_eq!(LoadError(Vec::new()).exit_code(), BAD_INPUT);
        assert_eq!(TargetError::EnvUnset("K".into()).exit_code(), BAD_INPUT);
        assert_eq!(
            ExecError::PathParameter { name: "id".into() }.exit_code(),
            BAD_INPUT
        );
        assert_eq!(SweepError::Prefix.exit_code(), USAGE);
        assert_eq!(SweepError::Call("refused".into()).exit_code(), UNREACHABLE);
        assert_eq!(MergeError::TempFile(io()).exit_code(), BAD_INPUT);
        assert_eq!(MergeError::Stabilize(io()).exit_code(), REPORT_FAILED);
        let write = MergeError::Write {
            dir: "out".into(),
            source: crate::report::ReportError::Io(io()),
        };
        assert_eq!(write.exit_code(), REPORT_FAILED);
        assert_eq!(
            write.render(),
            "error: cannot write the merged report under out: x\n"
        );
        assert_eq!(
            ServeError::Server(ServerError::SlotsClosed).exit_code(),
            INTERNAL
        );
        assert_eq!(ServeError::Io(io()).exit_code(), BAD_INPUT);
        assert_eq!(ServeError::Runtime(io()).exit_code(), UNREACHABLE);
        let pipe = ServeError::Listing(std::io::ErrorKind::BrokenPipe.into());
        assert_eq!(pipe.exit_code(), BROKEN_PIPE);
        assert_eq!(pipe.render(), "");
        assert_eq!(ServeError::Listing(io()).exit_code(), BAD_INPUT);
    }

    #[test]
    fn only_print_failures_on_a_closed_pipe_are_quiet() {
        assert!(is_broken_pipe_panic(
            "failed printing to stdout: Broken pipe (os error 32)"
        ));
        assert!(is_broken_pipe_panic(
            "called `Result::unwrap()` on an `Err` value: Os { code: 32, kind: BrokenPipe, message: \"Broken pipe\" }"
        ));
        assert!(!is_broken_pipe_panic("index out of bounds"));
        assert!(!is_broken_pipe_panic(
            "failed printing to stdout: Bad file descriptor (os error 9)"
        ));
    }
}
