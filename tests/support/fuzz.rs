//! Shared by the fuzz targets (`tests/it/fuzz_*.rs`): the committed corpus, the number of inputs,
//! and byte-level mutations of a seed. Property tests on stable Rust with proptest: each input
//! is a seed from the corpus with a few edits, and a failing one is shrunk to a small example.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::Config;

/// The proptest configuration: `default` inputs, or `SPECGATE_FUZZ_CASES` of them. Failures are
/// not persisted to files (the printed input is the reproduction).
pub fn config(default: u32) -> Config {
    config_share(default, 1)
}

/// Like [`config`], for a slower target: `SPECGATE_FUZZ_CASES / share` inputs (at least
/// `default`).
pub fn config_share(default: u32, share: u32) -> Config {
    let cases = std::env::var("SPECGATE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .map_or(default, |n| (n / share.max(1)).max(default));
    Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 256,
        ..Config::default()
    }
}

/// The files of a corpus folder, by name, with their bytes.
pub fn corpus(dir: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new(dir))
        .unwrap_or_else(|e| panic!("the corpus {dir} is committed: {e}"))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

/// Pieces that are likely to mean something to a YAML or JSON reader, or to break it.
const TOKENS: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    ",",
    "\n",
    "\n  ",
    "\n    - ",
    "&a ",
    "*a",
    "!!str ",
    "!x ",
    "\"",
    "'",
    "\\",
    "#",
    "|\n",
    ">-\n",
    "\t",
    "\0",
    "\u{1b}[2J",
    "\r",
    "é",
    "\u{feff}",
    "1e400",
    "-0",
    ".inf",
    ".nan",
    "NaN",
    "18446744073709551616",
    "~",
    "null",
    "true",
    "${x}",
    "${",
    "---\n",
    "...\n",
    "? ",
    "%YAML 1.2\n",
    "<<: ",
    "\"\\u0000\"",
    "[[[[[[[[",
    "]]]]]]]]",
    "{\"a\":",
];

/// One edit of a seed; positions are taken modulo the current length.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Insert a token.
    Token(usize, usize),
    /// Insert arbitrary bytes.
    Bytes(usize, Vec<u8>),
    /// Remove up to `len` bytes.
    Delete(usize, usize),
    /// Replace one byte.
    Flip(usize, u8),
    /// Repeat a slice `times` times in place (deeper nesting, longer lists).
    Repeat(usize, usize, usize),
    /// Cut the input here.
    Truncate(usize),
}

/// A list of edits.
#[derive(Debug, Clone)]
pub struct Edits(pub Vec<Edit>);

impl Edits {
    /// The seed with every edit applied in order.
    pub fn apply(&self, seed: &[u8]) -> Vec<u8> {
        let mut out = seed.to_vec();
        for e in &self.0 {
            let at = |p: usize, len: usize| if len == 0 { 0 } else { p % (len + 1) };
            match e {
                Edit::Token(p, t) => {
                    let i = at(*p, out.len());
                    let tok = TOKENS[t % TOKENS.len()].as_bytes();
                    out.splice(i..i, tok.iter().copied());
                }
                Edit::Bytes(p, b) => {
                    let i = at(*p, out.len());
                    out.splice(i..i, b.iter().copied());
                }
                Edit::Delete(p, n) => {
                    let i = at(*p, out.len());
                    let end = (i + n).min(out.len());
                    out.drain(i..end);
                }
                Edit::Flip(p, b) => {
                    if !out.is_empty() {
                        let i = p % out.len();
                        out[i] = *b;
                    }
                }
                Edit::Repeat(p, n, times) => {
                    let i = at(*p, out.len());
                    let end = (i + n).min(out.len());
                    let piece = out[i..end].to_vec();
                    // Bounded growth: at most 64 KiB added per edit.
                    let times = (*times).min(65_536 / piece.len().max(1));
                    for _ in 0..times {
                        out.splice(end..end, piece.iter().copied());
                    }
                }
                Edit::Truncate(p) => {
                    let i = at(*p, out.len());
                    out.truncate(i);
                }
            }
        }
        out
    }
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (any::<usize>(), any::<usize>()).prop_map(|(p, t)| Edit::Token(p, t)),
        2 => (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(p, b)| Edit::Bytes(p, b)),
        2 => (any::<usize>(), 1usize..64).prop_map(|(p, n)| Edit::Delete(p, n)),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Edit::Flip(p, b)),
        1 => (any::<usize>(), 1usize..32, 1usize..400).prop_map(|(p, n, t)| Edit::Repeat(p, n, t)),
        1 => any::<usize>().prop_map(Edit::Truncate),
    ]
}

/// Zero to eight edits.
pub fn mutated() -> impl Strategy<Value = Edits> {
    proptest::collection::vec(edit(), 0..8).prop_map(Edits)
}
