//! Writing a report folder atomically: every file is rendered first, written into a hidden
//! temporary folder next to the destination, and the folder is renamed into place. A reader
//! sees either the old folder or the complete new one, never a half-written report.

use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Renders every file of a report folder.
pub fn render_all(r: &Report) -> std::io::Result<Vec<(&'static str, String)>> {
    let md = markdown::render(r);
    let html = html::render(r).map_err(std::io::Error::other)?;
    let xml = junit::render(r).map_err(|e| std::io::Error::other(e.to_string()))?;
    let json = render_json(r).map_err(std::io::Error::other)?;
    Ok(vec![
        (FILES[0], md),
        (FILES[1], html),
        (FILES[2], xml),
        (FILES[3], json),
    ])
}

/// Renders `report.json`: the report as pretty-printed JSON.
pub fn render_json(r: &Report) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(r).map(|mut s| {
        s.push('\n');
        s
    })
}

/// Writes `DIR/<run-id>/` and replaces `DIR/latest/` with a copy; appends report.md to
/// `step_summary` (the `GITHUB_STEP_SUMMARY` file) when given.
pub fn write_reports(
    r: &Report,
    dir: &Path,
    step_summary: Option<&Path>,
) -> std::io::Result<Written> {
    check_run_id(&r.run.id).map_err(std::io::Error::other)?;
    let files = render_all(r)?;
    std::fs::create_dir_all(dir)?;
    let run_dir = dir.join(&r.run.id);
    let latest = dir.join(LATEST);
    write_dir(&run_dir, &files)?;
    write_dir(&latest, &files)?;
    let markdown = files[0].1.clone();
    if let Some(path) = step_summary {
        append(path, &markdown)?;
    }
    Ok(Written {
        run_dir,
        latest,
        markdown,
    })
}

/// Checks that a run id is one plain folder name.
pub fn check_run_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && !id.starts_with('.')
        && id != LATEST
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{id}` cannot be a run id: use letters, digits, `.`, `_` and `-`, not starting with `.`, and not `{LATEST}`"
        ))
    }
}

/// Writes the files into a fresh temporary folder, then renames it to `dest`; an existing
/// `dest` is renamed away first and removed afterwards.
fn write_dir(dest: &Path, files: &[(&str, String)]) -> std::io::Result<()> {
    let parent = dest.parent().unwrap_or(Path::new("."));
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = unique(parent, &format!(".{name}.tmp"));
    std::fs::create_dir(&tmp)?;
    let result = (|| {
        for (file, content) in files {
            atomic_write(&tmp.join(file), content.as_bytes())?;
        }
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

/// A path in `dir` that does not exist yet: `stem-<pid>-<random>`.
fn unique(dir: &Path, stem: &str) -> PathBuf {
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
