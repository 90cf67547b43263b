//! The XML face of the Alibaba API end to end: the shipped `xml-*` and `no-format-answer` cases
//! pass against the faithful emulator (real HTTP over loopback, the answers read from XML into
//! the JSON tree), and each XML deviation of the emulator fails them with its finding kind. The
//! wire itself is looked at too: what `format: xml | none` sends, and what comes back.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::support::scenario;

use specgate::case::{Case, RequestFormat};
use specgate::emulator::{self, Config, Deviation};
use specgate::exec::{
    CaseOutcome, Client, ClientOptions, Redactor, RetryPolicy, RunContext, Verdict, run_case,
};
use specgate::finding::kinds;
use specgate::suite::Suite;
use specgate::target::{Target, embedded_target, vars_of};

fn shipped_suite() -> Suite {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Suite::load(&root.join("specs"), &[root.join("cases")])
        .unwrap_or_else(|d| panic!("{}", specgate::diag::render_all(&d)))
}

/// The cases of the XML face: every case with a step that sends `format: xml` or `none`.
fn xml_face_cases(suite: &Suite) -> Vec<Case> {
    suite
        .cases()
        .into_iter()
        .filter(|c| c.steps.iter().any(|s| s.format != RequestFormat::Json))
        // The cases of format-default's other reading (`xml`) fail on the default emulator by
        // design: tests/readings_robustness.rs runs them under that reading.
        .filter(|c| c.reading.as_deref() != Some("xml"))
        .cloned()
        .collect()
}

fn target_for(handle: &emulator::EmulatorHandle) -> Target {
    let id = emulator::identity();
    embedded_target(
        &handle.base_url(),
        vars_of(&[("region", id.region), ("account", id.account)]),
        vars_of(&[
            ("project_id", id.project_id),
            ("huawei_region", id.huawei_region),
            ("domain_id", id.domain_id),
        ]),
    )
}

/// Runs `cases` against an emulator with `deviations`.
async fn run_against(
    suite: &Suite,
    cases: &[Case],
    deviations: Vec<Deviation>,
) -> Vec<CaseOutcome> {
    let handle = emulator::spawn(Config {
        deviations,
        ..Config::default()
    })
    .await
    .expect("emulator");
    let target = target_for(&handle);
    let client = Client::new(ClientOptions::default()).unwrap();
    let redactor = Redactor::default();
    let overrides = Default::default();
    let ctx = RunContext {
        suite,
        client: &client,
        run_prefix: "sg-xmltest",
        allow_mutations: false,
        redactor: &redactor,
        overrides: &overrides,
        retry: RetryPolicy::default(),
        limiter: None,
        fixtures: None,
        observer: None,
    };
    let mut out = Vec::new();
    for case in cases {
        out.push(run_case(case, &target, &ctx).await);
    }
    out
}

fn kinds_of(o: &CaseOutcome) -> Vec<specgate::finding::FindingKind> {
    o.findings.iter().map(|f| f.kind).collect()
}

#[tokio::test]
async fn the_faithful_emulator_passes_the_xml_face() {
    let suite = shipped_suite();
    let cases = xml_face_cases(&suite);
    let names: Vec<String> = cases.iter().map(Case::id).collect();
    // Three operations: content type, structure, no Format; two XML sample diffs.
    assert_eq!(cases.len(), 11, "{names:?}");
    for o in run_against(&suite, &cases, Vec::new()).await {
        assert_eq!(o.verdict, Verdict::Pass, "{}: {:?}", o.id, o.findings);
    }
}

