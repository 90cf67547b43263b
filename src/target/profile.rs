//! Reading a target profile (YAML) into a resolved [`Target`], secrets included.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::TargetError;
use super::secret::{Secret, SecretSource};
use crate::diag::Diagnostic;
use crate::sign::Credentials;
use crate::sign::aws_sigv4::Scope;
use crate::vars::Vars;
use crate::yaml::{Node, NodeKind, Reader, parse_file};

/// A target: per service, an endpoint, auth and variables.
#[derive(Debug, Clone)]
pub struct Target {
    /// The name shown in reports.
    pub name: String,
    /// The profile file, if it came from one.
    pub file: Option<PathBuf>,
    /// True for the embedded emulator (mutating cases always allowed).
    pub embedded: bool,
    /// True when the profile says `disposable: true`: a target whose state may be changed
    /// (your own emulator), so mutating cases run without `--allow-mutations`.
    pub disposable: bool,
    /// Per service name.
    pub services: BTreeMap<String, ServiceTarget>,
}

/// How to reach one service of a target.
#[derive(Debug, Clone)]
pub struct ServiceTarget {
    /// Base URL, placeholders already filled (`http://127.0.0.1:8080`).
    pub endpoint: String,
    /// How requests are signed.
    pub auth: Auth,
    /// Variables cases may use (`region`, `project_id`, ...).
    pub vars: Vars,
}

/// Request authentication, with resolved secrets.
#[derive(Debug, Clone)]
pub enum Auth {
    /// Unsigned requests.
    None,
    /// Alibaba RPC signature V1 (HMAC-SHA1).
    AlibabaV1(Credentials),
    /// Alibaba ACS3-HMAC-SHA256.
    AlibabaV3(Credentials),
    /// Huawei SDK-HMAC-SHA256 (AK/SK).
    HuaweiAksk(Credentials),
    /// Huawei X-Auth-Token.
    HuaweiToken(Secret),
    /// AWS Signature Version 4, for a region and a signing service name.
    AwsSigV4 {
        /// The access key, its secret and any session token.
        credentials: Credentials,
        /// The region and signing service of the credential scope.
        scope: Scope,
    },
}

impl Auth {
    /// The kind's name as written in profiles.
    pub fn kind(&self) -> &'static str {
        match self {
            Auth::None => "none",
            Auth::AlibabaV1(_) => "alibaba-v1",
            Auth::AlibabaV3(_) => "alibaba-v3",
            Auth::HuaweiAksk(_) => "huawei-aksk",
            Auth::HuaweiToken(_) => "huawei-token",
            Auth::AwsSigV4 { .. } => "aws-sigv4",
        }
    }

    /// Every secret value this auth holds, for redaction of anything written.
    pub fn secrets(&self) -> Vec<String> {
        match self {
            Auth::None => Vec::new(),
            Auth::AlibabaV1(c)
            | Auth::AlibabaV3(c)
            | Auth::HuaweiAksk(c)
            | Auth::AwsSigV4 { credentials: c, .. } => {
                let mut v = vec![c.secret().to_string()];
                v.extend(c.security_token().map(str::to_string));
                v
            }
            Auth::HuaweiToken(t) => vec![t.expose().to_string()],
        }
    }
}

/// Reads and resolves a target profile; every problem (including unset environment variables)
/// is reported with its place before any request is sent.
/// Variables given in `overrides` (`--var`) replace the profile's, so an unset environment
/// variable behind one of them is not an error.
pub fn load_target(path: &Path, overrides: &Vars) -> Result<Target, Vec<Diagnostic>> {
    let (source, root) = parse_file(path).map_err(|d| vec![d])?;
    let mut r = Reader::new(&source);
    let target = read_target(&mut r, &root, path, overrides);
    match target {
        Some(t) if r.diags.is_empty() => Ok(t),
        _ => Err(r.diags.into_iter().map(without_userinfo).collect()),
    }
}

/// A diagnostic about a profile without any endpoint's `user:password@`, in its message or its
/// quoted line: every error about a profile goes through this.
pub(super) fn without_userinfo(mut d: Diagnostic) -> Diagnostic {
    d.message = crate::redact::without_userinfo(&d.message);
    d.line_text = d.line_text.as_deref().map(crate::redact::without_userinfo);
    d
}

