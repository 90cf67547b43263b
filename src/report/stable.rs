//! `--stable-report`: replaces the values that change from run to run (times, durations, the
//! run prefix, loopback ports, random ids) by placeholders, so that a committed example report
//! only changes when the behaviour does. Ids are numbered by first appearance (`<uuid:3>`), so
//! that "the same id here and there" stays visible. Golden tests use the same function.

use std::collections::HashMap;

use regex::{Captures, Regex};
use serde_json::Value;

use super::model::{OutcomeReport, Report};

/// The start time written in a stable report.
pub const STABLE_TIME: &str = "1970-01-01T00:00:00Z";
/// What the run prefix becomes in a stable report.
pub const STABLE_PREFIX: &str = "<run-prefix>";

/// Rewrites a report in place so that it is the same for two runs that behaved the same. The
/// outcomes are rewritten in plan order into a new store, so ids are numbered the same way
/// whatever order the cases finished in.
pub fn stabilize(r: &mut Report) -> std::io::Result<()> {
    let prefix = r.run.run_prefix.clone();
    stabilize_with(r, &[prefix])
}

/// [`stabilize`] for a report that joins runs (`specgate merge`): each of `prefixes`, the run
/// prefixes of the runs, becomes the placeholder.
pub fn stabilize_with(r: &mut Report, prefixes: &[String]) -> std::io::Result<()> {
    let mut s = Stabilizer::new(prefixes);
    r.run.stable = true;
    r.run.id = s.text(&r.run.id);
    r.run.started_at = STABLE_TIME.to_string();
    r.run.duration_ms = 0;
    super::latency::stabilize(&mut r.latency);
    r.run.run_prefix = STABLE_PREFIX.to_string();
    for t in &mut r.targets {
        for svc in &mut t.services {
            svc.endpoint = s.text(&svc.endpoint);
        }
    }
    r.outcomes = r.outcomes.map(|mut o| {
        s.outcome(&mut o);
        o
    })?;
    Ok(())
}

struct Stabilizer {
    prefixes: Vec<String>,
    port: Regex,
    uuid: Regex,
    hex32: Regex,
    timestamp: Regex,
    millis: Regex,
    compact_time: Regex,
    numbers: HashMap<(&'static str, String), usize>,
    next: HashMap<&'static str, usize>,
}

impl Stabilizer {
    fn new(prefixes: &[String]) -> Self {
        let re = |p: &str| Regex::new(p).expect("a valid built-in regex");
        Stabilizer {
            prefixes: prefixes.iter().filter(|p| !p.is_empty()).cloned().collect(),
            port: re(r"(127\.0\.0\.1|localhost|\[::1\]):\d{1,5}"),
            uuid: re(
                r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b",
            ),
            hex32: re(r"\b[0-9a-f]{32}\b"),
            timestamp: re(
                r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?",
            ),
            millis: re(r"\b1\d{12}\b"),
            compact_time: re(r"\b\d{8}T\d{6}Z"),
            numbers: HashMap::new(),
            next: HashMap::new(),
        }
    }

    fn outcome(&mut self, o: &mut OutcomeReport) {
        o.duration_ms = 0;
        o.reason = o.reason.as_deref().map(|x| self.text(x));
        for f in &mut o.findings {
            f.step = self.text(&f.step);
            f.message = self.text(&f.message);
            self.value(&mut f.expected);
            self.value(&mut f.actual);
        }
        o.diff = o.diff.as_deref().map(|d| self.text(d));
        for x in &mut o.exchanges {
            x.elapsed_ms = 0;
            x.step = self.text(&x.step);
            x.request.url = self.text(&x.request.url);
            x.request.body = self.text(&x.request.body);
            self.headers(&mut x.request.headers);
            if let Some(resp) = &mut x.response {
                resp.body = self.text(&resp.body);
                self.headers(&mut resp.headers);
            }
        }
    }

    fn number(&mut self, kind: &'static str, value: &str) -> String {
        let key = (kind, value.to_string());
        let n = match self.numbers.get(&key) {
            Some(n) => *n,
            None => {
                let n = self.next.entry(kind).or_insert(0);
                *n += 1;
                let n = *n;
                self.numbers.insert(key, n);
                n
            }
        };
        format!("<{kind}:{n}>")
    }

    fn text(&mut self, s: &str) -> String {
        let mut out = s.to_string();
        for prefix in &self.prefixes {
            out = out.replace(prefix.as_str(), STABLE_PREFIX);
        }
        out = self.port.replace_all(&out, "$1:<port>").into_owned();
        out = self.numbered(out, "uuid");
        out = self.numbered(out, "hex");
        out = self.timestamp.replace_all(&out, "<timestamp>").into_owned();
        out = self.compact_time.replace_all(&out, "<time>").into_owned();
        self.millis.replace_all(&out, "<millis>").into_owned()
    }

    fn numbered(&mut self, s: String, kind: &'static str) -> String {
        let re = if kind == "uuid" {
            self.uuid.clone()
        } else {
            self.hex32.clone()
        };
        re.replace_all(&s, |c: &Captures<'_>| {
            self.number(kind, &c[0].to_ascii_lowercase())
        })
        .into_owned()
    }

    fn value(&mut self, v: &mut Value) {
        match v {
            Value::String(s) => *s = self.text(s),
            Value::Array(items) => items.iter_mut().for_each(|x| self.value(x)),
            Value::Object(m) => m.values_mut().for_each(|x| self.value(x)),
            _ => {}
        }
    }

    fn headers(&mut self, headers: &mut [(String, String)]) {
        for (k, v) in headers {
            *v = if k.eq_ignore_ascii_case("date") {
                "<date>".to_string()
            } else {
                self.text(v)
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_ids_by_first_appearance_and_masks_ports_and_times() {
        let mut s = Stabilizer::new(&["sg-1a2b3c4d".to_string()]);
        let a = "8252db58-2036-408c-a3d5-56e656dc2551";
        let b = "08c33a6f-4e0a-4a1b-a3fa-7ddfa1d40000";
        assert_eq!(
            s.text(&format!(
                "http://127.0.0.1:41234/?x={a}&y={b}&z={a}&n=alias/sg-1a2b3c4d-x&t=2026-11-24T11:30:00Z"
            )),
            "http://127.0.0.1:<port>/?x=<uuid:1>&y=<uuid:2>&z=<uuid:1>&n=alias/<run-prefix>-x&t=<timestamp>"
        );
        assert_eq!(s.text(b), "<uuid:2>");
    }
}
