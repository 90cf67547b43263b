//! Golden files: text a test produced, compared with a committed file of what it should be.
//!
//! On a difference the test fails with a unified diff (expected → got). With `SPECGATE_BLESS=1`
//! in the environment the file is written with what the test produced instead, to be reviewed
//! with `git diff` and committed. Every golden file of the tests goes through here (the report
//! and lint goldens of `tests/it/`, and `docs/detection-matrix.md` of `tests/detection.rs`).

use std::path::Path;

/// The environment variable that rewrites golden files instead of comparing them.
const BLESS: &str = "SPECGATE_BLESS";

/// True when golden files are to be rewritten: `SPECGATE_BLESS` is set, and not to `0` or empty.
fn blessing() -> bool {
    std::env::var_os(BLESS).is_some_and(|v| !v.is_empty() && v != "0")
}

/// Compares `got` with the file at `path` (a missing file reads as empty); when blessing, writes
/// `got` there instead. The error is the message to fail with: the path, how to rewrite it,
/// and the diff.
pub fn compare(path: &Path, got: &str) -> Result<(), String> {
    if blessing() {
        std::fs::write(path, got)
            .unwrap_or_else(|e| panic!("cannot write the golden file {}: {e}", path.display()));
        return Ok(());
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected == got {
        return Ok(());
    }
    let diff = similar::TextDiff::from_lines(expected.as_str(), got)
        .unified_diff()
        .header(&format!("{} (expected)", path.display()), "got")
        .to_string();
    Err(format!(
        "{} differs from what the test produced; after review, run the same test with \
         {BLESS}=1 to rewrite it:\n{diff}",
        path.display()
    ))
}

/// Asserts that the file at `path` holds `got` (see [`compare`]); panics with the diff if not.
#[track_caller]
pub fn check(path: &Path, got: &str) {
    if let Err(message) = compare(path, got) {
        panic!("{message}");
    }
}
