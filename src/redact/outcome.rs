//! Redacting what a case produced: findings (messages and the JSON values quoted from answers,
//! keys included), the skip or inconclusive reason, the sample diff and every recorded exchange.

use serde_json::Value;

use super::Redactor;
use crate::exec::{CaseOutcome, Exchange};
use crate::finding::Finding;

impl Redactor {
    /// Redacts every text of an outcome that can hold what a target sent or what was sent to
    /// it. Idempotent: redacting twice gives the same outcome.
    pub fn outcome(&self, o: &mut CaseOutcome) {
        if self.is_inert() {
            return;
        }
        if let Some(reason) = &mut o.reason {
            *reason = self.text(reason);
        }
        if let Some(by) = &mut o.blocked_by {
            *by = self.text(by);
        }
        for by in &mut o.set_aside_by {
            *by = self.text(by);
        }
        for f in &mut o.findings {
            self.finding(f);
        }
        if let Some(diff) = &mut o.diff {
            *diff = self.text(diff);
        }
        for x in &mut o.exchanges {
            self.exchange(x);
        }
    }

    /// Redacts a finding: message, step, pointer, and the expected and actual values.
    pub fn finding(&self, f: &mut Finding) {
        if self.is_inert() {
            return;
        }
        f.message = self.text(&f.message);
        f.step = self.text(&f.step);
        f.pointer = self.text(&f.pointer);
        self.value(&mut f.expected);
        self.value(&mut f.actual);
    }

    /// Redacts a recorded exchange: the URL, headers by name and value, and both bodies.
    pub fn exchange(&self, x: &mut Exchange) {
        if self.is_inert() {
            return;
        }
        x.request.url = self.url(&x.request.url);
        for (name, value) in &mut x.request.headers {
            *value = self.header(name, value);
        }
        x.request.body = self.text(&x.request.body);
        if let Some(resp) = &mut x.response {
            for (name, value) in &mut resp.headers {
                *value = self.header(name, value);
            }
            resp.body = self.text(&resp.body);
        }
    }

    /// Redacts every string of a JSON value, object keys included.
    pub fn value(&self, v: &mut Value) {
        match v {
            Value::String(s) => *s = self.text(s),
            Value::Array(items) => items.iter_mut().for_each(|i| self.value(i)),
            Value::Object(map) => {
                let entries = std::mem::take(map);
                for (k, mut item) in entries {
                    self.value(&mut item);
                    map.insert(self.text(&k), item);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::case::Provenance;
    use crate::exec::{RecordedRequest, RecordedResponse, Verdict};
    use crate::finding::kinds;

    #[test]
    fn every_text_of_an_outcome_is_redacted() {
        let r = Redactor::new(vec!["tok/en+1".into()], vec!["LTAIkeyid99".into()]);
        let mut o = CaseOutcome {
            id: "s/Op::c".parse().unwrap(),
            operation: "Op".into(),
            target: "t".into(),
            provenance: Provenance::Documented,
            verdict: Verdict::Fail,
            reason: Some("tok%2Fen%2B1".into()),
            blocked_by: None,
            set_aside_by: Vec::new(),
            doc_note: None,
            reading: None,
            retries: 0,
            findings: vec![
                Finding::new(kinds::REDIRECT, "to LTAIkeyid99")
                    .values(json!({"tok/en+1": ["x tok%252Fen%252B1"]}), "/?a=tok/en+1"),
            ],
            exchanges: vec![Exchange {
                step: String::new(),
                request: RecordedRequest {
                    method: "GET".into(),
                    url: "http://u:pw@h/?SecurityToken=zz&K=LTAIkeyid99".into(),
                    headers: vec![("X-Auth-Token".into(), "abc".into())],
                    body: "tok/en+1".into(),
                },
                response: Some(RecordedResponse {
                    status: 400,
                    headers: vec![("Location".into(), "/?t=tok/en+1".into())],
                    body: r#"{"m":"tok\/en+1"}"#.into(),
                }),
                elapsed_ms: 1,
            }],
            diff: Some("+ tok/en+1".into()),
            duration_ms: 1,
        };
        r.outcome(&mut o);
        let all = serde_json::to_string(&o).unwrap();
        for leak in ["tok", "LTAIkeyid99", "pw@", "zz", "abc"] {
            assert!(!all.contains(leak), "{leak} in {all}");
        }
        assert!(all.contains("****id99"), "{all}");
    }
}
