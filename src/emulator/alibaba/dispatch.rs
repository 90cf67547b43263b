//! The Alibaba entry point: checks the method, finds the action, authenticates, runs the
//! operation under the state lock and renders the answer (JSON, or XML for `Format=XML`).

use axum::http::{Method, StatusCode};
use serde_json::{Map, Value};

use super::super::auth;
use super::super::config::Config;
use super::super::deviation::Deviation;
use super::super::identity::IDENTITY;
use super::super::ids::uuid_v4;
use super::super::incoming::Incoming;
use super::super::reading;
use super::super::response::{self, HttpResponse};
use super::super::server::Shared;
use super::errors::AliError;
use super::ops;
use super::params::Params;
use super::wire::Body;
use super::xml;

/// The only API version served.
pub(super) const VERSION: &str = "2016-01-20";

/// The response format asked for by `Format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Xml,
}

/// Serves one Alibaba request.
pub(crate) fn handle(shared: &Shared, req: &Incoming) -> HttpResponse {
    let params = Params::from_request(req);
    let cfg = &shared.config;
    // `Format` decides; without it (V3 requests never carry one) an `accept` header that asks
    // for XML or JSON first does; otherwise the reading of `format-default` the emulator follows
    // (JSON by default; docs/emulator.md).
    let asks_xml = match params.get("Format") {
        Some(f) => f.eq_ignore_ascii_case("xml"),
        None => match req.header("accept").and_then(first_media) {
            Some(FirstMedia::Xml) => true,
            Some(FirstMedia::Json) => false,
            None => cfg.readings.is(reading::FORMAT_DEFAULT, "xml"),
        },
    };
    let format = if asks_xml && !cfg.deviates(Deviation::XmlAnsweredJson) {
        Format::Xml
    } else {
        Format::Json
    };
    let request_id = uuid_v4();
    let action = params
        .get("Action")
        .or_else(|| req.header("x-acs-action").filter(|a| !a.is_empty()))
        .unwrap_or("")
        .to_string();
    let mut resp = match run(shared, req, &params, &action) {
        Ok(body) => {
            let body = if action == "ListKeyVersions" && cfg.deviates(Deviation::UnstableOrder) {
                let mut value = body.into_value();
                unstable_order(shared, &params, &mut value);
                Body::Map(value)
            } else {
                body
            };
            success(cfg, format, &action, body, &request_id)
        }
        Err(err) => error(format, &deviate_error(cfg, err), &request_id, cfg),
    };
    if format == Format::Xml && cfg.deviates(Deviation::XmlJsonContentType) {
        resp.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/json;charset=utf-8"),
        );
    }
    resp
}

/// [`Deviation::XmlKeyWrapperDropped`]: `{"Keys": {"Key": [items]}}` becomes `{"Keys": {field:
/// [values]}}`, which renders every key's fields straight inside `<Keys>`.
fn drop_key_wrapper(map: &mut Map<String, Value>) {
    let Some(Value::Array(items)) = map
        .get_mut("Keys")
        .and_then(|k| k.get_mut("Key"))
        .map(Value::take)
    else {
        return;
    };
    let mut fields = Map::new();
    for item in items {
        if let Value::Object(item) = item {
            for (k, v) in item {
                if let Value::Array(values) =
                    fields.entry(k).or_insert_with(|| Value::Array(Vec::new()))
                {
                    values.push(v);
                }
            }
        }
    }
    map.insert("Keys".into(), Value::Object(fields));
}

/// The answer format the first media type of an `accept` header names, if it names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FirstMedia {
    Xml,
    Json,
}

fn first_media(accept: &str) -> Option<FirstMedia> {
    let first = accept.split(',').next().unwrap_or_default();
    let media = first.split(';').next().unwrap_or_default().trim();
    if media.eq_ignore_ascii_case("application/xml") || media.eq_ignore_ascii_case("text/xml") {
        Some(FirstMedia::Xml)
    } else if media.eq_ignore_ascii_case("application/json") {
        Some(FirstMedia::Json)
    } else {
        None
    }
}

/// [`Deviation::UnstableOrder`]: reverses the page's versions on every other listing of the
/// same key with the same PageSize, when the listing spans several pages.
fn unstable_order(shared: &Shared, params: &Params, body: &mut Value) {
    let count = |name: &str| body.get(name).and_then(Value::as_u64).unwrap_or(0);
    if count("TotalCount") <= count("PageSize") {
        return;
    }
    let list = format!(
        "ListKeyVersions {} {}",
        params.get("KeyId").unwrap_or(""),
        params.get("PageSize").unwrap_or("")
    );
    let page = params
        .get("PageNumber")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1);
    if shared.memory.reversed_listing(list, page)
        && let Some(Value::Array(items)) = body.pointer_mut("/KeyVersions/KeyVersion")
    {
        items.reverse();
    }
}

/// The error deviations that change the code or the status of an `InvalidParameter`.
fn deviate_error(cfg: &Config, mut err: AliError) -> AliError {
    if err.code == "InvalidParameter" {
        if cfg.deviates(Deviation::ErrorCodeMisspelt) {
            err.code = "InvalidParamater";
        }
        if cfg.deviates(Deviation::ServerErrorForBadRequest) {
            err.status = StatusCode::INTERNAL_SERVER_ERROR;
        }
    }
    err
}

