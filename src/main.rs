//! The `specgate` binary: everything is in the library.

fn main() -> std::process::ExitCode {
    specgate::cli::main_with_args(std::env::args().collect())
}
