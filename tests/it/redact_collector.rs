//! The report's collector redacts every outcome it takes, whoever made it: an outcome built
//! outside the executor (as an interrupted or failed case task's would be) reaches no report
//! file with a credential in it.

use crate::support::report_fixture::{CLOUD, EMU_URL, exchange, info, outcome};
use serde_json::json;
use specgate::case::Provenance;
use specgate::exec::Verdict;
use specgate::finding::{Finding, kinds};
use specgate::redact::Redactor;
use specgate::report::{Collector, Keep, RunEnd, render_html, render_json};

const TOKEN: &str = "CAIS+collector/Token=9";
const KEY_ID: &str = "LTAI5tCollectorKey77";

#[test]
fn the_collector_redacts_outcomes_made_anywhere() {
    let redactor = Redactor::new(vec![TOKEN.into()], vec![KEY_ID.into()]);
    let mut c = Collector::new(info(), None, Keep::All, 1, None)
        .unwrap()
        .redacting(redactor);
    let mut o = outcome(
        "alibaba-kms/ListKeys::sample-diff",
        CLOUD,
        Provenance::Documented,
        Verdict::Error,
        vec![
            Finding::new(kinds::OTHER, format!("the task failed near {KEY_ID}"))
                .values(json!({"token": TOKEN}), format!("{TOKEN}\u{1b}[2J")),
        ],
    );
    o.reason = Some(format!("SecurityToken={}", TOKEN.replace('/', "%2F")));
    o.exchanges.push(exchange(
        "",
        EMU_URL,
        &format!("AccessKeyId={KEY_ID}&SecurityToken=x"),
        400,
        json!({"Message": format!("echo {}", TOKEN.replace('/', "%252F").replace('+', "%252B"))}),
    ));
    c.add(0, o);
    let report = c.finish(RunEnd {
        run_prefix: "sg-00000000".into(),
        interrupted: false,
        duration_ms: 1,
    });
    let json = render_json(&report).unwrap();
    let html = render_html(&report).unwrap();
    for (name, text) in [("report.json", &json), ("report.html", &html)] {
        for leak in ["collector", KEY_ID] {
            assert!(!text.contains(leak), "{name} holds {leak}: {text}");
        }
    }
    assert!(json.contains("****ey77"), "{json}");
}
