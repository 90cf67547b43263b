//! The progress line of a run on a terminal: cases done of all, failures so far, requests per
//! second and the time left, redrawn in place under the case lines. It is drawn only where a
//! person watches: stdout is a terminal and `CI` is not set (a CI log keeps every redraw).

use std::ffi::OsString;
use std::time::{Duration, Instant};

/// Erases the line the cursor is on and returns to its start.
pub(super) const ERASE: &str = "\r\x1b[2K";

/// Whether a progress line may be drawn: on a terminal, outside CI.
pub(super) fn wanted(stdout_is_terminal: bool, ci: Option<OsString>) -> bool {
    stdout_is_terminal && ci.is_none()
}

/// The counts the progress line shows.
#[derive(Debug)]
pub(super) struct Progress {
    total: usize,
    done: usize,
    failed: usize,
    requests: usize,
    started: Instant,
}

impl Progress {
    /// A run of `total` cases, starting now.
    pub(super) fn new(total: usize) -> Progress {
        Progress {
            total,
            done: 0,
            failed: 0,
            requests: 0,
            started: Instant::now(),
        }
    }

    /// Counts a finished case.
    pub(super) fn finished(&mut self, failed: bool) {
        self.done += 1;
        self.failed += usize::from(failed);
    }

    /// Counts an answered request, as it is answered: the rate moves while a long case runs.
    pub(super) fn answered(&mut self) {
        self.requests += 1;
    }

    /// The line as it reads after `elapsed`, without a line end.
    pub(super) fn line(&self, elapsed: Duration) -> String {
        let secs = elapsed.as_secs_f64();
        let rate = if secs > 0.0 {
            self.requests as f64 / secs
        } else {
            0.0
        };
        // The time left at the pace so far; unknown until a case has finished.
        let eta = if self.done == 0 {
            "?".to_string()
        } else {
            let left = secs / self.done as f64 * self.total.saturating_sub(self.done) as f64;
            clock(left.round() as u64)
        };
        format!(
            "[{}/{}] {} failed, {rate:.0} requests/s, ETA {eta}",
            self.done, self.total, self.failed
        )
    }

    /// The line now.
    pub(super) fn line_now(&self) -> String {
        self.line(self.started.elapsed())
    }
}

/// `m:ss` or `h:mm:ss`.
fn clock(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_counts_cases_failures_rate_and_time_left() {
        let mut p = Progress::new(10);
        assert_eq!(
            p.line(Duration::from_secs(1)),
            "[0/10] 0 failed, 0 requests/s, ETA ?"
        );
        for _ in 0..40 {
            p.answered();
        }
        p.finished(false);
        p.finished(true);
        // 2 cases in 4 s: 8 left take 16 s; 40 requests in 4 s.
        assert_eq!(
            p.line(Duration::from_secs(4)),
            "[2/10] 1 failed, 10 requests/s, ETA 0:16"
        );
    }

    #[test]
    fn long_waits_read_as_hours() {
        assert_eq!(clock(3725), "1:02:05");
        assert_eq!(clock(59), "0:59");
    }

    #[test]
    fn drawn_on_a_terminal_outside_ci_only() {
        assert!(wanted(true, None));
        assert!(!wanted(false, None));
        assert!(!wanted(true, Some("1".into())));
        assert!(!wanted(true, Some("".into())));
    }
}
