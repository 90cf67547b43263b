//! Writing a report folder atomically: every file is streamed into a hidden temporary folder
//! next to the destination, and the folder is renamed into place. A reader sees either the old
//! folder or the complete new one, never a half-written report. `latest/` is made the same way,
//! of hard links to the run's files (copies where the file system has no hard links).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::error::{BadRunId, ReportError};
use super::model::Report;
use super::{html, junit, markdown};

/// The files of a report folder, in the order they are written.
pub const FILES: [&str; 4] = ["report.md", "report.html", "junit.xml", "report.json"];

/// The name of the folder that always holds the newest report.
pub const LATEST: &str = "latest";

/// Where a report was written.
#[derive(Debug, Clone)]
pub struct Written {
    /// `DIR/<run-id>/`.
    pub run_dir: PathBuf,
    /// `DIR/latest/`.
    pub latest: PathBuf,
    /// The rendered `report.md` (also appended to the CI step summary when there is one).
    pub markdown: String,
}

/// Renders `report.json` into a string.
pub fn render_json(r: &Report) -> std::io::Result<String> {
    super::text::to_string(|out| write_json(r, out))
}

/// Writes `report.json`: the report as pretty-printed JSON, its outcomes streamed one at a time.
pub(super) fn write_json(r: &Report, mut w: impl Write) -> std::io::Result<()> {
    // Pretty JSON whose strings hold no raw terminal controls (C1, DEL, bidi overrides).
    let mut json =
        serde_json::Serializer::with_formatter(&mut w, crate::redact::PrettyEscaping::default());
    serde::Serialize::serialize(r, &mut json).map_err(std::io::Error::other)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// Writes `DIR/<run-id>/` and replaces `DIR/latest/` with links to the same files; appends
/// report.md to `step_summary` (the `GITHUB_STEP_SUMMARY` file) when given. When anything fails,
/// `DIR/latest/` is removed unless it already shows this run, so that it never goes on
/// showing an older run.
pub fn write_reports(
    r: &Report,
    dir: &Path,
    step_summary: Option<&Path>,
) -> Result<Written, ReportError> {
    let written = write_report_files(r, dir, step_summary);
    if written.is_err() {
        forget_latest(dir, &r.run.id);
    }
    written
}

/// [`write_reports`] but for forgetting an older `latest/` when it fails.
fn write_report_files(
    r: &Report,
    dir: &Path,
    step_summary: Option<&Path>,
) -> Result<Written, ReportError> {
    check_run_id(&r.run.id)?;
    if let Some(lost) = r.outcomes.lost() {
        return Err(ReportError::OutcomesLost(lost.to_string()));
    }
    let markdown = markdown::render(r)?;
    std::fs::create_dir_all(dir)?;
    let run_dir = dir.join(&r.run.id);
    let latest = dir.join(LATEST);
    write_dir(&run_dir, |tmp| {
        write_file(&tmp.join(FILES[0]), |w| w.write_all(markdown.as_bytes()))?;
        write_file(&tmp.join(FILES[1]), |w| html::write(r, w))?;
        write_file(&tmp.join(FILES[2]), |w| junit::write(r, w))?;
        write_file(&tmp.join(FILES[3]), |w| write_json(r, w))
    })?;
    write_dir(&latest, |tmp| {
        for f in FILES {
            link_or_copy(&run_dir.join(f), &tmp.join(f))?;
        }
        Ok(())
    })?;
    if let Some(path) = step_summary {
        append(path, &markdown)?;
    }
    Ok(Written {
        run_dir,
        latest,
        markdown,
    })
}

/// Removes `DIR/latest/` after this run's report could not be written, so that it does not
/// go on showing an older run (which may have passed) as if it were this one. A `latest/` that
/// already shows this run (only the step summary failed) is kept.
fn forget_latest(dir: &Path, run_id: &str) {
    let latest = dir.join(LATEST);
    let json = "report.json";
    if same_file(&latest.join(json), &dir.join(run_id).join(json)) {
        return;
    }
    let removed = match std::fs::symlink_metadata(&latest) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(&latest),
        Ok(_) => std::fs::remove_file(&latest),
        Err(_) => return,
    };
    match removed {
        Ok(()) => eprintln!(
            "note: removed {} so that it does not show an older run",
            latest.display()
        ),
        Err(e) => eprintln!(
            "error: cannot remove {}, which still shows an older run: {e}",
            latest.display()
        ),
    }
}

/// True when both paths exist and hold the same bytes (`latest/` links or copies the run's
/// files).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(ma), Ok(mb)) if ma.len() == mb.len() => {
            matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y)
        }
        _ => false,
    }
}

