//! Building the wire request of a step: protocol layout (RPC or REST), parameters, signing.

use serde_json::{Map, Value};

use super::error::ExecError;
use crate::case::RequestFormat;
use crate::pointer::scalar_text;
use crate::sign::{self, SignableRequest};
use crate::spec::{Location, Operation, Protocol, Service};
use crate::target::{Auth, ServiceTarget};
use crate::vars::Vars;

/// Builds and signs the request of one step. `params` and `extra` are already substituted.
pub fn build_request(
    service: &Service,
    op: &Operation,
    target: &ServiceTarget,
    vars: &Vars,
    params: &[(String, Value)],
    extra: &[(String, Value)],
    raw_body: Option<&str>,
) -> Result<SignableRequest, ExecError> {
    build_request_as(
        service,
        op,
        target,
        vars,
        params,
        extra,
        raw_body,
        RequestFormat::Json,
    )
}

/// [`build_request`] asking an rpc service for `format`: `Format=JSON` with `accept:
/// application/json`, `Format=XML` with `accept: application/xml`, or neither (`none`: the
/// client's own `accept: */*`). Rest requests always ask for JSON.
#[allow(clippy::too_many_arguments)]
pub fn build_request_as(
    service: &Service,
    op: &Operation,
    target: &ServiceTarget,
    vars: &Vars,
    params: &[(String, Value)],
    extra: &[(String, Value)],
    raw_body: Option<&str>,
    format: RequestFormat,
) -> Result<SignableRequest, ExecError> {
    let mut req = match service.protocol {
        Protocol::Rpc => build_rpc(service, op, params, extra, format),
        Protocol::Rest => build_rest(op, vars, params, extra, raw_body)?,
        Protocol::AwsJson => build_aws_json(service, op, params, extra, raw_body),
    };
    sign_request(&mut req, service, target, vars)?;
    Ok(req)
}

/// Text of a parameter value on the wire: strings as they are, everything else as JSON.
fn wire_text(v: &Value) -> String {
    match v {
        Value::Array(_) | Value::Object(_) => v.to_string(),
        other => scalar_text(other),
    }
}

fn build_rpc(
    service: &Service,
    op: &Operation,
    params: &[(String, Value)],
    extra: &[(String, Value)],
    format: RequestFormat,
) -> SignableRequest {
    let mut req = SignableRequest::new(op.request.method.clone(), "/");
    req.query.push(("Action".into(), op.name.clone()));
    if let Some(v) = &service.version {
        req.query.push(("Version".into(), v.clone()));
    }
    let (format_param, accept) = match format {
        RequestFormat::Json => (Some("JSON"), Some("application/json")),
        RequestFormat::Xml => (Some("XML"), Some("application/xml")),
        RequestFormat::None => (None, None),
    };
    if let Some(f) = format_param {
        req.query.push(("Format".into(), f.into()));
    }
    for (k, v) in params.iter().chain(extra) {
        req.query.push((k.clone(), wire_text(v)));
    }
    req.set_header("x-acs-action", op.name.clone());
    if let Some(v) = &service.version {
        req.set_header("x-acs-version", v.clone());
    }
    if let Some(a) = accept {
        req.set_header("accept", a);
    }
    req
}

