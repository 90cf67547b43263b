//! The async runtime of a command. One thread gets tokio's current-thread runtime: every task
//! (cases, connections, timers) runs where it is woken, with no hand-off between threads, which
//! on a machine shared with the other end of the connections is the cheapest per request
//! (docs/benchmarks.md). More threads get the multi-thread runtime.

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
