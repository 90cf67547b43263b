//! Alibaba error answers as data: HTTP status, `Code` and `Message` (kms-wire-facts A5).

use axum::http::StatusCode;

/// An Alibaba error before it is rendered as `{RequestId, HostId, Code, Message, Recommend}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AliError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The `Code` field.
    pub code: &'static str,
    /// The `Message` field.
    pub message: String,
}

impl AliError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400 `MissingParameter`: a required parameter is absent or empty (A6).
    pub(crate) fn missing(name: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "MissingParameter",
            format!("The parameter \"{name}\" is needed but not provided."),
        )
    }

    /// 400 `InvalidParameter`: a parameter has a value outside its documented range.
    pub(crate) fn invalid(name: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "InvalidParameter",
            format!("The specified parameter \"{name}\" is not valid."),
        )
    }

    /// 404 `Forbidden.KeyNotFound` (A7).
    pub(crate) fn key_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "Forbidden.KeyNotFound",
            "The specified Key is not found.",
        )
    }

    /// 404 `Forbidden.AliasNotFound` (A12).
    pub(crate) fn alias_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "Forbidden.AliasNotFound",
            "The specified Alias is not found.",
        )
    }

    /// 400 `AliasAlreadyExists` (A11).
    pub(crate) fn alias_exists() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "AliasAlreadyExists",
            "AliasName Already Exists.",
        )
    }

    /// 400 `Unsupported.Alias`: an alias given where only a key id or ARN is accepted.
    pub(crate) fn unsupported_alias() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "Unsupported.Alias",
            "Alias is not valid for this api.",
        )
    }

    /// 400 `Rejected.LimitExceeded`: the emulator's bound on keys or aliases is reached.
    pub(crate) fn limit_exceeded(what: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "Rejected.LimitExceeded",
            format!("The number of {what} exceeds the limit."),
        )
    }

    /// 404 `InvalidAction.NotFound`: no such operation.
    pub(crate) fn unknown_action() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "InvalidAction.NotFound",
            "Specified api is not found, please check your url and method.",
        )
    }

    /// 400 `InvalidVersion`: a `Version` other than 2016-01-20.
    pub(crate) fn invalid_version() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "InvalidVersion",
            "Specified parameter Version is not valid.",
        )
    }

    /// 403 `UnsupportedHTTPMethod`: a method other than GET and POST.
    pub(crate) fn unsupported_method() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "UnsupportedHTTPMethod",
            "This http method is not supported.",
        )
    }

    /// 400 `Throttling`: the documented answer to too many requests.
    pub(crate) fn throttling() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "Throttling",
            "Request was denied due to request throttling.",
        )
    }

    /// 413 `RequestEntityTooLarge`: the body is over the emulator's limit.
    pub(crate) fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLarge",
            format!("The request body exceeds {limit} bytes."),
        )
    }

    /// 404 `InvalidAccessKeyId.NotFound`: the AccessKeyId is not a configured one.
    pub(crate) fn unknown_access_key() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "InvalidAccessKeyId.NotFound",
            "The Access Key ID provided does not exist in our records.",
        )
    }

    /// 400 `SignatureDoesNotMatch`, with the server's string to sign when known.
    pub(crate) fn signature_mismatch(string_to_sign: Option<&str>) -> Self {
        let mut msg = String::from("Specified signature does not match our calculation.");
        if let Some(sts) = string_to_sign {
            msg.push_str(" server string to sign is:");
            msg.push_str(sts);
        }
        Self::new(StatusCode::BAD_REQUEST, "SignatureDoesNotMatch", msg)
    }

    /// 400 `IncompleteSignature`: a signature is missing or malformed.
    pub(crate) fn incomplete_signature(detail: &str) -> Self {
        let mut msg = String::from("The request signature does not conform to Aliyun standards.");
        if !detail.is_empty() {
            msg.push(' ');
            msg.push_str(detail);
        }
        Self::new(StatusCode::BAD_REQUEST, "IncompleteSignature", msg)
    }

    /// 400 `IllegalTimestamp`: the signed time is missing or not `YYYY-MM-DDTHH:MM:SSZ`.
    pub(crate) fn illegal_timestamp() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "IllegalTimestamp",
            "The input parameter \"Timestamp\" that is mandatory for processing this request is not supplied or is invalid.",
        )
    }

    /// 400 `InvalidTimeStamp.Expired`: the signed time is too far from now.
    pub(crate) fn timestamp_expired() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "InvalidTimeStamp.Expired",
            "Specified time stamp or date value is expired.",
        )
    }
}
