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

/// Parses a Retry-After header given in seconds, capped at `max` (the retry budget): a target
/// may ask for any wait (`inf`, `1e20`, `18446744073709551616`), and no wait can exceed what a
/// case may spend on throttling anyway. A value that is not a number of seconds (`NaN`, a
/// negative number, an HTTP date) is ignored: the backoff applies instead.
pub fn retry_after(value: Option<&str>, max: Duration) -> Option<Duration> {
    let secs = value?.trim().parse::<f64>().ok()?;
    if secs.is_nan() || secs < 0.0 {
        return None;
    }
    if secs >= max.as_secs_f64() {
        return Some(max);
    }
    if secs == 0.0 {
        return Some(Duration::ZERO); // also `-0`, which `Duration` calls negative
    }
    // Finite and below `max`, so this cannot overflow.
    Duration::try_from_secs_f64(secs).ok().map(|d| d.min(max))
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
        // The command line refuses rates outside 0.001..=1,000,000 (`run::args`); whatever
        // comes here, the interval is a finite, positive duration.
        let per_second = if per_second.is_finite() {
            per_second.clamp(0.001, 1e9)
        } else {
            1e9
        };
        RateLimiter {
            interval: Duration::from_secs_f64(1.0 / per_second),
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
        let max = Duration::from_secs(30);
        assert_eq!(retry_after(Some(" 3 "), max), Some(Duration::from_secs(3)));
        assert_eq!(
            retry_after(Some("0.25"), max),
            Some(Duration::from_millis(250))
        );
        assert_eq!(retry_after(Some("soon"), max), None);
        assert_eq!(retry_after(None, max), None);
    }

    /// Any number a target sends is bounded by the budget; none panics.
    #[test]
    fn hostile_retry_after_values_are_capped_or_ignored() {
        let max = Duration::from_secs(30);
        for huge in [
            "inf",
            "Infinity",
            "+infinity",
            "1e20",
            "18446744073709551616",
            "1e308",
            "31",
        ] {
            assert_eq!(retry_after(Some(huge), max), Some(max), "{huge}");
        }
        for ignored in [
            "-1",
            "-inf",
            "NaN",
            "nan",
            "-0.5",
            "",
            "Wed, 21 Oct 2015 07:28:00 GMT",
        ] {
            assert_eq!(retry_after(Some(ignored), max), None, "{ignored}");
        }
        assert_eq!(retry_after(Some("-0"), max), Some(Duration::ZERO));
        assert_eq!(retry_after(Some("1e-300"), max), Some(Duration::ZERO));
    }

    #[test]
    fn a_rate_limiter_of_any_rate_has_a_finite_interval() {
        for rate in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e300, 1e-300] {
            let l = RateLimiter::new(rate);
            assert!(l.interval > Duration::ZERO && l.interval <= Duration::from_secs(1000));
        }
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
