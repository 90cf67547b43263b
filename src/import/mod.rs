//! `specgate import`: from a vendor's documentation to a draft spec and derived cases.
//!
//! One reader per source kind fills the intermediate [`model`]; [`derive`](mod@derive) turns
//! the model into cases, [`write`](mod@write) into files. The readers:
//!
//! - [`doc_page`]: a documentation page saved as text (Alibaba or Huawei layout), with the
//!   [`prose`] parser for the constraints written in sentences;
//! - [`alibaba_meta`]: Alibaba Cloud's OpenAPI metadata (`api-docs.json`);
//! - [`huawei_swagger`]: Huawei Cloud's API Explorer definitions (Swagger 2.0);
//! - [`botocore`]: botocore's AWS service models (`service-2.json`).
//!
//! A new source kind (a machine-readable API model) is a new reader module producing
//! [`model::ImportedOperation`]s; detection is in [`detect`]. Beside them: [`check`] compares a
//! source with a spec (`--check`), [`openapi`] writes the specs as OpenAPI (`specgate export`).

pub mod alibaba_meta;
pub mod botocore;
pub mod check;
pub mod derive;
pub mod doc_page;
pub mod huawei_swagger;
pub mod model;
pub mod openapi;
pub mod prose;
pub mod write;

use std::path::{Path, PathBuf};

use crate::exit;

/// The arguments of `specgate import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The source: a vendor documentation page saved as text (Alibaba or Huawei layout), or
    /// Alibaba Cloud's OpenAPI metadata of a product version (`api-docs.json`), or a Huawei
    /// API Explorer definition (Swagger 2.0), or a botocore service model (`service-2.json`).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The operation to import (repeatable); a page holds one, and a Huawei page without SDK
    /// sample code needs its name; a metadata file of several APIs needs at least one.
    #[arg(long = "operation", value_name = "NAME")]
    pub operations: Vec<String>,
    /// The spec directory of the service the operation belongs to (its `service.yaml` is copied
    /// beside the draft). Default: `specs/alibaba-kms` for an Alibaba page, `specs/huawei-kms`
    /// for a Huawei page, `specs/aws-kms` for a botocore model.
    #[arg(long, value_name = "DIR")]
    pub service: Option<PathBuf>,
    /// Where to write `specs/<service>/<Op>.yaml` and `cases/<service>/<Op>.yaml`.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub out: PathBuf,
    /// Replace files that exist with other content.
    #[arg(long)]
    pub force: bool,
    /// Write nothing: compare the source with this spec (an operation file, or a specs
    /// directory holding the operation) and list every disagreement (exit 1 when there is one).
    #[arg(long, value_name = "SPEC")]
    pub check: Option<PathBuf>,
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is not a source kind the importer reads.
    #[error(
        "{file}: not a source `specgate import` reads; expected a vendor documentation page as text, \
         Alibaba OpenAPI metadata (a JSON object with \"apis\"), or a Huawei API Explorer \
         definition (Swagger 2.0: \"swagger\": \"2.0\" and \"paths\"), or a botocore service \
         model (service-2.json: \"metadata\" with \"protocol\", \"operations\" and \"shapes\") \
         (Alibaba page: a \"Request parameters\" section with a \"Parameter Type Required Example Description\" \
         table; Huawei: a \"URI\" line such as \"POST /v1.0/{{project_id}}/kms/aliases\" and \"Table N ...\" \
         parameter blocks)"
    )]
    UnknownKind {
        /// The file.
        file: String,
    },
    /// A page of a known layout without its parameter table.
    #[error("{file}: no parameter table: expected {expected}")]
    NoParameterTable {
        /// The file.
        file: String,
        /// What was looked for.
        expected: String,
    },
    /// The page does not name its operation.
    #[error(
        "{file}: the page does not name its operation (no `Action` row, no SDK sample); pass --operation NAME"
    )]
    NoOperationName {
        /// The file.
        file: String,
    },
    /// `--operation` names an operation the source does not have.
    #[error("{file}: no operation `{wanted}`; the source documents: {}", found.join(", "))]
    OperationNotInSource {
        /// The file.
        file: String,
        /// What was asked for.
        wanted: String,
        /// What the source has.
        found: Vec<String>,
    },
    /// A metadata file of several APIs and no `--operation`.
    #[error(
        "{file}: documents {count} operations ({}{}); pass --operation NAME for each to import",
        some.join(", "),
        if *count > some.len() { ", ..." } else { "" }
    )]
    OperationNeeded {
        /// The file.
        file: String,
        /// How many operations it has.
        count: usize,
        /// The first of them.
        some: Vec<String>,
    },
    /// The source could not be read.
    #[error("{file}: cannot read: {source}")]
    Read {
        /// The file.
        file: String,
        /// Why.
        source: std::io::Error,
    },
    /// The service directory has no `service.yaml`.
    #[error("{dir}: no service.yaml; --service names a spec directory such as specs/alibaba-kms")]
    NoService {
        /// The directory.
        dir: String,
    },
    /// `--check` names no spec of the operation.
    #[error("{path}: no spec of `{operation}` to check against: {why}")]
    NoSpec {
        /// The path given.
        path: String,
        /// The operation read from the source.
        operation: String,
        /// What went wrong (the spec's own errors, or that it is absent).
        why: String,
    },
    /// A file to write exists with other content.
    #[error("{}: exists with other content; nothing was written (pass --force to replace it)", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// Writing failed; nothing was renamed into place.
    #[error("{}: cannot write: {source}; nothing was written", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// What one imported operation yielded, for the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// `<service>/<Operation>`.
    pub operation: String,
    /// Request parameters read.
    pub params: usize,
    /// Constraints turned into checks.
    pub constraints: usize,
    /// Rule sentences kept as notes.
    pub notes: usize,
    /// Documented cases derived.
    pub documented: usize,
    /// Inferred cases derived.
    pub inferred: usize,
    /// The files written (spec, cases, service).
    pub files: Vec<(PathBuf, write::Outcome)>,
}

