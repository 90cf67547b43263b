//! `junit.xml`: one testsuite per target, one testcase per case (classname = operation, name =
//! case). Conformance failures are `<failure>`, transport and auth problems `<error>`, skipped
//! and inconclusive cases `<skipped>`. Known deviations pass, with the accepting baseline
//! entries in `<system-out>`. When a baseline is used, a last testsuite `specgate baseline` has
//! one testcase per entry, so that stale and expired entries fail in the CI's test view as they
//! fail the gate.
//!
//! The file is streamed with quick-xml's writer, one testcase at a time as its outcome is read
//! back (quick-junit, which lays out the same format, needs the whole report in memory first).
//! Every count a testsuite's attributes carry comes from the outcome slots, before any testcase
//! is read. Text is stripped of terminal escapes and of the control characters XML 1.0 forbids.

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::model::*;
use super::text::{finding_line, outcome_text, sorted_findings};

/// Renders `junit.xml` into a string.
pub fn render(r: &Report) -> io::Result<String> {
    let mut out = Vec::new();
    write(r, &mut out)?;
    String::from_utf8(out).map_err(io::Error::other)
}

/// The counts a `<testsuite>` or `<testsuites>` element declares.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    tests: usize,
    skipped: usize,
    failures: usize,
    errors: usize,
    time_ms: u64,
}

impl Tally {
    fn add(&mut self, status: Status, time_ms: u64) {
        self.tests += 1;
        self.time_ms += time_ms;
        match status {
            Status::Fail | Status::Ambiguity => self.failures += 1,
            Status::Error => self.errors += 1,
            Status::Skipped | Status::Inconclusive => self.skipped += 1,
            Status::Pass | Status::Known => {}
        }
    }

    fn merge(&mut self, other: &Tally) {
        self.tests += other.tests;
        self.skipped += other.skipped;
        self.failures += other.failures;
        self.errors += other.errors;
    }
}

/// Writes `junit.xml`.
pub fn write(r: &Report, w: impl Write) -> io::Result<()> {
    let outcomes = &r.outcomes;
    let mut suites = vec![Tally::default(); r.matrix.targets.len()];
    for slot in outcomes.slots() {
        let target = outcomes.target_of(slot);
        if let Some(i) = r.matrix.targets.iter().position(|t| t == target) {
            suites[i].add(slot.status, u64::from(slot.duration_ms));
        }
    }
    let mut entries = Tally::default();
    if let Some(b) = &r.baseline {
        for e in &b.entries {
            entries.add(entry_status(e.state), 0);
        }
    }
    let mut all = Tally::default();
    suites.iter().for_each(|t| all.merge(t));
    if r.baseline.is_some() {
        all.merge(&entries);
    }

    let mut x = Writer::new_with_indent(w, b' ', 4);
    x.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut top = BytesStart::new("testsuites");
    top.push_attribute(("name", "specgate"));
    counts(&mut top, &all, false);
    top.push_attribute(("time", seconds(r.run.duration_ms).as_str()));
    x.write_event(Event::Start(top))?;

    for (target, tally) in r.matrix.targets.iter().zip(&suites) {
        let mut suite = BytesStart::new("testsuite");
        suite.push_attribute(("name", clean(target).as_str()));
        counts(&mut suite, tally, true);
        suite.push_attribute(("time", seconds(tally.time_ms).as_str()));
        x.write_event(Event::Start(suite))?;
        start(&mut x, "properties")?;
        property(&mut x, "run-id", &r.run.id)?;
        if r.run.partial {
            property(&mut x, "partial", "true")?;
        }
        end(&mut x, "properties")?;
        for slot in outcomes
            .slots()
            .filter(|s| outcomes.target_of(s) == target.as_str())
        {
            test_case(&mut x, &outcomes.store().read(slot)?, r)?;
        }
        end(&mut x, "testsuite")?;
    }

    if let Some(b) = &r.baseline {
        let mut suite = BytesStart::new("testsuite");
        suite.push_attribute(("name", "specgate baseline"));
        counts(&mut suite, &entries, true);
        x.write_event(Event::Start(suite))?;
        start(&mut x, "properties")?;
        property(&mut x, "file", &b.file)?;
        end(&mut x, "properties")?;
        for e in &b.entries {
            entry_case(&mut x, e)?;
        }
        end(&mut x, "testsuite")?;
    }
    end(&mut x, "testsuites")?;
    x.write_indent()?;
    x.into_inner().flush()
}

