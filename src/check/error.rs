//! The error check: an error body has the service's error shape and the documented code.

use serde_json::Value;

use crate::finding::{Finding, kinds};
use crate::pointer::{Found, scalar_text};
use crate::spec::{Protocol, Service};

use super::schema::findings_of_kind;

/// The error code in an error body, at the service's `error.code` pointer (as text). For an
/// aws-json service the code is what follows the last `#` of `__type`
/// (`com.amazonaws.kms#NotFoundException` is `NotFoundException`), as the AWS SDKs read it.
pub fn error_code(service: &Service, body: &Value) -> Option<String> {
    let code = first_text(service.error.code.find(body))?;
    Some(match service.protocol {
        Protocol::AwsJson => aws_json_code(&code).to_string(),
        Protocol::Rpc | Protocol::Rest => code,
    })
}

/// The code of an AWS JSON `__type`: the part after the last `#`, and before any `:` (the
/// protocol allows a trailing `:<uri>` as well).
pub fn aws_json_code(type_field: &str) -> &str {
    let tail = type_field.rsplit('#').next().unwrap_or(type_field);
    tail.split(':').next().unwrap_or(tail)
}

/// The error message in an error body, at the service's `error.message` pointer (as text).
pub fn error_message(service: &Service, body: &Value) -> Option<String> {
    first_text(service.error.message.find(body))
}

/// The text of the first selected scalar.
fn first_text(found: Vec<Found<'_>>) -> Option<String> {
    found
        .into_iter()
        .map(|f| f.value)
        .find(|v| !v.is_object() && !v.is_array() && !v.is_null())
        .map(scalar_text)
}

/// Checks an answer to a step that expects the error `code`: the body validates against the
/// service's error schema (`error.shape`, one finding per violation) and carries that code
/// (`error.code`). An answer that is not an error at all (status below 400) gets one
/// `error.code` finding and no shape findings: its body was never meant to be an error body.
pub fn check_error(service: &Service, code: &str, status: u16, body: &Value) -> Vec<Finding> {
    let at = service.error.code.as_str().to_string();
    if status < 400 {
        return vec![
            Finding::new(
                kinds::ERROR_CODE,
                format!(
                    "expected the error {code}, but the answer is not an error (status {status})"
                ),
            )
            .at(at)
            .values(code, Value::Null),
        ];
    }
    let mut out = findings_of_kind(kinds::ERROR_SHAPE, &service.error.schema, body);
    match error_code(service, body) {
        Some(found) if found == code => {}
        Some(found) => out.push(
            Finding::new(
                kinds::ERROR_CODE,
                format!("expected the error code {code}, got {found}"),
            )
            .at(at)
            .values(code, found),
        ),
        None => out.push(
            Finding::new(
                kinds::ERROR_CODE,
                format!("expected the error code {code}, but the body has no code at {at}"),
            )
            .at(at)
            .values(code, Value::Null),
        ),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testutil::*;
    use serde_json::json;

    #[test]
    fn the_documented_error_passes() {
        let s = alibaba_service();
        assert!(
            check_error(
                &s,
                "InvalidParameter",
                400,
                &alibaba_error("InvalidParameter")
            )
            .is_empty()
        );
        let h = huawei_service();
        assert!(check_error(&h, "KMS.0205", 400, &huawei_error("KMS.0205")).is_empty());
    }

    #[test]
    fn a_misspelt_code_is_an_error_code_finding() {
        let s = alibaba_service();
        let found = check_error(
            &s,
            "InvalidParameter",
            400,
            &alibaba_error("InvalidParamter"),
        );
        assert_eq!(kinds_of(&found), [kinds::ERROR_CODE]);
        assert_eq!(found[0].pointer, "/Code");
        assert_eq!(found[0].expected, json!("InvalidParameter"));
        assert_eq!(found[0].actual, json!("InvalidParamter"));
    }

    #[test]
    fn a_flattened_huawei_error_is_an_error_shape_finding() {
        let h = huawei_service();
        let flat = json!({"error_code": "KMS.0205", "error_msg": "bad key id"});
        let found = check_error(&h, "KMS.0205", 400, &flat);
        let shape: Vec<&Finding> = found
            .iter()
            .filter(|f| f.kind == kinds::ERROR_SHAPE)
            .collect();
        assert!(!shape.is_empty(), "{found:#?}");
        assert!(shape.iter().all(|f| f.pointer.is_empty()), "{shape:#?}");
        // The code is not where the service keeps it either.
        let code = found
            .iter()
            .find(|f| f.kind == kinds::ERROR_CODE)
            .expect("error.code");
        assert_eq!(code.pointer, "/error/error_code");
        assert_eq!(code.actual, Value::Null);
    }

    #[test]
    fn a_wrongly_typed_member_is_reported_at_its_pointer() {
        let s = alibaba_service();
        let mut body = alibaba_error("InvalidParameter");
        body["RequestId"] = json!(12);
        let found = check_error(&s, "InvalidParameter", 400, &body);
        assert_eq!(kinds_of(&found), [kinds::ERROR_SHAPE]);
        assert_eq!(found[0].pointer, "/RequestId");
    }

    #[test]
    fn a_success_answer_gets_one_error_code_finding() {
        let s = alibaba_service();
        let found = check_error(&s, "InvalidParameter", 200, &json!({"RequestId": "r"}));
        assert_eq!(kinds_of(&found), [kinds::ERROR_CODE]);
        assert!(found[0].message.contains("not an error"));
    }

    #[test]
    fn an_aws_json_type_is_read_after_its_namespace() {
        assert_eq!(
            aws_json_code("com.amazonaws.kms#NotFoundException"),
            "NotFoundException"
        );
        assert_eq!(aws_json_code("NotFoundException"), "NotFoundException");
        assert_eq!(
            aws_json_code("ValidationException:http://internal.amazon.com/x"),
            "ValidationException"
        );
        let mut s = alibaba_service();
        s.protocol = Protocol::AwsJson;
        s.error.code = ptr("/__type");
        let body = json!({"__type": "com.amazonaws.kms#AlreadyExistsException", "message": "m"});
        assert_eq!(
            error_code(&s, &body).as_deref(),
            Some("AlreadyExistsException")
        );
        s.protocol = Protocol::Rpc;
        assert_eq!(
            error_code(&s, &body).as_deref(),
            Some("com.amazonaws.kms#AlreadyExistsException")
        );
    }

    #[test]
    fn code_and_message_are_read_at_the_service_pointers() {
        let h = huawei_service();
        let body = huawei_error("KMS.1104");
        assert_eq!(error_code(&h, &body).as_deref(), Some("KMS.1104"));
        assert_eq!(
            error_message(&h, &body).as_deref(),
            Some("the alias already exists")
        );
        assert_eq!(error_code(&h, &json!({"error": {}})), None);
    }
}
