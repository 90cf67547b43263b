//! AWS credentials the way the AWS SDKs find them: the `AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` environment variables first, then the shared
//! credentials file (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`), section
//! `AWS_PROFILE` (default `default`).

use std::path::{Path, PathBuf};

use super::TargetError;
use crate::sign::Credentials;

/// Where the default chain looks; read from the process environment by [`Lookup::from_env`],
/// given directly in tests. Its `Debug` hides the secret and the token, as `Credentials`' does.
#[derive(Clone, Default)]
pub struct Lookup {
    /// `AWS_ACCESS_KEY_ID`.
    pub access_key_id: Option<String>,
    /// `AWS_SECRET_ACCESS_KEY`.
    pub secret_access_key: Option<String>,
    /// `AWS_SESSION_TOKEN`.
    pub session_token: Option<String>,
    /// The shared credentials file.
    pub file: Option<PathBuf>,
    /// The section of that file.
    pub profile: String,
}

impl std::fmt::Debug for Lookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |v: &Option<String>| v.as_ref().map(|_| "<redacted>");
        f.debug_struct("Lookup")
            .field("access_key_id", &self.access_key_id.is_some())
            .field("secret_access_key", &hidden(&self.secret_access_key))
            .field("session_token", &hidden(&self.session_token))
            .field("file", &self.file)
            .field("profile", &self.profile)
            .finish()
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl Lookup {
    /// The lookup the environment asks for.
    pub fn from_env() -> Self {
        let file = env("AWS_SHARED_CREDENTIALS_FILE")
            .map(PathBuf::from)
            .or_else(|| env("HOME").map(|h| Path::new(&h).join(".aws").join("credentials")));
        Lookup {
            access_key_id: env("AWS_ACCESS_KEY_ID"),
            secret_access_key: env("AWS_SECRET_ACCESS_KEY"),
            session_token: env("AWS_SESSION_TOKEN"),
            file,
            profile: env("AWS_PROFILE").unwrap_or_else(|| "default".into()),
        }
    }

    /// The credentials: both environment variables when set, else the profile's section of the
    /// shared file. The error says what was looked at, never a value.
    pub fn resolve(&self) -> Result<Credentials, TargetError> {
        if let (Some(id), Some(secret)) = (&self.access_key_id, &self.secret_access_key) {
            let c = Credentials::new(id, secret);
            return Ok(match &self.session_token {
                Some(t) => c.with_security_token(t),
                None => c,
            });
        }
        let none = || TargetError::NoAwsCredentials {
            file: self.file.clone(),
            profile: self.profile.clone(),
        };
        let path = self.file.as_ref().ok_or_else(none)?;
        let Ok(text) = std::fs::read_to_string(path) else {
            return Err(none());
        };
        let section = read_section(&text, &self.profile);
        let get = |key: &str| {
            section
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_empty())
        };
        match (get("aws_access_key_id"), get("aws_secret_access_key")) {
            (Some(id), Some(secret)) => {
                let c = Credentials::new(&id, &secret);
                Ok(match get("aws_session_token") {
                    Some(t) => c.with_security_token(&t),
                    None => c,
                })
            }
            _ => Err(none()),
        }
    }
}

/// The `key = value` lines of section `[profile]` of an INI text (keys lower-cased; `#` and `;`
/// lines are comments).
fn read_section(text: &str, profile: &str) -> Vec<(String, String)> {
    let mut inside = false;
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = name.trim() == profile;
            continue;
        }
        if inside && let Some((k, v)) = line.split_once('=') {
            out.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("credentials");
        std::fs::write(&p, text).unwrap();
        (dir, p)
    }

    const FILE: &str = "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n\n\
                        # a comment\n[ci]\nAWS_ACCESS_KEY_ID=AKIDCI\naws_secret_access_key=s2\naws_session_token = t2\n";

    #[test]
    fn the_environment_comes_before_the_file() {
        let (_d, p) = file_with(FILE);
        let l = Lookup {
            access_key_id: Some("AKIDENV".into()),
            secret_access_key: Some("senv".into()),
            session_token: Some("tenv".into()),
            file: Some(p),
            profile: "default".into(),
        };
        let c = l.resolve().unwrap();
        assert_eq!(c.access_key_id(), "AKIDENV");
        assert_eq!(c.secret(), "senv");
        assert_eq!(c.security_token(), Some("tenv"));
    }

    #[test]
    fn the_profile_section_of_the_file_is_read() {
        let (_d, p) = file_with(FILE);
        let mut l = Lookup {
            file: Some(p),
            profile: "ci".into(),
            // Only one of the two variables: the pair is incomplete, so the file is read.
            access_key_id: Some("AKIDENV".into()),
            ..Lookup::default()
        };
        let c = l.resolve().unwrap();
        assert_eq!((c.access_key_id(), c.secret()), ("AKIDCI", "s2"));
        assert_eq!(c.security_token(), Some("t2"));
        l.profile = "default".into();
        let c = l.resolve().unwrap();
        assert_eq!((c.access_key_id(), c.secret()), ("AKIDDEFAULT", "s1"));
        assert_eq!(c.security_token(), None);
    }

    #[test]
    fn nothing_found_names_the_places_without_values() {
        let (_d, p) = file_with(FILE);
        let l = Lookup {
            file: Some(p),
            profile: "absent".into(),
            ..Lookup::default()
        };
        let e = l.resolve().unwrap_err().to_string();
        assert!(e.contains("AWS_ACCESS_KEY_ID"), "{e}");
        assert!(e.contains("[absent]"), "{e}");
        assert!(!e.contains("s1") && !e.contains("AKIDDEFAULT"), "{e}");
    }

    #[test]
    fn debug_shows_no_secret() {
        let l = Lookup {
            access_key_id: Some("AKIDVISIBLE".into()),
            secret_access_key: Some("s3cr3t-value".into()),
            session_token: Some("t0ken-value".into()),
            file: None,
            profile: "default".into(),
        };
        let shown = format!("{l:?}");
        for secret in ["s3cr3t-value", "t0ken-value", "AKIDVISIBLE"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }
}
