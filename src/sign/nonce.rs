//! Fresh random nonces for signers that are not given one.

/// A random version-4 UUID string, the form the Alibaba SDKs send as `SignatureNonce`.
pub(crate) fn random_uuid() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// 32 random lower-case hex digits, the form the Tea SDK sends as `x-acs-signature-nonce`.
pub(crate) fn random_hex() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_has_version_4_shape_and_varies() {
        let a = random_uuid();
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
        assert!(matches!(a.as_bytes()[19], b'8' | b'9' | b'a' | b'b'), "{a}");
        assert_eq!(a.matches('-').count(), 4);
        assert_ne!(a, random_uuid());
    }

    #[test]
    fn hex_nonce_is_32_hex_digits_and_varies() {
        let a = random_hex();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, random_hex());
    }
}