fn read_target(r: &mut Reader<'_>, root: &Node, path: &Path, overrides: &Vars) -> Option<Target> {
    let f = r.map(
        root,
        "a target profile",
        &["name", "disposable", "services"],
    )?;
    let name = f
        .req(r, "name", "a target profile")
        .and_then(|n| r.string(n, "`name`"));
    let disposable = match f.get("disposable") {
        None => Some(false),
        Some(n) => r.boolean(n, "`disposable`"),
    };
    let services_node = f.req(r, "services", "a target profile")?;
    let Some(entries) = services_node.as_map() else {
        r.wrong_type(
            services_node,
            "`services`",
            "a mapping of service name to its settings",
        );
        return None;
    };
    let mut services = BTreeMap::new();
    for (k, v) in entries {
        let Some(service) = r.string(k, "a service name") else {
            continue;
        };
        if let Some(st) = read_service_target(r, v, &service, overrides) {
            services.insert(service, st);
        }
    }
    Some(Target {
        name: name?,
        file: Some(path.to_path_buf()),
        embedded: false,
        disposable: disposable?,
        services,
    })
}

fn read_service_target(
    r: &mut Reader<'_>,
    node: &Node,
    service: &str,
    overrides: &Vars,
) -> Option<ServiceTarget> {
    let what = format!("service `{service}`");
    let f = r.map(node, &what, &["endpoint", "auth", "vars"])?;
    let mut vars = Vars::new();
    let mut declared = std::collections::BTreeSet::new();
    if let Some(vn) = f.get("vars") {
        match vn.as_map() {
            Some(entries) => {
                for (k, v) in entries {
                    let Some(name) = r.string(k, "a variable name") else {
                        continue;
                    };
                    declared.insert(name.clone());
                    if let Some(value) = overrides.get(&name) {
                        vars.insert(name, value.clone());
                    } else if let Some(value) = read_var_value(r, v, &name) {
                        vars.insert(name, value);
                    }
                }
            }
            None => r.wrong_type(vn, "`vars`", "a mapping of variable name to value"),
        }
    }
    let endpoint_node = f.req(r, "endpoint", &what)?;
    let template = r.string(endpoint_node, "`endpoint`")?;
    let endpoint = fill_endpoint(&template, &vars).map_err(|e| {
        let TargetError::EndpointVariable(missing) = &e else {
            return;
        };
        if declared.contains(missing) {
            return; // already reported where the variable is declared
        }
        r.error_hint(
            endpoint_node.pos,
            "unknown-variable",
            e.to_string(),
            format!("add `{missing}: ...` under `vars` of {what}"),
        );
    });
    if let Ok(e) = &endpoint
        && let Err(unusable) = check_endpoint(e)
    {
        r.error_hint(
            endpoint_node.pos,
            "bad-value",
            unusable.to_string(),
            "write a URL such as `http://127.0.0.1:8080` or `https://kms.{region}.aliyuncs.com`",
        );
    }
    let auth = match f.get("auth") {
        Some(an) => read_auth(r, an, &vars)?,
        None => Auth::None,
    };
    Some(ServiceTarget {
        endpoint: endpoint.ok()?,
        auth,
        vars,
    })
}

/// Refuses an endpoint that is not an http or https URL.
fn check_endpoint(endpoint: &str) -> Result<(), TargetError> {
    let url = url::Url::parse(endpoint).map_err(|source| TargetError::EndpointUrl {
        endpoint: endpoint.to_string(),
        source,
    })?;
    if url.scheme() == "http" || url.scheme() == "https" {
        Ok(())
    } else {
        Err(TargetError::EndpointScheme {
            endpoint: endpoint.to_string(),
            scheme: url.scheme().to_string(),
        })
    }
}

/// Replaces `{name}` in an endpoint template with variables; the error is the missing name.
pub(crate) fn fill_endpoint(template: &str, vars: &Vars) -> Result<String, TargetError> {
    let mut out = template.to_string();
    for name in crate::spec::path_placeholders(template) {
        let v = vars
            .get(&name)
            .ok_or_else(|| TargetError::EndpointVariable(name.clone()))?;
        out = out.replace(&format!("{{{name}}}"), &crate::pointer::scalar_text(v));
    }
    Ok(out.trim_end_matches('/').to_string())
}

