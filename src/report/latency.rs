//! Latency per operation: p50, p95 and max of the recorded exchanges' `elapsed_ms`, computed
//! over every outcome as it passes through the collector (report.html embeds at most
//! a capped number of outcomes, so the page cannot compute them for a big run).
//! Under `--stable-report` every time is 0 and the page says so instead of drawing.

use std::collections::BTreeMap;

use serde::Serialize;

/// One operation's latency, in report.json's `latency`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationLatency {
    /// `<service>/<Operation>`.
    pub operation: String,
    /// How many exchanges were timed (every request of every case of the operation).
    pub exchanges: usize,
    /// Median elapsed time, in milliseconds (nearest rank).
    pub p50_ms: u64,
    /// 95th percentile, in milliseconds (nearest rank).
    pub p95_ms: u64,
    /// The slowest exchange, in milliseconds.
    pub max_ms: u64,
}

/// The times of every exchange so far, per operation (4 bytes an exchange).
#[derive(Debug, Default)]
pub(super) struct LatencyBuilder {
    times: BTreeMap<String, Vec<u32>>,
}

impl LatencyBuilder {
    /// Records one exchange of `operation` that took `elapsed_ms`.
    pub(super) fn add(&mut self, operation: &str, elapsed_ms: u64) {
        let ms = u32::try_from(elapsed_ms).unwrap_or(u32::MAX);
        match self.times.get_mut(operation) {
            Some(v) => v.push(ms),
            None => {
                self.times.insert(operation.to_string(), vec![ms]);
            }
        }
    }

    /// One row per operation with at least one exchange, sorted by operation.
    pub(super) fn finish(self) -> Vec<OperationLatency> {
        self.times
            .into_iter()
            .map(|(operation, mut v)| {
                v.sort_unstable();
                OperationLatency {
                    operation,
                    exchanges: v.len(),
                    p50_ms: percentile(&v, 50),
                    p95_ms: percentile(&v, 95),
                    max_ms: v.last().copied().unwrap_or(0).into(),
                }
            })
            .collect()
    }
}

/// The nearest-rank `p`th percentile (1 ≤ p ≤ 100) of `sorted` (ascending): the smallest value
/// that at least `p` % of the values do not exceed; 0 for no values.
pub(super) fn percentile(sorted: &[u32], p: u32) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let n = sorted.len();
    let rank = (p as usize * n).div_ceil(100).clamp(1, n);
    sorted[rank - 1].into()
}

/// Zeroes every time (`--stable-report`): what stays is how many exchanges were timed.
pub(super) fn stabilize(rows: &mut [OperationLatency]) {
    for r in rows {
        r.p50_ms = 0;
        r.p95_ms = 0;
        r.max_ms = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<u32> = (1..=100).collect();
        assert_eq!(percentile(&v, 50), 50);
        assert_eq!(percentile(&v, 95), 95);
        assert_eq!(percentile(&v, 100), 100);
        assert_eq!(percentile(&[7], 50), 7);
        assert_eq!(percentile(&[7], 95), 7);
        assert_eq!(percentile(&[], 95), 0);
        // Two values: the median is the lower one, p95 the higher one.
        assert_eq!(percentile(&[10, 20], 50), 10);
        assert_eq!(percentile(&[10, 20], 95), 20);
        // 20 values: p95 is the 19th, not the maximum.
        let v: Vec<u32> = (1..=20).map(|i| i * 10).collect();
        assert_eq!(percentile(&v, 95), 190);
        assert_eq!(percentile(&v, 50), 100);
    }

    #[test]
    fn builder_sorts_and_groups_by_operation() {
        let mut b = LatencyBuilder::default();
        for ms in [30, 10, 20, 1000, 40] {
            b.add("svc/B", ms);
        }
        b.add("svc/A", 5);
        b.add("svc/A", u64::MAX);
        let rows = b.finish();
        assert_eq!(rows[0].operation, "svc/A");
        assert_eq!(rows[0].max_ms, u64::from(u32::MAX));
        assert_eq!(
            rows[1],
            OperationLatency {
                operation: "svc/B".into(),
                exchanges: 5,
                p50_ms: 30,
                p95_ms: 1000,
                max_ms: 1000,
            }
        );
    }
}
