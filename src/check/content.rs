//! The content check: a body is JSON and says so in its Content-Type.
//!
//! Every answer of these APIs carries JSON, except a `204 No Content` with an empty body.

use serde_json::Value;

use crate::finding::{Finding, kinds};

use super::{Observed, truncate_chars};

/// How much of a body that is not JSON is quoted in the finding, in characters.
const QUOTE: usize = 200;

/// True for `application/json` and any `<type>/<subtype>+json`, with or without parameters
/// (`application/json; charset=utf-8`), in any letter case; also the AWS JSON protocol's
/// `application/x-amz-json-1.0` and `-1.1`.
pub fn is_json_media_type(content_type: &str) -> bool {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let Some((ty, subtype)) = media.split_once('/') else {
        return false;
    };
    !ty.is_empty()
        && ((ty == "application" && (subtype == "json" || subtype.starts_with("x-amz-json-")))
            || subtype.ends_with("+json"))
}

/// How many characters of a body that is not JSON the message shows.
const START: usize = 48;

/// Why a body is not JSON: serde_json's reason with its line and column.
fn why_not_json(body: &[u8]) -> String {
    match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
        Err(e) => e.to_string(),
        Ok(_) => "it could not be read as JSON".to_string(),
    }
}

/// The first characters of a body, with control characters written visibly (`\u{1b}`), so that
/// a message cannot carry them; `…` when cut. Nothing else is rewritten, so that the redactor
/// still finds a credential the body may quote.
fn escaped_start(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let start = truncate_chars(&text, START);
    let mut out = crate::redact::escape_controls(start).into_owned();
    if start.len() < text.len() {
        out.push('…');
    }
    out
}