impl Summary {
    /// The summary line and the files.
    pub fn render(&self) -> String {
        let mut s = format!(
            "{}: {} parameters, {} constraints parsed, {} left as notes, {} cases derived ({} documented, {} inferred)\n",
            self.operation,
            self.params,
            self.constraints,
            self.notes,
            self.documented + self.inferred,
            self.documented,
            self.inferred
        );
        for (p, o) in &self.files {
            let what = match o {
                write::Outcome::Created => "created",
                write::Outcome::Replaced => "replaced",
                write::Outcome::Unchanged => "unchanged",
            };
            s.push_str(&format!("  {what} {}\n", p.display()));
        }
        s
    }
}

/// The operations to read from a source that documents `names`: those `wanted`, or its only
/// one when none is named (a source of several needs `--operation`). `file` names it in errors.
fn chosen(file: &str, names: &[String], wanted: &[String]) -> Result<Vec<String>, ImportError> {
    if !wanted.is_empty() {
        return Ok(wanted.to_vec());
    }
    if names.len() != 1 {
        return Err(ImportError::OperationNeeded {
            file: file.to_string(),
            count: names.len(),
            some: names.iter().take(8).cloned().collect(),
        });
    }
    Ok(names.to_vec())
}

/// Reads the source into operations: detects its kind and calls its reader.
pub fn detect(
    file: &Path,
    operations: &[String],
) -> Result<Vec<model::ImportedOperation>, ImportError> {
    let shown = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|source| ImportError::Read {
        file: shown.clone(),
        source,
    })?;
    let at = file
        .file_name()
        .map_or(shown.clone(), |n| n.to_string_lossy().into_owned());
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) {
        if alibaba_meta::looks_like(&json) {
            return alibaba_meta::read(&json, &shown, &at, operations);
        }
        if huawei_swagger::looks_like(&json) {
            return huawei_swagger::read(&json, &shown, &at, operations);
        }
        if botocore::looks_like(&json) {
            return botocore::read(&json, file, &at, operations);
        }
        return Err(ImportError::UnknownKind { file: shown });
    }
    if doc_page::layout(&text).is_none() {
        return Err(ImportError::UnknownKind { file: shown });
    }
    if operations.len() > 1 {
        return Err(ImportError::OperationNotInSource {
            file: shown,
            wanted: operations[1].clone(),
            found: vec!["one operation per page".into()],
        });
    }
    doc_page::read(&text, &at, operations.first().map(String::as_str))
        .map(|op| vec![op])
        .map_err(|e| match e {
            // Errors name the path as given, not only the file name.
            ImportError::NoParameterTable { expected, .. } => ImportError::NoParameterTable {
                file: shown.clone(),
                expected,
            },
            other => other,
        })
}