/// A variable is a scalar, or `{ env: NAME }` read now.
fn read_var_value(r: &mut Reader<'_>, node: &Node, name: &str) -> Option<Value> {
    if let NodeKind::Map(_) = node.kind {
        let src = read_secret_source(r, node, &format!("variable `{name}`"))?;
        return match src.resolve() {
            Ok(v) => Some(Value::String(v.expose().to_string())),
            Err(e) => {
                r.error_hint(
                    source_pos(node),
                    "unset-env",
                    e.to_string(),
                    format!("set it before the run, pass `--var {name}=...`, or write `{name}` in the profile"),
                );
                None
            }
        };
    }
    Some(node.to_json())
}

/// Where to point about a secret source: at the variable name or path, not the brace.
fn source_pos(node: &Node) -> crate::yaml::Pos {
    node.get("env")
        .or_else(|| node.get("file"))
        .map(|n| n.pos)
        .unwrap_or(node.pos)
}

/// Reads `{ env: NAME }`, `{ env: [A, B] }` or `{ file: PATH }`.
fn read_secret_source(r: &mut Reader<'_>, node: &Node, what: &str) -> Option<SecretSource> {
    if node.as_str().is_some() {
        r.error_hint(
            node.pos,
            "literal-secret",
            format!("{what} is written in the profile"),
            "never write a secret in a file that may be committed: use `{ env: NAME }` or `{ file: PATH }`",
        );
        // Point at the secret without showing it.
        if let Some(d) = r.diags.last_mut() {
            d.line_text = d
                .line_text
                .as_deref()
                .map(|l| crate::redact::hide_from_column(l, d.pos.col));
        }
        return None;
    }
    let f = r.map(node, what, &["env", "file"])?;
    match (f.get("env"), f.get("file")) {
        (Some(e), None) => {
            let names = match &e.kind {
                NodeKind::Str(s) => vec![s.clone()],
                NodeKind::Seq(_) => r.strings(e, "`env`")?,
                _ => {
                    r.wrong_type(e, "`env`", "a variable name or a list of them");
                    return None;
                }
            };
            Some(SecretSource::Env(names))
        }
        (None, Some(p)) => Some(SecretSource::File(PathBuf::from(r.string(p, "`file`")?))),
        _ => {
            r.error_hint(
                node.pos,
                "bad-value",
                format!("{what} needs exactly one of `env` or `file`"),
                "write `{ env: NAME }` or `{ file: PATH }`",
            );
            None
        }
    }
}

/// Reads a secret and resolves it, reporting an unset variable at its place.
fn read_secret(
    r: &mut Reader<'_>,
    f: &crate::yaml::Fields<'_>,
    key: &str,
    what: &str,
    required: bool,
) -> Option<Option<Secret>> {
    let Some(node) = f.get(key) else {
        if required {
            r.error_hint(
                f.node.pos,
                "missing-key",
                format!("{what} has no `{key}`"),
                format!("add `{key}: {{ env: NAME }}`"),
            );
            return None;
        }
        return Some(None);
    };
    let src = read_secret_source(r, node, &format!("`{key}`"))?;
    match src.resolve() {
        Ok(s) => Some(Some(s)),
        Err(e) if required => {
            r.error_hint(
                source_pos(node),
                "unset-env",
                format!("{e} (needed for `{key}`)"),
                format!("set it before the run ({})", src.describe()),
            );
            None
        }
        Err(_) => Some(None),
    }
}

