//! Parity: an answer held to the recorded answer of the same case and step. Both sides are
//! normalized and masked the same way ([`super::step`]), then compared: whether an answer came,
//! the status, the content type's media type, the error code, and the body's masked structure:
//! members missing or extra, types, array lengths, and scalar values after masking (volatile
//! values compare as their references and formats, not their text). Every difference is a
//! `parity` finding with the recorded and the actual masked value (`docs/parity.md`).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::case::Provenance;
use crate::exec::{CaseOutcome, Verdict};
use crate::finding::{Finding, FindingKind};
use crate::spec::VolatileKind;

/// How parity findings count (`--parity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ParityMode {
    /// Parity findings fail the case (and the gate, unless baselined).
    Fail,
    /// Parity findings are reported; the case's verdict is the spec checks'.
    Warn,
}

/// What `run --reference` holds the answers to, and how.
#[derive(Debug)]
pub(crate) struct ParityCheck {
    /// The loaded recording.
    pub reference: super::Reference,
    /// Each service's `volatile` map, to mask answers the way the recording was masked.
    pub volatile: std::collections::HashMap<String, BTreeMap<String, VolatileKind>>,
    /// `--checks parity`: the spec's checks do not count, only parity.
    pub only: bool,
    /// `--parity`.
    pub mode: ParityMode,
}

impl ParityCheck {
    /// Adds the parity findings of `o` (its exchanges against the recorded ones), made under
    /// resource-name prefix `run_prefix`. With `only`, the spec checks' findings are dropped
    /// first (transport, auth and harness errors stay). A case that ran no operation (skipped,
    /// blocked, inconclusive) gets no parity findings.
    pub(crate) fn judge(&self, o: &mut CaseOutcome, run_prefix: &str) {
        // An error outcome is judged too: an answer that is not JSON, or none at all, is a
        // difference from the recording.
        if !matches!(o.verdict, Verdict::Pass | Verdict::Fail | Verdict::Error) {
            return;
        }
        if self.only {
            // The spec's checks are off, and with them the spec's readings: the recording is
            // what the answers are held to.
            o.reading = None;
            o.doc_note = None;
            o.provenance = Provenance::Observed;
            o.findings.retain(Finding::is_error);
            o.diff = None;
            if o.findings.is_empty() {
                o.verdict = Verdict::Pass;
            }
        }
        let key = o.id.case().to_string();
        // Borrowed, not cloned: this runs once per outcome.
        let no_volatile = BTreeMap::new();
        let volatile = self
            .volatile
            .get(&o.id.operation.service)
            .unwrap_or(&no_volatile);
        let actual = super::step::case_steps(&o.exchanges, volatile, run_prefix);
        let recorded = self.reference.cases.get(&key);
        let found = match recorded {
            Some(recorded) => compare_case(recorded, &actual),
            None => vec![finding(
                "",
                "",
                Value::Null,
                Value::Null,
                format!(
                    "the recording in {} has no case `{key}`; record it again",
                    self.reference.dir.display()
                ),
            )],
        };
        if found.is_empty() {
            return;
        }
        if o.diff.is_none() {
            o.diff = Some(masked_diff(
                recorded.map(Vec::as_slice).unwrap_or(&[]),
                &actual,
            ));
        }
        o.findings.extend(found);
        if self.mode == ParityMode::Fail {
            // A difference from the recording is no reading of the page, and the recording is
            // what a target was observed to do: it fails as such, not as an ambiguity. An
            // error stays an error.
            if o.verdict != Verdict::Error {
                o.verdict = Verdict::Fail;
            }
            o.provenance = Provenance::Observed;
            o.reading = None;
            o.doc_note = None;
        }
    }
}

/// The unified diff of the recorded and the actual answers (masked, pretty JSON).
fn masked_diff(recorded: &[Value], actual: &[Value]) -> String {
    let answers = |steps: &[Value]| {
        let v: Vec<&Value> = steps.iter().map(|s| &s["response"]).collect();
        serde_json::to_string_pretty(&v).unwrap_or_default()
    };
    let (r, a) = (answers(recorded), answers(actual));
    similar::TextDiff::from_lines(&r, &a)
        .unified_diff()
        .header("recording", "answer")
        .to_string()
}