/// Streams one new file through a buffer and syncs it to disk.
fn write_file(
    path: &Path,
    body: impl FnOnce(&mut BufWriter<&File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let file = File::create(path)?;
    let mut w = BufWriter::with_capacity(256 * 1024, &file);
    body(&mut w)?;
    w.flush()?;
    drop(w);
    file.sync_all()
}

/// A hard link to `from` at `to`, or a copy when the file system cannot link.
fn link_or_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    std::fs::copy(from, to).map(|_| ())
}

/// The longest run id: a folder name, well below the 255 bytes file systems allow.
pub(super) const MAX_RUN_ID: usize = 128;

/// Checks that a run id is one plain folder name.
pub fn check_run_id(id: &str) -> Result<(), BadRunId> {
    if id.len() > MAX_RUN_ID {
        return Err(BadRunId::TooLong {
            max: MAX_RUN_ID,
            len: id.len(),
        });
    }
    let ok = !id.is_empty()
        && !id.starts_with('.')
        && id != LATEST
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(BadRunId::NotAFolderName {
            id: id.to_string(),
            latest: LATEST,
        })
    }
}

/// Fills a fresh temporary folder with `fill`, then renames it to `dest`; an existing `dest` is
/// renamed away first and removed afterwards.
fn write_dir(dest: &Path, fill: impl FnOnce(&Path) -> std::io::Result<()>) -> std::io::Result<()> {
    let parent = dest.parent().unwrap_or(Path::new("."));
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = unique(parent, &format!(".{name}.tmp"));
    std::fs::create_dir(&tmp)?;
    let result = (|| {
        fill(&tmp)?;
        let old = if dest.exists() || dest.is_symlink() {
            let old = unique(parent, &format!(".{name}.old"));
            std::fs::rename(dest, &old)?;
            Some(old)
        } else {
            None
        };
        if let Err(e) = std::fs::rename(&tmp, dest) {
            // Put the previous folder back rather than leave none.
            if let Some(old) = &old {
                let _ = std::fs::rename(old, dest);
            }
            return Err(e);
        }
        if let Some(old) = old {
            if old.is_dir() && !old.is_symlink() {
                let _ = std::fs::remove_dir_all(&old);
            } else {
                let _ = std::fs::remove_file(&old);
            }
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

/// Writes a file by writing a temporary file next to it and renaming it into place.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = unique(parent, &format!(".{name}.tmp"));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A path in `dir` that does not exist yet: `stem-<pid>-<random>` (the name
/// [`super::stale::temporary_owner`] recognises).
pub(super) fn unique(dir: &Path, stem: &str) -> PathBuf {
    loop {
        let p = dir.join(format!(
            "{stem}-{}-{:08x}",
            std::process::id(),
            rand::random::<u32>()
        ));
        if !p.exists() {
            return p;
        }
    }
}

/// Appends text to a file, creating it (the `GITHUB_STEP_SUMMARY` file).
fn append(path: &Path, text: &str) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        f.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes the run's deviations to `path` as a baseline file; an existing file is replaced only
/// with `force`. The file is written to a temporary file next to it and renamed into place.
/// Returns how many entries it holds.
pub fn write_baseline(path: &Path, report: &Report, force: bool) -> Result<usize, ReportError> {
    if !force && path.exists() {
        return Err(ReportError::BaselineExists(path.to_path_buf()));
    }
    let (text, n) = super::deviations::render(report)?;
    atomic_write(path, text.as_bytes())?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// After a failed report, `latest/` no longer shows an older run, unless it shows this one.
    #[test]
    fn a_stale_latest_is_removed_and_a_current_one_kept() {
        let dir = tempfile::tempdir().unwrap();
        let latest = dir.path().join(LATEST);
        std::fs::create_dir_all(&latest).unwrap();
        std::fs::write(latest.join("report.json"), "{\"run\": \"old\"}").unwrap();
        std::fs::create_dir_all(dir.path().join("new")).unwrap();
        std::fs::write(dir.path().join("new/report.json"), "{\"run\": \"new\"}").unwrap();
        // The current run's report is the same: kept.
        std::fs::create_dir_all(dir.path().join("old")).unwrap();
        std::fs::write(dir.path().join("old/report.json"), "{\"run\": \"old\"}").unwrap();
        forget_latest(dir.path(), "old");
        assert!(latest.exists());
        // An older run's: removed.
        forget_latest(dir.path(), "new");
        assert!(!latest.exists());
        // Nothing to remove: nothing happens.
        forget_latest(dir.path(), "new");
        assert!(!latest.exists());
    }
}
