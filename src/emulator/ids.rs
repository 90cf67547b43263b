//! Identifiers and timestamps: fresh random ids for requests and new resources, derived ids for
//! the seed, and the two clocks' wire formats.

use rand::RngCore;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::macros::format_description;

/// Formats 16 bytes as a lowercase 8-4-4-4-12 UUID string.
fn uuid_from_bytes(mut b: [u8; 16]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    // 8-4-4-4-12 hex digits, written in one pass (one is made for every answer).
    let mut s = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        s.push(char::from(HEX[usize::from(byte >> 4)]));
        s.push(char::from(HEX[usize::from(byte & 15)]));
    }
    s
}

/// A fresh random version-4 UUID, lowercase 8-4-4-4-12.
pub(super) fn uuid_v4() -> String {
    let mut b = [0u8; 16];
    rand::rng().fill_bytes(&mut b);
    uuid_from_bytes(b)
}

/// A UUID derived from a label: the same label always gives the same id (seed state).
pub(super) fn uuid_from_label(label: &str) -> String {
    let digest = Sha256::digest(label.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    uuid_from_bytes(b)
}

/// A fresh Huawei request id: 32 lowercase hex digits.
pub(super) fn huawei_request_id() -> String {
    let mut b = [0u8; 16];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// The current UTC time as `YYYY-MM-DDTHH:MM:SSZ`.
pub(super) fn now_rfc3339() -> String {
    rfc3339(OffsetDateTime::now_utc())
}

/// A UTC time as `YYYY-MM-DDTHH:MM:SSZ`.
pub(super) fn rfc3339(t: OffsetDateTime) -> String {
    let fmt = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.to_offset(time::UtcOffset::UTC)
        .format(&fmt)
        .unwrap_or_else(|_| String::from("1970-01-01T00:00:00Z"))
}

/// The current UTC time in milliseconds since the epoch, as Huawei's `creation_date` string.
pub(super) fn now_millis() -> String {
    let t = OffsetDateTime::now_utc();
    (t.unix_timestamp_nanos() / 1_000_000).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_lowercase_8_4_4_4_12() {
        let re = regex::Regex::new(
            r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
        )
        .expect("regex");
        assert!(re.is_match(&uuid_v4()));
        assert!(re.is_match(&uuid_from_label("x")));
        assert_eq!(uuid_from_label("x"), uuid_from_label("x"));
        assert_ne!(uuid_from_label("x"), uuid_from_label("y"));
        assert_ne!(uuid_v4(), uuid_v4());
    }

    #[test]
    fn times_have_the_wire_formats() {
        let t = OffsetDateTime::from_unix_timestamp(1_704_067_200).expect("time");
        assert_eq!(rfc3339(t), "2024-01-01T00:00:00Z");
        assert!(now_millis().len() >= 13);
        assert_eq!(huawei_request_id().len(), 32);
    }
}
