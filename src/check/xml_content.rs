//! The XML face of an rpc answer (`format: xml`): reading the body into the JSON tree that the
//! other checks take, and the content check of an XML answer.

use serde_json::Value;

use crate::finding::{Finding, kinds};
use crate::spec::{Operation, Service};
use crate::xml::{self, XmlError, is_xml_media_type};

use super::{Observed, truncate_chars};

/// How much of a body that is not XML is quoted in the finding, in characters.
const QUOTE: usize = 200;

/// Reads an XML answer into the JSON tree, typed by the schema of its status (the operation's
/// response, or the service's error body for an error status without one).
pub fn read_xml_answer(
    service: &Service,
    op: &Operation,
    status: u16,
    body: &[u8],
) -> Result<Value, XmlError> {
    let schema = op
        .responses
        .get(&status)
        .and_then(|r| r.schema.as_ref())
        .or_else(|| (status >= 400).then_some(&service.error.schema))
        .map(|s| &s.source);
    xml::read(body, schema).map(|doc| doc.value)
}

/// Checks that the body is XML (`content-type` when it is JSON instead, `transport.not_xml`
/// when it is neither) and that its Content-Type says so
/// (`content-type`: `application/xml`, `text/xml` or `*/*+xml`). `observed.json` is the tree
/// [`read_xml_answer`] made of the body, `None` when it could not.
pub fn check_xml_content(observed: &Observed<'_>) -> Vec<Finding> {
    let shown = observed.content_type.unwrap_or("no Content-Type");
    if observed.json.is_none() {
        // A JSON answer where XML was expected is a conformance difference (the target chose the
        // other face), not a broken exchange.
        if serde_json::from_slice::<Value>(observed.body).is_ok() {
            return vec![
                Finding::new(
                    kinds::CONTENT_TYPE,
                    format!("the answer is JSON ({shown}), not XML"),
                )
                .values("an XML body", shown),
            ];
        }
        let why = match xml::read(observed.body, None) {
            Err(e) => e.to_string(),
            Ok(_) => "it could not be read".to_string(),
        };
        let text = String::from_utf8_lossy(observed.body);
        let quoted = truncate_chars(&text, QUOTE);
        return vec![
            Finding::new(
                kinds::NOT_XML,
                format!("the body is not XML ({shown}): {why}"),
            )
            .values("an XML body", Value::String(quoted.to_string())),
        ];
    }
    match observed.content_type {
        Some(ct) if is_xml_media_type(ct) => Vec::new(),
        other => vec![
            Finding::new(
                kinds::CONTENT_TYPE,
                format!("the body is XML but the Content-Type is {shown}"),
            )
            .values("application/xml", other.map_or(Value::Null, Value::from)),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use serde_json::json;

    fn obs<'a>(ct: Option<&'a str>, body: &'a [u8], tree: Option<&'a Value>) -> Observed<'a> {
        Observed {
            status: 200,
            content_type: ct,
            body,
            json: tree,
        }
    }

    #[test]
    fn an_answer_is_read_with_the_schema_of_its_status() {
        let (service, op) = (alibaba_service(), list_keys_op());
        let ok = b"<ListKeysResponse><TotalCount>1</TotalCount><Keys><Key><KeyId>k</KeyId></Key></Keys></ListKeysResponse>";
        assert_eq!(
            read_xml_answer(&service, &op, 200, ok).unwrap(),
            json!({"TotalCount": 1, "Keys": {"Key": [{"KeyId": "k"}]}})
        );
        let err = b"<Error><Code>InvalidParameter</Code><RequestId>r</RequestId></Error>";
        assert_eq!(
            read_xml_answer(&service, &op, 400, err).unwrap(),
            json!({"Code": "InvalidParameter", "RequestId": "r"})
        );
        assert!(read_xml_answer(&service, &op, 200, b"{\"TotalCount\":1}").is_err());
    }

    #[test]
    fn xml_with_an_xml_content_type_passes() {
        let tree = json!({});
        for ct in ["application/xml;charset=utf-8", "text/xml"] {
            assert!(check_xml_content(&obs(Some(ct), b"<R/>", Some(&tree))).is_empty());
        }
    }

    #[test]
    fn xml_with_a_json_content_type_is_a_content_type_finding() {
        let tree = json!({});
        let found = check_xml_content(&obs(Some("application/json"), b"<R/>", Some(&tree)));
        assert_eq!(kinds_of(&found), [kinds::CONTENT_TYPE]);
        assert_eq!(found[0].actual, json!("application/json"));
    }

    #[test]
    fn json_where_xml_was_asked_is_a_content_type_finding() {
        let found = check_xml_content(&obs(Some("application/json"), b"{\"a\":1}", None));
        assert_eq!(kinds_of(&found), [kinds::CONTENT_TYPE]);
        assert!(found[0].message.contains("is JSON"), "{}", found[0].message);
    }

    #[test]
    fn a_body_that_is_neither_is_not_xml_and_says_why() {
        let found = check_xml_content(&obs(Some("text/plain"), b"<a><b></a>", None));
        assert_eq!(kinds_of(&found), [kinds::NOT_XML]);
        assert_eq!(found[0].actual, json!("<a><b></a>"));
        let found = check_xml_content(&obs(None, b"", None));
        assert_eq!(kinds_of(&found), [kinds::NOT_XML]);
        assert!(
            found[0].message.contains("no root element"),
            "{}",
            found[0].message
        );
    }
}