fn read_auth(r: &mut Reader<'_>, node: &Node, vars: &Vars) -> Option<Auth> {
    let keys = [
        "kind",
        "region",
        "service",
        "credentials",
        "access_key_id",
        "access_key_secret",
        "security_token",
        "ak",
        "sk",
        "token",
    ];
    let f = r.map(node, "`auth`", &keys)?;
    let kind = f.req(r, "kind", "`auth`").and_then(|n| {
        r.one_of(
            n,
            "auth kind",
            &[
                "none",
                "alibaba-v1",
                "alibaba-v3",
                "huawei-aksk",
                "huawei-token",
                "aws-sigv4",
            ],
        )
    })?;
    if kind == "aws-sigv4" {
        return read_aws_sigv4(r, &f, vars);
    }
    for key in ["region", "service", "credentials"] {
        if let Some(n) = f.get(key) {
            r.error_hint(
                n.pos,
                "unknown-key",
                format!("`{key}` is for auth `aws-sigv4`, not `{kind}`"),
                format!("remove `{key}`"),
            );
        }
    }
    let what = format!("auth `{kind}`");
    let creds = |r: &mut Reader<'_>, id_key: &str, secret_key: &str| -> Option<Credentials> {
        // Read all three before giving up, so every unset variable is reported at once.
        let id = read_secret(r, &f, id_key, &what, true);
        let secret = read_secret(r, &f, secret_key, &what, true);
        let token = read_secret(r, &f, "security_token", &what, false);
        let (id, secret, token) = (id??, secret??, token?);
        let c = Credentials::new(id.expose(), secret.expose());
        Some(match token {
            Some(t) => c.with_security_token(t.expose()),
            None => c,
        })
    };
    Some(match kind {
        "none" => Auth::None,
        "alibaba-v1" => Auth::AlibabaV1(creds(r, "access_key_id", "access_key_secret")?),
        "alibaba-v3" => Auth::AlibabaV3(creds(r, "access_key_id", "access_key_secret")?),
        "huawei-aksk" => Auth::HuaweiAksk(creds(r, "ak", "sk")?),
        _ => Auth::HuaweiToken(read_secret(r, &f, "token", &what, true)??),
    })
}

/// The access key moto's documentation uses for its server mode: any key is accepted there.
pub(super) const DUMMY_AWS_ACCESS_KEY_ID: &str = "testing";
/// The secret that goes with [`DUMMY_AWS_ACCESS_KEY_ID`].
pub(super) const DUMMY_AWS_SECRET: &str = "testing";

/// `kind: aws-sigv4`: `region` (text with `{var}` placeholders, or `{ env: NAME }`), `service`
/// (the signing name, `kms`), and `credentials`: `default` (the SDKs' environment variables,
/// then the shared credentials file) or `dummy` (fixed test credentials, for an emulator).
fn read_aws_sigv4(r: &mut Reader<'_>, f: &crate::yaml::Fields<'_>, vars: &Vars) -> Option<Auth> {
    let what = "auth `aws-sigv4`";
    let region_node = f.req(r, "region", what);
    let region = region_node.and_then(|n| {
        let value = read_var_value(r, n, "region")?;
        let text = crate::pointer::scalar_text(&value);
        match fill_endpoint(&text, vars) {
            Ok(t) if !t.is_empty() => Some(t),
            Ok(_) => {
                r.error_hint(
                    n.pos,
                    "bad-value",
                    "the region is empty",
                    "write `region: us-east-1`",
                );
                None
            }
            Err(e) => {
                r.error_hint(
                    n.pos,
                    "unknown-variable",
                    e.to_string(),
                    "declare the variable under `vars`, or pass `--var NAME=...`",
                );
                None
            }
        }
    });
    let service = f
        .req(r, "service", what)
        .and_then(|n| r.string(n, "`service`"));
    let mode = match f.get("credentials") {
        Some(n) => r.one_of(n, "credentials", &["default", "dummy"]),
        None => Some("default"),
    };
    let credentials = match mode? {
        "dummy" => Some(Credentials::new(DUMMY_AWS_ACCESS_KEY_ID, DUMMY_AWS_SECRET)),
        _ => match super::aws_credentials::Lookup::from_env().resolve() {
            Ok(c) => Some(c),
            Err(e) => {
                r.error_hint(
                    f.get("kind").map(|n| n.pos).unwrap_or(f.node.pos),
                    "unset-env",
                    e.to_string(),
                    "export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add the profile to the shared credentials file",
                );
                None
            }
        },
    };
    Some(Auth::AwsSigV4 {
        credentials: credentials?,
        scope: Scope::new(region?, service?),
    })
}
