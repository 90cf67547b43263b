//! Parity: an answer held to the recorded answer of the same case and step. Both sides are
//! normalized and masked the same way ([`super::step`]), then compared: whether an answer came,
//! the status, the content type's media type, the error code, and the body's masked structure:
//! members missing or extra, types, array lengths, and scalar values after masking (volatile
//! values compare as their references and formats, not their text; in a list, the items that
//! are the account's rather than the case's compare by shape only). Every difference is a
//! `parity` finding with the recorded and the actual masked value (`docs/parity.md`).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::case::Provenance;
use crate::check::sample::json_type;
use crate::exec::{CaseOutcome, Exchange, Verdict};
use crate::finding::{Finding, FindingKind};
use crate::spec::Service;

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
    /// Each service, by name: its `volatile` map masks answers the way the recording was
    /// masked, and its `error.code` place (and protocol) says where an error code is.
    pub services: std::collections::HashMap<String, Service>,
    /// `--checks parity`: the spec's checks do not count, only parity.
    pub only: bool,
    /// `--parity`.
    pub mode: ParityMode,
}

/// What comparing one outcome with the recording found besides its parity findings: how many
/// of its steps were identical in shape to the recorded ones (the matrix's parity column), and
/// the spec's findings on steps identical to the recording (the report's *Spec vs. recording*
/// section: the recorded target answered the same, and the page says otherwise).
#[derive(Debug, Default, Clone)]
pub(crate) struct CaseParity {
    /// Steps compared: the recorded or the actual exchanges, whichever are more.
    pub steps: usize,
    /// Of those, the steps whose answers are identical in shape to the recording.
    pub identical: usize,
    /// The spec checks' findings on identical steps (none under `--checks parity`).
    pub shared: Vec<Finding>,
    /// The recording's verdict of the case (`pass`, `fail`, ...), if it has the case.
    pub recorded_verdict: Option<String>,
}

impl ParityCheck {
    /// Adds the parity findings of `o` (its exchanges against the recorded ones), made under
    /// resource-name prefix `run_prefix`, and says how many steps were identical. With `only`,
    /// the spec checks' findings are dropped first (transport, auth and harness errors stay).
    /// A case that ran no operation (skipped, blocked, inconclusive) is not compared (`None`).
    pub(crate) fn judge(&self, o: &mut CaseOutcome, run_prefix: &str) -> Option<CaseParity> {
        // An error outcome is judged too: an answer that is not JSON, or none at all, is a
        // difference from the recording.
        if !matches!(o.verdict, Verdict::Pass | Verdict::Fail | Verdict::Error) {
            return None;
        }
        // The spec's own findings (not transport, auth or harness errors), before parity adds
        // its own: those on steps identical to the recording are shared by the recorded target.
        // A case that tests one reading of an ambiguous page has its doc note already (the
        // Readings table says which reading the target follows): not listed.
        let spec: Vec<Finding> = if self.only || o.reading.is_some() {
            Vec::new()
        } else {
            o.findings
                .iter()
                .filter(|f| !f.is_error() && f.kind != FindingKind::Parity)
                .cloned()
                .collect()
        };
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
        let service = self.services.get(&o.id.operation.service);
        // Borrowed, not cloned: this runs once per outcome.
        let no_volatile = BTreeMap::new();
        let volatile = service.map_or(&no_volatile, |s| &s.volatile);
        let actual = super::step::case_steps(&o.exchanges, volatile, run_prefix);
        let recorded = self.reference.cases.get(&key);
        let code = error_code_of(service);
        let cmp = match recorded {
            Some(recorded) => compare(recorded, &actual, code),
            None => Comparison {
                findings: vec![finding(
                    "",
                    "",
                    Value::Null,
                    Value::Null,
                    format!(
                        "the recording in {} has no case `{key}`; record it again",
                        self.reference.dir.display()
                    ),
                )],
                identical: vec![false; actual.len()],
                steps: actual.len().max(1),
            },
        };
        let parity = CaseParity {
            steps: cmp.steps,
            identical: cmp.identical.iter().filter(|i| **i).count(),
            shared: shared_findings(spec, &o.exchanges, &cmp.identical),
            recorded_verdict: self.reference.verdicts.get(&key).cloned(),
        };
        let found = cmp.findings;
        if found.is_empty() {
            return Some(parity);
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
        Some(parity)
    }
}

/// How parity reads the error code of a body of `service`: as the error check does, at the
/// service's `error.code` (for aws-json, the part of `__type` after `#`).
fn error_code_of(service: Option<&Service>) -> impl Fn(&Value) -> Option<String> + '_ {
    move |body| service.and_then(|s| crate::check::error::error_code(s, body))
}

