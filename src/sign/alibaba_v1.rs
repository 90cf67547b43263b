//! Alibaba Cloud RPC signature V1: HMAC-SHA1 over the sorted parameters (`Signature=` in the query).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use time::OffsetDateTime;

use super::{
    AuthError, ClockCheck, Credentials, SignableRequest, canon, clock, crypto, encode, nonce,
};

/// The `SignatureMethod` value of this scheme.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// The `SignatureVersion` value of this scheme.
pub const SIGNATURE_VERSION: &str = "1.0";

/// `METHOD&%2F&percentEncode(sorted k=v&...)`; `params` must not contain `Signature`.
pub fn string_to_sign(method: &str, params: &[(String, String)]) -> String {
    format!(
        "{method}&{}&{}",
        encode::alibaba("/"),
        encode::alibaba(&canon::canonical_query(params))
    )
}

/// Base64 HMAC-SHA1 of the string to sign, keyed with `secret + "&"`.
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    let key = format!("{secret}&");
    BASE64.encode(crypto::hmac_sha1(key.as_bytes(), string_to_sign.as_bytes()))
}

/// The query and form-body parameters the signature covers, without `Signature`.
fn signed_params(req: &SignableRequest) -> Vec<(String, String)> {
    req.query
        .iter()
        .cloned()
        .chain(req.form_params())
        .filter(|(k, _)| k != "Signature")
        .collect()
}

/// Adds the common parameters and `Signature` to the query.
///
/// `Version` (default `version`) is kept when already present; `Format` is signed as the
/// request has it, or not at all (the request builder decides the format, and a request without
/// `Format` is a case of its own); the other common parameters are replaced. Form-body
/// parameters are signed too.
pub fn sign(
    req: &mut SignableRequest,
    creds: &Credentials,
    version: Option<&str>,
    now: OffsetDateTime,
    nonce: &str,
) {
    req.remove_query("Signature");
    if let (None, Some(v)) = (req.query_param("Version"), version) {
        req.set_query("Version", v);
    }
    req.set_query("AccessKeyId", creds.access_key_id());
    req.set_query("SignatureMethod", SIGNATURE_METHOD);
    req.set_query("Timestamp", clock::format_extended(now));
    req.set_query("SignatureVersion", SIGNATURE_VERSION);
    req.set_query("SignatureNonce", nonce);
    match creds.security_token() {
        Some(token) => req.set_query("SecurityToken", token),
        None => req.remove_query("SecurityToken"),
    }
    let sts = string_to_sign(&req.method, &signed_params(req));
    req.set_query("Signature", signature(creds.secret(), &sts));
}

/// [`sign`] with the current UTC time and a random UUID nonce.
pub fn sign_now(req: &mut SignableRequest, creds: &Credentials, version: Option<&str>) {
    sign(
        req,
        creds,
        version,
        OffsetDateTime::now_utc(),
        &nonce::random_uuid(),
    );
}

