//! The history file of `--history FILE`: one JSON line per run ([`HistoryEntry`]) appended to
//! FILE (created if absent, never rewritten), read back for report.html's trend. A line that
//! cannot be read is skipped with a warning: a history never fails a run. The `trend` module
//! makes a run's line and gives the report its last runs.

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::status::Counts;

/// One run in a history file: one JSON object on one line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The run id.
    pub run_id: String,
    /// UTC start time, RFC 3339.
    pub started_at: String,
    /// `pass` or `fail`.
    pub verdict: String,
    /// The outcomes by status.
    pub counts: HistoryCounts,
    /// passed / judged in percent (rounded down to 0.1); `null` when nothing was judged.
    pub pass_pct: Option<f64>,
    /// Wall time of the run in milliseconds.
    pub duration_ms: u64,
    /// Per operation: passed / judged in percent (`null` when nothing was judged).
    pub operations: BTreeMap<String, Option<f64>>,
}

/// The counts a history line keeps (those of report.json's `counts`; missing ones read as 0).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HistoryCounts {
    /// Every outcome.
    pub total: usize,
    /// Passed.
    pub pass: usize,
    /// Failed (conformance failures the baseline does not accept).
    pub fail: usize,
    /// Documentation ambiguities.
    pub ambiguity: usize,
    /// Known deviations.
    pub known: usize,
    /// Errors.
    pub error: usize,
    /// Skipped.
    pub skipped: usize,
    /// Inconclusive.
    pub inconclusive: usize,
}

impl From<&Counts> for HistoryCounts {
    fn from(c: &Counts) -> Self {
        HistoryCounts {
            total: c.total,
            pass: c.pass,
            fail: c.fail,
            ambiguity: c.ambiguity,
            known: c.known,
            error: c.error,
            skipped: c.skipped,
            inconclusive: c.inconclusive,
        }
    }
}

/// Reads every readable line of a history file, oldest first, and a warning
/// (`FILE:LINE: …`) for each line skipped. A missing file is an empty history.
pub fn read(path: &Path) -> (Vec<HistoryEntry>, Vec<String>) {
    let mut bytes = Vec::new();
    match std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Vec::new(), Vec::new()),
        Err(e) => {
            return (
                Vec::new(),
                vec![format!("{}: cannot read the history: {e}", path.display())],
            );
        }
    }
    let mut entries = Vec::new();
    let mut warnings = Vec::new();
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<HistoryEntry>(line) {
            Ok(e) => entries.push(e),
            Err(e) => warnings.push(format!(
                "{}:{}: skipped a history line that is not a run: {e}",
                path.display(),
                i + 1
            )),
        }
    }
    (entries, warnings)
}

/// Appends one entry as one line, with one `write` on a file opened for appending (so that
/// lines of runs writing at once do not interleave). A file whose last line was cut short
/// gets a line break first, so the new line stands on its own.
pub(super) fn append(path: &Path, entry: &HistoryEntry) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(entry).map_err(std::io::Error::other)?;
    line.push(b'\n');
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .read(true)
        .open(path)?;
    let len = f.seek(SeekFrom::End(0))?;
    if len > 0 {
        let mut last = [0u8];
        f.seek(SeekFrom::Start(len - 1))?;
        f.read_exact(&mut last)?;
        if last[0] != b'\n' {
            line.insert(0, b'\n');
        }
    }
    f.write_all(&line)?;
    f.sync_data()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, pct: Option<f64>) -> HistoryEntry {
        HistoryEntry {
            run_id: id.into(),
            started_at: "2026-12-04T00:00:00Z".into(),
            verdict: "pass".into(),
            counts: HistoryCounts {
                total: 3,
                pass: 2,
                fail: 1,
                ..Default::default()
            },
            pass_pct: pct,
            duration_ms: 1234,
            operations: [("svc/Op".to_string(), Some(50.0))].into(),
        }
    }

    #[test]
    fn a_missing_file_is_an_empty_history_and_append_creates_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.jsonl");
        assert_eq!(read(&path), (Vec::new(), Vec::new()));
        append(&path, &entry("a", Some(66.6))).unwrap();
        append(&path, &entry("b", None)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.ends_with('\n'));
        let (entries, warnings) = read(&path);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(entries, vec![entry("a", Some(66.6)), entry("b", None)]);
    }

    #[test]
    fn malformed_lines_are_skipped_with_a_warning_and_kept_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.jsonl");
        let good = serde_json::to_string(&entry("a", Some(100.0))).unwrap();
        // A good line, garbage, an object of another shape, bytes that are not UTF-8, a blank
        // line, and a last line cut short (no line break).
        let mut bytes = format!("{good}\nnot json\n{{\"x\":1}}\n").into_bytes();
        bytes.extend_from_slice(b"\xff\xfe\n\n{\"run_id\":\"cut");
        std::fs::write(&path, &bytes).unwrap();
        let (entries, warnings) = read(&path);
        assert_eq!(entries, vec![entry("a", Some(100.0))]);
        assert_eq!(warnings.len(), 4, "{warnings:?}");
        assert!(warnings[0].contains("h.jsonl:2:"), "{}", warnings[0]);
        assert!(warnings[3].contains("h.jsonl:6:"), "{}", warnings[3]);
        // Appending keeps every old byte and starts the new run on a line of its own.
        append(&path, &entry("b", None)).unwrap();
        let after = std::fs::read(&path).unwrap();
        assert_eq!(&after[..bytes.len()], &bytes[..]);
        let (entries, warnings) = read(&path);
        assert_eq!(entries, vec![entry("a", Some(100.0)), entry("b", None)]);
        assert_eq!(warnings.len(), 4, "{warnings:?}");
    }

    #[test]
    fn an_unreadable_history_is_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        // A folder cannot be read as a file.
        let (entries, warnings) = read(dir.path());
        assert!(entries.is_empty());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }
}
