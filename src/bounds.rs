//! The bounds of every number a user gives on the command line. Each parser refuses a value
//! outside its range with a message that names the range (clap prints it and exits with
//! [`crate::exit::USAGE`]); nothing later has to guard against `inf`, `NaN`, 0 or a value that
//! would exhaust memory. docs/robustness.md lists them.
//!
//! The parsers return `Result<_, String>`, not an error enum: they are clap `value_parser`s,
//! and clap's convention is a message it prints after the argument's name (the error model of
//! `src/exit.rs` starts after the command line is parsed).

/// The longest per-request timeout, in seconds (one day).
pub(crate) const MAX_TIMEOUT_SECS: f64 = 86_400.0;
/// The shortest per-request timeout, in seconds (1 ms).
pub(crate) const MIN_TIMEOUT_SECS: f64 = 0.001;
/// The lowest `--rate-limit`, in requests per second (one every 1000 s).
pub(crate) const MIN_RATE: f64 = 0.001;
/// The highest `--rate-limit`, in requests per second.
pub(crate) const MAX_RATE: f64 = 1_000_000.0;
/// The most cases run at once (`--jobs`).
pub(crate) const MAX_JOBS: usize = 65_536;
/// The most repetitions of a case (`--repeat`).
pub(crate) const MAX_REPEAT: u32 = 1_000_000;
/// The most case × target × repetition trials of one run: the plan and the report keep a few
/// dozen bytes per trial.
pub(crate) const MAX_PLANNED: usize = 10_000_000;
/// The largest `--body-cap`, in bytes (1 GiB): each case in flight may hold one such body.
pub(crate) const MAX_BODY_CAP: usize = 1 << 30;

/// A number of seconds for a timeout: finite, from 1 ms to one day.
pub(crate) fn timeout_secs(raw: &str) -> Result<f64, String> {
    match number(raw) {
        Some(v) if (MIN_TIMEOUT_SECS..=MAX_TIMEOUT_SECS).contains(&v) => Ok(v),
        _ => Err(format!(
            "a timeout is from {MIN_TIMEOUT_SECS} to {MAX_TIMEOUT_SECS} seconds, not `{raw}`"
        )),
    }
}

/// Requests per second for `--rate-limit`: finite, from 0.001 to 1,000,000.
pub(crate) fn rate(raw: &str) -> Result<f64, String> {
    match number(raw) {
        Some(v) if (MIN_RATE..=MAX_RATE).contains(&v) => Ok(v),
        _ => Err(format!(
            "a rate is from {MIN_RATE} to {MAX_RATE} requests per second, not `{raw}`"
        )),
    }
}

/// Cases at once for `--jobs`: from 1 to 65,536.
pub(crate) fn jobs(raw: &str) -> Result<usize, String> {
    count(raw, 1, MAX_JOBS as u64).map(|v| v as usize)
}

/// Repetitions for `--repeat`: from 1 to 1,000,000.
pub(crate) fn repeat(raw: &str) -> Result<u32, String> {
    count(raw, 1, u64::from(MAX_REPEAT)).map(|v| v as u32)
}

/// Bytes for `--body-cap`: from 0 to 1 GiB.
pub(crate) fn body_cap(raw: &str) -> Result<usize, String> {
    count(raw, 0, MAX_BODY_CAP as u64).map(|v| v as usize)
}

/// The duration of a timeout in seconds, clamped to the bounds above (10 s for NaN): for
/// values that did not come through [`timeout_secs`].
pub(crate) fn timeout(secs: f64) -> std::time::Duration {
    if secs.is_nan() {
        return std::time::Duration::from_secs(10);
    }
    std::time::Duration::from_secs_f64(secs.clamp(MIN_TIMEOUT_SECS, MAX_TIMEOUT_SECS))
}

/// A finite decimal number (`inf` and `NaN` parse as `f64` but are not).
fn number(raw: &str) -> Option<f64> {
    raw.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A whole number from `min` to `max`.
fn count(raw: &str, min: u64, max: u64) -> Result<u64, String> {
    match raw.trim().parse::<u64>() {
        Ok(v) if (min..=max).contains(&v) => Ok(v),
        _ => Err(format!(
            "expected a whole number from {min} to {max}, not `{raw}`"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_numbers_are_refused() {
        for bad in ["inf", "Infinity", "NaN", "-1", "0", "1e20", "abc", ""] {
            assert!(timeout_secs(bad).is_err(), "timeout {bad}");
        }
        assert_eq!(timeout_secs("0.5"), Ok(0.5));
        for bad in ["0", "nan", "-3", "inf", "1e7"] {
            assert!(rate(bad).is_err(), "rate {bad}");
        }
        assert_eq!(rate("2.5"), Ok(2.5));
        assert!(repeat("100000000").is_err());
        assert!(repeat("0").is_err());
        assert_eq!(repeat("3"), Ok(3));
        assert!(jobs("0").is_err());
        assert!(jobs("18446744073709551616").is_err());
        assert!(body_cap("2000000000000").is_err());
        assert_eq!(body_cap("0"), Ok(0));
    }
}
