//! Recognising an answer that rejects the credentials or the signature, so that it is
//! reported as an authentication error rather than as a conformance failure.

use serde_json::Value;

use crate::spec::Service;

/// Error codes with which the clouds (or their API gateways) reject authentication.
const AUTH_CODES: &[&str] = &[
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "InvalidAccessKeyId.NotFound",
    "InvalidAccessKeyId",
    "InvalidAccessKeyId.Inactive",
    "InvalidSecurityToken.Expired",
    "InvalidSecurityToken.Malformed",
    "InvalidTimeStamp.Expired",
    "IllegalTimestamp",
    "SignatureNonceUsed",
    "KMS.0301",
    "KMS.0302",
    "KMS.0303",
];

/// The code of an authentication rejection, if the answer is one: HTTP 401, a documented auth
/// code at the service's error pointer, or a flat API-gateway body (`APIGW.*`).
pub(super) fn auth_rejection(
    service: &Service,
    status: u16,
    json: Option<&Value>,
) -> Option<String> {
    // 429 is throttling (the gateway's APIGW.0308 included), never an auth rejection.
    if status < 400 || status == 429 {
        return None;
    }
    let code = json.and_then(|doc| {
        service
            .error
            .code
            .first(doc)
            .and_then(|v| v.as_str().map(str::to_string))
            .or_else(|| {
                doc.get("error_code")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .or_else(|| doc.get("Code").and_then(Value::as_str).map(str::to_string))
    });
    match code {
        Some(c) if AUTH_CODES.contains(&c.as_str()) || c.starts_with("APIGW.") => Some(c),
        Some(c) if status == 401 => Some(c),
        None if status == 401 => Some("HTTP 401".into()),
        _ => None,
    }
}
