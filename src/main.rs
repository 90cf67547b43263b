//! The `specgate` binary: everything is in the library.

/// A run allocates and frees small buffers for every request; mimalloc does that with a
/// fraction of glibc's cost (measured in docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    specgate::exit::quiet_broken_pipe();
    specgate::cli::main_with_args(std::env::args().collect())
}
