//! Writing a recording folder from a finished run's report: per operation one pretty JSON file
//! (`<service>/<Operation>.json`, cases in plan order, which is case-id order, steps in order),
//! and `manifest.yaml`. The folder is built under a temporary name beside the destination and
//! renamed into place, so a reader never sees half a recording; an existing recording is only
//! replaced with `--force`.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::report::Report;
use crate::suite::Suite;

/// Why a recording could not be written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RecordError {
    /// The destination exists and `--force` was not given.
    #[error("{0} exists; pass --force to replace it")]
    Exists(PathBuf),
    /// A file could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// The run's outcome records could not be read back.
    #[error("cannot read the run's outcomes back: {0}")]
    Outcomes(std::io::Error),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> RecordError + '_ {
    move |source| RecordError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Refuses an existing `out` unless `force`: checked before the run sends anything.
pub(crate) fn check_destination(out: &Path, force: bool) -> Result<(), RecordError> {
    if out.exists() && !force {
        return Err(RecordError::Exists(out.to_path_buf()));
    }
    Ok(())
}

/// What the manifest says besides what the report holds.
pub(crate) struct ManifestInfo<'a> {
    /// The target's variables, without credentials (`name: value`, sorted).
    pub vars: Vec<(String, String)>,
    /// The day the recording was made (`YYYY-MM-DD`, UTC): the run's start, cut to the date.
    pub recorded_at: &'a str,
}

/// Writes the recording of `report` (one target; only first repetitions) to `out`; returns the
/// number of operation files.
pub(crate) fn write_recording(
    report: &Report,
    suite: &Suite,
    out: &Path,
    force: bool,
    manifest: &ManifestInfo<'_>,
) -> Result<usize, RecordError> {
    check_destination(out, force)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let tmp = tempfile::Builder::new()
        .prefix(".specgate-recording-")
        .tempdir_in(&parent)
        .map_err(io(&parent))?;
    let files = write_operations(report, suite, tmp.path())?;
    let manifest_path = tmp.path().join("manifest.yaml");
    std::fs::write(&manifest_path, manifest_text(report, manifest)).map_err(io(&manifest_path))?;
    // Into place: the old recording (with --force) is moved aside first and removed after.
    let tmp = tmp.keep();
    let mut aside = None;
    if out.exists() {
        let old = parent.join(format!(
            ".specgate-recording-old-{:08x}",
            rand::random::<u32>()
        ));
        std::fs::rename(out, &old).map_err(io(out))?;
        aside = Some(old);
    }
    if let Err(e) = std::fs::rename(&tmp, out) {
        let _ = std::fs::remove_dir_all(&tmp);
        if let Some(old) = &aside {
            let _ = std::fs::rename(old, out);
        }
        return Err(io(out)(e));
    }
    if let Some(old) = aside {
        let _ = std::fs::remove_dir_all(old);
    }
    Ok(files)
}

/// Writes one file per operation under `dir`, streaming: the outcomes come in case-id order,
/// so an operation's cases are together and only one operation is held at a time.
fn write_operations(report: &Report, suite: &Suite, dir: &Path) -> Result<usize, RecordError> {
    let prefix = report.run.run_prefix.clone();
    let mut files = 0;
    let mut current: Option<(String, Vec<Value>)> = None;
    let no_volatile = std::collections::BTreeMap::new();
    for o in report.outcomes.iter() {
        let o = o.map_err(RecordError::Outcomes)?;
        // Under --repeat, the first repetition stands for the case.
        if o.id.contains('#') && !o.id.ends_with("#1") {
            continue;
        }
        let service = o.operation.split('/').next().unwrap_or_default();
        let volatile = suite
            .services
            .get(service)
            .map_or(&no_volatile, |s| &s.volatile);
        let steps = super::step::case_steps(&o.exchanges, volatile, &prefix);
        let case = json!({"case": o.case, "verdict": o.verdict.as_str(), "steps": steps});
        match &mut current {
            Some((op, cases)) if *op == o.operation => cases.push(case),
            _ => {
                if let Some((op, cases)) = current.take() {
                    write_operation(dir, &op, cases)?;
                    files += 1;
                }
                current = Some((o.operation.clone(), vec![case]));
            }
        }
    }
    if let Some((op, cases)) = current {
        write_operation(dir, &op, cases)?;
        files += 1;
    }
    Ok(files)
}

/// The file of operation `op` (`<service>/<Operation>`) under `dir`.
pub(crate) fn operation_file(dir: &Path, op: &str) -> PathBuf {
    let mut path = dir.to_path_buf();
    for part in op.split('/') {
        path.push(part);
    }
    path.set_extension("json");
    path
}

fn write_operation(dir: &Path, op: &str, cases: Vec<Value>) -> Result<(), RecordError> {
    let path = operation_file(dir, op);
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).map_err(io(p))?;
    }
    let doc = json!({"operation": op, "cases": cases});
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    let mut f = std::fs::File::create(&path).map_err(io(&path))?;
    f.write_all(text.as_bytes()).map_err(io(&path))?;
    Ok(())
}

/// A YAML scalar for any text: JSON's quoting is YAML's double-quoted style.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// `manifest.yaml`: format, tool, suite digest, target and its variables, time, readings.
fn manifest_text(report: &Report, info: &ManifestInfo<'_>) -> String {
    let mut s = String::from("# specgate recording (docs/parity.md)\n");
    s.push_str(&format!("format: {}\n", super::FORMAT_VERSION));
    s.push_str(&format!(
        "tool: {}\n",
        q(&format!("specgate {}", env!("CARGO_PKG_VERSION")))
    ));
    let digest = report
        .run
        .suite
        .as_ref()
        .map(|d| d.digest.clone())
        .unwrap_or_default();
    s.push_str(&format!("suite_digest: {}\n", q(&digest)));
    let target = report
        .targets
        .first()
        .map(|t| t.name.clone())
        .unwrap_or_default();
    s.push_str(&format!("target: {}\n", q(&target)));
    s.push_str("vars:");
    if info.vars.is_empty() {
        s.push_str(" {}");
    }
    s.push('\n');
    for (k, v) in &info.vars {
        s.push_str(&format!("  {}: {}\n", q(k), q(v)));
    }
    s.push_str(&format!("recorded_at: {}\n", q(info.recorded_at)));
    s.push_str("readings:");
    let rows: Vec<_> = report.readings.iter().collect();
    if rows.is_empty() {
        s.push_str(" []");
    }
    s.push('\n');
    for r in rows {
        let follows = r.follows.clone().unwrap_or_default();
        s.push_str(&format!(
            "  - {{operation: {}, note: {}, verdict: {}, follows: {}}}\n",
            q(&r.operation),
            q(&r.note),
            q(&serde_json::to_value(r.verdict)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()),
            q(&follows)
        ));
    }
    s
}
