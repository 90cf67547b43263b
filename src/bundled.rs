//! The shipped suite built into the binary: every file of `specs/`, `cases/` and `targets/` as
//! it was when specgate was built (see `build.rs`).
//!
//! A run outside a checkout (no `specs/` folder where it starts, no `--specs`/`--cases`) writes
//! these files into a private temporary folder and loads them from there, so the loaders, the
//! diagnostics and the suite digest are the same as for a checkout.

use std::io;
use std::path::{Path, PathBuf};

/// Every bundled file: its path relative to the suite's root (`specs/alibaba-kms/ListKeys.yaml`)
/// and its text.
pub(crate) const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/bundled_files.rs"));

/// How many bundled files lie under `folder` (`specs`, `cases` or `targets`).
pub(crate) fn count(folder: &str) -> usize {
    FILES
        .iter()
        .filter(|(path, _)| path.split('/').next() == Some(folder))
        .count()
}

/// Writes every bundled file under `root` (which must exist), creating the folders.
pub(crate) fn write_to(root: &Path) -> io::Result<()> {
    for (relative, text) in FILES {
        let path = root.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
    }
    Ok(())
}

/// The bundled suite written into a temporary folder for one command; removed when dropped.
#[derive(Debug)]
pub(crate) struct Written {
    dir: tempfile::TempDir,
}

impl Written {
    /// The folder holding `specs/`, `cases/` and `targets/`.
    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }
}

/// When `specs` and `cases` are the defaults (`specs`, `cases`) and neither exists where the
/// command starts, writes the bundled suite into a temporary folder and points them (and every
/// `targets/...` profile path that does not exist here but is bundled) at it. Says so on
/// standard error. `None` (nothing changed) otherwise.
pub(crate) fn use_if_absent(
    specs: &mut PathBuf,
    cases: &mut Vec<PathBuf>,
    targets: &mut [PathBuf],
) -> io::Result<Option<Written>> {
    let defaults = specs.as_path() == Path::new("specs")
        && cases.len() == 1
        && cases[0].as_path() == Path::new("cases");
    if !defaults || specs.exists() || cases[0].exists() {
        return Ok(None);
    }
    let written = Written {
        dir: tempfile::Builder::new()
            .prefix("specgate-suite-")
            .tempdir()?,
    };
    write_to(written.root())?;
    *specs = written.root().join("specs");
    *cases = vec![written.root().join("cases")];
    for target in targets.iter_mut() {
        let bundled = target
            .to_str()
            .map(|t| t.replace('\\', "/"))
            .filter(|t| !target.exists() && FILES.iter().any(|(p, _)| p == t));
        if let Some(relative) = bundled {
            *target = written.root().join(relative);
        }
    }
    eprintln!(
        "specgate: no specs/ or cases/ here: using the suite built into specgate {} ({} spec files, {} case files); --specs and --cases choose others",
        env!("CARGO_PKG_VERSION"),
        count("specs"),
        count("cases"),
    );
    Ok(Some(written))
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
    fn only_absent_defaults_are_replaced() {
        let mut specs = PathBuf::from("elsewhere/specs");
        let mut cases = vec![PathBuf::from("cases")];
        assert!(
            use_if_absent(&mut specs, &mut cases, &mut [])
                .unwrap()
                .is_none()
        );
        assert_eq!(specs, PathBuf::from("elsewhere/specs"));
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