/// Everything between parsing and rendering; every refusal is an [`AliError`].
fn run(shared: &Shared, req: &Incoming, params: &Params, action: &str) -> Result<Body, AliError> {
    if req.path != "/" {
        return Err(AliError::unknown_action());
    }
    if req.method != Method::GET && req.method != Method::POST {
        return Err(AliError::unsupported_method());
    }
    auth::check_alibaba(&shared.config, req, params)?;
    if action.is_empty() {
        return Err(AliError::missing("Action"));
    }
    let op = ops::lookup(action).ok_or_else(AliError::unknown_action)?;
    let version = params
        .get("Version")
        .or_else(|| req.header("x-acs-version").filter(|v| !v.is_empty()));
    if version.is_some_and(|v| v != VERSION) {
        return Err(AliError::invalid_version());
    }
    let mut state = shared.state();
    op(&mut state.alibaba, params, &shared.config)
}

/// A 200 answer: the operation's body plus `RequestId`.
fn success(
    cfg: &Config,
    format: Format,
    action: &str,
    body: Body,
    request_id: &str,
) -> HttpResponse {
    let wrapped = action == "ListKeyVersions"
        && (cfg.deviates(Deviation::KmsWrapper) || cfg.deviates(Deviation::NonJsonBody));
    let body = match body {
        // A list page in JSON is written straight from its items.
        Body::List(list) if format == Format::Json && !wrapped => {
            let id = (!cfg.deviates(Deviation::MissingRequestId)).then_some(request_id);
            return response::json(
                StatusCode::OK,
                &list.with_request_id(id),
                &[("x-acs-request-id", request_id)],
            );
        }
        other => other.into_value(),
    };
    let mut map = match body {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    if !cfg.deviates(Deviation::MissingRequestId) {
        map.insert("RequestId".into(), Value::String(request_id.to_string()));
    }
    if action == "ListKeyVersions" && cfg.deviates(Deviation::KmsWrapper) {
        let mut outer = Map::new();
        outer.insert("KMS".into(), Value::Object(map));
        map = outer;
    }
    if action == "ListKeyVersions" && format == Format::Json && cfg.deviates(Deviation::NonJsonBody)
    {
        let mut text = serde_json::to_vec(&Value::Object(map)).unwrap_or_default();
        text.truncate(text.len() / 2);
        return response::with_body(
            StatusCode::OK,
            "application/json;charset=utf-8",
            text,
            &[("x-acs-request-id", request_id)],
        );
    }
    if action == "ListKeys"
        && format == Format::Xml
        && cfg.deviates(Deviation::XmlKeyWrapperDropped)
    {
        drop_key_wrapper(&mut map);
    }
    // The XML root element is named after the action; JSON has none.
    let root = match format {
        Format::Xml => format!("{action}Response"),
        Format::Json => String::new(),
    };
    render(
        format,
        StatusCode::OK,
        &root,
        &Value::Object(map),
        request_id,
    )
}

/// An error answer: `{RequestId, HostId, Code, Message, Recommend}` (A14).
pub(super) fn error_body(err: &AliError, request_id: &str) -> Value {
    error_body_named(err, request_id, "Code", "Message")
}

/// An error answer with the code and message under the given names.
fn error_body_named(err: &AliError, request_id: &str, code: &str, message: &str) -> Value {
    let mut m = Map::new();
    m.insert("RequestId".into(), request_id.into());
    m.insert("HostId".into(), IDENTITY.alibaba_host().into());
    m.insert(code.into(), err.code.into());
    m.insert(message.into(), err.message.clone().into());
    m.insert(
        "Recommend".into(),
        format!(
            "https://api.aliyun.com/troubleshoot?q={}&product=Kms&requestId={}",
            err.code, request_id
        )
        .into(),
    );
    Value::Object(m)
}

fn error(format: Format, err: &AliError, request_id: &str, cfg: &Config) -> HttpResponse {
    let body = if cfg.deviates(Deviation::AlibabaErrorShape) {
        error_body_named(err, request_id, "ErrorCode", "ErrorMessage")
    } else {
        error_body(err, request_id)
    };
    render(format, err.status, "Error", &body, request_id)
}

/// The documented throttling answer (400 `Throttling`), for `--throttle-every`.
pub(crate) fn throttled() -> HttpResponse {
    let request_id = uuid_v4();
    let body = error_body(&AliError::throttling(), &request_id);
    render(
        Format::Json,
        StatusCode::BAD_REQUEST,
        "Error",
        &body,
        &request_id,
    )
}

/// The answer to a body over the size limit (JSON: the format is unknown without the body).
pub(crate) fn too_large(limit: usize) -> HttpResponse {
    let request_id = uuid_v4();
    let body = error_body(&AliError::too_large(limit), &request_id);
    render(
        Format::Json,
        StatusCode::PAYLOAD_TOO_LARGE,
        "Error",
        &body,
        &request_id,
    )
}

fn render(
    format: Format,
    status: StatusCode,
    root: &str,
    body: &Value,
    request_id: &str,
) -> HttpResponse {
    let headers = [("x-acs-request-id", request_id)];
    match format {
        Format::Json => response::json(status, body, &headers),
        Format::Xml => response::with_body(
            status,
            "application/xml;charset=utf-8",
            xml::render(root, body).into_bytes(),
            &headers,
        ),
    }
}
