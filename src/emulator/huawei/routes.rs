//! The Huawei entry point: authenticates, checks the project and the route, runs the operation
//! under the state lock and renders the answer with an `X-Request-Id` header.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::super::auth;
use super::super::deviation::Deviation;
use super::super::identity::IDENTITY;
use super::super::ids::huawei_request_id;
use super::super::incoming::Incoming;
use super::super::response::{self, HttpResponse};
use super::super::server::Shared;
use super::errors::HwError;
use super::fields::JsonBody;
use super::ops::{self, Success};

/// Serves one Huawei request (a path under `/v1.0/`).
pub(crate) fn handle(shared: &Shared, req: &Incoming) -> HttpResponse {
    let request_id = huawei_request_id();
    if let Err(denied) = auth::check_huawei(&shared.config, req) {
        return auth_error(&denied.to_string(), &request_id);
    }
    match run(shared, req) {
        Ok((status, Some(body))) => response::json(status, &body, &[("x-request-id", &request_id)]),
        Ok((status, None)) => response::empty(status, &[("x-request-id", &request_id)]),
        Err(err) if shared.config.deviates(Deviation::HuaweiErrorFlat) => {
            let body = json!({"error_code": err.code, "error_msg": err.message});
            response::json(err.status, &body, &[("x-request-id", &request_id)])
        }
        Err(err) => error(&err, &request_id),
    }
}

/// The operations, by the last path segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Aliases,
    UpdateKeyAlias,
    CreateKey,
    ListKeys,
    ScheduleKeyDeletion,
}

/// Splits `/v1.0/{project_id}/kms/{operation}` (one trailing `/` allowed); a wrong shape or
/// another project is 400 `KMS.0201`.
fn route(path: &str) -> Result<Route, HwError> {
    let rest = path
        .strip_prefix("/v1.0/")
        .ok_or_else(HwError::invalid_url)?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let parts: Vec<&str> = rest.split('/').collect();
    let [project, "kms", op] = parts.as_slice() else {
        return Err(HwError::invalid_url());
    };
    if *project != IDENTITY.project_id {
        return Err(HwError::invalid_url());
    }
    match *op {
        "aliases" => Ok(Route::Aliases),
        "update-key-alias" => Ok(Route::UpdateKeyAlias),
        "create-key" => Ok(Route::CreateKey),
        "list-keys" => Ok(Route::ListKeys),
        "schedule-key-deletion" => Ok(Route::ScheduleKeyDeletion),
        _ => Err(HwError::invalid_url()),
    }
}

fn run(shared: &Shared, req: &Incoming) -> Result<Success, HwError> {
    let route = route(&req.path)?;
    let m = &req.method;
    let cfg = &shared.config;
    let body = || JsonBody::parse(&req.body);
    match (route, m) {
        (Route::Aliases, &Method::GET) => {
            ops::list_aliases(&mut shared.state().huawei, &req.query, cfg)
        }
        (Route::Aliases, &Method::POST) => {
            let b = body()?;
            ops::create_alias(&mut shared.state().huawei, &b, cfg)
        }
        (Route::Aliases, &Method::DELETE) => {
            let b = body()?;
            ops::delete_alias(&mut shared.state().huawei, &b, cfg)
        }
        (Route::UpdateKeyAlias, &Method::POST) => {
            let b = body()?;
            ops::update_key_alias(&mut shared.state().huawei, &b, cfg)
        }
        (Route::CreateKey, &Method::POST) => {
            let b = body()?;
            ops::create_key(&mut shared.state().huawei, &b, cfg)
        }
        (Route::ListKeys, &Method::POST) => {
            let b = body()?;
            ops::list_keys(&mut shared.state().huawei, &b, cfg)
        }
        (Route::ScheduleKeyDeletion, &Method::POST) => {
            let b = body()?;
            ops::schedule_key_deletion(&mut shared.state().huawei, &b, cfg)
        }
        _ => Err(HwError::method_not_allowed()),
    }
}

/// `{"error": {"error_code", "error_msg"}}` (H1).
fn error(err: &HwError, request_id: &str) -> HttpResponse {
    let body = json!({"error": {"error_code": err.code, "error_msg": err.message}});
    response::json(err.status, &body, &[("x-request-id", request_id)])
}

/// The API gateway's flat answer to a failed authentication: 401 `APIGW.0301`.
fn auth_error(message: &str, request_id: &str) -> HttpResponse {
    let body = json!({
        "error_msg": format!("Incorrect IAM authentication information: {message}"),
        "error_code": "APIGW.0301",
        "request_id": request_id,
    });
    response::json(
        StatusCode::UNAUTHORIZED,
        &body,
        &[("x-request-id", request_id)],
    )
}

/// The API gateway's answer to too many requests, for `--throttle-every`: 429 `APIGW.0308`
/// with `Retry-After: 0`.
pub(crate) fn throttled() -> HttpResponse {
    let request_id = huawei_request_id();
    let body = json!({
        "error_msg": "The throttling threshold has been reached.",
        "error_code": "APIGW.0308",
        "request_id": request_id,
    });
    response::json(
        StatusCode::TOO_MANY_REQUESTS,
        &body,
        &[("x-request-id", &request_id), ("retry-after", "0")],
    )
}

/// The answer to a body over the size limit: 400 `KMS.0203`.
pub(crate) fn too_large(_limit: usize) -> HttpResponse {
    error(&HwError::too_long(), &huawei_request_id())
}