/// Imports `args.file`: returns each operation's summary after writing all files, or why
/// nothing was written.
pub fn import(args: &ImportArgs) -> Result<Vec<Summary>, ImportError> {
    let ops = detect(&args.file, &args.operations)?;
    let mut planned = Vec::new();
    let mut summaries = Vec::new();
    for op in &ops {
        let service_dir = args.service.clone().unwrap_or_else(|| {
            PathBuf::from(match op.style {
                model::Style::Rpc => "specs/alibaba-kms",
                model::Style::Rest => "specs/huawei-kms",
                model::Style::AwsJson => "specs/aws-kms",
            })
        });
        let service_yaml =
            std::fs::read_to_string(service_dir.join("service.yaml")).map_err(|_| {
                ImportError::NoService {
                    dir: service_dir.display().to_string(),
                }
            })?;
        let service = service_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let derived = derive::derive(op);
        let spec_path = args
            .out
            .join("specs")
            .join(&service)
            .join(format!("{}.yaml", op.name));
        let case_path = args
            .out
            .join("cases")
            .join(&service)
            .join(format!("{}.yaml", op.name));
        let svc_path = args.out.join("specs").join(&service).join("service.yaml");
        let first = planned.len();
        planned.push(write::Planned {
            path: spec_path,
            text: write::spec_yaml(op, &derived),
        });
        planned.push(write::Planned {
            path: case_path,
            text: write::cases_yaml(&service, op, &derived),
        });
        if !planned.iter().any(|p: &write::Planned| p.path == svc_path) {
            planned.push(write::Planned {
                path: svc_path,
                text: service_yaml,
            });
        }
        summaries.push((
            first,
            Summary {
                operation: format!("{service}/{}", op.name),
                params: op.params.len(),
                constraints: op.params.iter().map(|p| p.constraints.len()).sum(),
                notes: op.params.iter().map(|p| p.notes.len()).sum(),
                documented: derived.count("documented"),
                inferred: derived.count("inferred"),
                files: Vec::new(),
            },
        ));
    }
    let outcomes = write::write_all(&planned, args.force)?;
    let n = summaries.len();
    Ok(summaries
        .into_iter()
        .enumerate()
        .map(|(i, (first, mut s))| {
            let end = if i + 1 < n { first + 3 } else { planned.len() };
            for j in first..end.min(planned.len()) {
                s.files.push((planned[j].path.clone(), outcomes[j]));
            }
            s
        })
        .collect())
}

/// Compares every operation of the source with its spec under `spec_path`.
pub fn check_against(
    file: &Path,
    operations: &[String],
    spec_path: &Path,
) -> Result<Vec<(String, check::Comparison)>, ImportError> {
    let ops = detect(file, operations)?;
    let (root, service) = if spec_path.is_file() {
        let dir = spec_path.parent().unwrap_or(Path::new("."));
        let service = dir.file_name().map(|n| n.to_string_lossy().into_owned());
        (
            dir.parent().unwrap_or(Path::new(".")).to_path_buf(),
            service,
        )
    } else if spec_path.join("service.yaml").is_file() {
        let service = spec_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        (
            spec_path.parent().unwrap_or(Path::new(".")).to_path_buf(),
            service,
        )
    } else {
        (spec_path.to_path_buf(), None)
    };
    let no_spec = |op: &str, why: String| ImportError::NoSpec {
        path: spec_path.display().to_string(),
        operation: op.to_string(),
        why,
    };
    let suite = crate::suite::Suite::load(&root, &[]).map_err(|diags| {
        let first = diags.first().map(|d| d.message.clone()).unwrap_or_default();
        no_spec(
            &ops[0].name,
            format!(
                "the specs do not load ({} errors; first: {first})",
                diags.len()
            ),
        )
    })?;
    let mut out = Vec::new();
    for op in &ops {
        let spec = suite
            .operations
            .values()
            .find(|s| {
                let protocol = match op.style {
                    model::Style::Rpc => crate::spec::Protocol::Rpc,
                    model::Style::Rest => crate::spec::Protocol::Rest,
                    model::Style::AwsJson => crate::spec::Protocol::AwsJson,
                };
                s.name == op.name
                    && service.as_ref().is_none_or(|sv| &s.service == sv)
                    && suite
                        .services
                        .get(&s.service)
                        .is_none_or(|sv| sv.protocol == protocol)
            })
            .ok_or_else(|| no_spec(&op.name, "no operation file of that name".into()))?;
        out.push((spec.id(), check::compare(op, spec)));
    }
    Ok(out)
}

fn run_check(args: &ImportArgs, spec: &Path) -> u8 {
    match check_against(&args.file, &args.operations, spec) {
        Ok(results) => {
            let mut any = false;
            for (id, c) in results {
                println!(
                    "{id}: {} disagreements; the source has {}/{} of the spec's parameters and {}/{} of its response fields",
                    c.disagreements.len(),
                    c.found_params.len(),
                    c.spec_params.len(),
                    c.found_fields.len(),
                    c.spec_fields.len()
                );
                for d in &c.disagreements {
                    println!("  {d}");
                }
                any |= !c.disagreements.is_empty();
            }
            if any { exit::GATE_FAILED } else { exit::OK }
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit::BAD_INPUT
        }
    }
}

/// The command: prints the summary, or the error (exit 3, nothing written).
pub fn run(args: &ImportArgs) -> u8 {
    if let Some(spec) = &args.check {
        return run_check(args, spec);
    }
    match import(args) {
        Ok(summaries) => {
            for s in summaries {
                print!("{}", s.render());
            }
            exit::OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit::BAD_INPUT
        }
    }
}
