//! The percent-encodings the signature algorithms canonicalize with.
//!
//! Both vendors use the RFC 3986 unreserved set: only `A-Z a-z 0-9 - _ . ~` stay literal, every
//! other UTF-8 byte becomes `%XY` with upper-case hex (a space is `%20`, never `+`).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, percent_encode};

/// Every byte except the RFC 3986 unreserved characters.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Encodes bytes, keeping only the unreserved characters.
fn encode_bytes(bytes: &[u8]) -> String {
    percent_encode(bytes, NOT_UNRESERVED).to_string()
}

/// Alibaba's `percentEncode` (RPC V1 and ACS3 query): unreserved kept, `%XY` upper hex, space `%20`.
pub fn alibaba(s: &str) -> String {
    encode_bytes(s.as_bytes())
}

/// Huawei's query name/value and path-segment encoding (`quote(s, safe='~')`).
pub fn huawei(s: &str) -> String {
    encode_bytes(s.as_bytes())
}

/// Huawei's canonical URI: the path decoded, each segment re-encoded, always ending in `/`.
pub fn huawei_canonical_uri(path: &str) -> String {
    let decoded: Vec<u8> = percent_decode_str(path).collect();
    let mut uri = decoded
        .split(|&b| b == b'/')
        .map(encode_bytes)
        .collect::<Vec<_>>()
        .join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alibaba_keeps_unreserved_and_encodes_the_rest_upper_hex() {
        assert_eq!(alibaba("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(alibaba("a b*c+d/e=f&g"), "a%20b%2Ac%2Bd%2Fe%3Df%26g");
        assert_eq!(alibaba("2016-02-23T12:46:24Z"), "2016-02-23T12%3A46%3A24Z");
        assert_eq!(alibaba("é"), "%C3%A9");
        assert_eq!(alibaba("\u{ff}?"), "%C3%BF%3F");
    }

    #[test]
    fn huawei_encodes_like_python_quote_with_tilde_safe() {
        assert_eq!(
            huawei("13551d6b-755d_4757.b956~x"),
            "13551d6b-755d_4757.b956~x"
        );
        assert_eq!(huawei("a b/c"), "a%20b%2Fc");
        assert_eq!(huawei("中"), "%E4%B8%AD");
    }

    #[test]
    fn huawei_uri_always_ends_with_a_slash() {
        assert_eq!(
            huawei_canonical_uri("/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs"),
            "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/"
        );
        assert_eq!(huawei_canonical_uri("/path/"), "/path/");
        assert_eq!(huawei_canonical_uri("/"), "/");
        assert_eq!(huawei_canonical_uri(""), "/");
    }

    #[test]
    fn huawei_uri_normalizes_segment_encoding() {
        assert_eq!(huawei_canonical_uri("/a b/c%20d/e*"), "/a%20b/c%20d/e%2A/");
        assert_eq!(huawei_canonical_uri("/x%7Ey"), "/x~y/");
    }
}