/// The label of the step that sent an exchange: a re-sent request (`step 2 (retry 1)`,
/// `retry 1`) belongs to its step (`step 2`, the unnamed single step `""`).
fn step_of(label: &str) -> &str {
    if let Some((base, tail)) = label.rsplit_once(" (retry ")
        && tail.ends_with(')')
    {
        return base;
    }
    if label
        .strip_prefix("retry ")
        .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
    {
        return "";
    }
    label
}

/// The findings of `spec` whose step's answer (its last exchange) is identical in shape to the
/// recorded one. A finding of no exchange's step (a case-level finding) is not shared: nothing
/// says the recorded target answered the same there.
fn shared_findings(spec: Vec<Finding>, exchanges: &[Exchange], identical: &[bool]) -> Vec<Finding> {
    spec.into_iter()
        .filter(|f| {
            exchanges
                .iter()
                .rposition(|x| step_of(&x.step) == f.step)
                .is_some_and(|i| identical.get(i).copied().unwrap_or(false))
        })
        .collect()
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

/// One case compared with its recording.
pub(crate) struct Comparison {
    /// The parity findings.
    pub findings: Vec<Finding>,
    /// Per actual exchange: whether its answer is identical in shape to the recorded one of
    /// the same place (false for an exchange the recording does not have).
    pub identical: Vec<bool>,
    /// Steps compared: the recorded or the actual exchanges, whichever are more.
    pub steps: usize,
}

/// Compares `actual` (the steps of this run, masked) with `recorded` (the steps of the
/// recording); `code` reads the error code of a body (the service's `error.code`).
pub(crate) fn compare(
    recorded: &[Value],
    actual: &[Value],
    code: impl Fn(&Value) -> Option<String>,
) -> Comparison {
    let mut out = Vec::new();
    let mut identical = vec![false; actual.len()];
    // References are numbered per case, by first appearance: one pairing for all its steps.
    let mut refs = Refs::default();
    for (i, (r, a)) in recorded.iter().zip(actual).enumerate() {
        let step = match a.get("step").and_then(Value::as_str) {
            Some(s) if !s.is_empty() => s.to_string(),
            _ => format!("step {}", i + 1),
        };
        let before = out.len();
        compare_step(&step, r, a, &code, &mut refs, &mut out);
        identical[i] = out.len() == before;
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
    Comparison {
        findings: out,
        identical,
        steps: recorded.len().max(actual.len()),
    }
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
fn compare_step(
    step: &str,
    recorded: &Value,
    actual: &Value,
    code: &impl Fn(&Value) -> Option<String>,
    refs: &mut Refs,
    out: &mut Vec<Finding>,
) {
    // The request first: an id it sends (captured from an earlier answer, or a name the case
    // made up) pairs the references, so an answer that echoes another id is told apart.
    pair_refs(&recorded["request"], &actual["request"], refs);
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
    let (r_code, a_code) = (code(&r["body"]), code(&a["body"]));
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
    let mut cx = Ctx {
        step,
        page,
        values: true,
        refs,
    };
    shape(&mut cx, "", &r["body"], &a["body"], out);
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

/// Where a comparison is: the step, the page size its request asked for, and whether scalar
/// values count (false inside an item of a list that is the account's, not the case's).
struct Ctx<'a> {
    step: &'a str,
    page: Option<usize>,
    values: bool,
    /// The pairing of recorded and actual references so far in the case.
    refs: &'a mut Refs,
}

/// Which actual reference stands for which recorded one (`<KeyId:3>` ↔ `<KeyId:5>`). A
/// reference's number says which thing it is within the case (the same key in step 1 and
/// step 3), not how many came before it: a list of another length before it (another account,
/// keys an earlier repetition created) shifts the numbers. So numbers are not compared; the
/// pairing must stay one-to-one over the case instead.
#[derive(Debug, Default, Clone)]
pub(crate) struct Refs {
    forward: std::collections::HashMap<String, String>,
    backward: std::collections::HashMap<String, String>,
}

impl Refs {
    /// Pairs recorded reference `r` with actual `a`; false when either is paired with
    /// another already.
    fn pair(&mut self, r: &str, a: &str) -> bool {
        match (self.forward.get(r), self.backward.get(a)) {
            (Some(x), _) if x != a => false,
            (_, Some(y)) if y != r => false,
            _ => {
                self.forward.insert(r.to_string(), a.to_string());
                self.backward.insert(a.to_string(), r.to_string());
                true
            }
        }
    }
}

impl Refs {
    /// The actual reference paired with recorded `r` so far, if any.
    fn partner(&self, r: &str) -> Option<&str> {
        self.forward.get(r).map(String::as_str)
    }
}

/// A masked text with its numbered references (`<Field:N>`) taken out: the text with each
/// written `<Field:#>`, and the references in order.
fn split_refs(s: &str) -> (String, Vec<&str>) {
    let mut text = String::with_capacity(s.len());
    let mut refs = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        let tail = &rest[start..];
        let Some(end) = tail.find('>') else { break };
        let token = &tail[..=end];
        let reference = token[1..end].rsplit_once(':').filter(|(field, n)| {
            !field.is_empty()
                && !field.contains(['<', ' '])
                && !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
        });
        match reference {
            Some((field, _)) => {
                text.push_str(&format!("<{field}:#>"));
                refs.push(token);
            }
            None => text.push_str(token),
        }
        rest = &tail[end + 1..];
    }
    text.push_str(rest);
    (text, refs)
}

/// Pairs the references found at the same places of two documents (the requests of one
/// step); differences there are not findings (the request is the case's own).
fn pair_refs(r: &Value, a: &Value, refs: &mut Refs) {
    match (r, a) {
        (Value::Object(ro), Value::Object(ao)) => {
            for (k, rv) in ro {
                if let Some(av) = ao.get(k) {
                    pair_refs(rv, av, refs);
                }
            }
        }
        (Value::Array(ra), Value::Array(aa)) => {
            for (rv, av) in ra.iter().zip(aa) {
                pair_refs(rv, av, refs);
            }
        }
        (Value::String(_), Value::String(_)) => {
            let _ = same_masked(r, a, refs);
        }
        _ => {}
    }
}

/// Whether two masked scalars agree: equal once references are taken out, and every reference
/// pairs with its counterpart consistently over the case.
fn same_masked(r: &Value, a: &Value, refs: &mut Refs) -> bool {
    match (r, a) {
        (Value::String(r), Value::String(a)) => {
            let ((rt, rr), (at, ar)) = (split_refs(r), split_refs(a));
            rt == at && rr.len() == ar.len() && rr.iter().zip(&ar).all(|(r, a)| refs.pair(r, a))
        }
        _ => r == a,
    }
}

/// Whether a scalar is a masked value (`<KeyId:3>`, `acs:kms:<region>:…`, `<timestamp:…>`,
/// `<count>`): its form is compared wherever it is, even in another key of the account.
fn is_masked(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        s.split('<').skip(1).any(|t| {
            t.find('>')
                .is_some_and(|end| end > 0 && !t[..end].contains([' ', '<']))
        })
    })
}

