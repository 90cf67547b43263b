//! What can go wrong in the exec stage before a request reaches the target: a request the
//! case, spec and target cannot build, or an HTTP client that cannot start. Failures of the
//! exchange itself are not errors here: they are findings (`transport.*`), data of the case.

/// Why a step's request could not be built or the client could not start.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    /// A REST path placeholder has no value: the case gives no such parameter and the target
    /// has no such variable.
    #[error("path parameter `{name}` is neither given nor a target variable")]
    PathParameter {
        /// The placeholder's name.
        name: String,
    },
    /// A signer needs the endpoint's host, and the endpoint is not a URL.
    #[error("endpoint `{endpoint}`: {source}")]
    Endpoint {
        /// The endpoint as the target gives it.
        endpoint: String,
        /// Why it does not parse.
        source: url::ParseError,
    },
    /// A signer needs the endpoint's host, and the endpoint has none.
    #[error("endpoint `{endpoint}` has no host")]
    EndpointWithoutHost {
        /// The endpoint as the target gives it.
        endpoint: String,
    },
    /// The HTTP client (its TLS stack) could not start.
    #[error("cannot start the HTTP client: {0}")]
    Client(#[source] reqwest::Error),
}
