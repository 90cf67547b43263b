//! The status check: the HTTP status is the documented one.

use crate::case::Expect;
use crate::finding::{Finding, kinds};

use super::{Context, truncate_chars};

/// The status a step expects, and whether it expects an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpectedStatus {
    /// The exact status, when it is known (always, unless the expected error code is not
    /// documented anywhere).
    pub status: Option<u16>,
    /// True when the step expects an error answer.
    pub error: bool,
}

impl ExpectedStatus {
    /// True when `actual` is in the same class as the expectation: both errors (≥ 400) or both
    /// not errors.
    pub fn same_class(&self, actual: u16) -> bool {
        let expected_error = match self.status {
            Some(s) => s >= 400,
            None => self.error,
        };
        expected_error == (actual >= 400)
    }
}

/// Resolves the status a step expects: `expect.status`; else, for an expected error, the
/// documented status of that code (the operation's errors first, then the service's common
/// errors); else the operation's documented success status.
pub fn expected_status(expect: &Expect, ctx: &Context<'_>) -> ExpectedStatus {
    let error = expect.error.is_some();
    if let Some(s) = expect.status {
        return ExpectedStatus {
            status: Some(s),
            error,
        };
    }
    if let Some(code) = &expect.error {
        let documented = ctx
            .op
            .errors
            .iter()
            .chain(&ctx.service.common_errors)
            .find(|e| e.code == *code)
            .map(|e| e.status);
        return ExpectedStatus {
            status: documented,
            error,
        };
    }
    ExpectedStatus {
        status: Some(ctx.op.request.success),
        error,
    }
}

/// The longest error message quoted in a status finding.
const MESSAGE_QUOTE: usize = 120;

/// Compares the status with the expectation. `code` and `message` are the error code and
/// message found in an error body, if any, so that the finding says what the target answered
/// ("got 400 InvalidParameter").
pub fn check_status(
    expected: ExpectedStatus,
    actual: u16,
    code: Option<&str>,
    message: Option<&str>,
) -> Option<Finding> {
    let got = match (code, message) {
        (Some(c), Some(m)) if !m.is_empty() => {
            let quoted = truncate_chars(m, MESSAGE_QUOTE);
            let more = if quoted.len() < m.len() { "..." } else { "" };
            format!("{actual} {c} (\"{quoted}{more}\")")
        }
        (Some(c), _) => format!("{actual} {c}"),
        _ => actual.to_string(),
    };
    match expected.status {
        Some(want) if want != actual => Some(
            Finding::new(kinds::STATUS, format!("expected status {want}, got {got}"))
                .values(want, actual),
        ),
        Some(_) => None,
        // An error code no page documents: any error status will do.
        None if actual < 400 => Some(
            Finding::new(
                kinds::STATUS,
                format!("expected an error status (400 or above), got {got}"),
            )
            .values("an error status (>= 400)", actual),
        ),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testutil::*;
    use serde_json::json;

    fn expect_error(code: &str) -> Expect {
        Expect {
            error: Some(code.to_string()),
            ..Expect::default()
        }
    }

    #[test]
    fn default_is_the_documented_success() {
        let (service, op) = (alibaba_service(), list_keys_op());
        let vars = vars();
        let ctx = ctx(&service, &op, &vars, &[]);
        let e = expected_status(&Expect::default(), &ctx);
        assert_eq!(e.status, Some(200));
        assert!(check_status(e, 200, None, None).is_none());
    }

    #[test]
    fn an_error_takes_the_status_documented_for_its_code() {
        let (service, op) = (alibaba_service(), list_keys_op());
        let vars = vars();
        let ctx = ctx(&service, &op, &vars, &[]);
        // From the operation's errors.
        let e = expected_status(&expect_error("InvalidParameter"), &ctx);
        assert_eq!(e.status, Some(400));
        // From the service's common errors.
        let e = expected_status(&expect_error("Forbidden.KeyNotFound"), &ctx);
        assert_eq!(e.status, Some(404));
        // An explicit status wins.
        let mut explicit = expect_error("InvalidParameter");
        explicit.status = Some(403);
        assert_eq!(expected_status(&explicit, &ctx).status, Some(403));
    }

    #[test]
    fn a_wrong_status_is_a_status_finding_with_numbers() {
        let e = ExpectedStatus {
            status: Some(201),
            error: false,
        };
        let f = check_status(e, 200, None, None).expect("a finding");
        assert_eq!(f.kind, kinds::STATUS);
        assert_eq!((f.expected, f.actual), (json!(201), json!(200)));
    }

    #[test]
    fn the_message_names_the_error_code_found() {
        let e = ExpectedStatus {
            status: Some(200),
            error: false,
        };
        let f = check_status(e, 400, Some("InvalidParameter"), Some("PageSize is bad"))
            .expect("a finding");
        assert_eq!(
            f.message,
            "expected status 200, got 400 InvalidParameter (\"PageSize is bad\")"
        );
        let long = "x".repeat(500);
        let f = check_status(e, 400, Some("C"), Some(&long)).expect("a finding");
        assert!(f.message.len() < 200 && f.message.ends_with("...\")"));
    }

    #[test]
    fn an_undocumented_error_code_accepts_any_error_status() {
        let (service, op) = (alibaba_service(), list_keys_op());
        let vars = vars();
        let ctx = ctx(&service, &op, &vars, &[]);
        let e = expected_status(&expect_error("Nobody.Documented"), &ctx);
        assert_eq!(e.status, None);
        assert!(check_status(e, 409, None, None).is_none());
        assert_eq!(
            check_status(e, 200, None, None).map(|f| f.kind),
            Some(kinds::STATUS)
        );
    }

    #[test]
    fn classes_compare_errors_with_errors() {
        let ok = ExpectedStatus {
            status: Some(200),
            error: false,
        };
        assert!(ok.same_class(201) && !ok.same_class(400));
        let err = ExpectedStatus {
            status: None,
            error: true,
        };
        assert!(err.same_class(404) && !err.same_class(200));
    }
}