/// Whether a scalar is an unset time (an empty text where a time may be, masked
/// `<timestamp:>`): set or unset is the thing's state (a key pending deletion has a deletion
/// date, an enabled key none), not the form of a time.
fn unset_time(v: &Value) -> bool {
    v.as_str() == Some("<timestamp:>")
}

/// Every numbered reference (`<Field:N>`) in the strings of `v`.
fn refs_in<'v>(v: &'v Value, found: &mut Vec<&'v str>) {
    match v {
        Value::String(s) => found.extend(split_refs(s).1),
        Value::Array(items) => items.iter().for_each(|i| refs_in(i, found)),
        Value::Object(members) => members.values().for_each(|m| refs_in(m, found)),
        _ => {}
    }
}

/// Compares the items of two lists at `ptr`. Which items a list holds depends on the account
/// (other keys, other aliases, in another order), so items are told apart by what they are:
///
/// - an item that names a thing the case met before (a reference already paired: the key it
///   created, the key its request named) is the **case's own**; it is held to the recorded item
///   that names the same thing (whatever their places in the lists), and compared in full,
///   values included;
/// - every other item is the **account's**; the rest are compared in order, up to the shorter
///   list, by shape only: members missing or extra, types, and masked values (their form and
///   references: a reference paired before must stay paired, and the references within one item
///   must pair among themselves, which is then forgotten); plain values (a state, a
///   description, a flag, a number) are not compared.
fn items(cx: &mut Ctx<'_>, ptr: &str, ra: &[Value], aa: &[Value], out: &mut Vec<Finding>) {
    fn refs_of(v: &Value) -> Vec<&str> {
        let mut found = Vec::new();
        refs_in(v, &mut found);
        found
    }
    let a_refs: Vec<Vec<&str>> = aa.iter().map(|v| refs_of(v)).collect();
    // The case's own items, recorded and actual, paired by what they name.
    let mut taken = vec![false; aa.len()];
    let mut own: Vec<(usize, usize)> = Vec::new();
    let mut rest_r: Vec<usize> = Vec::new();
    for (i, rv) in ra.iter().enumerate() {
        let partners: Vec<String> = refs_of(rv)
            .into_iter()
            .filter_map(|r| cx.refs.partner(r).map(String::from))
            .collect();
        // The actual item naming most of the same things (the first of equals): every version
        // of a key names the key, only one names the version too.
        let named = |j: usize| {
            partners
                .iter()
                .filter(|p| a_refs[j].contains(&p.as_str()))
                .count()
        };
        let matched = (0..aa.len()).filter(|&j| !taken[j] && named(j) > 0).fold(
            None,
            |best: Option<usize>, j| match best {
                Some(b) if named(b) >= named(j) => Some(b),
                _ => Some(j),
            },
        );
        match matched {
            Some(j) => {
                taken[j] = true;
                own.push((i, j));
            }
            None => rest_r.push(i),
        }
    }
    let rest_a: Vec<usize> = (0..aa.len()).filter(|j| !taken[*j]).collect();
    // The case's own items keep the recording's order among themselves (other items may
    // come between them).
    if let Some(w) = own.windows(2).find(|w| w[0].1 > w[1].1) {
        let ((r0, a0), (r1, a1)) = (w[0], w[1]);
        out.push(finding(
            cx.step,
            ptr,
            Value::from(vec![r0, r1]),
            Value::from(vec![a0, a1]),
            format!(
                "the case's own items are in another order than the recording's: the answer lists the recording's item {r1} (here {a1}) before its item {r0} (here {a0})"
            ),
        ));
    }
    for (i, j) in own {
        shape(cx, &format!("{ptr}/{j}"), &ra[i], &aa[j], out);
    }
    for (&i, &j) in rest_r.iter().zip(&rest_a) {
        let p = format!("{ptr}/{j}");
        // The account's item (or the case's own, where the other list lacks it): shape only,
        // its new pairings forgotten afterwards.
        let mut scratch = cx.refs.clone();
        let mut inner = Ctx {
            step: cx.step,
            page: cx.page,
            values: false,
            refs: &mut scratch,
        };
        shape(&mut inner, &p, &ra[i], &aa[j], out);
    }
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

/// Compares two masked documents at `ptr`.
fn shape(cx: &mut Ctx<'_>, ptr: &str, r: &Value, a: &Value, out: &mut Vec<Finding>) {
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
            items(cx, ptr, ra, aa, out);
        }
        _ if json_type(r) != json_type(a) => out.push(finding(
            step,
            ptr,
            r.clone(),
            a.clone(),
            format!("{} where the recording has {}", json_type(a), json_type(r)),
        )),
        _ if !cx.values && (!(is_masked(r) || is_masked(a)) || unset_time(r) || unset_time(a)) => {}
        _ if !same_masked(r, a, cx.refs) => out.push(finding(
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

    /// The findings of [`compare`], error codes read at `Code`.
    fn compare_case(recorded: &[Value], actual: &[Value]) -> Vec<Finding> {
        compare(recorded, actual, |b| {
            b.get("Code").and_then(Value::as_str).map(String::from)
        })
        .findings
    }

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

    /// A case that creates a key (step 1), then lists the account's keys (step 2): `keys` are
    /// the list's items as (key id reference, state, description).
    fn created_then_listed(keys: &[(u32, &str, &str)]) -> Vec<Value> {
        let items: Vec<Value> = keys
            .iter()
            .map(|(id, state, description)| {
                // A key pending deletion (state 4) has a deletion date, others an empty one.
                let deletion = if *state == "4" { "epoch-ms" } else { "" };
                json!({"key_id": format!("<key_id:{id}>"), "key_state": state,
                       "key_description": description,
                       "scheduled_deletion_date": format!("<timestamp:{deletion}>"),
                       "creation_date": "<timestamp:epoch-ms>"})
            })
            .collect();
        vec![
            json!({"step": "create", "request": {"body": {"key_alias": "<key_alias:1>"}},
                   "response": {"status": 200, "body": {"key_info": {"key_id": "<key_id:1>"}}}}),
            json!({"step": "list", "request": {"body": {"limit": "100"}},
                   "response": {"status": 200, "body": {"key_details": items, "total": "<count>"}}}),
        ]
    }

    #[test]
    fn other_keys_of_an_account_list_are_compared_by_shape_the_cases_own_by_value() {
        // The recording's account has another key (pending deletion, with a description) where
        // the answer's has an enabled one, and the created key sits elsewhere: no finding.
        let rec = created_then_listed(&[(2, "4", "old key"), (1, "2", "")]);
        let act = created_then_listed(&[(1, "2", ""), (2, "2", ""), (3, "3", "x")]);
        let found = compare_case(&rec, &act);
        assert!(found.is_empty(), "{found:?}");
        // The key the case created, in another state: a finding, at its place in the answer.
        let act = created_then_listed(&[(2, "2", ""), (1, "3", "")]);
        let found = compare_case(&rec, &act);
        let at: Vec<&str> = found.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(at, ["/key_details/1/key_state"], "{found:?}");
        // Another key's members and types still count: a member missing, a number for a string,
        // a timestamp of another format.
        let mut act = created_then_listed(&[(1, "2", ""), (2, "2", "")]);
        let other = &mut act[1]["response"]["body"]["key_details"][1];
        other.as_object_mut().unwrap().remove("key_description");
        other["key_state"] = json!(2);
        other["creation_date"] = json!("<timestamp:YYYY-MM-DDTHH:MM:SSZ>");
        let found = compare_case(&rec, &act);
        let mut at: Vec<&str> = found.iter().map(|f| f.pointer.as_str()).collect();
        at.sort();
        assert_eq!(
            at,
            [
                "/key_details/1/creation_date",
                "/key_details/1/key_description",
                "/key_details/1/key_state"
            ],
            "{found:?}"
        );
        // The created key missing from the list (another key where it should be): its
        // reference does not pair, a finding.
        let act = created_then_listed(&[(2, "2", ""), (3, "2", "")]);
        let found = compare_case(&rec, &act);
        assert!(
            found.iter().any(|f| f.pointer.ends_with("/key_id")),
            "{found:?}"
        );
    }

    #[test]
    fn the_cases_own_items_are_found_by_what_they_name_and_keep_their_order() {
        // A key the case found (its request names `<KeyId:1>`), its aliases listed twice.
        let alias = |n: u32| json!({"KeyId": "<KeyId:1>", "AliasName": format!("<AliasName:{n}>")});
        let listed = |first: Vec<Value>, second: Vec<Value>| {
            let s = |items: Vec<Value>| {
                json!({"step": "s", "request": {"query": {"KeyId": "<KeyId:1>"}},
                       "response": {"status": 200, "body": {"Aliases": {"Alias": items}}}})
            };
            vec![s(first), s(second)]
        };
        let rec = listed(vec![alias(1), alias(2)], vec![alias(1), alias(2)]);
        // The answer's account gave the key another alias, listed first: the case's two are
        // still found, no finding.
        let act = listed(
            vec![alias(1), alias(2), alias(3)],
            vec![alias(3), alias(1), alias(2)],
        );
        assert!(
            compare_case(&rec, &act).is_empty(),
            "{:?}",
            compare_case(&rec, &act)
        );
        // The second listing names the same two aliases in the other order: a finding.
        let act = listed(vec![alias(1), alias(2)], vec![alias(2), alias(1)]);
        let found = compare_case(&rec, &act);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].pointer, "/Aliases/Alias", "{found:?}");
        assert!(
            found[0]
                .message
                .ends_with("the recording's item 1 (here 0) before its item 0 (here 1)"),
            "{found:?}"
        );
    }

    #[test]
    fn an_item_naming_two_things_keeps_them_paired_in_an_account_list() {
        // Each item's KeyArn names its own KeyId in the recording; the answer's names the next
        // key (`key-arn-of-another-key`): a finding, though neither key is the case's own.
        let item = |id: u32, arn: u32| {
            json!({"KeyId": format!("<KeyId:{id}>"),
                   "KeyArn": format!("acs:kms:<region>:<account>:key/<KeyId:{arn}>")})
        };
        let list = |items: Vec<Value>| step(json!({"Keys": {"Key": items}}));
        let rec = [list(vec![item(1, 1), item(2, 2)])];
        assert!(compare_case(&rec, &[list(vec![item(1, 1), item(2, 2), item(3, 3)])]).is_empty());
        let found = compare_case(&rec, &[list(vec![item(1, 2), item(2, 3)])]);
        let at: Vec<&str> = found.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(
            at,
            ["/Keys/Key/0/KeyArn", "/Keys/Key/1/KeyArn"],
            "{found:?}"
        );
    }

    #[test]
    fn steps_are_identical_only_without_a_finding_and_extra_steps_count() {
        let ok = step(json!({"Total": 1}));
        let bad = step(json!({"Total": "1"}));
        let code = |_: &Value| None;
        let c = compare(&[ok.clone(), ok.clone()], &[ok.clone(), bad.clone()], code);
        assert_eq!((c.identical.clone(), c.steps), (vec![true, false], 2));
        let c = compare(std::slice::from_ref(&ok), &[ok.clone(), ok.clone()], code);
        assert_eq!((c.identical.clone(), c.steps), (vec![true, false], 2));
        let c = compare(&[ok.clone(), ok.clone(), ok.clone()], &[ok], code);
        assert_eq!((c.identical, c.steps), (vec![true], 3));
    }

    #[test]
    fn error_codes_are_read_where_the_service_puts_them() {
        let err = |t: &str| json!({"step": "s", "request": {}, "response": {"status": 400, "body": {"__type": t}}});
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/aws-kms/service.yaml");
        let service = crate::spec::load_service(&path).expect("the AWS KMS spec");
        let aws = error_code_of(Some(&service));
        let same = compare(
            &[err("com.amazonaws.kms#NotFoundException")],
            &[err("NotFoundException")],
            &aws,
        );
        // The same code (the `__type` texts still differ, as text).
        assert!(
            same.findings
                .iter()
                .all(|f| f.message != "error code differs from the recording"),
            "{:?}",
            same.findings
        );
        assert_eq!(same.findings.len(), 1, "{:?}", same.findings);
        let other = compare(
            &[err("com.amazonaws.kms#NotFoundException")],
            &[err("com.amazonaws.kms#InvalidArnException")],
            &aws,
        );
        assert_eq!(other.findings.len(), 2, "{:?}", other.findings);
        assert!(
            other
                .findings
                .iter()
                .any(|f| f.message == "error code differs from the recording")
        );
    }

    #[test]
    fn a_retried_request_belongs_to_its_step() {
        assert_eq!(step_of("step 2 (find) (retry 1)"), "step 2 (find)");
        assert_eq!(step_of("retry 3"), "");
        assert_eq!(step_of("step 1 (retry-me)"), "step 1 (retry-me)");
        assert_eq!(step_of(""), "");
    }

    #[test]
    fn references_pair_one_to_one_whatever_their_numbers() {
        let keys = |ids: &[u32], arn_of: u32| {
            let list: Vec<Value> = ids
                .iter()
                .map(|i| json!({"KeyId": format!("<KeyId:{i}>")}))
                .collect();
            let mut s = step(
                json!({"Keys": list, "Arn": format!("acs:kms:<region>:<account>:key/<KeyId:{arn_of}>")}),
            );
            // The request names the keys, in order: they are the case's own.
            s["request"] = json!({"body": {"KeyIds": ids.iter().map(|i| format!("<KeyId:{i}>")).collect::<Vec<_>>()}});
            s
        };
        // Another numbering (a longer list came first), the same identities: no finding.
        assert!(compare_case(&[keys(&[1, 2], 2)], &[keys(&[4, 5], 5)]).is_empty());
        // The ARN names the first key where the recording names the second: a finding.
        let found = compare_case(&[keys(&[1, 2], 2)], &[keys(&[4, 5], 4)]);
        let ptrs: Vec<&str> = found.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(ptrs, ["/Arn"], "{found:?}");
        // Text around a reference still counts.
        assert_eq!(
            split_refs("key/<KeyId:12>, <count>").0,
            "key/<KeyId:#>, <count>"
        );
        assert_eq!(
            compare_case(&[keys(&[1], 1)], &[step(json!({"Keys": [{"KeyId": "<KeyId:1>"}], "Arn": "acs:kms:<region>:<account>:alias/<KeyId:1>"}))]).len(),
            1
        );
    }
}
