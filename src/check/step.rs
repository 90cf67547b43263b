//! One step's answer against its expectations: every check, in a fixed order.

use serde_json::Value;

use super::*;
use crate::case::{BodyFormat, Expect, PaginationMode};
use crate::finding::Finding;
use crate::spec::{Operation, Service};
use crate::vars::Vars;

/// What a check knows about the request that was sent.
pub struct Context<'a> {
    /// The service of the operation.
    pub service: &'a Service,
    /// The operation called.
    pub op: &'a Operation,
    /// Variables in scope (target vars, run prefix, captures), for `${var}` in expectations.
    pub vars: &'a Vars,
    /// The parameters sent, after substitution, by the spec's names.
    pub params: &'a [(String, Value)],
    /// The format the answer must have; for XML, [`Observed::json`] is the tree read from it.
    pub body_format: BodyFormat,
}

/// The answer as the checks see it.
pub struct Observed<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The Content-Type header, if any.
    pub content_type: Option<&'a str>,
    /// The raw body.
    pub body: &'a [u8],
    /// The body parsed as JSON, when it is JSON.
    pub json: Option<&'a Value>,
}

/// Runs every check the expectation asks for (and the defaults) on one answer. `pagination:
/// walk` is not checked here: the executor fetches the pages and calls [`check_walk`] (and may
/// call [`check_page`] on each page). Findings leave `step` empty for the executor to fill in.
pub fn check_step(expect: &Expect, ctx: &Context<'_>, observed: &Observed<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let expected = expected_status(expect, ctx);
    let found_code = match observed.json {
        Some(body) if observed.status >= 400 => error_code(ctx.service, body),
        _ => None,
    };
    let found_message = match observed.json {
        Some(body) if observed.status >= 400 => error_message(ctx.service, body),
        _ => None,
    };
    out.extend(check_status(
        expected,
        observed.status,
        found_code.as_deref(),
        found_message.as_deref(),
    ));
    out.extend(match ctx.body_format {
        BodyFormat::Json => check_content(observed, ctx.service.protocol.json_media_type()),
        BodyFormat::Xml => check_xml_content(observed),
    });
    let Some(body) = observed.json else {
        return out;
    };

    if let Some(code) = &expect.error {
        out.extend(check_error(ctx.service, code, observed.status, body));
    }

    let schema_on = expect
        .schema
        .unwrap_or_else(|| expected.status == Some(observed.status));
    if schema_on
        && let Some(schema) = ctx
            .op
            .responses
            .get(&observed.status)
            .and_then(|r| r.schema.as_ref())
    {
        out.extend(check_schema(schema, body));
    }

    if !expected.same_class(observed.status) {
        return out;
    }
    for (pointer, template) in &expect.matches {
        out.extend(check_match(pointer, template, ctx.vars, body));
    }
    for (pointer, value) in &expect.equals {
        out.extend(check_equals(pointer, value, ctx.vars, body));
    }
    for (pointer, bounds) in &expect.count {
        out.extend(check_count(pointer, bounds, ctx.vars, body));
    }
    if expect.pagination == Some(PaginationMode::Page)
        && let Some(pag) = &ctx.op.pagination
    {
        out.extend(check_page(pag, ctx.op, ctx.params, body));
    }
    if expect.pagination == Some(PaginationMode::Page)
        && let Some(pag) = &ctx.op.marker_pagination
    {
        out.extend(super::marker::check_marker_page(
            pag, ctx.op, ctx.params, body,
        ));
    }
    if expect.sample {
        let documented = expected
            .status
            .and_then(|s| ctx.op.responses.get(&s))
            .and_then(|r| documented_sample(r, ctx.body_format));
        if let Some(documented) = documented {
            out.extend(check_sample(documented, body, &ctx.service.volatile));
        }
    }
    out
}

/// The readable unified diff of the masked documented sample (of the operation's success
/// status) against the masked answer; empty when there is no sample or no JSON answer.
pub fn sample_diff_for(ctx: &Context<'_>, observed: &Observed<'_>) -> String {
    let sample = ctx
        .op
        .responses
        .get(&ctx.op.request.success)
        .and_then(|r| documented_sample(r, ctx.body_format));
    match (sample, observed.json) {
        (Some(sample), Some(actual)) => {
            let p = prepare(sample, actual, &ctx.service.volatile);
            sample_diff(&p.expected, &p.actual)
        }
        _ => String::new(),
    }
}