/// The attributes `tests`, `skipped`, `failures` and `errors`, in quick-junit's order
/// (`testsuite` puts `errors` before `failures`).
fn counts(tag: &mut BytesStart<'_>, t: &Tally, suite: bool) {
    tag.push_attribute(("tests", t.tests.to_string().as_str()));
    tag.push_attribute(("skipped", t.skipped.to_string().as_str()));
    if suite {
        tag.push_attribute(("errors", t.errors.to_string().as_str()));
        tag.push_attribute(("failures", t.failures.to_string().as_str()));
    } else {
        tag.push_attribute(("failures", t.failures.to_string().as_str()));
        tag.push_attribute(("errors", t.errors.to_string().as_str()));
    }
}

/// What a baseline entry counts as in JUnit terms.
fn entry_status(state: EntryState) -> Status {
    match state {
        EntryState::Reproduced => Status::Pass,
        EntryState::Stale | EntryState::Expired => Status::Fail,
        EntryState::NotRun | EntryState::Unverified => Status::Skipped,
    }
}

/// A `<failure>`, `<error>` or `<skipped>` element: its name, type, message and text.
struct NonSuccess {
    tag: &'static str,
    kind: String,
    message: String,
    text: Option<String>,
}

fn test_case<W: Write>(x: &mut Writer<W>, o: &OutcomeReport, r: &Report) -> io::Result<()> {
    let outcome = match o.status {
        Status::Pass | Status::Known => None,
        Status::Fail | Status::Ambiguity => Some(NonSuccess {
            tag: "failure",
            kind: if o.status == Status::Ambiguity {
                "documentation-ambiguity"
            } else {
                "conformance"
            }
            .to_string(),
            message: summary(o, r),
            text: Some(outcome_text(o, r)),
        }),
        Status::Error => {
            let first = o
                .findings
                .iter()
                .find(|f| f.kind.starts_with("transport.") || f.kind.starts_with("auth."));
            Some(NonSuccess {
                tag: "error",
                kind: first.map_or("error", |f| f.kind.as_str()).to_string(),
                message: summary(o, r),
                text: Some(outcome_text(o, r)),
            })
        }
        Status::Skipped | Status::Inconclusive => Some(NonSuccess {
            tag: "skipped",
            kind: o.status.as_str().to_string(),
            message: o.reason.clone().unwrap_or_else(|| o.status.label().into()),
            text: None,
        }),
    };
    let system_out = (o.status == Status::Known).then(|| {
        let mut out = String::from("known deviation: every finding is in the baseline\n");
        for f in sorted_findings(o) {
            out.push_str(&finding_line(f, r));
            out.push('\n');
        }
        out
    });
    let mut tag = BytesStart::new("testcase");
    tag.push_attribute(("name", clean(&o.case).as_str()));
    tag.push_attribute(("classname", clean(&o.operation).as_str()));
    tag.push_attribute(("time", seconds(o.duration_ms).as_str()));
    if outcome.is_none() && system_out.is_none() {
        return x.write_event(Event::Empty(tag));
    }
    x.write_event(Event::Start(tag))?;
    if let Some(n) = outcome {
        non_success(x, &n)?;
    }
    if let Some(out) = system_out {
        start(x, "system-out")?;
        x.write_event(Event::Text(BytesText::new(&clean(&out))))?;
        end(x, "system-out")?;
    }
    end(x, "testcase")
}

fn non_success<W: Write>(x: &mut Writer<W>, n: &NonSuccess) -> io::Result<()> {
    let mut tag = BytesStart::new(n.tag);
    tag.push_attribute(("message", clean(&n.message).as_str()));
    tag.push_attribute(("type", clean(&n.kind).as_str()));
    match &n.text {
        Some(text) => {
            x.write_event(Event::Start(tag))?;
            x.write_event(Event::Text(BytesText::new(&clean(text))))?;
            end(x, n.tag)
        }
        None => x.write_event(Event::Empty(tag)),
    }
}

