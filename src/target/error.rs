//! What can go wrong while a target profile is read, besides its YAML: a secret that cannot be
//! read, an endpoint variable without a value. The profile loader puts each at the place in the
//! profile that asked for it (file:line:col, with a hint), so the user sees a diagnostic.

use std::path::PathBuf;

/// Why a secret or an endpoint of a target profile has no value.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// `{ env: NAME }`: the variable is not set (or empty).
    #[error("environment variable {0} is not set")]
    EnvUnset(String),
    /// `{ env: [A, B] }`: none of the variables is set.
    #[error("none of the environment variables {} is set", .0.join(", "))]
    NoEnvSet(Vec<String>),
    /// `{ file: PATH }`: the file cannot be opened or read.
    #[error("cannot read secret file {}: {source}", .path.display())]
    SecretFile {
        /// The secret file.
        path: PathBuf,
        /// Why it cannot be read.
        source: std::io::Error,
    },
    /// The secret file is larger than a secret can be.
    #[error(
        "secret file {} is larger than {} KiB; it should hold the secret on its first line",
        .0.display(),
        super::secret::MAX_SECRET_FILE / 1024
    )]
    SecretFileTooLarge(PathBuf),
    /// The secret file is not UTF-8 text.
    #[error("secret file {} is not UTF-8 text", .0.display())]
    SecretFileNotText(PathBuf),
    /// The secret file's first line is empty.
    #[error("secret file {} is empty", .0.display())]
    SecretFileEmpty(PathBuf),
    /// The endpoint is not a URL.
    #[error("`{endpoint}` is not a usable endpoint: {source}")]
    EndpointUrl {
        /// The endpoint, its variables filled in.
        endpoint: String,
        /// Why it does not parse.
        source: url::ParseError,
    },
    /// The endpoint's scheme is neither http nor https.
    #[error("`{endpoint}` is not a usable endpoint: scheme `{scheme}` is not http or https")]
    EndpointScheme {
        /// The endpoint, its variables filled in.
        endpoint: String,
        /// Its scheme.
        scheme: String,
    },
    /// The endpoint template uses `{name}` and no variable has that name.
    #[error("the endpoint uses `{{{0}}}`, which is not in `vars`")]
    EndpointVariable(String),
    /// `aws-sigv4` with default credentials: neither the environment nor the shared file has them.
    #[error(
        "no AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set, and {} has no [{profile}] section with aws_access_key_id and aws_secret_access_key",
        .file.as_ref().map(|f| f.display().to_string()).unwrap_or_else(|| "no shared credentials file".into())
    )]
    NoAwsCredentials {
        /// The shared credentials file looked at.
        file: Option<PathBuf>,
        /// Its section looked for.
        profile: String,
    },
}
