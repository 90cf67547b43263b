//! Huawei Cloud AK/SK signature (`SDK-HMAC-SHA256`): an `Authorization` header over a canonical request.

use time::OffsetDateTime;

use super::{
    AuthError, ClockCheck, Credentials, SignableRequest, authz, canon, clock, crypto, encode,
};

/// The algorithm name that opens the `Authorization` header and the string to sign.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
/// The `X-Sdk-Content-Sha256` value that leaves the body out of the signature.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The header that carries the request time, `yyyyMMddTHHmmssZ`.
pub const DATE_HEADER: &str = "X-Sdk-Date";
/// The header that overrides the payload hash.
pub const CONTENT_SHA256_HEADER: &str = "X-Sdk-Content-Sha256";

/// The payload hash: the `X-Sdk-Content-Sha256` value when present, else hex SHA-256 of the body.
pub fn payload_hash(req: &SignableRequest) -> String {
    match req.header(CONTENT_SHA256_HEADER) {
        Some(value) => value.to_string(),
        None => crypto::sha256_hex(&req.body),
    }
}

/// `METHOD\nURI/\nQUERY\nHEADERS\nSIGNED\nPAYLOAD`; header names are lower-cased and sorted.
pub fn canonical_request<S: AsRef<str>>(
    req: &SignableRequest,
    signed_headers: &[S],
    payload_hash: &str,
) -> String {
    let names = canon::normalize_names(signed_headers);
    format!(
        "{}\n{}\n{}\n{}\n{}\n{payload_hash}",
        req.method,
        encode::huawei_canonical_uri(&req.path),
        canon::canonical_query(&req.query),
        canon::canonical_headers(req, &names),
        names.join(";"),
    )
}

/// `SDK-HMAC-SHA256\n<X-Sdk-Date>\n<hex SHA-256 of the canonical request>`.
pub fn string_to_sign(sdk_date: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{sdk_date}\n{}",
        crypto::sha256_hex(canonical_request.as_bytes())
    )
}

/// Lower-case hex HMAC-SHA256 of the string to sign, keyed with the SK.
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    crypto::hmac_sha256_hex(secret.as_bytes(), string_to_sign.as_bytes())
}

/// The `Authorization` header value: `SDK-HMAC-SHA256 Access=.., SignedHeaders=.., Signature=..`.
pub fn authorization<S: AsRef<str>>(
    access_key_id: &str,
    signed_headers: &[S],
    signature: &str,
) -> String {
    let names = canon::normalize_names(signed_headers).join(";");
    format!("{ALGORITHM} Access={access_key_id}, SignedHeaders={names}, Signature={signature}")
}

/// Adds `Host`, `X-Sdk-Date`, `X-Project-Id` (when given), the optional `X-Security-Token`
/// and `Authorization`.
///
/// Like the Python SDK, signs every header present except `Authorization` and names with `_`,
/// so the caller sends exactly the headers of the request. `host` includes the port when not default.
pub fn sign(
    req: &mut SignableRequest,
    creds: &Credentials,
    host: &str,
    project_id: Option<&str>,
    now: OffsetDateTime,
) {
    req.remove_header("authorization");
    req.set_header("Host", host);
    let date = clock::format_basic(now);
    req.set_header(DATE_HEADER, date.as_str());
    if let Some(project) = project_id {
        req.set_header("X-Project-Id", project);
    }
    match creds.security_token() {
        Some(token) => req.set_header("X-Security-Token", token),
        None => req.remove_header("X-Security-Token"),
    }
    let signed: Vec<String> = req
        .headers
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .filter(|n| n != "authorization" && !n.contains('_'))
        .collect();
    let canonical = canonical_request(req, &signed, &payload_hash(req));
    let sig = signature(creds.secret(), &string_to_sign(&date, &canonical));
    let value = authorization(creds.access_key_id(), &signed, &sig);
    req.set_header("Authorization", value);
}

/// [`sign`] with the current UTC time.
pub fn sign_now(
    req: &mut SignableRequest,
    creds: &Credentials,
    host: &str,
    project_id: Option<&str>,
) {
    sign(req, creds, host, project_id, OffsetDateTime::now_utc());
}

