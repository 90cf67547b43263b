//! Timestamp formats of the signers and the optional clock-skew check of the verifiers.

use time::macros::format_description;
use time::{Duration, OffsetDateTime, PrimitiveDateTime, UtcOffset};

use super::AuthError;

/// A clock check for verifiers: timestamps further than `tolerance` from `now` are rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockCheck {
    /// The server's current time.
    pub now: OffsetDateTime,
    /// The largest accepted difference, in either direction.
    pub tolerance: Duration,
}

impl ClockCheck {
    /// The skew both vendors document: 15 minutes.
    pub const DEFAULT_TOLERANCE: Duration = Duration::minutes(15);

    /// A check against the current UTC time with the documented 15-minute tolerance.
    pub fn now_utc() -> Self {
        Self {
            now: OffsetDateTime::now_utc(),
            tolerance: Self::DEFAULT_TOLERANCE,
        }
    }

    /// Accepts `timestamp` (as sent, already parsed into `at`) when it is within the tolerance.
    pub(crate) fn check(&self, timestamp: &str, at: OffsetDateTime) -> Result<(), AuthError> {
        if (self.now - at).abs() > self.tolerance {
            return Err(AuthError::StaleTimestamp {
                timestamp: timestamp.to_string(),
                tolerance_secs: self.tolerance.whole_seconds(),
            });
        }
        Ok(())
    }
}

/// Formats a time as UTC `yyyy-MM-ddTHH:mm:ssZ` (Alibaba `Timestamp`, `x-acs-date`).
pub(crate) fn format_extended(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Formats a time as UTC `yyyyMMddTHHmmssZ` (Huawei `X-Sdk-Date`).
pub(crate) fn format_basic(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Parses a UTC `yyyy-MM-ddTHH:mm:ssZ` timestamp.
pub(crate) fn parse_extended(s: &str) -> Result<OffsetDateTime, AuthError> {
    let fmt = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    PrimitiveDateTime::parse(s, fmt)
        .map(PrimitiveDateTime::assume_utc)
        .map_err(|e| AuthError::InvalidTimestamp(format!("{s:?}: {e}")))
}

/// Parses a UTC `yyyyMMddTHHmmssZ` timestamp.
pub(crate) fn parse_basic(s: &str) -> Result<OffsetDateTime, AuthError> {
    let fmt = format_description!("[year][month][day]T[hour][minute][second]Z");
    PrimitiveDateTime::parse(s, fmt)
        .map(PrimitiveDateTime::assume_utc)
        .map_err(|e| AuthError::InvalidTimestamp(format!("{s:?}: {e}")))
}

/// Applies `clock` (when given) to an optional timestamp in one of the two formats.
pub(crate) fn check_optional(
    clock: Option<ClockCheck>,
    timestamp: Option<&str>,
    name: &str,
    parse: fn(&str) -> Result<OffsetDateTime, AuthError>,
) -> Result<(), AuthError> {
    let Some(clock) = clock else {
        return Ok(());
    };
    let ts = timestamp.ok_or_else(|| AuthError::InvalidTimestamp(format!("{name} is missing")))?;
    clock.check(ts, parse(ts)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn formats_both_layouts_in_utc() {
        let t = datetime!(2019-11-15 11:36:55 +08:00);
        assert_eq!(format_extended(t), "2019-11-15T03:36:55Z");
        assert_eq!(format_basic(t), "20191115T033655Z");
    }

    #[test]
    fn parses_what_it_formats() {
        let t = datetime!(2024-01-01 00:00:00 UTC);
        assert_eq!(parse_extended("2024-01-01T00:00:00Z"), Ok(t));
        assert_eq!(parse_basic("20240101T000000Z"), Ok(t));
        assert!(matches!(
            parse_extended("20240101T000000Z"),
            Err(AuthError::InvalidTimestamp(_))
        ));
        assert!(matches!(
            parse_basic("2024-01-01T00:00:00Z"),
            Err(AuthError::InvalidTimestamp(_))
        ));
    }

    #[test]
    fn check_accepts_within_and_rejects_outside_tolerance() {
        let clock = ClockCheck {
            now: datetime!(2024-01-01 00:15:00 UTC),
            tolerance: ClockCheck::DEFAULT_TOLERANCE,
        };
        assert_eq!(clock.check("t", datetime!(2024-01-01 00:00:00 UTC)), Ok(()));
        assert_eq!(clock.check("t", datetime!(2024-01-01 00:30:00 UTC)), Ok(()));
        assert_eq!(
            clock.check("t", datetime!(2023-12-31 23:59:59 UTC)),
            Err(AuthError::StaleTimestamp {
                timestamp: "t".into(),
                tolerance_secs: 900
            })
        );
        assert!(
            clock
                .check("t", datetime!(2024-01-01 00:30:01 UTC))
                .is_err()
        );
    }

    #[test]
    fn check_optional_skips_without_clock_and_requires_timestamp_with_one() {
        assert_eq!(
            check_optional(None, None, "Timestamp", parse_extended),
            Ok(())
        );
        let clock = ClockCheck::now_utc();
        assert!(matches!(
            check_optional(Some(clock), None, "Timestamp", parse_extended),
            Err(AuthError::InvalidTimestamp(_))
        ));
        let now = format_extended(clock.now);
        assert_eq!(
            check_optional(Some(clock), Some(&now), "Timestamp", parse_extended),
            Ok(())
        );
    }
}
