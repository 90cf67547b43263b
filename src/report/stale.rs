//! Removing the temporaries of earlier runs that were killed while writing their report.
//!
//! A report folder is written as a hidden temporary folder next to its destination and renamed
//! into place (`write.rs`); a run killed in between (SIGKILL, a power cut) leaves that folder
//! behind, tens of megabytes for a long run. At start, a run removes such leftovers from its
//! report directory: only entries named exactly as specgate names them
//! (`.<name>.tmp-<pid>-<8 hex digits>` or `.<name>.old-<pid>-<8 hex digits>`) and whose process
//! is gone and that is at least ten minutes old, so neither a user's file nor the temporary of a
//! run still going is touched.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The process id in a name specgate gives its temporaries, or `None` for any other name.
pub(super) fn temporary_owner(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let (rest, random) = rest.rsplit_once('-')?;
    if random.len() != 8 || !random.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let (rest, pid) = rest.rsplit_once('-')?;
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let stem = rest
        .strip_suffix(".tmp")
        .or_else(|| rest.strip_suffix(".old"))?;
    if stem.is_empty() {
        return None;
    }
    pid.parse().ok()
}

/// A temporary younger than this is never removed: its run may be writing it from another
/// PID namespace (a container sharing the report directory), where its pid means nothing here.
/// Writing a report folder takes seconds.
const MIN_AGE: Duration = Duration::from_secs(10 * 60);

/// Whether the process that made a temporary may still be running: its pid is alive, or the
/// temporary is younger than [`MIN_AGE`]; where pids cannot be checked (no `/proc`), younger
/// than a day.
fn may_be_running(pid: u32, path: &Path) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let age = std::fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok());
    let Some(age) = age else { return true };
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return age < MIN_AGE || proc.join(pid.to_string()).exists();
    }
    age < Duration::from_secs(24 * 3600)
}

/// Removes the stale temporaries in `dir` (not below it); returns what was removed.
pub fn remove_stale_temporaries(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temporary_owner) else {
            continue;
        };
        let path = entry.path();
        if may_be_running(pid, &path) {
            continue;
        }
        let gone = match entry.file_type() {
            Ok(t) if t.is_dir() => std::fs::remove_dir_all(&path),
            Ok(_) => std::fs::remove_file(&path),
            Err(e) => Err(e),
        };
        if gone.is_ok() {
            removed.push(path);
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names the report writer gives its temporaries are the ones recognised here.
    #[test]
    fn the_writers_temporaries_are_recognised() {
        let dir = std::path::Path::new("/nonexistent");
        for stem in [".20261124T113000Z-sg-1a2b3c4d.tmp", ".latest.old"] {
            let p = super::super::write::unique(dir, stem);
            let name = p.file_name().unwrap().to_str().unwrap();
            assert_eq!(temporary_owner(name), Some(std::process::id()), "{name}");
        }
    }

    #[test]
    fn only_specgate_names_are_temporaries() {
        assert_eq!(
            temporary_owner(".20261124T113000Z-sg-1a2b3c4d.tmp-4242-0badf00d"),
            Some(4242)
        );
        assert_eq!(temporary_owner(".latest.old-17-deadbeef"), Some(17));
        for name in [
            "20261124T113000Z-sg-1a2b3c4d",
            ".tmp-4242-0badf00d",
            ".notes.tmp",
            ".notes.tmp-4242",
            ".notes.tmp-x-0badf00d",
            ".notes.tmp-42-0badf00",
            ".notes.bak-42-0badf00d",
            "notes.tmp-42-0badf00d",
        ] {
            assert_eq!(temporary_owner(name), None, "{name}");
        }
    }
}