/// The parity findings of one case: `actual` (the steps of this run, masked) against
/// `recorded` (the steps of the recording).
pub(crate) fn compare_case(recorded: &[Value], actual: &[Value]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, (r, a)) in recorded.iter().zip(actual).enumerate() {
        let step = match a.get("step").and_then(Value::as_str) {
            Some(s) if !s.is_empty() => s.to_string(),
            _ => format!("step {}", i + 1),
        };
        compare_step(&step, r, a, &mut out);
    }
    if recorded.len() != actual.len() {
        out.push(finding(
            "",
            "",
            Value::from(recorded.len()),
            Value::from(actual.len()),
            format!(
                "the recording has {} exchanges for this case, this run {}",
                recorded.len(),
                actual.len()
            ),
        ));
    }
    out
}

fn finding(step: &str, pointer: &str, expected: Value, actual: Value, message: String) -> Finding {
    let mut f = Finding::new(FindingKind::Parity, message);
    f.step = step.to_string();
    f.pointer = pointer.to_string();
    f.expected = expected;
    f.actual = actual;
    f
}

/// Compares one step's answers.
fn compare_step(step: &str, recorded: &Value, actual: &Value, out: &mut Vec<Finding>) {
    let r = &recorded["response"];
    let a = &actual["response"];
    if r.is_null() || a.is_null() {
        if r.is_null() != a.is_null() {
            out.push(finding(
                step,
                "",
                r.clone(),
                a.clone(),
                "one side has no answer".into(),
            ));
        }
        return;
    }
    if r["status"] != a["status"] {
        out.push(finding(
            step,
            "",
            r["status"].clone(),
            a["status"].clone(),
            format!(
                "status {} where the recording has {}",
                a["status"], r["status"]
            ),
        ));
    }
    let media = |v: &Value| {
        v["content_type"].as_str().map(|c| {
            c.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
    };
    if media(r) != media(a) {
        out.push(finding(
            step,
            "",
            r["content_type"].clone(),
            a["content_type"].clone(),
            "content type differs from the recording".into(),
        ));
    }
    if r.get("request_id_header") != a.get("request_id_header") {
        out.push(finding(
            step,
            "",
            r["request_id_header"].clone(),
            a["request_id_header"].clone(),
            "request-id header differs from the recording".into(),
        ));
    }
    let (r_code, a_code) = (error_code(&r["body"]), error_code(&a["body"]));
    if r_code != a_code {
        out.push(finding(
            step,
            "",
            Value::from(r_code),
            Value::from(a_code),
            "error code differs from the recording".into(),
        ));
    }
    let page = page_size(&actual["request"]);
    shape(&Ctx { step, page }, "", &r["body"], &a["body"], out);
}

/// The request parameters that set a page size.
const PAGE_SIZE_PARAMS: &[&str] = &[
    "PageSize",
    "page_size",
    "limit",
    "Limit",
    "MaxKeys",
    "MaxItems",
];

/// The page size a request asked for, if it named one (query, form or JSON body).
fn page_size(request: &Value) -> Option<usize> {
    for part in ["query", "body"] {
        for name in PAGE_SIZE_PARAMS {
            let v = &request[part][*name];
            let n = match v {
                Value::String(s) => s.parse().ok(),
                Value::Number(n) => n.as_u64().map(|n| n as usize),
                _ => None,
            };
            if n.is_some() {
                return n;
            }
        }
    }
    None
}

/// Where a comparison is: the step, and the page size its request asked for.
struct Ctx<'a> {
    step: &'a str,
    page: Option<usize>,
}

/// Whether two lists' lengths must agree. A list's length depends on the account (how many
/// keys, which aliases, what other cases created meanwhile), so only these count: empty
/// against non-empty, a full page (the recording had as many items as the request's page
/// size) against a shorter one, and more items than the page size.
fn counts_must_agree(recorded: usize, actual: usize, page: Option<usize>) -> bool {
    if (recorded == 0) != (actual == 0) {
        return true;
    }
    match page {
        Some(p) => recorded == p || actual > p,
        None => false,
    }
}

/// The error code of an error body, where the services put it.
fn error_code(body: &Value) -> Option<String> {
    for p in [
        "/Code",
        "/code",
        "/error_code",
        "/error/code",
        "/Error/Code",
    ] {
        if let Some(Value::String(s)) = body.pointer(p) {
            return Some(s.clone());
        }
    }
    None
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Compares two masked documents at `ptr`.
fn shape(cx: &Ctx<'_>, ptr: &str, r: &Value, a: &Value, out: &mut Vec<Finding>) {
    let step = cx.step;
    match (r, a) {
        (Value::Object(ro), Value::Object(ao)) => {
            for (k, rv) in ro {
                let p = format!("{ptr}/{}", escape(k));
                match ao.get(k) {
                    Some(av) => shape(cx, &p, rv, av, out),
                    None => out.push(finding(
                        step,
                        &p,
                        rv.clone(),
                        Value::Null,
                        format!("`{k}` is missing (the recording has it)"),
                    )),
                }
            }
            for (k, av) in ao {
                if !ro.contains_key(k) {
                    out.push(finding(
                        step,
                        &format!("{ptr}/{}", escape(k)),
                        Value::Null,
                        av.clone(),
                        format!("`{k}` is extra (the recording does not have it)"),
                    ));
                }
            }
        }
        (Value::Array(ra), Value::Array(aa)) => {
            if ra.len() != aa.len() && counts_must_agree(ra.len(), aa.len(), cx.page) {
                out.push(finding(
                    step,
                    ptr,
                    Value::from(ra.len()),
                    Value::from(aa.len()),
                    format!("{} items where the recording has {}", aa.len(), ra.len()),
                ));
            }
            for (i, (rv, av)) in ra.iter().zip(aa).enumerate() {
                shape(cx, &format!("{ptr}/{i}"), rv, av, out);
            }
        }
        _ if kind(r) != kind(a) => out.push(finding(
            step,
            ptr,
            r.clone(),
            a.clone(),
            format!("{} where the recording has {}", kind(a), kind(r)),
        )),
        _ if r != a => out.push(finding(
            step,
            ptr,
            r.clone(),
            a.clone(),
            format!("masked value {a} where the recording has {r}"),
        )),
        _ => {}
    }
}

/// A JSON pointer token.
fn escape(k: &str) -> String {
    k.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn step(body: Value) -> Value {
        json!({"step": "s", "request": {}, "response": {"status": 200, "content_type": "application/json", "body": body}})
    }

    #[test]
    fn shapes_are_compared_member_by_member() {
        let rec = [step(
            json!({"Keys": {"Key": [{"KeyId": "<KeyId:1>"}]}, "Total": 1}),
        )];
        assert!(compare_case(&rec, &rec).is_empty());
        let found = compare_case(
            &rec,
            &[step(
                json!({"Keys": [{"KeyId": "<KeyId:1>"}], "Total": "1"}),
            )],
        );
        let ptrs: Vec<&str> = found.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(ptrs, ["/Keys", "/Total"], "{found:?}");
        let found = compare_case(
            &rec,
            &[step(json!({"Keys": {"Key": []}, "Total": 1, "X": 1}))],
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|f| f.kind == FindingKind::Parity));
    }

    fn list_step(page: Option<u32>, items: usize) -> Value {
        let query = match page {
            Some(p) => json!({"PageSize": p.to_string()}),
            None => json!({}),
        };
        let list: Vec<Value> = (0..items)
            .map(|i| json!({"KeyId": format!("<KeyId:{}>", i + 1)}))
            .collect();
        json!({"step": "s", "request": {"query": query}, "response": {"status": 200, "body": {"Keys": list}}})
    }

    #[test]
    fn list_lengths_count_only_where_the_account_does_not_decide_them() {
        let count = |rec: usize, act: usize, page: Option<u32>| {
            compare_case(&[list_step(page, rec)], &[list_step(page, act)]).len()
        };
        // How many aliases a key has depends on the account: not compared.
        assert_eq!(count(1, 2, None), 0);
        assert_eq!(count(3, 2, Some(10)), 0);
        // Empty against non-empty, a full page, more than the page size: compared.
        assert_eq!(count(0, 2, None), 1);
        assert_eq!(count(2, 0, None), 1);
        assert_eq!(count(10, 9, Some(10)), 1);
        assert_eq!(count(3, 11, Some(10)), 1);
    }
}