fn build_rest(
    op: &Operation,
    vars: &Vars,
    params: &[(String, Value)],
    extra: &[(String, Value)],
    raw_body: Option<&str>,
) -> Result<SignableRequest, ExecError> {
    let template = op.request.path.clone().unwrap_or_else(|| "/".into());
    let mut path = template.clone();
    for name in crate::spec::path_placeholders(&template) {
        let value = params
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| wire_text(v))
            .or_else(|| vars.get(&name).map(scalar_text))
            .ok_or_else(|| ExecError::PathParameter { name: name.clone() })?;
        let encoded =
            percent_encoding::utf8_percent_encode(&value, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        path = path.replace(&format!("{{{name}}}"), &encoded);
    }
    let mut req = SignableRequest::new(op.request.method.clone(), path);
    let mut body = Map::new();
    for (k, v) in params {
        match op.request.param(k).map(|p| p.location) {
            Some(Location::Path) => {}
            Some(Location::Query) => req.query.push((k.clone(), wire_text(v))),
            Some(Location::Header) => req.set_header(k, wire_text(v)),
            Some(Location::Body) | None => {
                body.insert(k.clone(), v.clone());
            }
        }
    }
    for (k, v) in extra {
        body.insert(k.clone(), v.clone());
    }
    if let Some(raw) = raw_body {
        req.body = raw.as_bytes().to_vec();
    } else if !body.is_empty() || matches!(op.request.method.as_str(), "POST" | "PUT" | "PATCH") {
        req.body = Value::Object(body).to_string().into_bytes();
    }
    if !req.body.is_empty() {
        req.set_header("content-type", "application/json");
    }
    req.set_header("accept", "application/json");
    Ok(req)
}

/// The AWS JSON 1.1 content type, sent on every aws-json request.
pub(super) const AWS_JSON_CONTENT_TYPE: &str = Protocol::AwsJson.json_media_type();

/// An aws-json request: `POST /`, the operation named in `X-Amz-Target`, every parameter a
/// member of the JSON body (always sent, `{}` when there are none: the protocol has no query).
fn build_aws_json(
    service: &Service,
    op: &Operation,
    params: &[(String, Value)],
    extra: &[(String, Value)],
    raw_body: Option<&str>,
) -> SignableRequest {
    let mut req = SignableRequest::new("POST", "/");
    let prefix = service.target_prefix.as_deref().unwrap_or_default();
    req.set_header("x-amz-target", format!("{prefix}.{}", op.name));
    req.set_header("content-type", AWS_JSON_CONTENT_TYPE);
    req.body = match raw_body {
        Some(raw) => raw.as_bytes().to_vec(),
        None => {
            let body: Map<String, Value> = params
                .iter()
                .chain(extra)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            Value::Object(body).to_string().into_bytes()
        }
    };
    req
}

/// The `host[:port]` of an endpoint, as signers need it.
fn host_of(endpoint: &str) -> Result<String, ExecError> {
    let url = url::Url::parse(endpoint).map_err(|source| ExecError::Endpoint {
        endpoint: endpoint.to_string(),
        source,
    })?;
    let host = url
        .host_str()
        .ok_or_else(|| ExecError::EndpointWithoutHost {
            endpoint: endpoint.to_string(),
        })?;
    Ok(match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    })
}

fn sign_request(
    req: &mut SignableRequest,
    service: &Service,
    target: &ServiceTarget,
    vars: &Vars,
) -> Result<(), ExecError> {
    match &target.auth {
        Auth::None => {}
        Auth::AlibabaV1(c) => {
            if let Some(region) = vars.get("region") {
                req.query.push(("RegionId".into(), scalar_text(region)));
            }
            sign::alibaba_v1::sign_now(req, c, service.version.as_deref());
        }
        Auth::AlibabaV3(c) => {
            // V3 carries the action and version in headers only, and no Format (as the Tea SDK
            // sends it); `Format=XML` stays, signed in the query, beside `accept: application/xml`:
            // no SDK asks for XML under V3, so both hints are sent.
            req.remove_query("Action");
            req.remove_query("Version");
            if req.query_param("Format") != Some("XML") {
                req.remove_query("Format");
            }
            sign::alibaba_v3::sign_now(req, c, &host_of(&target.endpoint)?);
        }
        Auth::HuaweiAksk(c) => {
            let project = vars.get("project_id").map(scalar_text);
            sign::huawei::sign_now(req, c, &host_of(&target.endpoint)?, project.as_deref());
        }
        Auth::HuaweiToken(t) => sign::huawei_token::sign(req, t.expose()),
        Auth::AwsSigV4 { credentials, scope } => {
            sign::aws_sigv4::sign_now(req, credentials, scope, &host_of(&target.endpoint)?)
        }
    }
    Ok(())
}
