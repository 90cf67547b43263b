//! The suite: every service, operation and case under a specs and a cases directory.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::case::{Case, CaseFile, Catalog, load_case_file};
use crate::diag::Diagnostic;
use crate::spec::{Operation, Service, load_operation, load_service};
use crate::yaml::Pos;

/// Everything a run or a lint needs from the user's files.
#[derive(Debug)]
pub struct Suite {
    /// Services by name.
    pub services: BTreeMap<String, Service>,
    /// Operations by `<service>/<Operation>`.
    pub operations: BTreeMap<String, Operation>,
    /// Case files in path order.
    pub case_files: Vec<CaseFile>,
}

impl Suite {
    /// Loads the specs under `specs_dir` and the given case files or directories; returns every
    /// problem found in any file, not just the first.
    pub fn load(specs_dir: &Path, case_paths: &[PathBuf]) -> Result<Suite, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let (services, operations, broken_services) = load_specs(specs_dir, &mut diags);
        let catalog = Catalog {
            services: &services,
            operations: &operations,
            broken_services: &broken_services,
        };
        let mut case_files = Vec::new();
        for file in expand_yaml_paths(case_paths, &mut diags) {
            match load_case_file(&file, &catalog) {
                Ok(cf) => case_files.push(cf),
                Err(mut d) => diags.append(&mut d),
            }
        }
        check_doc_note_cases(&operations, &case_files, &mut diags);
        if diags.is_empty() {
            Ok(Suite {
                services,
                operations,
                case_files,
            })
        } else {
            Err(diags)
        }
    }

    /// Every case, sorted by its trial name.
    pub fn cases(&self) -> Vec<&Case> {
        let mut all: Vec<&Case> = self.case_files.iter().flat_map(|f| &f.cases).collect();
        all.sort_by_key(|c| c.id());
        all
    }
}

/// Loads every `service.yaml` and operation file under `dir`.
/// Returns services, operations, and the names of service directories that failed to load.
fn load_specs(
    dir: &Path,
    diags: &mut Vec<Diagnostic>,
) -> (
    BTreeMap<String, Service>,
    BTreeMap<String, Operation>,
    BTreeSet<String>,
) {
    let mut services = BTreeMap::new();
    let mut operations = BTreeMap::new();
    let mut broken = BTreeSet::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        diags.push(
            Diagnostic::new(dir, Pos::default(), "cannot read the specs directory")
                .with_class("io")
                .with_hint("run from the project root, or pass `--specs DIR`"),
        );
        return (services, operations, broken);
    };
    let mut service_dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    service_dirs.sort();
    for sdir in service_dirs {
        let service_file = sdir.join("service.yaml");
        if !service_file.exists() {
            diags.push(
                Diagnostic::new(
                    &sdir,
                    Pos::default(),
                    "a service directory without `service.yaml`",
                )
                .with_class("missing-file")
                .with_hint("add service.yaml (see docs/formats.md), or remove the directory"),
            );
            continue;
        }
        let service = match load_service(&service_file) {
            Ok(s) => s,
            Err(mut d) => {
                diags.append(&mut d);
                if let Some(name) = sdir.file_name() {
                    broken.insert(name.to_string_lossy().into_owned());
                }
                continue;
            }
        };
        for file in yaml_files_in(&sdir) {
            if file.file_name().is_some_and(|n| n == "service.yaml") {
                continue;
            }
            match load_operation(&file, &service) {
                Ok(op) => {
                    operations.insert(op.id(), op);
                }
                Err(mut d) => diags.append(&mut d),
            }
        }
        services.insert(service.name.clone(), service);
    }
    (services, operations, broken)
}

/// The `.yaml` files directly in a directory, sorted.
fn yaml_files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    files
}

/// Expands directories (recursively) into their YAML files.
fn expand_yaml_paths(paths: &[PathBuf], diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut stack = vec![p.clone()];
            while let Some(d) = stack.pop() {
                out.extend(yaml_files_in(&d));
                if let Ok(entries) = std::fs::read_dir(&d) {
                    stack.extend(
                        entries
                            .filter_map(Result::ok)
                            .map(|e| e.path())
                            .filter(|p| p.is_dir()),
                    );
                }
            }
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            diags.push(
                Diagnostic::new(p, Pos::default(), "no such file or directory")
                    .with_class("io")
                    .with_hint("check the path"),
            );
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Every case a doc note names must exist in the operation's own case file,
/// `<cases dir>/<service>/<Operation>.yaml` (other case files are not held to it).
fn check_doc_note_cases(
    operations: &BTreeMap<String, Operation>,
    case_files: &[CaseFile],
    diags: &mut Vec<Diagnostic>,
) {
    for op in operations.values() {
        let own = Path::new(&op.service).join(format!("{}.yaml", op.name));
        let Some(cf) = case_files
            .iter()
            .find(|f| f.operation == op.id() && f.path.ends_with(&own))
        else {
            continue;
        };
        for note in &op.doc_notes {
            for name in &note.cases {
                if !cf.cases.iter().any(|c| &c.name == name) {
                    let mut d = Diagnostic::new(
                        &op.file,
                        note.pos,
                        format!(
                            "doc note `{}` names case `{name}`, which {} does not have",
                            note.id,
                            cf.path.display()
                        ),
                    )
                    .with_class("unknown-case")
                    .with_hint("fix the case name in the doc note's `cases`, or add the case");
                    if let Ok(text) = std::fs::read_to_string(&op.file) {
                        d.attach(&text);
                    }
                    diags.push(d);
                }
            }
        }
    }
}
