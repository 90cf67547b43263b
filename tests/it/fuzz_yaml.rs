//! Fuzzing the YAML reader and the loaders above it: mutated spec, case, service and target
//! files (seeded from `tests/fuzz/corpus/yaml/`) give a diagnostic or a value, never a panic or
//! a stack overflow, and each is read in bounded time.
//!
//! `cargo test` runs a few hundred inputs; `SPECGATE_FUZZ_CASES=100000 cargo test --release
//! --test it fuzz_yaml` runs more (docs/robustness.md).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::fuzz::{config, corpus, mutated};
use proptest::prelude::*;
use specgate::suite::Suite;

/// The most time one input may take to read, in a debug build.
const BOUND: Duration = Duration::from_secs(5);

/// What a seed file is, from its name: `case-…`, `spec-…`, `service-…`, `target-…` or `any-…`.
fn kind_of(seed: &Path) -> &str {
    let name = seed.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.split('-').next().unwrap_or("any")
}

/// Reads `text` as a file of `kind` with every loader that applies; any result is fine.
fn read_all(kind: &str, text: &str, dir: &Path) {
    let _ = specgate::yaml::parse_str(Path::new("fuzz.yaml"), text);
    match kind {
        "case" => {
            let path = dir.join("case.yaml");
            std::fs::write(&path, text).unwrap();
            let _ = Suite::load(Path::new("tests/fixtures/lint/specs"), &[path]);
        }
        "spec" | "service" => {
            // A specs folder with the demo service and this file in it.
            let specs = dir.join("specs");
            let demo = specs.join("demo");
            std::fs::create_dir_all(&demo).unwrap();
            let name = if kind == "service" {
                "service.yaml"
            } else {
                "Fuzzed.yaml"
            };
            if kind == "spec" {
                std::fs::copy(
                    "tests/fixtures/lint/specs/demo/service.yaml",
                    demo.join("service.yaml"),
                )
                .unwrap();
            }
            std::fs::write(demo.join(name), text).unwrap();
            let _ = Suite::load(&specs, &[]);
        }
        "target" => {
            let path = dir.join("target.yaml");
            std::fs::write(&path, text).unwrap();
            let _ = specgate::target::load_target(&path, &Default::default());
        }
        _ => {}
    }
}

fn seeds() -> Vec<(PathBuf, String)> {
    corpus("tests/fuzz/corpus/yaml")
        .into_iter()
        .map(|(p, bytes)| (p, String::from_utf8_lossy(&bytes).into_owned()))
        .collect()
}

/// Every seed as it is reads without a panic.
#[test]
fn the_yaml_corpus_reads() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = seeds();
    assert!(seeds.len() >= 5, "the corpus is committed");
    for (path, text) in &seeds {
        read_all(kind_of(path), text, dir.path());
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Mutated seeds: byte edits, YAML punctuation inserted, slices repeated (deeper nesting).
    #[test]
    fn mutated_yaml_never_panics(seed in 0usize..1000, edits in mutated()) {
        let seeds = seeds();
        let (path, text) = &seeds[seed % seeds.len()];
        let input = edits.apply(text.as_bytes());
        let input = String::from_utf8_lossy(&input);
        let dir = tempfile::tempdir().unwrap();
        let started = Instant::now();
        read_all(kind_of(path), &input, dir.path());
        prop_assert!(started.elapsed() < BOUND, "{} took {:?}", path.display(), started.elapsed());
    }

    /// Nesting of any depth and style is a diagnostic past the limit, never a crash.
    #[test]
    fn nesting_of_any_depth_is_bounded(depth in 0usize..5000, style in 0u8..4) {
        let text = match style {
            0 => format!("a:\n  {}1\n", "- ".repeat(depth)),
            1 => format!("a: {}1{}\n", "[".repeat(depth), "]".repeat(depth)),
            2 => format!("a: {}1{}\n", "{k: ".repeat(depth), "}".repeat(depth)),
            _ => (0..depth.min(600)).map(|i| format!("{}k:\n", " ".repeat(i))).collect::<String>() + "x",
        };
        let got = specgate::yaml::parse_str(Path::new("deep.yaml"), &text);
        let levels = if style == 3 { depth.min(600) } else { depth };
        if levels > specgate::yaml::MAX_DEPTH {
            prop_assert!(got.is_err(), "{levels} levels of style {style} were accepted");
        }
    }
}
