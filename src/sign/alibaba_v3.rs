//! Alibaba Cloud signature V3 (`ACS3-HMAC-SHA256`): an `Authorization` header over a canonical request.

use time::OffsetDateTime;

use super::{
    AuthError, ClockCheck, Credentials, SignableRequest, authz, canon, clock, crypto, nonce,
};

/// The algorithm name that opens the `Authorization` header and the string to sign.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// `METHOD\nURI\nQUERY\nHEADERS\nSIGNED\nPAYLOAD`; header names are lower-cased and sorted.
pub fn canonical_request<S: AsRef<str>>(
    req: &SignableRequest,
    signed_headers: &[S],
    hashed_payload: &str,
) -> String {
    let names = canon::normalize_names(signed_headers);
    let uri = if req.path.is_empty() { "/" } else { &req.path };
    format!(
        "{}\n{uri}\n{}\n{}\n{}\n{hashed_payload}",
        req.method,
        canon::canonical_query(&req.query),
        canon::canonical_headers(req, &names),
        names.join(";"),
    )
}

/// `ACS3-HMAC-SHA256\n` followed by the hex SHA-256 of the canonical request.
pub fn string_to_sign(canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{}",
        crypto::sha256_hex(canonical_request.as_bytes())
    )
}

/// Lower-case hex HMAC-SHA256 of the string to sign, keyed with the secret (no `&`).
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    crypto::hmac_sha256_hex(secret.as_bytes(), string_to_sign.as_bytes())
}

/// The `Authorization` header value: `ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..`.
pub fn authorization<S: AsRef<str>>(
    access_key_id: &str,
    signed_headers: &[S],
    signature: &str,
) -> String {
    let names = canon::normalize_names(signed_headers).join(";");
    format!("{ALGORITHM} Credential={access_key_id},SignedHeaders={names},Signature={signature}")
}

/// Adds `host`, `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256`, the optional
/// `x-acs-security-token` and `Authorization`.
///
/// Signs `host`, `content-type` (when present) and every `x-acs-*` header, so the caller sets
/// `x-acs-action` and `x-acs-version` before signing. `host` includes the port when not default.
pub fn sign(
    req: &mut SignableRequest,
    creds: &Credentials,
    host: &str,
    now: OffsetDateTime,
    nonce: &str,
) {
    req.remove_header("authorization");
    req.set_header("host", host);
    req.set_header("x-acs-date", clock::format_extended(now));
    req.set_header("x-acs-signature-nonce", nonce);
    let payload = crypto::sha256_hex(&req.body);
    req.set_header("x-acs-content-sha256", payload.as_str());
    match creds.security_token() {
        Some(token) => req.set_header("x-acs-security-token", token),
        None => req.remove_header("x-acs-security-token"),
    }
    let signed: Vec<String> = req
        .headers
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .filter(|n| n == "host" || n == "content-type" || n.starts_with("x-acs-"))
        .collect();
    let sts = string_to_sign(&canonical_request(req, &signed, &payload));
    let value = authorization(
        creds.access_key_id(),
        &signed,
        &signature(creds.secret(), &sts),
    );
    req.set_header("Authorization", value);
}

/// [`sign`] with the current UTC time and a random 32-hex-digit nonce.
pub fn sign_now(req: &mut SignableRequest, creds: &Credentials, host: &str) {
    sign(
        req,
        creds,
        host,
        OffsetDateTime::now_utc(),
        &nonce::random_hex(),
    );
}

