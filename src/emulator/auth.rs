//! Authentication of incoming requests when `verify_signatures` is on: Alibaba V1 (query
//! signature) and V3 (`ACS3-HMAC-SHA256`), Huawei SDK-HMAC-SHA256 and `X-Auth-Token`.
//!
//! The algorithms are the `sign` module's verifiers; this file only picks the scheme a request
//! uses, looks up secrets in the configuration, and maps each failure to the documented answer.

use crate::sign::{self, AuthError, ClockCheck, SignableRequest};

use super::alibaba::{AliError, Params};
use super::config::{Config, Credential};
use super::incoming::Incoming;

/// The request in the verifiers' form.
fn signable(req: &Incoming) -> SignableRequest {
    SignableRequest {
        method: req.method.as_str().to_string(),
        path: req.path.clone(),
        query: req.query.clone(),
        headers: req.header_pairs(),
        body: req.body.to_vec(),
    }
}

/// A secret lookup over a credential list.
fn lookup(creds: &[Credential]) -> impl Fn(&str) -> Option<String> + '_ {
    move |id: &str| creds.iter().find(|c| c.id == id).map(|c| c.secret.clone())
}

/// Checks an Alibaba request; Ok when verification is off or the signature is valid.
///
/// An `ACS3-HMAC-SHA256` `Authorization` header selects V3; an `AccessKeyId` or `Signature`
/// parameter selects V1. A request with neither is 400 `MissingParameter` (`AccessKeyId`).
pub(super) fn check_alibaba(
    config: &Config,
    req: &Incoming,
    params: &Params,
) -> Result<(), AliError> {
    if !config.verify_signatures {
        return Ok(());
    }
    let authorization = req.header("authorization").map(str::trim_start);
    let clock = Some(ClockCheck::now_utc());
    let result = if authorization.is_some_and(|a| a.starts_with(sign::alibaba_v3::ALGORITHM)) {
        sign::alibaba_v3::verify(&signable(req), lookup(&config.alibaba_credentials), clock)
    } else if params.get("AccessKeyId").is_some() || params.get("Signature").is_some() {
        sign::alibaba_v1::verify(&signable(req), lookup(&config.alibaba_credentials), clock)
    } else if authorization.is_some() {
        Err(AuthError::Malformed(
            "unsupported Authorization scheme".into(),
        ))
    } else {
        return Err(AliError::missing("AccessKeyId"));
    };
    result.map_err(|e| alibaba_error(&e))
}

/// The documented Alibaba answer to a verification failure.
fn alibaba_error(err: &AuthError) -> AliError {
    match err {
        AuthError::Missing(what) => AliError::incomplete_signature(&format!("{what} is missing.")),
        AuthError::Malformed(why) => AliError::incomplete_signature(why),
        AuthError::UnknownAccessKey | AuthError::InvalidToken => AliError::unknown_access_key(),
        AuthError::SignatureMismatch { canonical } => AliError::signature_mismatch(Some(canonical)),
        AuthError::InvalidTimestamp(_) => AliError::illegal_timestamp(),
        AuthError::StaleTimestamp { .. } => AliError::timestamp_expired(),
    }
}

/// Why the emulator refuses a Huawei request; its text ends the 401 `APIGW.0301` message
/// (the words Huawei's gateway uses where they are known).
#[derive(Debug, thiserror::Error)]
pub(super) enum HuaweiDenied {
    /// The `X-Auth-Token` is not a configured token.
    #[error("decrypt token fail")]
    Token,
    /// Neither a token nor a signature.
    #[error("no X-Auth-Token or Authorization header")]
    NoCredentials,
    /// The AK of the signature is not configured.
    #[error("the access key does not exist")]
    UnknownAccessKey,
    /// The signature does not verify.
    #[error("verify aksk signature fail")]
    Signature,
    /// `X-Sdk-Date` is unreadable or too far from now.
    #[error("the request time (X-Sdk-Date) is invalid or expired")]
    Time,
    /// Any other failure of the verifier (a malformed `Authorization` header).
    #[error(transparent)]
    Other(AuthError),
}

/// Checks a Huawei request; Err carries the reason for the 401 `APIGW.0301` message.
///
/// An `X-Auth-Token` header must be one of the configured tokens; otherwise an
/// `SDK-HMAC-SHA256` `Authorization` header must verify against a configured AK/SK.
pub(super) fn check_huawei(config: &Config, req: &Incoming) -> Result<(), HuaweiDenied> {
    if !config.verify_signatures {
        return Ok(());
    }
    let signable = signable(req);
    if req.header(sign::huawei_token::HEADER).is_some() {
        return sign::huawei_token::verify(&signable, |t| {
            config.huawei_tokens.iter().any(|a| a == t)
        })
        .map_err(|_| HuaweiDenied::Token);
    }
    if req.header("authorization").is_none() {
        return Err(HuaweiDenied::NoCredentials);
    }
    sign::huawei::verify(
        &signable,
        lookup(&config.huawei_credentials),
        Some(ClockCheck::now_utc()),
    )
    .map_err(|e| match e {
        AuthError::UnknownAccessKey => HuaweiDenied::UnknownAccessKey,
        AuthError::SignatureMismatch { .. } => HuaweiDenied::Signature,
        AuthError::StaleTimestamp { .. } | AuthError::InvalidTimestamp(_) => HuaweiDenied::Time,
        other => HuaweiDenied::Other(other),
    })
}
