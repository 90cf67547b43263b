//! Reading `service.yaml` into a [`Service`].

use std::collections::BTreeMap;
use std::path::Path;

use super::common::{finish, read_errors, read_pointer, read_schema};
use super::model::*;
use super::volatile::VolatileKind;
use crate::diag::Diagnostic;
use crate::yaml::{Node, Reader, parse_file};

const SERVICE_KEYS: &[&str] = &[
    "service",
    "title",
    "protocol",
    "version",
    "target_prefix",
    "endpoint",
    "auth",
    "vars",
    "error",
    "common_errors",
    "volatile",
];

const AUTH_KINDS: &[&str] = &[
    "none",
    "alibaba-v1",
    "alibaba-v3",
    "huawei-aksk",
    "huawei-token",
    "aws-sigv4",
];

/// Reads a `service.yaml`.
pub fn load_service(path: &Path) -> Result<Service, Vec<Diagnostic>> {
    let (source, root) = parse_file(path).map_err(|d| vec![d])?;
    let mut r = Reader::new(&source);
    let service = read_service(&mut r, &root, path);
    finish(r, service)
}

fn read_service(r: &mut Reader<'_>, root: &Node, path: &Path) -> Option<Service> {
    let f = r.map(root, "a service file", SERVICE_KEYS)?;
    let dir_name = path
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = f
        .req(r, "service", "a service file")
        .and_then(|n| r.string(n, "`service`"));
    if let (Some(n), Some(node)) = (&name, f.get("service"))
        && *n != dir_name
    {
        r.error_hint(
            node.pos,
            "name-mismatch",
            format!("service `{n}` is in directory `{dir_name}`"),
            format!("name the service `{dir_name}`, or move the file to specs/{n}/"),
        );
    }
    let title = f
        .get("title")
        .and_then(|n| r.string(n, "`title`"))
        .unwrap_or_default();
    let protocol = f
        .req(r, "protocol", "a service file")
        .and_then(|n| r.one_of(n, "protocol", &["rpc", "rest", "aws-json"]))
        .map(|p| match p {
            "rpc" => Protocol::Rpc,
            "aws-json" => Protocol::AwsJson,
            _ => Protocol::Rest,
        });
    let version = f.get("version").and_then(|n| r.string(n, "`version`"));
    if protocol == Some(Protocol::Rpc) && version.is_none() {
        r.error_hint(
            f.node.pos,
            "missing-key",
            "an rpc service has no `version`",
            "add `version: \"2016-01-20\"` (the API version sent with every request)",
        );
    }
    let target_prefix = f
        .get("target_prefix")
        .and_then(|n| r.string(n, "`target_prefix`"));
    if protocol == Some(Protocol::AwsJson) && target_prefix.is_none() {
        r.error_hint(
            f.node.pos,
            "missing-key",
            "an aws-json service has no `target_prefix`",
            "add `target_prefix: TrentService` (sent as `X-Amz-Target: TrentService.<Operation>`)",
        );
    }
    let endpoint = f
        .req(r, "endpoint", "a service file")
        .and_then(|n| r.string(n, "`endpoint`"));
    let auth = match f.get("auth") {
        Some(n) => match n.as_seq() {
            Some(items) => items
                .iter()
                .filter_map(|i| r.one_of(i, "auth kind", AUTH_KINDS).map(str::to_string))
                .collect(),
            None => {
                r.wrong_type(n, "`auth`", "a list of auth kinds");
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    let vars = f
        .get("vars")
        .and_then(|n| r.strings(n, "`vars`"))
        .unwrap_or_default();
    let error = f
        .req(r, "error", "a service file")
        .and_then(|n| read_error_shape(r, n));
    let common_errors = f
        .get("common_errors")
        .map(|n| read_errors(r, n, "`common_errors`"))
        .unwrap_or_default();
    let mut volatile = BTreeMap::new();
    if let Some(n) = f.get("volatile") {
        match n.as_map() {
            Some(entries) => {
                for (k, v) in entries {
                    if let (Some(field), Some(kind)) = (
                        r.string(k, "a field name"),
                        r.one_of(v, "volatile kind", VolatileKind::NAMES)
                            .and_then(VolatileKind::from_name),
                    ) {
                        volatile.insert(field, kind);
                    }
                }
            }
            None => r.wrong_type(n, "`volatile`", "a mapping of field name to kind"),
        }
    }
    Some(Service {
        name: name?,
        title,
        protocol: protocol?,
        version,
        target_prefix,
        endpoint: endpoint?,
        auth,
        vars,
        error: error?,
        common_errors,
        volatile,
        file: path.to_path_buf(),
    })
}

fn read_error_shape(r: &mut Reader<'_>, node: &Node) -> Option<ErrorShape> {
    let f = r.map(node, "`error`", &["code", "message", "schema"])?;
    let code = f
        .req(r, "code", "`error`")
        .and_then(|n| read_pointer(r, n, "`error.code`"));
    let message = f
        .req(r, "message", "`error`")
        .and_then(|n| read_pointer(r, n, "`error.message`"));
    let schema = f
        .req(r, "schema", "`error`")
        .and_then(|n| read_schema(r, n));
    Some(ErrorShape {
        code: code?,
        message: message?,
        schema: schema?,
    })
}