/// The documented sample an answer of this format is compared with: `sample`, or the tree of
/// `sample_xml`.
fn documented_sample(r: &crate::spec::Response, format: BodyFormat) -> Option<&Value> {
    match format {
        BodyFormat::Json => r.sample.as_ref(),
        BodyFormat::Xml => r.sample_xml.as_ref().map(|x| &x.tree),
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;
    use crate::finding::kinds;
    use serde_json::json;

    #[test]
    fn a_correct_list_answer_has_no_findings() {
        let (service, op) = (alibaba_service(), list_keys_op());
        let vars = vars();
        let params = vec![("PageSize".to_string(), json!(10))];
        let ctx = ctx(&service, &op, &vars, &params);
        let mut expect = Expect {
            pagination: Some(PaginationMode::Page),
            sample: true,
            ..Expect::default()
        };
        expect.matches.push((
            ptr("/Keys/Key/*/KeyArn"),
            r"^acs:kms:${region}:\d+:key/.+$".to_string(),
        ));
        let body = list_keys_body(2, 1, 10, 2);
        let found = check_step(&expect, &ctx, &observed(200, &body));
        assert_eq!(found, Vec::<Finding>::new());
    }

    #[test]
    fn an_unexpected_error_names_its_code_and_skips_body_expectations() {
        let (service, op) = (alibaba_service(), list_keys_op());
        let vars = vars();
        let ctx = ctx(&service, &op, &vars, &[]);
        let mut expect = Expect {
            sample: true,
            ..Expect::default()
        };
        expect.equals.push((ptr("/TotalCount"), json!(3)));
        let body = alibaba_error("InvalidParameter");
        let found = check_step(&expect, &ctx, &observed(400, &body));
        assert_eq!(kinds_of(&found), [kinds::STATUS]);
        assert!(
            found[0].message.contains("400 InvalidParameter"),
            "{}",
            found[0].message
        );
        assert_eq!(found[0].expected, json!(200));
        assert_eq!(found[0].actual, json!(400));
    }

    #[test]
    fn an_expected_error_with_the_documented_status_passes() {
        let (service, op) = (alibaba_service(), list_keys_op());
        let vars = vars();
        let ctx = ctx(&service, &op, &vars, &[]);
        let expect = Expect {
            error: Some("InvalidParameter".to_string()),
            ..Expect::default()
        };
        let body = alibaba_error("InvalidParameter");
        assert!(check_step(&expect, &ctx, &observed(400, &body)).is_empty());
        let body = alibaba_error("InvalidParamter");
        let found = check_step(&expect, &ctx, &observed(400, &body));
        assert_eq!(kinds_of(&found), [kinds::ERROR_CODE]);
    }

    #[test]
    fn a_success_where_an_error_was_expected_reports_status_and_code() {
        let (service, op) = (alibaba_service(), list_keys_op());
        let vars = vars();
        let ctx = ctx(&service, &op, &vars, &[]);
        let expect = Expect {
            error: Some("InvalidParameter".to_string()),
            ..Expect::default()
        };
        let body = list_keys_body(1, 1, 10, 1);
        let found = check_step(&expect, &ctx, &observed(200, &body));
        assert_eq!(kinds_of(&found), [kinds::STATUS, kinds::ERROR_CODE]);
    }

    #[test]
    fn a_non_json_body_stops_after_the_content_check() {
        let (service, op) = (alibaba_service(), list_keys_op());
        let vars = vars();
        let ctx = ctx(&service, &op, &vars, &[]);
        let mut expect = Expect::default();
        expect.matches.push((ptr("/RequestId"), ".+".to_string()));
        let obs = Observed {
            status: 200,
            content_type: Some("text/html"),
            body: b"<html>oops</html>",
            json: None,
        };
        let found = check_step(&expect, &ctx, &obs);
        assert_eq!(kinds_of(&found), [kinds::NOT_JSON]);
    }

    #[test]
    fn schema_runs_by_default_on_the_success_status_only() {
        let (service, op) = (alibaba_service(), list_keys_op());
        let vars = vars();
        let ctx = ctx(&service, &op, &vars, &[]);
        let mut body = list_keys_body(1, 1, 10, 1);
        body["TotalCount"] = json!("1");
        let found = check_step(&Expect::default(), &ctx, &observed(200, &body));
        assert_eq!(kinds_of(&found), [kinds::SCHEMA]);
        assert_eq!(found[0].pointer, "/TotalCount");
        let off = Expect {
            schema: Some(false),
            ..Expect::default()
        };
        assert!(check_step(&off, &ctx, &observed(200, &body)).is_empty());
    }

    #[test]
    fn findings_come_out_in_check_order() {
        let (service, op) = (alibaba_service(), list_keys_op());
        let vars = vars();
        let params = vec![("PageSize".to_string(), json!(1))];
        let ctx = ctx(&service, &op, &vars, &params);
        let mut expect = Expect {
            status: Some(201),
            pagination: Some(PaginationMode::Page),
            ..Expect::default()
        };
        expect
            .matches
            .push((ptr("/RequestId"), "^nope$".to_string()));
        expect.equals.push((ptr("/PageNumber"), json!(2)));
        expect.count.push((
            ptr("/Keys/Key"),
            crate::case::CountBounds {
                min: Some(json!(5)),
                max: None,
            },
        ));
        let body = list_keys_body(2, 1, 2, 5);
        let obs = Observed {
            status: 200,
            content_type: Some("text/plain"),
            body: b"{}",
            json: Some(&body),
        };
        let found = check_step(&expect, &ctx, &obs);
        assert_eq!(
            kinds_of(&found),
            [
                kinds::STATUS,
                kinds::CONTENT_TYPE,
                kinds::PATTERN,
                kinds::VALUE,
                kinds::COUNT,
                kinds::PAGE_OVERSIZE,
                kinds::PAGE_ECHO,
            ]
        );
    }

    #[test]
    fn pointers_order_indices_by_number() {
        let mut v = vec!["/a/10", "/a/2", "/a", "/b", "/a/2/x"];
        v.sort_by(|a, b| cmp_pointers(a, b));
        assert_eq!(v, ["/a", "/a/2", "/a/2/x", "/a/10", "/b"]);
    }

    #[test]
    fn brief_describes_big_values() {
        assert_eq!(brief(&json!([1, 2])), json!([1, 2]));
        let big: Vec<u32> = (0..1000).collect();
        assert_eq!(brief(&json!(big)), json!("<array of 1000 items>"));
        let s = "é".repeat(1000);
        let b = brief(&json!(s));
        assert!(b.as_str().unwrap().len() < 1100);
    }
}
