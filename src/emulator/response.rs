//! Building HTTP responses: bodies with their content type and the request-id headers.

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Response, StatusCode, header};

/// A finished response.
pub(super) type HttpResponse = Response<Body>;

/// A response with a body of the given content type and extra headers.
pub(super) fn with_body(
    status: StatusCode,
    content_type: &'static str,
    body: Vec<u8>,
    headers: &[(&'static str, &str)],
) -> HttpResponse {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    add_headers(&mut resp, headers);
    resp
}

/// A JSON response.
pub(super) fn json(
    status: StatusCode,
    value: &impl serde::Serialize,
    headers: &[(&'static str, &str)],
) -> HttpResponse {
    // Sized for a typical list page, so that the buffer rarely grows while it is written.
    let mut body = Vec::with_capacity(2048);
    if serde_json::to_writer(&mut body, value).is_err() {
        body = b"{}".to_vec();
    }
    with_body(status, "application/json;charset=utf-8", body, headers)
}

/// A response without a body (Huawei DeleteAlias, 204).
pub(super) fn empty(status: StatusCode, headers: &[(&'static str, &str)]) -> HttpResponse {
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = status;
    add_headers(&mut resp, headers);
    resp
}

fn add_headers(resp: &mut HttpResponse, headers: &[(&'static str, &str)]) {
    for (name, value) in headers {
        if let Ok(v) = HeaderValue::from_str(value) {
            resp.headers_mut().insert(HeaderName::from_static(name), v);
        }
    }
}
