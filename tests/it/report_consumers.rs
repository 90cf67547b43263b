//! The machine-readable files read by consumers other than our writers: junit.xml with an
//! independent XML reader (as a CI would), report.json against the committed JSON Schema,
//! report.html as one self-contained, escaped page.

use crate::support::report_fixture;

use std::collections::BTreeMap;

use quick_xml::events::Event;
use serde_json::Value;
use specgate::report::{Report, render_html, render_json, render_junit};

/// One `<testcase>` as a CI sees it.
#[derive(Debug, Default, Clone)]
struct Case {
    suite: String,
    classname: String,
    name: String,
    /// `failure`, `error`, `skipped` or empty for a pass.
    outcome: String,
    body: String,
}

/// Reads every testcase, and each testsuite's declared counts.
fn read_junit(xml: &str) -> (Vec<Case>, BTreeMap<String, BTreeMap<String, String>>) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut cases = Vec::new();
    let mut suites = BTreeMap::new();
    let mut suite = String::new();
    let mut current: Option<Case> = None;
    let mut in_outcome = false;
    loop {
        let ev = reader.read_event().expect("junit.xml is well-formed XML");
        let (start, empty) = match &ev {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let attrs: BTreeMap<String, String> = e
                .attributes()
                .map(|a| {
                    let a = a.unwrap();
                    (
                        String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                        a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                            .unwrap()
                            .into_owned(),
                    )
                })
                .collect();
            match e.name().as_ref() {
                b"testsuite" => {
                    suite = attrs["name"].clone();
                    suites.insert(suite.clone(), attrs);
                }
                b"testcase" => {
                    let c = Case {
                        suite: suite.clone(),
                        classname: attrs.get("classname").cloned().unwrap_or_default(),
                        name: attrs["name"].clone(),
                        ..Case::default()
                    };
                    if empty {
                        cases.push(c);
                    } else {
                        current = Some(c);
                    }
                }
                tag @ (b"failure" | b"error" | b"skipped") => {
                    let c = current.as_mut().expect("an outcome inside a testcase");
                    c.outcome = String::from_utf8(tag.to_vec()).unwrap();
                    in_outcome = !empty;
                }
                _ => {}
            }
            continue;
        }
        match ev {
            Event::Text(t) if in_outcome => {
                let text = t.decode().unwrap();
                current.as_mut().unwrap().body.push_str(&text);
            }
            Event::GeneralRef(r) if in_outcome => {
                let raw = format!("&{};", r.decode().unwrap());
                let text = quick_xml::escape::unescape(&raw).unwrap().into_owned();
                current.as_mut().unwrap().body.push_str(&text);
            }
            Event::End(e) => match e.name().as_ref() {
                b"testcase" => cases.push(current.take().unwrap()),
                b"failure" | b"error" | b"skipped" => in_outcome = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    (cases, suites)
}

#[test]
fn under_strict_readings_an_ambiguity_is_a_junit_failure() {
    let mut report = report_fixture::report(false);
    report.run.strict_readings = true;
    let (cases, suites) = read_junit(&render_junit(&report).unwrap());
    let ambiguity = cases
        .iter()
        .find(|c| c.suite == "aliyun-prod" && c.name == "page-size-101")
        .unwrap();
    assert_eq!(ambiguity.outcome, "failure");
    // The hostile text survives the round trip as text.
    assert!(ambiguity.body.contains(report_fixture::HOSTILE));
    assert_eq!(suites["aliyun-prod"]["failures"], "2");
    assert_eq!(suites["aliyun-prod"]["skipped"], "1");
}

#[test]
fn junit_counts_as_a_ci_reads_them() {
    let report = report_fixture::report(false);
    let (cases, suites) = read_junit(&render_junit(&report).unwrap());
    let count = |outcome: &str| cases.iter().filter(|c| c.outcome == outcome).count();
    // 7 cases × 2 targets, and 5 baseline entries.
    assert_eq!(cases.len(), 19);
    // The failure with a diff; the stale and the expired baseline entries.
    assert_eq!(count("failure"), 3);
    // The transport error, apart from the failures.
    assert_eq!(count("error"), 1);
    // The mutating case, the baseline entry whose case did not run, and the ambiguity (not a
    // gate failure without --strict-readings).
    assert_eq!(count("skipped"), 3);
    // The declared counts agree with the elements.
    for (name, attrs) in &suites {
        let of = |o: &str| {
            cases
                .iter()
                .filter(|c| &c.suite == name && (o.is_empty() || c.outcome == o))
                .count()
                .to_string()
        };
        assert_eq!(attrs["tests"], of(""), "tests of {name}");
        assert_eq!(attrs["failures"], of("failure"), "failures of {name}");
        assert_eq!(attrs["errors"], of("error"), "errors of {name}");
        assert_eq!(attrs["skipped"], of("skipped"), "skipped of {name}");
    }
    assert_eq!(
        suites.keys().collect::<Vec<_>>(),
        ["aliyun-prod", "embedded-emulator", "specgate baseline"]
    );
    // classname = operation, name = case; the failure body holds the findings and the diff.
    let diff = cases
        .iter()
        .find(|c| c.suite == "aliyun-prod" && c.name == "sample-diff")
        .unwrap();
    assert_eq!(diff.classname, "alibaba-kms/ListKeys");
    assert_eq!(diff.outcome, "failure");
    assert!(
        diff.body.contains("[diff] at /Keys/Key/0/KeyArn"),
        "{}",
        diff.body
    );
    assert!(
        diff.body.contains("+        \"KeyState\": \"Enabled\""),
        "{}",
        diff.body
    );
    let err = cases
        .iter()
        .find(|c| c.suite == "aliyun-prod" && c.name == "create-and-list")
        .unwrap();
    assert_eq!(err.outcome, "error");
    assert!(err.body.contains("transport.connect"));
    // A known deviation passes.
    let known = cases
        .iter()
        .find(|c| c.suite == "aliyun-prod" && c.name == "page-size-above-maximum")
        .unwrap();
    assert_eq!(known.outcome, "");
}

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string("docs/report-schema.json").unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("docs/report-schema.json is a valid JSON Schema")
}

fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn json_of(r: &Report) -> Value {
    serde_json::from_str(&render_json(r).unwrap()).unwrap()
}

#[test]
fn report_json_validates_against_the_committed_schema() {
    let v = schema();
    let with_baseline = report_fixture::report(false);
    let partial = report_fixture::report(true);
    let no_baseline = Report::build(
        &report_fixture::result(false),
        &report_fixture::info(),
        None,
    )
    .unwrap();
    let mut stable = report_fixture::report(false);
    specgate::report::stabilize(&mut stable).unwrap();
    for r in [&with_baseline, &partial, &no_baseline, &stable] {
        let doc = json_of(r);
        let errs = errors(&v, &doc);
        assert!(
            errs.is_empty(),
            "report.json does not match docs/report-schema.json:\n{}",
            errs.join("\n")
        );
    }
    // The data is all there: every outcome with findings and exchanges.
    let doc = json_of(&with_baseline);
    assert_eq!(doc["outcomes"].as_array().unwrap().len(), 14);
    assert_eq!(doc["counts"]["known"], 1);
    assert_eq!(doc["gate"]["verdict"], "fail");
    assert_eq!(
        doc["outcomes"][3]["exchanges"][0]["response"]["status"],
        200
    );
}

#[test]
fn the_schema_is_strict_enough_to_catch_drift() {
    let v = schema();
    let doc = json_of(&report_fixture::report(false));
    let mut extra = doc.clone();
    extra["outcomes"][0]["surprise"] = Value::from(1);
    assert!(
        !errors(&v, &extra).is_empty(),
        "an unknown field must be rejected"
    );
    let mut missing = doc.clone();
    missing["run"].as_object_mut().unwrap().remove("partial");
    assert!(
        !errors(&v, &missing).is_empty(),
        "a missing field must be rejected"
    );
    let mut status = doc;
    status["outcomes"][0]["status"] = Value::from("passed");
    assert!(
        !errors(&v, &status).is_empty(),
        "an unknown status must be rejected"
    );
}

#[test]
fn html_is_one_self_contained_escaped_page() {
    let report = report_fixture::report(false);
    let html = render_html(&report).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("{{"), "a template placeholder was left");
    // Nothing is loaded from anywhere.
    for needle in ["<link", "src=\"http", "src='http", "href=\"http", "@import"] {
        assert!(!html.contains(needle), "`{needle}` in report.html");
    }
    // `url(` only for the pictures' own textures (`url(#id)`, in the page).
    for (i, _) in html.match_indices("url(") {
        assert!(
            html[i + 4..].starts_with('#'),
            "`{}` in report.html",
            &html[i..(i + 40).min(html.len())]
        );
    }
    assert_eq!(
        html.matches("<script").count(),
        2,
        "the data and the inline script"
    );
    // The hostile message appears only escaped.
    assert!(!html.contains("<img src=x"));
    assert!(!html.contains("</script><img"));
    // The embedded data is exactly report.json.
    let start = html
        .find("<script id=\"report-data\" type=\"application/json\">")
        .unwrap();
    let rest = &html[start..];
    let data = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    let embedded: Value = serde_json::from_str(data).unwrap();
    assert_eq!(embedded, json_of(&report));
    assert!(html.contains("<span class=\"verdict fail\">FAIL</span>"));
}

#[test]
fn html_distinct_section_escapes_control_and_bidi_characters_of_a_diff() {
    let mut result = report_fixture::result(false);
    let o = result
        .outcomes
        .iter_mut()
        .find(|o| o.diff.is_some())
        .expect("the fixture has a diff");
    o.diff = Some("-a\u{202e}b\n+c\u{1b}[2Jd\n".into());
    let report = Report::build(
        &result,
        &report_fixture::info(),
        Some(&report_fixture::baseline()),
    )
    .expect("the report builds");
    let html = render_html(&report).unwrap();
    let start = html.find("<section id=\"distinct\">").expect("the section");
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    assert!(section.contains("-a\\u{202e}b"), "{section}");
    assert!(section.contains("+c\\u{1b}[2Jd"), "{section}");
    assert!(!section.contains('\u{202e}') && !section.contains('\u{1b}'));
}
