//! Huawei error answers as data: HTTP status, `error_code` and `error_msg` (kms-wire-facts B4).

use axum::http::StatusCode;

/// A Huawei KMS error before it is rendered as `{"error": {"error_code", "error_msg"}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HwError {
    /// The HTTP status.
    pub status: StatusCode,
    /// `error_code`, e.g. `KMS.0204`.
    pub code: &'static str,
    /// `error_msg`.
    pub message: String,
}

impl HwError {
    fn bad(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code,
            message: message.into(),
        }
    }

    /// 400 `KMS.0201`: the URL names no operation, or another project (our choice).
    pub(super) fn invalid_url() -> Self {
        Self::bad("KMS.0201", "Invalid request URL.")
    }

    /// 400 `KMS.0202`: the body is not a JSON object (H3).
    pub(super) fn invalid_json() -> Self {
        Self::bad("KMS.0202", "Invalid JSON format of the request message.")
    }

    /// 400 `KMS.0203`: the body is over the size limit.
    pub(super) fn too_long() -> Self {
        Self::bad("KMS.0203", "Request message too long.")
    }

    /// 400 `KMS.0204`: a required field is missing (H2).
    pub(super) fn missing(field: &str) -> Self {
        Self::bad(
            "KMS.0204",
            format!("Parameters missing in the request message: {field}."),
        )
    }

    /// 400 `KMS.0205`: a `key_id` that is not a 36-byte lowercase id (H4).
    pub(super) fn invalid_key_id() -> Self {
        Self::bad("KMS.0205", "Invalid key ID.")
    }

    /// 400 `KMS.0206`: a `sequence` that is not 36 bytes.
    pub(super) fn invalid_sequence() -> Self {
        Self::bad("KMS.0206", "Invalid sequence number.")
    }

    /// 404 `KMS.0207`: a well-formed `key_id` of no key (H5).
    pub(super) fn key_not_found() -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            code: "KMS.0207",
            message: "The key does not exist.".into(),
        }
    }

    /// 400 `KMS.0210`: the key is scheduled for deletion (H10).
    pub(super) fn pending_deletion() -> Self {
        Self::bad("KMS.0210", "The key is in Scheduled deletion state.")
    }

    /// 400 `KMS.0211`: the operation is refused on a Default Master Key (H9).
    pub(super) fn default_key() -> Self {
        Self::bad(
            "KMS.0211",
            "Cannot perform this operation on Default Master Keys.",
        )
    }

    /// 400 `KMS.0308`: any other invalid parameter.
    pub(super) fn invalid_param(field: &str) -> Self {
        Self::bad("KMS.0308", format!("Invalid parameter: {field}."))
    }

    /// 400 `KMS.1101`: an alias that breaks the alias rule (H6, H7).
    pub(super) fn invalid_alias() -> Self {
        Self::bad("KMS.1101", "Invalid key_alias.")
    }

    /// 400 `KMS.1104`: the alias is taken in the project (H8).
    pub(super) fn duplicate_alias() -> Self {
        Self::bad("KMS.1104", "Duplicate key aliases.")
    }

    /// 400 `KMS.1105`: the emulator's bound on keys or aliases is reached.
    pub(super) fn too_many() -> Self {
        Self::bad("KMS.1105", "Too many keys.")
    }

    /// 400 `KMS.1601`: a `limit` that is not an integer in range.
    pub(super) fn invalid_limit() -> Self {
        Self::bad("KMS.1601", "Invalid limit.")
    }

    /// 400 `KMS.1602`: a `marker` that is not a non-negative integer.
    pub(super) fn invalid_marker() -> Self {
        Self::bad("KMS.1602", "marker must be greater than or equals 0.")
    }

    /// 405 `KMS.0215`: the path exists but not with this method.
    pub(super) fn method_not_allowed() -> Self {
        Self {
            status: StatusCode::METHOD_NOT_ALLOWED,
            code: "KMS.0215",
            message: "Request method not supported.".into(),
        }
    }
}
