//! The HTTP request as a signer or verifier sees it.

use std::fmt;

use url::form_urlencoded;

use super::encode;

/// Header names whose values are bearer secrets or signatures, hidden by `Debug`.
const REDACTED_HEADERS: [&str; 4] = [
    "authorization",
    "x-auth-token",
    "x-security-token",
    "x-acs-security-token",
];

/// Query parameter names whose values are hidden by `Debug`.
const REDACTED_PARAMS: [&str; 2] = ["SecurityToken", "Signature"];

/// An owned HTTP request: method, raw path, decoded query pairs, headers and body.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SignableRequest {
    /// The method as sent, e.g. `POST`.
    pub method: String,
    /// The raw path without the query, e.g. `/v1.0/pid/kms/aliases`.
    pub path: String,
    /// Decoded query name/value pairs, in order.
    pub query: Vec<(String, String)>,
    /// Header name/value pairs, in order; names compare case-insensitively.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl SignableRequest {
    /// A request with no query, headers or body.
    pub fn new(method: impl Into<String>, path: impl Into<String>) -> Self {
        Self {
            method: method.into(),
            path: path.into(),
            ..Self::default()
        }
    }

    /// A request from a raw `path?query`; the query is decoded like a form (`+` is a space).
    pub fn from_path_and_query(method: impl Into<String>, path_and_query: &str) -> Self {
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        Self {
            query: form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect(),
            ..Self::new(method, path)
        }
    }

    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Sets header `name` to `value`, replacing every header of that name (case-insensitive).
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        self.remove_header(name);
        self.headers.push((name.to_string(), value.into()));
    }

    /// Removes every header named `name` (case-insensitive).
    pub fn remove_header(&mut self, name: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }

    /// The value of the first query parameter named exactly `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets query parameter `name` to `value`, replacing every parameter of that name.
    pub fn set_query(&mut self, name: &str, value: impl Into<String>) {
        self.remove_query(name);
        self.query.push((name.to_string(), value.into()));
    }

    /// Removes every query parameter named `name`.
    pub fn remove_query(&mut self, name: &str) {
        self.query.retain(|(n, _)| n != name);
    }

    /// The body's parameters when `Content-Type` is `application/x-www-form-urlencoded`, else none.
    pub fn form_params(&self) -> Vec<(String, String)> {
        let is_form = self.header("content-type").is_some_and(|ct| {
            ct.split(';').next().is_some_and(|mime| {
                mime.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        });
        if !is_form {
            return Vec::new();
        }
        form_urlencoded::parse(&self.body).into_owned().collect()
    }

    /// The query as it goes on the wire: pairs in order, RFC 3986-encoded, joined with `&`.
    pub fn encoded_query(&self) -> String {
        self.query
            .iter()
            .map(|(k, v)| format!("{}={}", encode::alibaba(k), encode::alibaba(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Replaces a value by a marker when its name is in `hidden`.
fn shown<'a>(name: &str, value: &'a str, hidden: &[&str], ignore_case: bool) -> &'a str {
    let hit = hidden.iter().any(|h| {
        if ignore_case {
            h.eq_ignore_ascii_case(name)
        } else {
            *h == name
        }
    });
    if hit { "<redacted>" } else { value }
}

impl fmt::Debug for SignableRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let query: Vec<(&str, &str)> = self
            .query
            .iter()
            .map(|(n, v)| (n.as_str(), shown(n, v, &REDACTED_PARAMS, false)))
            .collect();
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), shown(n, v, &REDACTED_HEADERS, true)))
            .collect();
        f.debug_struct("SignableRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &query)
            .field("headers", &headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_path_and_decodes_query() {
        let req = SignableRequest::from_path_and_query(
            "POST",
            "/?AliasName=alias%2Ftest&SignatureType=&Note=a+b%20c&Flag",
        );
        assert_eq!(req.path, "/");
        assert_eq!(
            req.query,
            vec![
                ("AliasName".to_string(), "alias/test".to_string()),
                ("SignatureType".to_string(), String::new()),
                ("Note".to_string(), "a b c".to_string()),
                ("Flag".to_string(), String::new()),
            ]
        );
        assert_eq!(SignableRequest::from_path_and_query("GET", "/p").path, "/p");
    }

    #[test]
    fn headers_are_case_insensitive_and_set_replaces() {
        let mut req = SignableRequest::new("GET", "/");
        req.headers.push(("Content-Type".into(), "a".into()));
        req.headers.push(("content-type".into(), "b".into()));
        assert_eq!(req.header("CONTENT-TYPE"), Some("a"));
        req.set_header("Content-Type", "c");
        assert_eq!(req.headers, vec![("Content-Type".into(), "c".into())]);
        req.remove_header("content-TYPE");
        assert!(req.headers.is_empty());
    }

    #[test]
    fn query_set_replaces_and_encodes_for_the_wire() {
        let mut req = SignableRequest::new("GET", "/");
        req.set_query("A", "1");
        req.set_query("B", "x y/z*~");
        req.set_query("A", "2");
        assert_eq!(req.query_param("A"), Some("2"));
        assert_eq!(req.encoded_query(), "B=x%20y%2Fz%2A~&A=2");
    }

    #[test]
    fn form_params_only_for_form_bodies() {
        let mut req = SignableRequest::new("POST", "/");
        req.body = b"KeyId=k1&Name=a+b".to_vec();
        assert!(req.form_params().is_empty());
        req.set_header(
            "Content-Type",
            "application/x-www-form-urlencoded; charset=UTF-8",
        );
        assert_eq!(
            req.form_params(),
            vec![
                ("KeyId".to_string(), "k1".to_string()),
                ("Name".to_string(), "a b".to_string())
            ]
        );
    }

    #[test]
    fn debug_hides_tokens_and_signatures() {
        let mut req = SignableRequest::new("GET", "/");
        req.set_header("X-Auth-Token", "tok-SECRET");
        req.set_header("authorization", "SDK-HMAC-SHA256 sig-SECRET");
        req.set_query("SecurityToken", "sts-SECRET");
        req.set_query("Signature", "v1-SECRET");
        req.set_query("Action", "ListKeys");
        let shown = format!("{req:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("ListKeys"), "{shown}");
    }
}
