//! A request as the handlers see it: method, raw path and query, headers and the whole body.

use axum::http::{HeaderMap, Method};
use bytes::Bytes;

/// A fully buffered request (the body is already bounded by the server).
#[derive(Debug, Clone)]
pub(super) struct Incoming {
    /// The HTTP method.
    pub method: Method,
    /// The raw (still percent-encoded) path.
    pub path: String,
    /// The decoded query pairs, in order.
    pub query: Vec<(String, String)>,
    /// The request headers.
    pub headers: HeaderMap,
    /// The request body.
    pub body: Bytes,
}

impl Incoming {
    /// The value of a header as text, when present and valid UTF-8.
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The headers as `(name, value)` text pairs (names lowercase), skipping non-UTF-8 values.
    pub(super) fn header_pairs(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
            .collect()
    }

    /// True when the body is declared as an HTML form (`application/x-www-form-urlencoded`).
    pub(super) fn is_form(&self) -> bool {
        self.header("content-type")
            .map(|ct| {
                ct.to_ascii_lowercase()
                    .contains("application/x-www-form-urlencoded")
            })
            .unwrap_or(false)
    }
}

/// Decodes an `application/x-www-form-urlencoded` string (a query or a form body).
pub(super) fn decode_pairs(raw: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}
