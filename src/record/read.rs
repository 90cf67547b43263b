//! Loading a recording for `run --reference`: `manifest.yaml` (its format and suite digest must
//! be this suite's) and every operation file, indexed by case id. Anything unreadable, damaged
//! or foreign is an error with the file and, where there is one, the line and column, before
//! the run sends a request.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diag::Diagnostic;

/// A loaded recording: the recorded steps of every case, by case id (`<service>/<Op>::<case>`).
#[derive(Debug, Default)]
pub(crate) struct Reference {
    /// The recording folder.
    pub dir: PathBuf,
    /// The recorded target's name.
    pub target: String,
    /// Steps per case id.
    pub cases: HashMap<String, Vec<Value>>,
    /// The recorded verdict per case id (`pass`, `fail`, ...), where the file has one.
    pub verdicts: HashMap<String, String>,
}

/// Loads the recording in `dir`, made of the suite whose digest is `digest`.
pub(crate) fn load_reference(dir: &Path, digest: &str) -> Result<Reference, Vec<Diagnostic>> {
    let manifest = dir.join("manifest.yaml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| {
        vec![
            Diagnostic::new(
                &manifest,
                pos(0, 0),
                format!("cannot read the recording's manifest: {e}"),
            )
            .with_hint("record one with `specgate record --out DIR`"),
        ]
    })?;
    let mut reference = Reference {
        dir: dir.to_path_buf(),
        ..Reference::default()
    };
    let mut recorded_digest = None;
    for (i, line) in text.lines().enumerate() {
        // A field's value is a JSON string (`suite_digest: "sha256:…"`); anything else there is
        // damage, said with its place rather than read as an empty value.
        let field = |name: &str| -> Option<Result<String, Diagnostic>> {
            let raw = line.strip_prefix(name)?.strip_prefix(':')?;
            let value = raw.trim();
            Some(serde_json::from_str::<String>(value).map_err(|_| {
                let col = name.len() + 2 + (raw.len() - raw.trim_start().len());
                Diagnostic::new(
                    &manifest,
                    pos(i + 1, col.min(line.len().max(1))),
                    format!("`{name}` is not a quoted string: `{value}`"),
                )
                .with_hint(
                    "a recording's manifest is written by `specgate record`; record it again",
                )
            }))
        };
        if let Some(v) = field("suite_digest") {
            recorded_digest = Some((i + 1, v.map_err(|d| vec![d])?));
        } else if let Some(v) = field("target") {
            reference.target = v.map_err(|d| vec![d])?;
        } else if let Some(v) = line.strip_prefix("format:")
            && v.trim() != super::FORMAT_VERSION.to_string()
        {
            return Err(vec![
                Diagnostic::new(
                    &manifest,
                    pos(i + 1, 1),
                    format!(
                        "recording format {} is not {}",
                        v.trim(),
                        super::FORMAT_VERSION
                    ),
                )
                .with_hint("record it again with this specgate"),
            ]);
        }
    }
    match recorded_digest {
        None => {
            return Err(vec![Diagnostic::new(
                &manifest,
                pos(1, 1),
                "the manifest has no `suite_digest`: not a specgate recording",
            )]);
        }
        Some((line, d)) if d != digest => {
            return Err(vec![
                Diagnostic::new(
                    &manifest,
                    pos(line, 1),
                    format!("the recording was made of another suite ({d}; this one is {digest})"),
                )
                .with_hint("record it again with this suite: `specgate record --force --out DIR`"),
            ]);
        }
        Some(_) => {}
    }
    let mut diags = Vec::new();
    let mut files = Vec::new();
    json_files(dir, &mut files);
    files.sort();
    for file in files {
        if let Err(d) = load_file(&file, &mut reference) {
            diags.push(d);
        }
    }
    if diags.is_empty() {
        Ok(reference)
    } else {
        Err(diags)
    }
}

/// Every `*.json` under `dir`.
fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

/// Adds the cases of one operation file.
fn load_file(file: &Path, reference: &mut Reference) -> Result<(), Diagnostic> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Diagnostic::new(file, pos(0, 0), format!("cannot read: {e}")))?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| {
        Diagnostic::new(
            file,
            pos(e.line(), e.column()),
            format!("not valid JSON: {e}"),
        )
        .with_hint("a recording is written by `specgate record`; record it again")
    })?;
    let bad = |what: &str| {
        Diagnostic::new(
            file,
            pos(1, 1),
            format!("not a recording's operation file: {what}"),
        )
    };
    let op = doc
        .get("operation")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("no `operation`"))?;
    let cases = doc
        .get("cases")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no `cases` list"))?;
    for c in cases {
        let name = c
            .get("case")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("a case without `case`"))?;
        let steps = c
            .get("steps")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("a case without `steps`"))?;
        let id = format!("{op}::{name}");
        if let Some(v) = c.get("verdict").and_then(Value::as_str) {
            reference.verdicts.insert(id.clone(), v.to_string());
        }
        reference.cases.insert(id, steps.clone());
    }
    Ok(())
}

/// A position for a diagnostic (line 0: the whole file).
fn pos(line: usize, col: usize) -> crate::yaml::Pos {
    crate::yaml::Pos { line, col, len: 1 }
}