/// Checks the `Authorization` header, rebuilding the canonical request from its `SignedHeaders`.
///
/// A body that does not match a given `X-Sdk-Content-Sha256` (other than `UNSIGNED-PAYLOAD`) is
/// a mismatch. `lookup` maps an AK to its SK; `clock`, when given, also checks `X-Sdk-Date`.
pub fn verify(
    req: &SignableRequest,
    lookup: impl Fn(&str) -> Option<String>,
    clock: Option<ClockCheck>,
) -> Result<(), AuthError> {
    let fields = authz::from_request(req, ALGORITHM, "Access")?;
    let date = authz::date_header(req, DATE_HEADER)?;
    let secret = lookup(&fields.access_key_id).ok_or(AuthError::UnknownAccessKey)?;
    let payload = payload_hash(req);
    let canonical = canonical_request(req, &fields.signed_headers, &payload);
    let expected = signature(&secret, &string_to_sign(date, &canonical));
    let body_matches = payload == UNSIGNED_PAYLOAD
        || crypto::ct_eq(payload.as_bytes(), crypto::sha256_hex(&req.body).as_bytes());
    if !body_matches || !crypto::ct_eq(expected.as_bytes(), fields.signature.as_bytes()) {
        return Err(AuthError::SignatureMismatch { canonical });
    }
    clock::check_optional(clock, Some(date), DATE_HEADER, clock::parse_basic)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn lookup(id: &str) -> Option<String> {
        (id == "testAK").then(|| "testSK".to_string())
    }

    /// The published example request (doc + Java SDK test), signed by [`sign`].
    fn published_request() -> SignableRequest {
        let mut req = SignableRequest::from_path_and_query(
            "GET",
            "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
        );
        req.set_header("Content-Type", "application/json");
        let creds = Credentials::new(
            "QTWAOYTTINDUT2QVKYUC",
            "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
        );
        sign(
            &mut req,
            &creds,
            "service.region.example.com",
            None,
            datetime!(2019-11-15 03:36:55 UTC),
        );
        req
    }

    #[test]
    fn published_vector_canonical_request_and_string_to_sign() {
        let req = published_request();
        let canonical = canonical_request(
            &req,
            &["content-type", "host", "x-sdk-date"],
            &payload_hash(&req),
        );
        assert_eq!(
            canonical,
            "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\n\
             limit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n\
             content-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\n\
             content-type;host;x-sdk-date\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            string_to_sign("20191115T033655Z", &canonical),
            "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
        );
    }

    #[test]
    fn sign_reproduces_the_published_authorization() {
        let req = published_request();
        assert_eq!(
            req.header("authorization"),
            Some(
                "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, \
                 Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
            )
        );
        let secret = |id: &str| {
            (id == "QTWAOYTTINDUT2QVKYUC")
                .then(|| "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc".to_string())
        };
        assert_eq!(verify(&req, secret, None), Ok(()));
    }

    /// Signs `req` with the Go SDK test key over `x-sdk-date` only.
    fn go_sdk_signature(req: &SignableRequest) -> String {
        let canonical = canonical_request(req, &["x-sdk-date"], &payload_hash(req));
        assert!(canonical.contains("\n/path/\n"), "{canonical}");
        signature("SecretKey", &string_to_sign("20060102T150405Z", &canonical))
    }

    #[test]
    fn go_sdk_get_vector() {
        let mut req = SignableRequest::from_path_and_query("GET", "/path?limit=1");
        req.set_header("Host", "example.huaweicloud.com");
        req.set_header(DATE_HEADER, "20060102T150405Z");
        assert_eq!(
            go_sdk_signature(&req),
            "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"
        );
    }

    #[test]
    fn go_sdk_post_vector_with_trailing_newline_body() {
        let mut req = SignableRequest::from_path_and_query("POST", "/path?key=value");
        req.set_header("Host", "example.huaweicloud.com");
        req.set_header(DATE_HEADER, "20060102T150405Z");
        req.body = b"{\"Name\":\"test\",\"Id\":1}\n".to_vec();
        assert_eq!(
            go_sdk_signature(&req),
            "cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59"
        );
    }

    /// The derived KMS CreateAlias request, signed by [`sign`].
    fn kms_request() -> SignableRequest {
        let mut req =
            SignableRequest::new("POST", "/v1.0/0123456789abcdef0123456789abcdef/kms/aliases");
        req.set_header("Content-Type", "application/json");
        req.body =
            br#"{"key_id": "bb6a3d22-dc93-47ac-b5bd-88df7ad35f1e", "alias": "kms-1234"}"#.to_vec();
        let creds = Credentials::new("testAK", "testSK");
        sign(
            &mut req,
            &creds,
            "kms.cn-north-4.myhuaweicloud.com",
            None,
            datetime!(2024-01-01 00:00:00 UTC),
        );
        req
    }

    #[test]
    fn derived_kms_vector_signs_and_verifies() {
        let req = kms_request();
        assert_eq!(
            req.header("authorization"),
            Some(
                "SDK-HMAC-SHA256 Access=testAK, SignedHeaders=content-type;host;x-sdk-date, \
                 Signature=059b2aad4b6aecd36f69dccec05b28e5203820b64ebeb8ed424f967ec2206d59"
            )
        );
        assert_eq!(verify(&req, lookup, None), Ok(()));
    }

    #[test]
    fn round_trip_with_project_token_user_agent_and_clock() {
        let mut req =
            SignableRequest::from_path_and_query("DELETE", "/v1.0/pid/kms/aliases?x=a%20b");
        req.set_header("Content-Type", "application/json");
        req.set_header("User-Agent", "huaweicloud-usdk-python/3.0");
        req.body = br#"{"key_id":"k","aliases":["kms-1"]}"#.to_vec();
        let creds = Credentials::new("testAK", "testSK").with_security_token("sts");
        req.set_header("X_Not_Signed", "underscored names are skipped");
        sign_now(&mut req, &creds, "127.0.0.1:8080", Some("pid"));
        let auth = req.header("authorization").unwrap_or_default().to_string();
        assert!(
            auth.contains("SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date;x-security-token, "),
            "{auth}"
        );
        assert_eq!(verify(&req, lookup, Some(ClockCheck::now_utc())), Ok(()));
        let mut stale = req.clone();
        stale.set_header(DATE_HEADER, "20000101T000000Z");
        assert!(matches!(
            verify(&stale, lookup, None),
            Err(AuthError::SignatureMismatch { .. })
        ));
    }

    #[test]
    fn tampering_wrong_secret_and_unknown_key() {
        let mismatch = |req: &SignableRequest| {
            matches!(
                verify(req, lookup, None),
                Err(AuthError::SignatureMismatch { .. })
            )
        };
        let mut req = kms_request();
        req.body =
            br#"{"key_id": "bb6a3d22-dc93-47ac-b5bd-88df7ad35f1e", "alias": "kms-9999"}"#.to_vec();
        assert!(mismatch(&req));
        let mut req = kms_request();
        req.set_header("Content-Type", "text/plain");
        assert!(mismatch(&req));
        let mut req = kms_request();
        req.path.push_str("/extra");
        assert!(mismatch(&req));
        let mut req = kms_request();
        req.query.push(("limit".into(), "1".into()));
        assert!(mismatch(&req));
        let req = kms_request();
        assert!(matches!(
            verify(&req, |_| Some("wrong".into()), None),
            Err(AuthError::SignatureMismatch { canonical }) if canonical.starts_with("POST\n/v1.0/")
        ));
        assert_eq!(
            verify(&req, |_| None, None),
            Err(AuthError::UnknownAccessKey)
        );
    }

    #[test]
    fn content_sha256_header_is_honoured_and_checked() {
        let mut req = SignableRequest::new("PUT", "/v1/obj");
        req.set_header(CONTENT_SHA256_HEADER, UNSIGNED_PAYLOAD);
        req.body = b"raw bytes".to_vec();
        sign(
            &mut req,
            &Credentials::new("testAK", "testSK"),
            "h",
            None,
            datetime!(2024-01-01 00:00:00 UTC),
        );
        assert_eq!(verify(&req, lookup, None), Ok(()));
        req.body = b"other bytes".to_vec();
        assert_eq!(
            verify(&req, lookup, None),
            Ok(()),
            "an unsigned payload may change"
        );

        let mut req = SignableRequest::new("PUT", "/v1/obj");
        req.set_header(CONTENT_SHA256_HEADER, crypto::sha256_hex(b"raw bytes"));
        req.body = b"raw bytes".to_vec();
        sign(
            &mut req,
            &Credentials::new("testAK", "testSK"),
            "h",
            None,
            datetime!(2024-01-01 00:00:00 UTC),
        );
        assert_eq!(verify(&req, lookup, None), Ok(()));
        req.body = b"other bytes".to_vec();
        assert!(matches!(
            verify(&req, lookup, None),
            Err(AuthError::SignatureMismatch { .. })
        ));
    }

    #[test]
    fn missing_malformed_and_stale() {
        let mut req = kms_request();
        let clock = ClockCheck {
            now: datetime!(2024-01-01 00:16:00 UTC),
            tolerance: ClockCheck::DEFAULT_TOLERANCE,
        };
        assert!(matches!(
            verify(&req, lookup, Some(clock)),
            Err(AuthError::StaleTimestamp { .. })
        ));
        req.remove_header(DATE_HEADER);
        assert!(matches!(
            verify(&req, lookup, None),
            Err(AuthError::Malformed(_))
        ));
        let mut req = kms_request();
        req.set_header(
            "Authorization",
            "ACS3-HMAC-SHA256 Credential=testAK,SignedHeaders=host,Signature=00",
        );
        assert!(matches!(
            verify(&req, lookup, None),
            Err(AuthError::Malformed(_))
        ));
        req.remove_header("authorization");
        assert_eq!(
            verify(&req, lookup, None),
            Err(AuthError::Missing("Authorization"))
        );
    }
}
