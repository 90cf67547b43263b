//! Throttling: recognising a throttled answer, retrying it with backoff, and capping the
//! request rate of a whole run.

use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::Mutex;

use crate::spec::Service;

/// How throttled requests are retried within one case.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Retries of one request at most.
    pub max_retries: u32,
    /// The first backoff; each retry doubles it.
    pub base: Duration,
    /// The longest single wait.
    pub cap: Duration,
    /// The most time one case may spend waiting on throttling.
    pub budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            base: Duration::from_millis(200),
            cap: Duration::from_secs(5),
            budget: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `attempt` (0-based): the server's Retry-After when given,
    /// else exponential backoff with full jitter, never above the cap.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(d) = retry_after {
            return d.min(self.cap);
        }
        let exp = self
            .base
            .saturating_mul(1u32 << attempt.min(16))
            .min(self.cap);
        let jitter = rand::random::<f64>();
        exp.mul_f64(0.5 + jitter / 2.0)
    }
}

/// True when an answer says "slow down": HTTP 429 or 503, or an error code the service
/// documents as retryable (Alibaba `Throttling*`, Huawei throttling codes).
pub fn is_throttled(service: &Service, status: u16, json: Option<&Value>) -> bool {
    if status == 429 || status == 503 {
        return true;
    }
    if status < 400 {
        return false;
    }
    let Some(doc) = json else { return false };
    let Some(code) = service
        .error
        .code
        .first(doc)
        .and_then(|v| v.as_str().map(str::to_string))
    else {
        return false;
    };
    code.starts_with("Throttling")
        || service
            .common_errors
            .iter()
            .any(|e| e.retryable && e.code == code)
}

/// Parses a Retry-After header given in seconds.
pub fn retry_after(value: Option<&str>) -> Option<Duration> {
    value?
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|s| *s >= 0.0)
        .map(Duration::from_secs_f64)
}

/// Spaces requests across the whole run to at most N per second.
#[derive(Debug)]
pub struct RateLimiter {
    interval: Duration,
    next: Mutex<Instant>,
}

impl RateLimiter {
    /// A limiter for `per_second` requests per second.
    pub fn new(per_second: f64) -> Self {
        RateLimiter {
            interval: Duration::from_secs_f64(1.0 / per_second.max(0.001)),
            next: Mutex::new(Instant::now()),
        }
    }

    /// Waits for the next free slot.
    pub async fn wait(&self) {
        let slot = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let slot = (*next).max(now);
            *next = slot + self.interval;
            slot
        };
        tokio::time::sleep_until(slot.into()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy::default();
        for attempt in 0..10 {
            let d = p.delay(attempt, None);
            let exp = p.base.saturating_mul(1 << attempt).min(p.cap);
            assert!(
                d >= exp / 2 && d <= exp,
                "attempt {attempt}: {d:?} vs {exp:?}"
            );
        }
        assert_eq!(
            p.delay(0, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
        assert_eq!(p.delay(0, Some(Duration::from_secs(60))), p.cap);
    }

    #[test]
    fn retry_after_parses_seconds() {
        assert_eq!(retry_after(Some(" 3 ")), Some(Duration::from_secs(3)));
        assert_eq!(retry_after(Some("soon")), None);
        assert_eq!(retry_after(None), None);
    }

    #[tokio::test]
    async fn rate_limiter_spaces_requests() {
        let l = RateLimiter::new(50.0);
        let started = Instant::now();
        for _ in 0..6 {
            l.wait().await;
        }
        // Six slots at 20 ms spacing: the last starts at least 100 ms after the first.
        assert!(started.elapsed() >= Duration::from_millis(95));
    }
}
