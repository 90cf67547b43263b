//! Why a request failed authentication.

/// The reasons a verifier rejects a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// The request carries no signature, `Authorization` header or token; names what is missing.
    #[error("missing {0}")]
    Missing(&'static str),
    /// The signature or `Authorization` header is present but cannot be understood.
    #[error("malformed authorization: {0}")]
    Malformed(String),
    /// The access key id is not known to the verifier.
    #[error("the access key id does not exist")]
    UnknownAccessKey,
    /// The `X-Auth-Token` was refused by the verifier.
    #[error("invalid or unknown token")]
    InvalidToken,
    /// The recomputed signature differs; `canonical` is what the server signed (the string to
    /// sign for Alibaba V1, the canonical request for the SHA-256 kinds).
    #[error("signature does not match; server string to sign is: {canonical}")]
    SignatureMismatch {
        /// The server-side canonical string the signature was computed over.
        canonical: String,
    },
    /// The request timestamp is missing or cannot be parsed (only checked with a [`ClockCheck`](crate::sign::ClockCheck)).
    #[error("invalid timestamp: {0}")]
    InvalidTimestamp(String),
    /// The request timestamp is further from the server clock than the tolerance.
    #[error("timestamp {timestamp} is more than {tolerance_secs}s away from the server clock")]
    StaleTimestamp {
        /// The timestamp as sent.
        timestamp: String,
        /// The allowed skew in seconds.
        tolerance_secs: i64,
    },
}
