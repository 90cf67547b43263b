//! The shipped suite built into the binary: every file of `specs/`, `cases/` and `targets/` as
//! it was when specgate was built (see `build.rs`).
//!
//! A run outside a checkout (no `specs/` folder where it starts, no `--specs`/`--cases`) writes
//! these files into a private temporary folder and loads them from there, so the loaders, the
//! diagnostics and the suite digest are the same as for a checkout.

use std::io;
use std::path::Path;

/// Every bundled file: its path relative to the suite's root (`specs/alibaba-kms/ListKeys.yaml`)
/// and its text.
pub const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/bundled_files.rs"));

/// How many bundled files lie under `folder` (`specs`, `cases` or `targets`).
pub fn count(folder: &str) -> usize {
    FILES
        .iter()
        .filter(|(path, _)| path.split('/').next() == Some(folder))
        .count()
}

/// Writes every bundled file under `root` (which must exist), creating the folders.
pub fn write_to(root: &Path) -> io::Result<()> {
    for (relative, text) in FILES {
        let path = root.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of the checkout's suite folders is bundled, with the same bytes.
    #[test]
    fn the_bundle_is_the_checkout_suite() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut on_disk = Vec::new();
        for folder in ["specs", "cases", "targets"] {
            let mut stack = vec![root.join(folder)];
            while let Some(dir) = stack.pop() {
                for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                    let path = entry.path();
                    if path.is_dir() {
                        stack.push(path);
                    } else if path.extension().is_some_and(|e| e == "yaml") {
                        let relative = path
                            .strip_prefix(root)
                            .unwrap()
                            .to_string_lossy()
                            .replace('\\', "/");
                        on_disk.push((relative, std::fs::read_to_string(&path).unwrap()));
                    }
                }
            }
        }
        on_disk.sort();
        let bundled: Vec<(String, String)> = FILES
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        assert_eq!(bundled, on_disk);
        assert!(count("specs") > 0 && count("cases") > 0 && count("targets") > 0);
    }

    #[test]
    fn written_files_are_the_bundled_ones() {
        let dir = tempfile::tempdir().unwrap();
        write_to(dir.path()).unwrap();
        for (relative, text) in FILES {
            assert_eq!(
                std::fs::read_to_string(dir.path().join(relative)).unwrap(),
                *text
            );
        }
    }
}