/// Checks that the body is JSON (`transport.not_json`) and that its Content-Type says so
/// (`content-type`). A 204 with an empty body passes; an XML document labelled as XML gets a
/// `content-type` finding; any other body that is not JSON gets only `transport.not_json`.
///
/// `expected` is the media type the service's protocol labels JSON with (`application/json`,
/// `application/x-amz-json-1.1`): what the finding says the label should have been. Any JSON
/// media type passes.
pub fn check_content(observed: &Observed<'_>, expected: &str) -> Vec<Finding> {
    let empty = observed.body.iter().all(u8::is_ascii_whitespace);
    if empty && observed.status == 204 {
        return Vec::new();
    }
    let shown = observed.content_type.unwrap_or("no Content-Type");
    if observed.json.is_none() {
        // An XML document labelled as XML where JSON was expected is the other face of an rpc
        // answer (a conformance difference, e.g. another reading of `format-default`), not a
        // broken exchange.
        if !empty
            && observed
                .content_type
                .is_some_and(crate::xml::is_xml_media_type)
            && crate::xml::read(observed.body, None).is_ok()
        {
            return vec![
                Finding::new(
                    kinds::CONTENT_TYPE,
                    format!("the answer is XML ({shown}), not JSON"),
                )
                .values(expected, shown),
            ];
        }
        let text = String::from_utf8_lossy(observed.body);
        let quoted = truncate_chars(&text, QUOTE);
        let message = if empty {
            format!("the body is empty where JSON was expected ({shown})")
        } else {
            format!(
                "the body is not JSON ({shown}): {}; it starts with \"{}\"",
                why_not_json(observed.body),
                escaped_start(observed.body)
            )
        };
        return vec![
            Finding::new(kinds::NOT_JSON, message)
                .values("a JSON body", Value::String(quoted.to_string())),
        ];
    }
    match observed.content_type {
        Some(ct) if is_json_media_type(ct) => Vec::new(),
        other => vec![
            Finding::new(
                kinds::CONTENT_TYPE,
                format!("the body is JSON but the Content-Type is {shown}"),
            )
            .values(expected, other.map_or(Value::Null, Value::from)),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obs<'a>(
        status: u16,
        ct: Option<&'a str>,
        body: &'a [u8],
        json: Option<&'a Value>,
    ) -> Observed<'a> {
        Observed {
            status,
            content_type: ct,
            body,
            json,
        }
    }

    #[test]
    fn json_media_types() {
        for ok in [
            "application/json",
            "application/json;charset=utf-8",
            "Application/JSON ; charset=UTF-8",
            "application/problem+json",
            "application/x-amz-json-1.1",
        ] {
            assert!(is_json_media_type(ok), "{ok}");
        }
        for bad in [
            "text/plain",
            "text/json",
            "json",
            "application/jsonx",
            "",
            "/json",
        ] {
            assert!(!is_json_media_type(bad), "{bad}");
        }
    }

    #[test]
    fn json_with_a_json_content_type_passes() {
        let v = json!({"a": 1});
        let o = obs(
            200,
            Some("application/json;charset=utf-8"),
            b"{\"a\":1}",
            Some(&v),
        );
        assert!(check_content(&o, "application/json").is_empty());
    }

    #[test]
    fn json_sent_as_text_plain_is_a_content_type_finding() {
        let v = json!({"a": 1});
        let found = check_content(
            &obs(200, Some("text/plain"), b"{\"a\":1}", Some(&v)),
            "application/json",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, kinds::CONTENT_TYPE);
        assert_eq!(found[0].actual, json!("text/plain"));
        let found = check_content(&obs(200, None, b"{\"a\":1}", Some(&v)), "application/json");
        assert_eq!(found[0].kind, kinds::CONTENT_TYPE);
        assert_eq!(found[0].actual, Value::Null);
    }

    /// The finding names the label of the service's protocol (moto's `text/html` answers to an
    /// AWS JSON request should have been `application/x-amz-json-1.1`), and that label passes.
    #[test]
    fn the_expected_label_is_the_protocols() {
        let v = json!({"a": 1});
        let aws = crate::spec::Protocol::AwsJson.json_media_type();
        let html = obs(
            200,
            Some("text/html; charset=utf-8"),
            b"{\"a\":1}",
            Some(&v),
        );
        let found = check_content(&html, aws);
        assert_eq!(found[0].expected, json!("application/x-amz-json-1.1"));
        let labelled = obs(200, Some(aws), b"{\"a\":1}", Some(&v));
        assert!(check_content(&labelled, aws).is_empty());
    }

    #[test]
    fn an_html_body_is_not_json_and_is_quoted() {
        let html = format!("<html><body>{}</body></html>", "x".repeat(500));
        let found = check_content(
            &obs(502, Some("text/html"), html.as_bytes(), None),
            "application/json",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, kinds::NOT_JSON);
        let quoted = found[0].actual.as_str().unwrap();
        assert_eq!(quoted.chars().count(), 200);
        assert!(quoted.starts_with("<html>"));
    }

    /// The message says why the body is not JSON, where, and how it starts, escaped.
    #[test]
    fn a_body_that_is_not_json_says_why_and_where() {
        let found = check_content(
            &obs(
                200,
                Some("application/json"),
                b"{\"a\": 1,\n \"b\": tru\x1b[2J}",
                None,
            ),
            "application/json",
        );
        let m = &found[0].message;
        assert!(m.contains("line 2 column"), "{m}");
        assert!(m.contains("\\u{1b}[2J"), "the ESC byte is escaped: {m}");
        assert!(!m.contains('\x1b'), "{m}");
        let long = check_content(
            &obs(502, Some("text/html"), "<p>".repeat(100).as_bytes(), None),
            "application/json",
        );
        assert!(
            long[0].message.contains("line 1 column 1"),
            "{}",
            long[0].message
        );
        assert!(long[0].message.contains("<p><p>"), "{}", long[0].message);
        assert!(long[0].message.contains('…'), "{}", long[0].message);
    }

    #[test]
    fn an_empty_204_passes_but_an_empty_200_does_not() {
        assert!(check_content(&obs(204, None, b"", None), "application/json").is_empty());
        let found = check_content(
            &obs(200, Some("application/json"), b"", None),
            "application/json",
        );
        assert_eq!(found[0].kind, kinds::NOT_JSON);
        assert!(found[0].message.contains("empty"));
    }

    #[test]
    fn xml_labelled_as_xml_where_json_was_expected_is_a_content_type_finding() {
        let body = b"<ListKeysResponse><PageSize>1</PageSize></ListKeysResponse>";
        let observed = Observed {
            status: 200,
            content_type: Some("text/xml;charset=utf-8"),
            body,
            json: None,
        };
        let found = check_content(&observed, "application/json");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, kinds::CONTENT_TYPE, "{}", found[0].message);
        let observed = Observed {
            content_type: Some("text/plain"),
            ..observed
        };
        assert_eq!(
            check_content(&observed, "application/json")[0].kind,
            kinds::NOT_JSON
        );
    }
}
