//! AWS Signature Version 4 (`AWS4-HMAC-SHA256`) for services other than S3: an
//! `Authorization` header over a canonical request, keyed by a date/region/service scope.
//!
//! The steps, as the AWS General Reference describes them: a canonical request (method, the
//! normalized path with every segment encoded, the sorted encoded query, the lower-cased sorted
//! headers with trimmed values, the signed header names, the hex SHA-256 of the body); a string
//! to sign (`AWS4-HMAC-SHA256`, the `X-Amz-Date` time, the scope, the hash of the canonical
//! request); a signing key derived by HMAC from `"AWS4" + secret` through date, region, service
//! and `aws4_request`; the hex HMAC of the string to sign under that key. The tests reproduce the
//! published Signature Version 4 test suite bit for bit.

use time::OffsetDateTime;

use super::{
    AuthError, ClockCheck, Credentials, SignableRequest, authz, canon, clock, crypto, encode,
};

/// The algorithm name that opens the `Authorization` header and the string to sign.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The header that carries the request time, `yyyyMMddTHHmmssZ`.
pub const DATE_HEADER: &str = "X-Amz-Date";
/// The header that carries a temporary credential's session token (signed like any header).
pub const TOKEN_HEADER: &str = "X-Amz-Security-Token";
/// The last element of every credential scope.
const TERMINATOR: &str = "aws4_request";

/// Where a signature is valid: the day, region and service of the credential scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The region, e.g. `us-east-1`.
    pub region: String,
    /// The signing name of the service, e.g. `kms`.
    pub service: String,
}

impl Scope {
    /// A scope for `service` in `region`.
    pub fn new(region: impl Into<String>, service: impl Into<String>) -> Self {
        Scope {
            region: region.into(),
            service: service.into(),
        }
    }

    /// `yyyyMMdd/region/service/aws4_request` for the day of `amz_date` (`yyyyMMddTHHmmssZ`).
    pub fn credential_scope(&self, amz_date: &str) -> String {
        let day = amz_date.get(..8).unwrap_or(amz_date);
        format!("{day}/{}/{}/{TERMINATOR}", self.region, self.service)
    }
}

/// The canonical URI of a non-S3 service: dot segments removed, empty segments dropped, each
/// segment of the path as sent encoded once more (so a `%` sent becomes `%25`); `/` when empty.
pub fn canonical_uri(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut uri: String = segments
        .iter()
        .map(|s| format!("/{}", encode::alibaba(s)))
        .collect();
    if uri.is_empty() || (path.ends_with('/') && !segments.is_empty()) {
        uri.push('/');
    }
    uri
}

/// A header value as canonicalized: trimmed, every run of spaces inside folded to one.
fn canonical_value(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `name:value\n` for each signed name; the values of repeated headers are joined by `,` in
/// the order they were sent.
fn canonical_headers(req: &SignableRequest, names: &[String]) -> String {
    names
        .iter()
        .map(|name| {
            let values: Vec<String> = req
                .headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| canonical_value(v))
                .collect();
            format!("{name}:{}\n", values.join(","))
        })
        .collect()
}

/// `METHOD\nURI\nQUERY\nHEADERS\nSIGNED\nPAYLOAD-HASH`.
pub fn canonical_request<S: AsRef<str>>(
    req: &SignableRequest,
    signed_headers: &[S],
    payload_hash: &str,
) -> String {
    let names = canon::normalize_names(signed_headers);
    format!(
        "{}\n{}\n{}\n{}\n{}\n{payload_hash}",
        req.method.to_ascii_uppercase(),
        canonical_uri(&req.path),
        canon::canonical_query(&req.query),
        canonical_headers(req, &names),
        names.join(";"),
    )
}

/// `AWS4-HMAC-SHA256\n<X-Amz-Date>\n<scope>\n<hex SHA-256 of the canonical request>`.
pub fn string_to_sign(amz_date: &str, scope: &Scope, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{amz_date}\n{}\n{}",
        scope.credential_scope(amz_date),
        crypto::sha256_hex(canonical_request.as_bytes())
    )
}