/// The first line of a failure: how many findings, and the first.
fn summary(o: &OutcomeReport, r: &Report) -> String {
    let findings = sorted_findings(o);
    match findings.first() {
        None => o.status.label().to_string(),
        Some(f) if findings.len() == 1 => finding_line(f, r),
        Some(f) => format!("{} findings; first: {}", findings.len(), finding_line(f, r)),
    }
}

fn entry_case<W: Write>(x: &mut Writer<W>, e: &EntryReport) -> io::Result<()> {
    let name = if e.pointer.is_empty() {
        format!("{} {} [{}]", e.target, e.case, e.kind)
    } else {
        format!("{} {} [{}] {}", e.target, e.case, e.kind, e.pointer)
    };
    let outcome = match e.state {
        EntryState::Reproduced => None,
        EntryState::Stale | EntryState::Expired => Some(NonSuccess {
            tag: "failure",
            kind: format!("baseline.{}", e.state.as_str()),
            message: if e.state == EntryState::Stale {
                format!(
                    "baseline line {}: the case ran and no longer shows this deviation; remove the entry",
                    e.line
                )
            } else {
                format!(
                    "baseline line {}: expired on {}; fix the target or renew the entry",
                    e.line,
                    e.expires.as_deref().unwrap_or("?")
                )
            },
            text: None,
        }),
        EntryState::NotRun | EntryState::Unverified => Some(NonSuccess {
            tag: "skipped",
            kind: format!("baseline.{}", e.state.as_str().replace(' ', "_")),
            message: format!(
                "baseline line {}: {}",
                e.line,
                if e.state == EntryState::NotRun {
                    "the case did not run against this target"
                } else {
                    "the case gave no verdict"
                }
            ),
            text: None,
        }),
    };
    let mut tag = BytesStart::new("testcase");
    tag.push_attribute(("name", clean(&name).as_str()));
    tag.push_attribute(("classname", "baseline"));
    match outcome {
        None => x.write_event(Event::Empty(tag)),
        Some(n) => {
            x.write_event(Event::Start(tag))?;
            non_success(x, &n)?;
            end(x, "testcase")
        }
    }
}

fn start<W: Write>(x: &mut Writer<W>, name: &str) -> io::Result<()> {
    x.write_event(Event::Start(BytesStart::new(name)))
}

fn end<W: Write>(x: &mut Writer<W>, name: &str) -> io::Result<()> {
    x.write_event(Event::End(BytesEnd::new(name)))
}

fn property<W: Write>(x: &mut Writer<W>, name: &str, value: &str) -> io::Result<()> {
    let mut tag = BytesStart::new("property");
    tag.push_attribute(("name", name));
    tag.push_attribute(("value", clean(value).as_str()));
    x.write_event(Event::Empty(tag))
}

/// Seconds with three decimals, as JUnit readers expect.
fn seconds(ms: u64) -> String {
    format!("{:.3}", ms as f64 / 1000.0)
}

/// Text XML 1.0 can hold: terminal escape sequences removed, then the control characters it
/// forbids (all below U+0020 but tab, newline and carriage return) and U+FFFE/U+FFFF.
fn clean(s: &str) -> String {
    let s = if s.contains('\x1b') {
        strip_ansi_escapes::strip_str(s)
    } else {
        s.to_string()
    };
    if s.contains(forbidden) {
        s.replace(forbidden, "")
    } else {
        s
    }
}

fn forbidden(c: char) -> bool {
    matches!(c, '\x00'..='\x08' | '\x0b' | '\x0c' | '\x0e'..='\x1f' | '\u{fffe}' | '\u{ffff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_made_valid_xml() {
        assert_eq!(clean("a\x1b[31mred\x1b[0m\x00b\n"), "aredb\n");
        assert_eq!(clean("x\x00\x08\u{fffe}\ty\r\n"), "x\ty\r\n");
        assert_eq!(clean("plain"), "plain");
    }

    #[test]
    fn times_have_three_decimals() {
        assert_eq!(seconds(1234), "1.234");
        assert_eq!(seconds(0), "0.000");
    }
}
