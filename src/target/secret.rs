//! Secrets: read from the environment or a file, never written in a profile, never printed.

use std::fmt;
use std::path::PathBuf;

use super::TargetError;

/// The most bytes read from a secret file: a secret is one short line, and a path such as
/// `/dev/zero` or a huge file must not grow memory without limit.
pub(super) const MAX_SECRET_FILE: u64 = 64 * 1024;

/// Reads a secret file of at most [`MAX_SECRET_FILE`] bytes as UTF-8.
fn read_bounded(path: &std::path::Path) -> Result<String, TargetError> {
    use std::io::Read;
    let cannot = |source: std::io::Error| TargetError::SecretFile {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(MAX_SECRET_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_SECRET_FILE {
        return Err(TargetError::SecretFileTooLarge(path.to_path_buf()));
    }
    String::from_utf8(bytes).map_err(|_| TargetError::SecretFileNotText(path.to_path_buf()))
}

/// Where a secret comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    /// The first set environment variable of these names.
    Env(Vec<String>),
    /// The first line of this file.
    File(PathBuf),
}

/// A resolved secret value; `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value, for signing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl SecretSource {
    /// Reads the secret; the error says which variable or file was missing.
    pub fn resolve(&self) -> Result<Secret, TargetError> {
        match self {
            SecretSource::Env(names) => names
                .iter()
                .find_map(|n| std::env::var(n).ok().filter(|v| !v.is_empty()))
                .map(Secret)
                .ok_or_else(|| {
                    if names.len() == 1 {
                        TargetError::EnvUnset(names[0].clone())
                    } else {
                        TargetError::NoEnvSet(names.clone())
                    }
                }),
            SecretSource::File(path) => read_bounded(path).and_then(|text| {
                let line = text.lines().next().unwrap_or("").trim().to_string();
                if line.is_empty() {
                    Err(TargetError::SecretFileEmpty(path.clone()))
                } else {
                    Ok(Secret(line))
                }
            }),
        }
    }

    /// Describes the source without the value, for messages and reports.
    pub fn describe(&self) -> String {
        match self {
            SecretSource::Env(names) => format!("env {}", names.join(" | ")),
            SecretSource::File(p) => format!("file {}", p.display()),
        }
    }
}