#[tokio::test]
async fn what_the_xml_face_sends_and_receives() {
    let suite = shipped_suite();
    let cases: Vec<Case> = xml_face_cases(&suite)
        .into_iter()
        .filter(|c| {
            c.operation == "alibaba-kms/ListKeys"
                && (c.name == "xml-structure" || c.name == "no-format-answer")
        })
        .collect();
    let outcomes = run_against(&suite, &cases, Vec::new()).await;
    for o in &outcomes {
        let ex = o.exchanges.last().expect("an exchange");
        let resp = ex.response.as_ref().expect("an answer");
        let ct = resp
            .headers
            .iter()
            .find(|(k, _)| k == "content-type")
            .map(|(_, v)| v.as_str());
        let accept = ex
            .request
            .headers
            .iter()
            .find(|(k, _)| k == "accept")
            .map(|(_, v)| v.as_str());
        if o.id.to_string().ends_with("xml-structure") {
            assert!(ex.request.url.contains("Format=XML"), "{}", ex.request.url);
            assert_eq!(accept, Some("application/xml"));
            assert_eq!(ct, Some("application/xml;charset=utf-8"));
            assert!(resp.body.contains("<Keys><Key><KeyId>"), "{}", resp.body);
        } else {
            assert!(!ex.request.url.contains("Format="), "{}", ex.request.url);
            assert_eq!(
                accept, None,
                "format: none sends no accept header of its own"
            );
            assert_eq!(ct, Some("application/json;charset=utf-8"));
        }
    }
    assert_eq!(outcomes.len(), 2);
}

#[tokio::test]
async fn each_xml_deviation_fails_the_xml_face_with_its_kind() {
    let suite = shipped_suite();
    let cases = xml_face_cases(&suite);
    for (deviation, kind, failing) in [
        (
            Deviation::XmlJsonContentType,
            kinds::CONTENT_TYPE,
            "alibaba-kms/ListKeys::xml-content-type",
        ),
        (
            Deviation::XmlKeyWrapperDropped,
            kinds::SCHEMA,
            "alibaba-kms/ListKeys::xml-structure",
        ),
        (
            Deviation::XmlKeyWrapperDropped,
            kinds::DIFF,
            "alibaba-kms/ListKeys::xml-sample-diff",
        ),
        (
            Deviation::XmlAnsweredJson,
            kinds::CONTENT_TYPE,
            "alibaba-kms/ListKeyVersions::xml-structure",
        ),
    ] {
        let outcomes = run_against(&suite, &cases, vec![deviation]).await;
        let o = outcomes
            .iter()
            .find(|o| o.id == failing)
            .expect("the case ran");
        assert_ne!(o.verdict, Verdict::Pass, "{deviation:?}: {failing} passed");
        assert!(
            kinds_of(o).contains(&kind),
            "{deviation:?}: {failing} reported {:?}",
            kinds_of(o)
        );
        // The JSON face does not notice the XML deviations: the no-Format cases still pass.
        for o in outcomes
            .iter()
            .filter(|o| o.id.to_string().ends_with("::no-format-answer"))
        {
            assert_eq!(o.verdict, Verdict::Pass, "{deviation:?}: {}", o.id);
        }
    }
}

#[test]
fn the_xml_samples_read_as_the_json_samples_and_the_page_sample_shows_its_flaw() {
    let suite = shipped_suite();
    for op in ["alibaba-kms/ListKeys", "alibaba-kms/ListKeyVersions"] {
        let resp = &suite.operations[op].responses[&200];
        let xml = resp.sample_xml.as_ref().expect("a sample_xml");
        // The two faces of the documented answer are one tree.
        assert_eq!(Some(&xml.tree), resp.sample.as_ref(), "{op}");
    }
    let resp = &suite.operations["alibaba-kms/ListKeys"].responses[&200];
    let schema = resp.schema.as_ref().unwrap();
    let page = resp
        .sample_xml
        .as_ref()
        .unwrap()
        .page
        .as_ref()
        .expect("sample_xml_page");
    let tree = specgate::xml::read(page.as_bytes(), Some(&schema.source))
        .unwrap()
        .value;
    // The page's own XML sample has no <Key> wrapper: its fields sit straight in Keys.
    assert!(tree["Keys"].get("Key").is_none(), "{tree}");
    assert!(tree["Keys"]["KeyId"].is_string(), "{tree}");
    let at: Vec<String> = schema
        .validator
        .iter_errors(&tree)
        .map(|e| e.instance_path().to_string())
        .collect();
    assert!(!at.is_empty(), "the page's XML sample satisfies the schema");
    assert!(
        at.iter().all(|p| p == "/Keys"),
        "the page's XML sample breaks the schema at /Keys only: {at:?}"
    );
}