/// The signing key: HMAC-SHA256 chained from `"AWS4" + secret` over the day, region, service
/// and `aws4_request`.
pub fn signing_key(secret: &str, day: &str, scope: &Scope) -> Vec<u8> {
    let mut key = format!("AWS4{secret}").into_bytes();
    for part in [
        day,
        scope.region.as_str(),
        scope.service.as_str(),
        TERMINATOR,
    ] {
        key = crypto::hmac_sha256(&key, part.as_bytes());
    }
    key
}

/// Lower-case hex HMAC-SHA256 of the string to sign under the signing key of `amz_date`'s day.
pub fn signature(secret: &str, amz_date: &str, scope: &Scope, string_to_sign: &str) -> String {
    let day = amz_date.get(..8).unwrap_or(amz_date);
    hex::encode(crypto::hmac_sha256(
        &signing_key(secret, day, scope),
        string_to_sign.as_bytes(),
    ))
}

/// The `Authorization` header value:
/// `AWS4-HMAC-SHA256 Credential=<id>/<scope>, SignedHeaders=<names>, Signature=<hex>`.
pub fn authorization<S: AsRef<str>>(
    access_key_id: &str,
    credential_scope: &str,
    signed_headers: &[S],
    signature: &str,
) -> String {
    let names = canon::normalize_names(signed_headers).join(";");
    format!(
        "{ALGORITHM} Credential={access_key_id}/{credential_scope}, SignedHeaders={names}, Signature={signature}"
    )
}

/// Adds `Host`, `X-Amz-Date`, the session token when the credentials have one, and
/// `Authorization`, signing every header present (the caller sends exactly these).
///
/// `host` includes the port when it is not the scheme's default, as the `Host` header does.
pub fn sign(
    req: &mut SignableRequest,
    creds: &Credentials,
    scope: &Scope,
    host: &str,
    now: OffsetDateTime,
) {
    req.remove_header("authorization");
    req.set_header("Host", host);
    let date = clock::format_basic(now);
    req.set_header(DATE_HEADER, date.as_str());
    match creds.security_token() {
        Some(token) => req.set_header(TOKEN_HEADER, token),
        None => req.remove_header(TOKEN_HEADER),
    }
    let signed: Vec<String> = req
        .headers
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .filter(|n| n != "authorization")
        .collect();
    let canonical = canonical_request(req, &signed, &crypto::sha256_hex(&req.body));
    let sig = signature(
        creds.secret(),
        &date,
        scope,
        &string_to_sign(&date, scope, &canonical),
    );
    let value = authorization(
        creds.access_key_id(),
        &scope.credential_scope(&date),
        &signed,
        &sig,
    );
    req.set_header("Authorization", value);
}

/// [`sign`] with the current UTC time.
pub fn sign_now(req: &mut SignableRequest, creds: &Credentials, scope: &Scope, host: &str) {
    sign(req, creds, scope, host, OffsetDateTime::now_utc());
}

/// Checks the `Authorization` header: the credential's scope must be `scope` on the day of
/// `X-Amz-Date`, and the signature must match the canonical request rebuilt from its
/// `SignedHeaders`. `lookup` maps an access key id to its secret; `clock`, when given, also
/// checks `X-Amz-Date`.
pub fn verify(
    req: &SignableRequest,
    scope: &Scope,
    lookup: impl Fn(&str) -> Option<String>,
    clock: Option<ClockCheck>,
) -> Result<(), AuthError> {
    let fields = authz::from_request(req, ALGORITHM, "Credential")?;
    let date = authz::date_header(req, DATE_HEADER)?;
    let expected_scope = scope.credential_scope(date);
    let access_key_id = fields
        .access_key_id
        .strip_suffix(&format!("/{expected_scope}"))
        .ok_or_else(|| {
            AuthError::Malformed(format!("the credential scope is not {expected_scope}"))
        })?;
    let secret = lookup(access_key_id).ok_or(AuthError::UnknownAccessKey)?;
    let canonical = canonical_request(req, &fields.signed_headers, &crypto::sha256_hex(&req.body));
    let expected = signature(
        &secret,
        date,
        scope,
        &string_to_sign(date, scope, &canonical),
    );
    if !crypto::ct_eq(expected.as_bytes(), fields.signature.as_bytes()) {
        return Err(AuthError::SignatureMismatch { canonical });
    }
    clock::check_optional(clock, Some(date), DATE_HEADER, clock::parse_basic)
}