/// Checks the `Signature` of a request against every other query and form-body parameter.
///
/// `lookup` maps an access key id to its secret; `clock`, when given, also checks `Timestamp`.
pub fn verify(
    req: &SignableRequest,
    lookup: impl Fn(&str) -> Option<String>,
    clock: Option<ClockCheck>,
) -> Result<(), AuthError> {
    let all: Vec<(String, String)> = req.query.iter().cloned().chain(req.form_params()).collect();
    let find = |name: &str| all.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let given = find("Signature").ok_or(AuthError::Missing("Signature"))?;
    let access_key_id = find("AccessKeyId")
        .filter(|v| !v.is_empty())
        .ok_or_else(|| AuthError::Malformed("AccessKeyId is missing".into()))?;
    if let Some(method) = find("SignatureMethod").filter(|m| *m != SIGNATURE_METHOD) {
        return Err(AuthError::Malformed(format!(
            "unsupported SignatureMethod {method:?}"
        )));
    }
    let secret = lookup(access_key_id).ok_or(AuthError::UnknownAccessKey)?;
    let sts = string_to_sign(&req.method, &signed_params(req));
    if !crypto::ct_eq(signature(&secret, &sts).as_bytes(), given.as_bytes()) {
        return Err(AuthError::SignatureMismatch { canonical: sts });
    }
    clock::check_optional(clock, find("Timestamp"), "Timestamp", clock::parse_extended)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn lookup(id: &str) -> Option<String> {
        (id == "testid").then(|| "testsecret".to_string())
    }

    /// The parameters of the general Alibaba doc example (DescribeRegions).
    fn describe_regions() -> Vec<(String, String)> {
        pairs(&[
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Format", "XML"),
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("Version", "2014-05-26"),
            ("SignatureVersion", "1.0"),
        ])
    }

    /// The derived KMS vectors' common parameters plus `extra`.
    fn kms_params(extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut p = pairs(&[
            ("Version", "2016-01-20"),
            ("RegionId", "cn-hangzhou"),
            ("Format", "JSON"),
            ("Timestamp", "2024-01-01T00:00:00Z"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureType", ""),
            ("SignatureVersion", "1.0"),
            ("SignatureNonce", "00000000-0000-0000-0000-000000000001"),
            ("AccessKeyId", "testid"),
        ]);
        p.extend(pairs(extra));
        p
    }

    #[test]
    fn published_describe_regions_get_vector() {
        let sts = string_to_sign("GET", &describe_regions());
        assert_eq!(
            sts,
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
        );
        assert_eq!(
            signature("testsecret", &sts),
            "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
        );
    }

    #[test]
    fn derived_describe_regions_post_vector() {
        let sts = string_to_sign("POST", &describe_regions());
        assert_eq!(
            signature("testsecret", &sts),
            "MxbnVAM4w6sft9xjVpe/GCKueuk="
        );
    }

    #[test]
    fn sign_reproduces_the_published_vector() {
        let mut req = SignableRequest::new("GET", "/");
        req.query = pairs(&[("Action", "DescribeRegions"), ("Format", "XML")]);
        let creds = Credentials::new("testid", "testsecret");
        let now = datetime!(2016-02-23 12:46:24 UTC);
        sign(
            &mut req,
            &creds,
            Some("2014-05-26"),
            now,
            "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        );
        assert_eq!(
            req.query_param("Signature"),
            Some("OLeaidS1JvxuMvnyHOwuJ+uX5qY=")
        );
        assert_eq!(req.query_param("Format"), Some("XML"));
        assert_eq!(req.query_param("Version"), Some("2014-05-26"));
        assert_eq!(verify(&req, lookup, None), Ok(()));
    }

    #[test]
    fn published_kms_create_key_vector() {
        let params = pairs(&[
            ("Action", "CreateKey"),
            ("SignatureVersion", "1.0"),
            ("Format", "json"),
            ("Version", "2016-01-20"),
            ("AccessKeyId", "testid"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("Timestamp", "2016-03-28T03:13:08Z"),
        ]);
        let sts = string_to_sign("GET", &params);
        assert_eq!(
            signature("testsecret", &sts),
            "41wk2SSX1GJh7fwnc5eqOfiJPFg="
        );
    }

    #[test]
    fn derived_kms_list_keys_vector_signs_and_verifies() {
        let params = kms_params(&[
            ("Action", "ListKeys"),
            ("PageNumber", "1"),
            ("PageSize", "10"),
        ]);
        let sts = string_to_sign("POST", &params);
        assert!(sts.contains("SignatureType%3D%26"), "{sts}");
        assert_eq!(
            signature("testsecret", &sts),
            "pE/tOwwEPdkknPLlrNnwdIs3ifw="
        );

        let mut req = SignableRequest::new("POST", "/");
        req.query = params;
        req.query
            .push(("Signature".into(), "pE/tOwwEPdkknPLlrNnwdIs3ifw=".into()));
        assert_eq!(verify(&req, lookup, None), Ok(()));
        req.remove_query("SignatureType");
        assert!(matches!(
            verify(&req, lookup, None),
            Err(AuthError::SignatureMismatch { .. })
        ));
    }

    #[test]
    fn derived_kms_create_alias_vector() {
        let params = kms_params(&[
            ("Action", "CreateAlias"),
            ("KeyId", "key-hzz630494463ejqjx0001"),
            ("AliasName", "alias/test-1"),
        ]);
        let sts = string_to_sign("POST", &params);
        assert!(sts.contains("AliasName%3Dalias%252Ftest-1"), "{sts}");
        assert_eq!(
            signature("testsecret", &sts),
            "RacxVLLve0C5DgB+eDkQnbdyC0s="
        );
    }

    #[test]
    fn sign_reproduces_the_derived_list_keys_vector() {
        let mut req = SignableRequest::new("POST", "/");
        req.query = pairs(&[
            ("Action", "ListKeys"),
            ("Format", "JSON"),
            ("RegionId", "cn-hangzhou"),
            ("PageNumber", "1"),
            ("PageSize", "10"),
            ("SignatureType", ""),
        ]);
        let now = datetime!(2024-01-01 00:00:00 UTC);
        let creds = Credentials::new("testid", "testsecret");
        sign(
            &mut req,
            &creds,
            Some("2016-01-20"),
            now,
            "00000000-0000-0000-0000-000000000001",
        );
        assert_eq!(
            req.query_param("Signature"),
            Some("pE/tOwwEPdkknPLlrNnwdIs3ifw=")
        );
    }

    fn signed_request() -> SignableRequest {
        let mut req = SignableRequest::new("POST", "/");
        req.query = pairs(&[("Action", "CreateAlias"), ("AliasName", "alias/a b*~")]);
        let creds = Credentials::new("testid", "testsecret");
        sign_now(&mut req, &creds, Some("2016-01-20"));
        req
    }

    #[test]
    fn sign_now_round_trips_with_a_clock_check() {
        let req = signed_request();
        assert_eq!(req.query_param("Format"), None, "the signer adds no Format");
        assert_eq!(req.query_param("SignatureNonce").map(str::len), Some(36));
        assert_eq!(verify(&req, lookup, Some(ClockCheck::now_utc())), Ok(()));
    }

    #[test]
    fn round_trip_survives_the_wire_encoding() {
        let req = signed_request();
        let wire = format!("/?{}", req.encoded_query());
        let received = SignableRequest::from_path_and_query("POST", &wire);
        assert_eq!(verify(&received, lookup, None), Ok(()));
    }

    #[test]
    fn wrong_secret_is_a_mismatch() {
        let req = signed_request();
        let err = verify(&req, |_| Some("other".into()), None);
        assert!(
            matches!(err, Err(AuthError::SignatureMismatch { canonical }) if canonical.starts_with("POST&%2F&"))
        );
    }

    #[test]
    fn tampered_param_or_method_is_a_mismatch() {
        let mut req = signed_request();
        req.set_query("AliasName", "alias/other");
        assert!(matches!(
            verify(&req, lookup, None),
            Err(AuthError::SignatureMismatch { .. })
        ));
        let mut req = signed_request();
        req.method = "GET".into();
        assert!(matches!(
            verify(&req, lookup, None),
            Err(AuthError::SignatureMismatch { .. })
        ));
        let mut req = signed_request();
        req.query.push(("Extra".into(), String::new()));
        assert!(matches!(
            verify(&req, lookup, None),
            Err(AuthError::SignatureMismatch { .. })
        ));
    }

    #[test]
    fn form_body_params_are_signed_and_checked() {
        let mut req = SignableRequest::new("POST", "/");
        req.set_header("Content-Type", "application/x-www-form-urlencoded");
        req.body = b"Action=ListKeys&PageSize=10".to_vec();
        let creds = Credentials::new("testid", "testsecret");
        sign(
            &mut req,
            &creds,
            Some("2016-01-20"),
            datetime!(2024-01-01 00:00:00 UTC),
            "n1",
        );
        assert_eq!(verify(&req, lookup, None), Ok(()));
        req.body = b"Action=ListKeys&PageSize=11".to_vec();
        assert!(matches!(
            verify(&req, lookup, None),
            Err(AuthError::SignatureMismatch { .. })
        ));
    }

    #[test]
    fn security_token_is_added_and_signed() {
        let mut req = SignableRequest::new("POST", "/");
        let creds = Credentials::new("testid", "testsecret").with_security_token("sts-1");
        sign_now(&mut req, &creds, None);
        assert_eq!(req.query_param("SecurityToken"), Some("sts-1"));
        assert_eq!(req.query_param("Version"), None);
        assert_eq!(verify(&req, lookup, None), Ok(()));
        req.set_query("SecurityToken", "sts-2");
        assert!(matches!(
            verify(&req, lookup, None),
            Err(AuthError::SignatureMismatch { .. })
        ));
    }

    #[test]
    fn unknown_key_missing_signature_and_malformed() {
        let mut req = signed_request();
        req.set_query("AccessKeyId", "nobody");
        assert_eq!(verify(&req, lookup, None), Err(AuthError::UnknownAccessKey));

        let mut req = signed_request();
        req.remove_query("Signature");
        assert_eq!(
            verify(&req, lookup, None),
            Err(AuthError::Missing("Signature"))
        );

        let mut req = signed_request();
        req.remove_query("AccessKeyId");
        assert!(matches!(
            verify(&req, lookup, None),
            Err(AuthError::Malformed(_))
        ));

        let mut req = signed_request();
        req.set_query("SignatureMethod", "HMAC-SHA256");
        assert!(matches!(
            verify(&req, lookup, None),
            Err(AuthError::Malformed(_))
        ));
    }

    #[test]
    fn clock_check_rejects_stale_and_unparsable_timestamps() {
        let mut req = SignableRequest::new("GET", "/");
        let creds = Credentials::new("testid", "testsecret");
        sign(
            &mut req,
            &creds,
            None,
            datetime!(2024-01-01 00:00:00 UTC),
            "n",
        );
        let clock = ClockCheck {
            now: datetime!(2024-01-01 00:20:00 UTC),
            tolerance: ClockCheck::DEFAULT_TOLERANCE,
        };
        assert!(matches!(
            verify(&req, lookup, Some(clock)),
            Err(AuthError::StaleTimestamp { .. })
        ));
        assert_eq!(verify(&req, lookup, None), Ok(()));

        req.query
            .retain(|(k, _)| k != "Signature" && k != "Timestamp");
        req.query.push(("Timestamp".into(), "yesterday".into()));
        let sts = string_to_sign("GET", &req.query);
        req.query
            .push(("Signature".into(), signature("testsecret", &sts)));
        assert!(matches!(
            verify(&req, lookup, Some(clock)),
            Err(AuthError::InvalidTimestamp(_))
        ));
    }
}
