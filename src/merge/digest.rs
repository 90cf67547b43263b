//! The suite digest in report.json (`run.suite`): SHA-256 of every spec and case file a run
//! read, so that `specgate merge` joins only reports of the same suite and names the files that
//! differ when they are not.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::report::SuiteDigest;
use crate::run::shard::name_in;
use crate::suite::Suite;

/// The digest of the suite loaded from `specs` (every `.yaml`/`.yml` file under it) and its
/// case files (found under `case_roots`, the `--cases` paths). Files are named relative to their
/// root (`specs/alibaba-kms/ListKeys.yaml`, `cases/huawei-kms/CreateAlias.yaml`), so that a
/// checkout in another folder has the same digest. A file that cannot be read (it was read a moment ago) counts as `unreadable`.
pub(crate) fn suite_digest(specs: &Path, case_roots: &[PathBuf], suite: &Suite) -> SuiteDigest {
    let mut spec_files = Vec::new();
    yaml_files(specs, &mut spec_files);
    let specs_root = [specs.to_path_buf()];
    let named = spec_files
        .into_iter()
        .map(|p| (format!("specs/{}", name_in(&p, &specs_root)), p))
        .chain(suite.case_files.iter().map(|f| {
            (
                format!("cases/{}", name_in(&f.path, case_roots)),
                f.path.clone(),
            )
        }));
    let mut files = BTreeMap::new();
    for (name, p) in named {
        let digest = match std::fs::read(&p) {
            Ok(bytes) => format!("sha256:{}", hex::encode(Sha256::digest(&bytes))),
            Err(_) => "unreadable".to_string(),
        };
        files.insert(name, digest);
    }
    let mut all = Sha256::new();
    for (name, digest) in &files {
        all.update(name.as_bytes());
        all.update(b"\0");
        all.update(digest.as_bytes());
        all.update(b"\n");
    }
    SuiteDigest {
        digest: format!("sha256:{}", hex::encode(all.finalize())),
        files,
    }
}

/// The files on which two digests differ: changed, or only in one of them.
pub(crate) fn differing_files(a: &SuiteDigest, b: &SuiteDigest) -> Vec<String> {
    let mut out = Vec::new();
    for (name, d) in &a.files {
        match b.files.get(name) {
            Some(e) if e == d => {}
            Some(_) => out.push(format!("{name} (changed)")),
            None => out.push(format!("{name} (only in the first)")),
        }
    }
    for name in b.files.keys() {
        if !a.files.contains_key(name) {
            out.push(format!("{name} (only in the second)"));
        }
    }
    out
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(p);
        }
    }
}
