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
use super::text::{finding_line, findings_lines, outcome_text, sorted_findings};

/// Renders `junit.xml` into a string.
pub fn render(r: &Report) -> io::Result<String> {
    super::text::to_string(|out| write(r, out))
}

/// Writes `junit.xml`.
pub(super) fn write(r: &Report, w: impl Write) -> io::Result<()> {
    let outcomes = &r.outcomes;
    // The counts come from the matrix; each target's time from the outcome slots.
    let mut times = vec![0u64; r.matrix.targets.len()];
    for slot in outcomes.slots() {
        let target = outcomes.target_of(slot);
        if let Some(i) = r.matrix.targets.iter().position(|t| t == target) {
            times[i] += u64::from(slot.duration_ms);
        }
    }
    let mut entries = Counts::default();
    if let Some(b) = &r.baseline {
        for e in &b.entries {
            entries.add(entry_status(e.state));
        }
    }
    let mut all = r.matrix.overall.counts;
    if r.baseline.is_some() {
        all.merge(&entries);
    }

    let mut x = Writer::new_with_indent(w, b' ', 4);
    x.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut top = BytesStart::new("testsuites");
    top.push_attribute(("name", "specgate"));
    counts(&mut top, &all, false, r.run.strict_readings);
    top.push_attribute(("time", seconds(r.run.duration_ms).as_str()));
    x.write_event(Event::Start(top))?;

    for ((target, cell), time_ms) in r.matrix.targets.iter().zip(&r.matrix.per_target).zip(times) {
        let mut suite = BytesStart::new("testsuite");
        suite.push_attribute(("name", clean(target).as_str()));
        counts(&mut suite, &cell.counts, true, r.run.strict_readings);
        suite.push_attribute(("time", seconds(time_ms).as_str()));
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
            test_case(&mut x, &outcomes.read(slot)?, r)?;
        }
        end(&mut x, "testsuite")?;
    }

    if let Some(b) = &r.baseline {
        let mut suite = BytesStart::new("testsuite");
        suite.push_attribute(("name", "specgate baseline"));
        counts(&mut suite, &entries, true, r.run.strict_readings);
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

/// The attributes `tests`, `skipped`, `failures` and `errors` of outcomes with these counts, in
/// quick-junit's order (`testsuite` puts `errors` before `failures`): failures are conformance
/// failures (and ambiguities under `--strict-readings`), skipped are skipped, inconclusive,
/// blocked and other-reading outcomes, and ambiguities otherwise.
fn counts(tag: &mut BytesStart<'_>, c: &Counts, suite: bool, strict_readings: bool) {
    let failures = c.junit_failures(strict_readings).to_string();
    let errors = c.error.to_string();
    tag.push_attribute(("tests", c.total.to_string().as_str()));
    let skipped = c.junit_skipped(strict_readings);
    tag.push_attribute(("skipped", skipped.to_string().as_str()));
    if suite {
        tag.push_attribute(("errors", errors.as_str()));
        tag.push_attribute(("failures", failures.as_str()));
    } else {
        tag.push_attribute(("failures", failures.as_str()));
        tag.push_attribute(("errors", errors.as_str()));
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
        // Without --strict-readings an ambiguity does not fail the gate: a skipped test, so that
        // a CI test reporter and the gate agree.
        Status::Ambiguity if !r.run.strict_readings => Some(NonSuccess {
            tag: "skipped",
            kind: "documentation-ambiguity".to_string(),
            message: format!(
                "documentation ambiguity (fails the gate only with --strict-readings): {}",
                summary(o, r)
            ),
            text: None,
        }),
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
            let first = o.findings.iter().find(|f| f.is_error());
            Some(NonSuccess {
                tag: "error",
                kind: first.map_or("error", |f| f.kind.as_str()).to_string(),
                message: summary(o, r),
                text: Some(outcome_text(o, r)),
            })
        }
        Status::Skipped | Status::Inconclusive | Status::Blocked => Some(NonSuccess {
            tag: "skipped",
            kind: o.status.as_str().to_string(),
            // A blocked case's reason quotes the set-up step's first finding: target text.
            message: o.reason.as_deref().map_or_else(
                || o.status.label().into(),
                |r| crate::redact::escape_controls(r).into_owned(),
            ),
            text: None,
        }),
        Status::OtherReading => Some(NonSuccess {
            tag: "skipped",
            kind: o.status.as_str().to_string(),
            message: super::text::other_reading_line(o),
            text: None,
        }),
    };
    let system_out = (o.status == Status::Known).then(|| {
        let mut out = String::from("known deviation: every finding is in the baseline\n");
        out.push_str(&findings_lines(&sorted_findings(o), r));
        out
    });
    let mut tag = BytesStart::new("testcase");
    tag.push_attribute(("name", clean(&o.case).as_str()));
    tag.push_attribute(("classname", clean(&o.operation).as_str()));
    tag.push_attribute(("time", seconds(o.duration_ms).as_str()));
    // Where the first finding's step is written, for CI tools that link a testcase to a file.
    if let Some(src) = sorted_findings(o).iter().find_map(|f| f.source.as_ref()) {
        tag.push_attribute(("file", clean(&src.file).as_str()));
        tag.push_attribute(("line", src.line.to_string().as_str()));
    }
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
