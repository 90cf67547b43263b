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

#[cfg(test)]
mod tests {
    use super::*;

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