#[cfg(test)]
mod tests {
    //! The published Signature Version 4 test suite: credentials `AKIDEXAMPLE`, scope
    //! `20150830/us-east-1/service`, time 2015-08-30T12:36:00Z, host `example.amazonaws.com`.

    use super::*;
    use time::macros::datetime;

    const ID: &str = "AKIDEXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const HOST: &str = "example.amazonaws.com";
    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn scope() -> Scope {
        Scope::new("us-east-1", "service")
    }

    /// Signs a suite request: `headers` in the order the suite's request file lists them.
    fn signed(
        method: &str,
        path_and_query: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> SignableRequest {
        let mut req = SignableRequest::from_path_and_query(method, path_and_query);
        for (name, value) in headers {
            req.headers.push((name.to_string(), value.to_string()));
        }
        req.body = body.as_bytes().to_vec();
        sign(
            &mut req,
            &Credentials::new(ID, SECRET),
            &scope(),
            HOST,
            datetime!(2015-08-30 12:36:00 UTC),
        );
        req
    }

    fn signature_of(req: &SignableRequest) -> &str {
        let header = req.header("authorization").expect("signed");
        header.rsplit("Signature=").next().expect("a signature")
    }

    #[test]
    fn post_vanilla_query_canonical_request_string_to_sign_and_authorization() {
        let req = signed("POST", "/?Param1=value1", &[], "");
        let canonical = canonical_request(&req, &["host", "x-amz-date"], EMPTY_SHA256);
        assert_eq!(
            canonical,
            format!(
                "POST\n/\nParam1=value1\nhost:{HOST}\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n{EMPTY_SHA256}"
            )
        );
        assert_eq!(
            string_to_sign("20150830T123600Z", &scope(), &canonical),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n\
             9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd"
        );
        assert_eq!(
            req.header("authorization"),
            Some(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
                 SignedHeaders=host;x-amz-date, \
                 Signature=28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"
            )
        );
    }

    /// A suite case: name, method, path and query, extra headers, body, expected signature.
    type SuiteCase = (
        &'static str,
        &'static str,
        &'static str,
        &'static [(&'static str, &'static str)],
        &'static str,
        &'static str,
    );

    #[test]
    fn suite_signatures_are_reproduced() {
        let cases: [SuiteCase; 8] = [
            (
                "get-vanilla",
                "GET",
                "/",
                &[],
                "",
                "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            ),
            (
                "post-vanilla",
                "POST",
                "/",
                &[],
                "",
                "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
            ),
            (
                "get-vanilla-query-order-key-case",
                "GET",
                "/?Param2=value2&Param1=value1",
                &[],
                "",
                "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
            ),
            (
                "post-vanilla-query-space",
                "POST",
                "/?p=",
                &[],
                "",
                "e71688addb58a26418614085fb730ba3faa623b461c17f48f2fbdb9361b94a9b",
            ),
            (
                "post-header-key-case",
                "POST",
                "/",
                &[("MY-HEADER1", "value1")],
                "",
                "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c",
            ),
            (
                "post-header-value-case",
                "POST",
                "/",
                &[("My-Header1", "VALUE1")],
                "",
                "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d",
            ),
            (
                "get-header-key-duplicate",
                "GET",
                "/",
                &[
                    ("My-Header1", "value2"),
                    ("My-Header1", "value2"),
                    ("My-Header1", "value1"),
                ],
                "",
                "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea",
            ),
            (
                "post-x-www-form-urlencoded",
                "POST",
                "/",
                &[("Content-Type", "application/x-www-form-urlencoded")],
                "Param1=value1",
                "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
            ),
        ];
        for (name, method, target, headers, body, expected) in cases {
            let req = signed(method, target, headers, body);
            assert_eq!(signature_of(&req), expected, "suite case {name}");
        }
    }

    #[test]
    fn header_values_are_trimmed_and_inner_spaces_folded() {
        // get-header-value-trim: a leading space, and a quoted value with runs of spaces.
        let req = signed(
            "GET",
            "/",
            &[("My-Header1", " value1"), ("My-Header2", " \"a   b   c\"")],
            "",
        );
        assert!(
            req.header("authorization")
                .unwrap()
                .contains("SignedHeaders=host;my-header1;my-header2;x-amz-date")
        );
        assert_eq!(
            signature_of(&req),
            "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"
        );
    }

    #[test]
    fn the_body_is_hashed_into_the_canonical_request() {
        let req = signed(
            "POST",
            "/",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            "Param1=value1",
        );
        let canonical = canonical_request(
            &req,
            &["content-type", "host", "x-amz-date"],
            &crypto::sha256_hex(&req.body),
        );
        assert!(
            canonical.ends_with("9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e")
        );
        assert!(
            string_to_sign("20150830T123600Z", &scope(), &canonical)
                .ends_with("42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281")
        );
    }

    #[test]
    fn canonical_uri_normalizes_and_encodes_segments() {
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri("//example//"), "/example/");
        assert_eq!(canonical_uri("/example/.."), "/");
        assert_eq!(canonical_uri("/example1/example2/../.."), "/");
        assert_eq!(canonical_uri("/./"), "/");
        assert_eq!(canonical_uri("/a b/c"), "/a%20b/c");
        assert_eq!(canonical_uri("/a%20b"), "/a%2520b");
    }

    fn lookup(id: &str) -> Option<String> {
        (id == ID).then(|| SECRET.to_string())
    }

    #[test]
    fn verify_accepts_what_sign_wrote_and_names_what_is_wrong() {
        let req = signed(
            "POST",
            "/",
            &[("X-Amz-Target", "TrentService.ListKeys")],
            "{}",
        );
        assert_eq!(verify(&req, &scope(), lookup, None), Ok(()));

        let mut tampered = req.clone();
        tampered.body = b"{\"Limit\":1}".to_vec();
        assert!(matches!(
            verify(&tampered, &scope(), lookup, None),
            Err(AuthError::SignatureMismatch { .. })
        ));

        let elsewhere = Scope::new("eu-west-1", "service");
        assert!(matches!(
            verify(&req, &elsewhere, lookup, None),
            Err(AuthError::Malformed(_))
        ));

        let unknown = |_: &str| None;
        assert_eq!(
            verify(&req, &scope(), unknown, None),
            Err(AuthError::UnknownAccessKey)
        );
    }

    #[test]
    fn a_session_token_is_sent_and_signed() {
        let mut req = SignableRequest::new("POST", "/");
        let creds = Credentials::new(ID, SECRET).with_security_token("session-token-value");
        sign(
            &mut req,
            &creds,
            &scope(),
            HOST,
            datetime!(2015-08-30 12:36:00 UTC),
        );
        assert_eq!(req.header(TOKEN_HEADER), Some("session-token-value"));
        assert!(
            req.header("authorization")
                .unwrap()
                .contains("SignedHeaders=host;x-amz-date;x-amz-security-token")
        );
        assert_eq!(verify(&req, &scope(), lookup, None), Ok(()));
    }
}