/// A target that answers the first request with an XML throttling error, then an XML page.
async fn xml_throttling_server(hits: Arc<AtomicUsize>) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let hits = hits.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                let _ = sock.read(&mut buf).await;
                let (status, body) = if hits.fetch_add(1, Ordering::SeqCst) == 0 {
                    (
                        400,
                        "<Error><RequestId>r-0</RequestId><Code>Throttling</Code><Message>slow down</Message></Error>",
                    )
                } else {
                    (
                        200,
                        "<ListThingsResponse><RequestId>r-1</RequestId><TotalCount>1</TotalCount><PageNumber>1</PageNumber>\
                         <PageSize>10</PageSize><Things><Thing><ThingId>t-1</ThingId></Thing></Things></ListThingsResponse>",
                    )
                };
                let resp = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: text/xml\r\nRetry-After: 0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(resp.as_bytes()).await;
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn an_xml_throttling_error_is_retried_and_an_xml_page_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("xml.yaml");
    std::fs::write(
        &cases,
        "operation: demo/ListThings\ncases:\n  - name: xml-page\n    provenance: documented\n    \
         format: xml\n    params: { PageSize: 10 }\n    expect:\n      pagination: page\n      \
         equals: { /TotalCount: 1, /Things/Thing/0/ThingId: t-1 }\n",
    )
    .unwrap();
    let suite = scenario::demo_suite(cases.to_str().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let endpoint = xml_throttling_server(hits.clone()).await;
    let retry = RetryPolicy {
        max_retries: 3,
        base: Duration::from_millis(5),
        cap: Duration::from_millis(50),
        budget: Duration::from_secs(2),
    };
    let o = scenario::run_named(
        &suite,
        "xml-page",
        &scenario::demo_target(&endpoint),
        ClientOptions::default(),
        retry,
    )
    .await;
    assert_eq!(o.verdict, Verdict::Pass, "{:?}", o.findings);
    assert_eq!((o.retries, hits.load(Ordering::SeqCst)), (1, 2));
}

#[tokio::test]
async fn the_emulator_picks_the_format_from_format_then_accept() {
    let handle = emulator::spawn(Config::default()).await.expect("emulator");
    let http = reqwest::Client::new();
    let url = format!("{}/?Action=ListKeys&PageSize=1", handle.base_url());
    let content_type = |format: Option<&'static str>, accept: Option<&'static str>| {
        let mut req = http.post(match format {
            Some(f) => format!("{url}&Format={f}"),
            None => url.clone(),
        });
        if let Some(a) = accept {
            req = req.header("accept", a);
        }
        async move {
            let resp = req.send().await.unwrap();
            let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
            let body = resp.text().await.unwrap();
            (ct, body)
        }
    };
    let xml = "application/xml;charset=utf-8";
    let json = "application/json;charset=utf-8";
    for (format, accept, expected) in [
        (Some("XML"), None, xml),
        (Some("xml"), Some("application/json"), xml),
        (Some("JSON"), Some("application/xml"), json),
        (None, None, json),
        (None, Some("*/*"), json),
        (None, Some("application/xml"), xml),
        (None, Some("text/xml;q=0.9, application/json"), xml),
        (None, Some("application/json, application/xml"), json),
    ] {
        let (ct, body) = content_type(format, accept).await;
        assert_eq!(ct, expected, "Format={format:?} accept={accept:?}");
        assert_eq!(
            body.starts_with("<?xml"),
            expected == xml,
            "Format={format:?} accept={accept:?}: {body}"
        );
    }
}
