//! Diagnostics: errors about a user file, rendered with file:line:col, the line and a caret.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::yaml::{Pos, SourceFile};

/// One problem in one user file, as data; [`fmt::Display`] renders it for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file the problem is in.
    pub file: PathBuf,
    /// Where in the file (line 0 when the file as a whole is meant).
    pub pos: Pos,
    /// A short stable name of the error class, e.g. `unknown-key`.
    pub class: &'static str,
    /// What is wrong, in one sentence without a final period.
    pub message: String,
    /// How to fix it, when we can say.
    pub hint: Option<String>,
    /// The text of the line at `pos`, for the snippet.
    pub line_text: Option<String>,
}

impl Diagnostic {
    /// Creates a diagnostic of class `error` at a place in a file.
    pub fn new(file: &Path, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            pos,
            class: "error",
            message: message.into(),
            hint: None,
            line_text: None,
        }
    }

    /// Sets the error class.
    pub fn with_class(mut self, class: &'static str) -> Self {
        self.class = class;
        self
    }

    /// Adds a hint that says how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Copies the line at the diagnostic's position out of the source, for the snippet.
    pub fn with_source(mut self, source: &SourceFile) -> Self {
        self.attach(&source.text);
        self
    }

    /// Fills in the snippet line from the file's text if it is not there yet.
    pub fn attach(&mut self, text: &str) {
        if self.line_text.is_none() && self.pos.line > 0 {
            self.line_text = text.lines().nth(self.pos.line - 1).map(str::to_string);
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error[{}]: {}", self.class, self.message)?;
        let file = self.file.display();
        if self.pos.line == 0 {
            write!(f, " --> {file}")?;
        } else {
            let pad = " ".repeat(self.pos.line.to_string().len());
            write!(f, "{pad}--> {file}:{}:{}", self.pos.line, self.pos.col)?;
        }
        if let Some(line) = &self.line_text {
            let num = self.pos.line.to_string();
            let pad = " ".repeat(num.len());
            let line = line.replace('\t', " ");
            let indent = " ".repeat(self.pos.col.saturating_sub(1));
            let avail = line.chars().count().saturating_sub(self.pos.col - 1).max(1);
            let carets = "^".repeat(self.pos.len.clamp(1, avail));
            write!(
                f,
                "\n{pad} |\n{num} | {line}\n{pad} | {indent}{carets}",
                line = line.trim_end()
            )?;
        }
        if let Some(hint) = &self.hint {
            let pad = " ".repeat(self.pos.line.max(1).to_string().len());
            write!(f, "\n{pad} = help: {hint}")?;
        }
        Ok(())
    }
}

/// Renders a list of diagnostics separated by blank lines, with a closing count.
pub fn render_all(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&d.to_string());
        out.push_str("\n\n");
    }
    let files: std::collections::BTreeSet<_> = diags.iter().map(|d| &d.file).collect();
    out.push_str(&format!(
        "{} error{} in {} file{}\n",
        diags.len(),
        if diags.len() == 1 { "" } else { "s" },
        files.len(),
        if files.len() == 1 { "" } else { "s" }
    ));
    out
}

/// The load stage's error: specs, cases, a target profile, a baseline or a seed that is
/// invalid, as diagnostics that each name a file, line and column (with a caret and a hint).
/// Printed with [`render_all`]; the command exits with [`crate::exit::BAD_INPUT`].
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", render_all(.0))]
pub struct LoadError(pub Vec<Diagnostic>);

impl From<Vec<Diagnostic>> for LoadError {
    fn from(diags: Vec<Diagnostic>) -> Self {
        LoadError(diags)
    }
}

/// The hint for a name that is not one of `candidates`: "did you mean `best`?" when one is a
/// likely typo of `word` (see [`did_you_mean`]), else `otherwise()`.
pub fn did_you_mean_or<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    otherwise: impl FnOnce() -> String,
) -> String {
    match did_you_mean(word, candidates) {
        Some(best) => format!("did you mean `{best}`?"),
        None => otherwise(),
    }
}

/// Returns the closest candidate to `word`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
