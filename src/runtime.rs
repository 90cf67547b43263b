//! The async runtime of a command. One thread gets tokio's current-thread runtime: every task
//! (cases, connections, timers) runs where it is woken, with no hand-off between threads, which
//! on a machine shared with the other end of the connections is the cheapest per request
//! (docs/benchmarks.md). More threads get the multi-thread runtime.

/// The threads of `specgate run`'s runtime: `--threads` when given, else
/// `TOKIO_WORKER_THREADS`, else every core. With the embedded emulator every core serves it and
/// the cases alike; against any other target every core is the client's, because the target is
/// most often elsewhere (a cloud). Where the target is a process on the same machine (an
/// emulator in CI, the benchmarks), `--threads 1` leaves it the other cores and is the cheapest
/// per request (docs/benchmarks.md).
pub fn run_threads(flag: Option<usize>) -> usize {
    flag.filter(|&n| n > 0).unwrap_or_else(|| threads(cores()))
}

/// The number of threads to use: `TOKIO_WORKER_THREADS` when set to a positive number, else
/// `default` (at least 1).
pub fn threads(default: usize) -> usize {
    std::env::var("TOKIO_WORKER_THREADS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(default)
        .max(1)
}

/// Half the cores of this machine, at least one: what a process takes when the other end of its
/// connections is likely to be a process on the same machine.
pub fn half_the_cores() -> usize {
    (cores() / 2).max(1)
}

/// The cores of this machine.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// A runtime with `threads` threads, I/O and timers enabled.
pub fn build(threads: usize) -> std::io::Result<tokio::runtime::Runtime> {
    if threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .enable_all()
            .build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_else_every_core() {
        assert_eq!(run_threads(Some(3)), 3);
        assert_eq!(run_threads(Some(1)), 1);
        // Without the flag: TOKIO_WORKER_THREADS when the test's environment sets it, else
        // every core (never half of them, as before --threads).
        assert_eq!(run_threads(None), threads(cores()));
        if std::env::var_os("TOKIO_WORKER_THREADS").is_none() {
            assert_eq!(run_threads(None), cores());
        }
        // The runtime follows: one thread is a current-thread runtime, more a multi-thread one.
        let one = build(run_threads(Some(1))).unwrap();
        assert_eq!(
            one.handle().runtime_flavor(),
            tokio::runtime::RuntimeFlavor::CurrentThread
        );
        let four = build(run_threads(Some(4))).unwrap();
        assert_eq!(
            four.handle().runtime_flavor(),
            tokio::runtime::RuntimeFlavor::MultiThread
        );
        assert_eq!(four.metrics().num_workers(), 4);
    }

    #[test]
    fn one_thread_is_a_current_thread_runtime() {
        let rt = build(1).unwrap();
        assert_eq!(
            rt.handle().runtime_flavor(),
            tokio::runtime::RuntimeFlavor::CurrentThread
        );
        let rt = build(2).unwrap();
        assert_eq!(
            rt.handle().runtime_flavor(),
            tokio::runtime::RuntimeFlavor::MultiThread
        );
    }
}
