//! Access key credentials whose secrets never appear in `Debug` output.

use std::fmt;

/// An access key id, its secret and an optional STS security token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret: String,
    security_token: Option<String>,
}

impl Credentials {
    /// Credentials from an access key id and its secret.
    pub fn new(access_key_id: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret: secret.into(),
            security_token: None,
        }
    }

    /// The same credentials with a temporary (STS) security token.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(token.into());
        self
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The access key secret.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// The security token, when the credentials are temporary.
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref()
    }
}

/// Shows at most the last 4 characters of an access key id (nothing when it is that short).
fn masked_id(id: &str) -> String {
    let count = id.chars().count();
    if count <= 4 {
        return "****".to_string();
    }
    let tail: String = id.chars().skip(count - 4).collect();
    format!("****{tail}")
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &masked_id(&self.access_key_id))
            .field("secret", &"<redacted>")
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secret_and_token_and_masks_id() {
        let creds = Credentials::new("LTAI5tAbCdEf1234", "s3cr3t-VALUE-xyz")
            .with_security_token("sts-token-ABCDEF");
        let shown = format!("{creds:?}");
        assert!(!shown.contains("s3cr3t-VALUE-xyz"), "{shown}");
        assert!(!shown.contains("sts-token-ABCDEF"), "{shown}");
        assert!(!shown.contains("LTAI5tAbCdEf"), "{shown}");
        assert!(shown.contains("****1234"), "{shown}");
        let pretty = format!("{creds:#?}");
        assert!(!pretty.contains("s3cr3t-VALUE-xyz"), "{pretty}");
    }

    #[test]
    fn debug_hides_short_ids_entirely() {
        let shown = format!("{:?}", Credentials::new("abcd", "testsecret"));
        assert!(!shown.contains("abcd"), "{shown}");
        assert!(!shown.contains("testsecret"), "{shown}");
    }

    #[test]
    fn accessors_return_the_values() {
        let creds = Credentials::new("id", "sk");
        assert_eq!(
            (
                creds.access_key_id(),
                creds.secret(),
                creds.security_token()
            ),
            ("id", "sk", None)
        );
        assert_eq!(creds.with_security_token("t").security_token(), Some("t"));
    }
}
