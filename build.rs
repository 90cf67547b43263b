//! Builds the table of the shipped suite's files (`specs/`, `cases/`, `targets/`) that the
//! binary carries, so that `specgate run` outside a checkout runs the shipped suite
//! (`src/bundled.rs`). Each file is included with `include_str!`; cargo rebuilds when any of
//! them changes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The folders of the suite, relative to the package root.
const FOLDERS: [&str; 3] = ["specs", "cases", "targets"];

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let mut files = Vec::new();
    for folder in FOLDERS {
        println!("cargo:rerun-if-changed={folder}");
        collect(&root, &root.join(folder), &mut files);
    }
    files.sort();
    let mut table = String::from("&[\n");
    for (relative, absolute) in &files {
        writeln!(table, "    ({relative:?}, include_str!({absolute:?})),").expect("a String");
    }
    table.push(']');
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    std::fs::write(out.join("bundled_files.rs"), table).expect("OUT_DIR is writable");
}

/// Every `.yaml` file under `dir`, as (path relative to `root` with `/`, absolute path).
fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(root, &path, files);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            let relative = path
                .strip_prefix(root)
                .expect("under the root")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            files.push((relative, path.display().to_string()));
        }
    }
}
