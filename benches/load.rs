//! How long loading and checking the whole shipped suite takes (specs, cases, schemas, regexes).
//!
//! `cargo bench --bench load`. Prints the minimum and the median of 50 loads; not a test.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use specgate::suite::Suite;

fn main() {
    let specs = PathBuf::from("specs");
    let cases = [PathBuf::from("cases")];
    let mut times: Vec<Duration> = Vec::new();
    let mut count = 0;
    for _ in 0..50 {
        let started = Instant::now();
        let suite = Suite::load(&specs, &cases).expect("the shipped suite lints clean");
        times.push(started.elapsed());
        count = suite.cases().len();
    }
    times.sort();
    println!(
        "load: {} operations' specs and {count} cases: min {:.2} ms, median {:.2} ms (50 loads)",
        Suite::load(&specs, &cases)
            .map(|s| s.operations.len())
            .unwrap_or(0),
        times[0].as_secs_f64() * 1000.0,
        times[times.len() / 2].as_secs_f64() * 1000.0
    );
}