/// Checks the `Authorization` header, rebuilding the canonical request from its `SignedHeaders`.
///
/// The payload hash is computed from the body. `lookup` maps an access key id to its secret;
/// `clock`, when given, also checks `x-acs-date`.
pub fn verify(
    req: &SignableRequest,
    lookup: impl Fn(&str) -> Option<String>,
    clock: Option<ClockCheck>,
) -> Result<(), AuthError> {
    let fields = authz::from_request(req, ALGORITHM, "Credential")?;
    let secret = lookup(&fields.access_key_id).ok_or(AuthError::UnknownAccessKey)?;
    let canonical = canonical_request(req, &fields.signed_headers, &crypto::sha256_hex(&req.body));
    let expected = signature(&secret, &string_to_sign(&canonical));
    if !crypto::ct_eq(expected.as_bytes(), fields.signature.as_bytes()) {
        return Err(AuthError::SignatureMismatch { canonical });
    }
    clock::check_optional(
        clock,
        req.header("x-acs-date"),
        "x-acs-date",
        clock::parse_extended,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn lookup(id: &str) -> Option<String> {
        (id == "testid").then(|| "testsecret".to_string())
    }

    fn header_pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// The published RunInstances example, without the signing headers.
    fn run_instances() -> SignableRequest {
        let mut req = SignableRequest::from_path_and_query(
            "POST",
            "/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
        );
        req.headers = header_pairs(&[
            ("x-acs-action", "RunInstances"),
            ("x-acs-version", "2014-05-26"),
        ]);
        req
    }

    #[test]
    fn published_vector_canonical_request_hash_and_signature() {
        let mut req = run_instances();
        req.headers.extend(header_pairs(&[
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-date", "2023-10-26T10:22:32Z"),
            ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
            ("x-acs-content-sha256", EMPTY_SHA256),
        ]));
        let signed = [
            "host",
            "x-acs-action",
            "x-acs-content-sha256",
            "x-acs-date",
            "x-acs-signature-nonce",
            "x-acs-version",
        ];
        let canonical = canonical_request(&req, &signed, EMPTY_SHA256);
        assert_eq!(
            canonical,
            "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n\
             host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n\
             x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
             x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n\
             x-acs-version:2014-05-26\n\n\
             host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let sts = string_to_sign(&canonical);
        assert_eq!(
            sts,
            "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        );
        assert_eq!(
            signature("YourAccessKeySecret", &sts),
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
    }

    #[test]
    fn sign_reproduces_the_published_authorization() {
        let mut req = run_instances();
        let creds = Credentials::new("YourAccessKeyId", "YourAccessKeySecret");
        let now = datetime!(2023-10-26 10:22:32 UTC);
        sign(
            &mut req,
            &creds,
            "ecs.cn-shanghai.aliyuncs.com",
            now,
            "3156853299f313e23d1673dc12e1703d",
        );
        assert_eq!(
            req.header("authorization"),
            Some(
                "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;\
                 x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,\
                 Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
            )
        );
        assert_eq!(req.header("x-acs-content-sha256"), Some(EMPTY_SHA256));
    }

    /// The derived KMS ListKeyVersions request, signed with the given nonce.
    fn kms_request() -> SignableRequest {
        let mut req = SignableRequest::from_path_and_query(
            "POST",
            "/?KeyId=key-hzz630494463ejqjx0001&PageNumber=1&PageSize=10",
        );
        req.headers = header_pairs(&[
            ("x-acs-action", "ListKeyVersions"),
            ("x-acs-version", "2016-01-20"),
        ]);
        let creds = Credentials::new("testid", "testsecret");
        let now = datetime!(2024-01-01 00:00:00 UTC);
        sign(
            &mut req,
            &creds,
            "kms.cn-hangzhou.aliyuncs.com",
            now,
            "3156853299f313e23d1673dc12e1703d",
        );
        req
    }

    #[test]
    fn derived_kms_vector_signs_and_verifies() {
        let req = kms_request();
        let auth = req.header("authorization").unwrap_or_default();
        assert!(
            auth.ends_with(
                ",Signature=0ae3e015b03ef82ff320ff8b944b761d5db32514d2b67d52d726fbb756dcc5df"
            ),
            "{auth}"
        );
        assert_eq!(verify(&req, lookup, None), Ok(()));
    }

    /// A request shaped like the Tea SDK's: extra signed headers and a host with a port.
    fn sdk_like_request() -> SignableRequest {
        let mut req = SignableRequest::from_path_and_query("POST", "/?KeyId=k1&PageNumber=1");
        req.headers = header_pairs(&[
            ("accept", "application/json"),
            ("host", "127.0.0.1:18082"),
            ("user-agent", "AlibabaCloud (Linux) Python/3.11 TeaDSL/1"),
            ("x-acs-action", "ListKeyVersions"),
            ("x-acs-content-sha256", EMPTY_SHA256),
            ("x-acs-credentials-provider", "static_ak"),
            ("x-acs-date", "2024-01-01T00:00:00Z"),
            ("x-acs-signature-nonce", "abc"),
            ("x-acs-version", "2016-01-20"),
        ]);
        let names: Vec<String> = req.headers.iter().map(|(n, _)| n.clone()).collect();
        let sts = string_to_sign(&canonical_request(&req, &names, EMPTY_SHA256));
        let value = authorization("testid", &names, &signature("testsecret", &sts));
        req.headers.push(("Authorization".into(), value));
        req
    }

    #[test]
    fn verify_uses_the_signed_headers_list_of_the_request() {
        let mut req = sdk_like_request();
        assert_eq!(verify(&req, lookup, None), Ok(()));
        req.headers.push(("x-unsigned".into(), "anything".into()));
        assert_eq!(verify(&req, lookup, None), Ok(()));
        req.set_header("user-agent", "someone-else");
        assert!(matches!(
            verify(&req, lookup, None),
            Err(AuthError::SignatureMismatch { .. })
        ));
        let mut req = sdk_like_request();
        req.set_header("host", "127.0.0.1:18083");
        assert!(matches!(
            verify(&req, lookup, None),
            Err(AuthError::SignatureMismatch { .. })
        ));
    }

    #[test]
    fn round_trip_with_body_token_and_clock() {
        let mut req = SignableRequest::new("POST", "/");
        req.set_header("Content-Type", "application/x-www-form-urlencoded");
        req.set_header("x-acs-action", "CreateAlias");
        req.body = b"AliasName=alias%2Fa&KeyId=k1".to_vec();
        let creds = Credentials::new("testid", "testsecret").with_security_token("sts");
        sign_now(&mut req, &creds, "kms.cn-hangzhou.aliyuncs.com");
        let auth = req.header("authorization").unwrap_or_default().to_string();
        assert!(auth.contains("SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce,"), "{auth}");
        assert_eq!(req.header("x-acs-signature-nonce").map(str::len), Some(32));
        assert_eq!(verify(&req, lookup, Some(ClockCheck::now_utc())), Ok(()));

        let mut tampered = req.clone();
        tampered.body = b"AliasName=alias%2Fb&KeyId=k1".to_vec();
        assert!(matches!(
            verify(&tampered, lookup, None),
            Err(AuthError::SignatureMismatch { .. })
        ));
        let mut tampered = req.clone();
        tampered.set_header("x-acs-security-token", "other");
        assert!(matches!(
            verify(&tampered, lookup, None),
            Err(AuthError::SignatureMismatch { .. })
        ));
    }

    #[test]
    fn wrong_secret_tampered_query_and_unknown_key() {
        let req = kms_request();
        assert!(matches!(
            verify(&req, |_| Some("nope".into()), None),
            Err(AuthError::SignatureMismatch { canonical }) if canonical.starts_with("POST\n/\nKeyId=")
        ));
        let mut tampered = kms_request();
        tampered.set_query("PageSize", "11");
        assert!(matches!(
            verify(&tampered, lookup, None),
            Err(AuthError::SignatureMismatch { .. })
        ));
        assert_eq!(
            verify(&req, |_| None, None),
            Err(AuthError::UnknownAccessKey)
        );
    }

    #[test]
    fn missing_malformed_and_stale() {
        let mut req = kms_request();
        let clock = ClockCheck {
            now: datetime!(2024-01-01 01:00:00 UTC),
            tolerance: ClockCheck::DEFAULT_TOLERANCE,
        };
        assert!(matches!(
            verify(&req, lookup, Some(clock)),
            Err(AuthError::StaleTimestamp { .. })
        ));
        req.set_header(
            "Authorization",
            "SDK-HMAC-SHA256 Access=testid, SignedHeaders=host, Signature=00",
        );
        assert!(matches!(
            verify(&req, lookup, None),
            Err(AuthError::Malformed(_))
        ));
        req.remove_header("Authorization");
        assert_eq!(
            verify(&req, lookup, None),
            Err(AuthError::Missing("Authorization"))
        );
    }
}
