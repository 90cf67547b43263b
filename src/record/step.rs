//! One case's exchanges as a recording keeps them: the request as sent (method, path, query and
//! body, without signing parameters and headers) and the answer (status, content type, which
//! request-id header it carried, the body), the whole case masked as one document so that an id
//! captured from one answer and sent in the next request gets the same numbered reference in
//! both (`check::mask`).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::check::mask::mask;
use crate::exec::Exchange;
use crate::spec::VolatileKind;

/// Query or form parameters that belong to the signature or the moment of sending, not to the
/// request: dropped from recordings (their values change on every request).
const SIGNING_PARAMS: &[&str] = &[
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureVersion",
    "SignatureType",
    "Timestamp",
    "AccessKeyId",
    "SecurityToken",
    "X-Amz-Signature",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Security-Token",
];

/// The recorded steps of one case: every exchange in order, masked together.
pub(crate) fn case_steps(
    exchanges: &[Exchange],
    volatile: &BTreeMap<String, VolatileKind>,
    run_prefix: &str,
) -> Vec<Value> {
    let steps: Vec<Value> = exchanges.iter().map(|e| step_doc(e, run_prefix)).collect();
    match mask(&Value::Array(steps), volatile) {
        Value::Array(mut a) => {
            a.iter_mut().for_each(mask_times);
            a
        }
        _ => Vec::new(),
    }
}

/// Whether a member's name says it holds a time (`CreationDate`, `scheduled_deletion_date`,
/// `create_time`): its value is masked to its format even where the spec's `volatile` map
/// does not name it, since a recording must not change with the clock.
fn is_time_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with("date") || n.ends_with("time") || n.ends_with("timestamp")
}

/// Masks the values of time-named members not masked yet, to `<timestamp:FORMAT>`.
fn mask_times(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                let unmasked_text = matches!(x, Value::String(s) if !s.starts_with('<'));
                if is_time_name(k) && (unmasked_text || x.is_number()) {
                    let text = match &*x {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    *x = json!(format!(
                        "<timestamp:{}>",
                        crate::check::mask::skeleton(&text)
                    ));
                } else {
                    mask_times(x);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(mask_times),
        _ => {}
    }
}

/// One exchange, unmasked: `{step, request: {method, path, query, body}, response: {status,
/// content_type, request_id_header, body}}`; `response` is null when no answer came.
fn step_doc(e: &Exchange, run_prefix: &str) -> Value {
    let unprefix = |s: &str| {
        if run_prefix.is_empty() {
            s.to_string()
        } else {
            s.replace(run_prefix, super::RUN_PREFIX)
        }
    };
    let url = unprefix(&e.request.url);
    let (path, query) = split_url(&url);
    let mut request = Map::new();
    request.insert("method".into(), json!(e.request.method));
    request.insert("path".into(), json!(path));
    if !query.is_empty() {
        request.insert("query".into(), Value::Object(query));
    }
    let body = unprefix(&e.request.body);
    if !body.is_empty() {
        request.insert("body".into(), request_body(&body, &e.request.headers));
    }
    let response = match &e.response {
        None => Value::Null,
        Some(r) => {
            let mut out = Map::new();
            out.insert("status".into(), json!(r.status));
            if let Some(ct) = header(&r.headers, "content-type") {
                out.insert("content_type".into(), json!(ct));
            }
            let mut ids: Vec<String> = r
                .headers
                .iter()
                .map(|(n, _)| n.to_ascii_lowercase())
                .filter(|n| n.contains("request-id") || n.contains("requestid"))
                .collect();
            ids.sort();
            ids.dedup();
            if let Some(name) = ids.first() {
                out.insert("request_id_header".into(), json!(name));
            }
            let text = unprefix(&r.body);
            let body = answer_body(&text);
            out.insert("body".into(), body);
            Value::Object(out)
        }
    };
    json!({"step": e.step, "request": request, "response": response})
}

/// An answer's body: JSON as a document, XML as `{root element: content}` (every leaf a
/// string), anything else as text.
fn answer_body(text: &str) -> Value {
    if text.trim().is_empty() {
        return json!(text);
    }
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        return v;
    }
    if text.trim_start().starts_with('<')
        && let Ok(doc) = crate::xml::read(text.as_bytes(), None)
    {
        let mut m = Map::new();
        m.insert(doc.root, doc.value);
        return Value::Object(m);
    }
    json!(text)
}

/// The value of header `name` (any case), if present.
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A request body: JSON as a document, a form as its sorted parameters (signing ones dropped),
/// anything else as text.
fn request_body(body: &str, headers: &[(String, String)]) -> Value {
    if let Ok(v) = serde_json::from_str::<Value>(body) {
        return v;
    }
    let form = header(headers, "content-type")
        .is_some_and(|ct| ct.contains("application/x-www-form-urlencoded"));
    if form {
        return Value::Object(params(body));
    }
    json!(body)
}

/// The path of `url` (without scheme, host and port) and its query parameters.
fn split_url(url: &str) -> (String, Map<String, Value>) {
    match url::Url::parse(url) {
        Ok(u) => (u.path().to_string(), params(u.query().unwrap_or(""))),
        Err(_) => {
            let (p, q) = url.split_once('?').unwrap_or((url, ""));
            (p.to_string(), params(q))
        }
    }
}

/// `a=1&b=2` as an object with sorted names, the signing parameters left out.
fn params(query: &str) -> Map<String, Value> {
    let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .filter(|(k, _)| !SIGNING_PARAMS.contains(&k.as_str()))
        .collect();
    pairs.sort();
    let mut out = Map::new();
    for (k, v) in pairs {
        out.insert(k, json!(v));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::{RecordedRequest, RecordedResponse};

    fn exchange(url: &str, answer: &str) -> Exchange {
        Exchange {
            step: "create".into(),
            request: RecordedRequest {
                method: "POST".into(),
                url: url.into(),
                headers: vec![("Authorization".into(), "secret".into())],
                body: String::new(),
            },
            response: Some(RecordedResponse {
                status: 200,
                headers: vec![
                    ("content-type".into(), "application/json".into()),
                    ("x-acs-request-id".into(), "R-1".into()),
                ],
                body: answer.into(),
            }),
            elapsed_ms: 5,
        }
    }

    #[test]
    fn signing_parameters_headers_and_the_run_prefix_are_left_out() {
        let e = exchange(
            "http://127.0.0.1:4000/?Action=CreateAlias&AliasName=alias/sg-0badcafe-x&Signature=abc&Timestamp=2026-01-01T00:00:00Z",
            r#"{"RequestId":"R-1"}"#,
        );
        let steps = case_steps(&[e], &BTreeMap::new(), "sg-0badcafe");
        let text = serde_json::to_string(&steps).unwrap();
        assert!(text.contains("alias/<run-prefix>-x"), "{text}");
        for gone in ["Signature", "Timestamp", "secret", "4000", "sg-0badcafe"] {
            assert!(!text.contains(gone), "{gone} in {text}");
        }
        assert_eq!(
            steps[0]["response"]["request_id_header"],
            "x-acs-request-id"
        );
        assert_eq!(steps[0]["request"]["query"]["Action"], "CreateAlias");
    }
}
