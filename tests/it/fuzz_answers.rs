//! Fuzzing the answer side: a status, headers and a body, mutated from the documented samples
//! and odd answers in `tests/fuzz/corpus/answers/`, go through everything that reads an answer
//! (throttling detection, Retry-After, every check of every shipped case, the sample diff,
//! pagination) without a panic and in bounded time. A second target sends mutated raw answers
//! over loopback HTTP through the real client and executor: every one ends in an outcome.
//!
//! `cargo test` runs a few hundred inputs; `SPECGATE_FUZZ_CASES=100000 cargo test --release
//! --test it fuzz_answers` runs more (docs/robustness.md).

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::support::fuzz::{Edits, config, config_share, corpus, mutated};
use crate::support::scenario::{demo_suite, demo_target, run_named};
use proptest::prelude::*;
use serde_json::Value;
use specgate::check::{Context, Observed, check_page, check_step, sample_diff_for};
use specgate::exec::{ClientOptions, RetryPolicy, is_throttled, retry_after};
use specgate::suite::Suite;
use specgate::vars::Vars;

/// The most time one answer may take to check, in a debug build.
const BOUND: Duration = Duration::from_secs(5);

/// The shipped specs and cases, loaded once.
fn shipped() -> &'static Suite {
    static SUITE: OnceLock<Suite> = OnceLock::new();
    SUITE.get_or_init(|| {
        Suite::load(&PathBuf::from("specs"), &[PathBuf::from("cases")])
            .expect("the shipped suite loads")
    })
}

fn seeds() -> &'static [(PathBuf, Vec<u8>)] {
    static SEEDS: OnceLock<Vec<(PathBuf, Vec<u8>)>> = OnceLock::new();
    SEEDS.get_or_init(|| corpus("tests/fuzz/corpus/answers"))
}

/// Target variables like a real profile's.
fn vars() -> Vars {
    [
        ("region", "cn-hangzhou"),
        ("account", "1234567890123456"),
        ("project_id", "0123456789abcdef0123456789abcdef"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
    .collect()
}

/// A JSON value change: one of the odd values a target may send, put at a random place.
fn odd_value(pick: u8) -> Value {
    match pick % 10 {
        0 => Value::Null,
        1 => serde_json::json!(-1),
        2 => serde_json::json!(u64::MAX),
        3 => serde_json::json!(1e308),
        4 => serde_json::json!(""),
        5 => serde_json::json!("\u{1b}[2J\r\n\u{0}"),
        6 => serde_json::json!([]),
        7 => serde_json::json!({}),
        // Deep, but within what serde_json reads.
        8 => serde_json::from_str(&format!("{}{}", "[".repeat(100), "]".repeat(100))).unwrap(),
        _ => serde_json::json!("x".repeat(10_000)),
    }
}

/// Replaces the `n`-th value met in a walk of `v` by `new`.
fn replace_nth(v: &mut Value, n: &mut usize, new: &Value) -> bool {
    if *n == 0 {
        *v = new.clone();
        return true;
    }
    *n -= 1;
    match v {
        Value::Array(items) => items.iter_mut().any(|x| replace_nth(x, n, new)),
        Value::Object(map) => map.values_mut().any(|x| replace_nth(x, n, new)),
        _ => false,
    }
}

/// One answer to check.
#[derive(Debug, Clone)]
struct Answer {
    seed: usize,
    edits: Edits,
    /// Structural changes: (where, which odd value).
    changes: Vec<(usize, u8)>,
    status: u16,
    content_type: Option<String>,
    retry_after: Option<String>,
    case: usize,
}

impl Answer {
    /// The body: the seed, structurally changed when it is JSON, then byte-edited.
    fn body(&self) -> Vec<u8> {
        let (_, seed) = &seeds()[self.seed % seeds().len()];
        let mut bytes = seed.clone();
        if let Ok(mut doc) = serde_json::from_slice::<Value>(&bytes) {
            for (at, pick) in &self.changes {
                let mut n = *at;
                replace_nth(&mut doc, &mut n, &odd_value(*pick));
            }
            bytes = serde_json::to_vec(&doc).unwrap();
        }
        self.edits.apply(&bytes)
    }
}

fn answer() -> impl Strategy<Value = Answer> {
    let status = prop_oneof![
        3 => prop::sample::select(vec![200u16, 204, 400, 401, 403, 404, 409, 429, 500, 503]),
        1 => 100u16..1000,
    ];
    let content_type = prop::option::of(prop::sample::select(vec![
        "application/json".to_string(),
        "application/json; charset=utf-8".to_string(),
        "text/html".to_string(),
        "application/problem+json".to_string(),
        "".to_string(),
        ";;/".to_string(),
    ]));
    let retry_after = prop::option::of(prop::sample::select(vec![
        "0",
        "1",
        "inf",
        "Infinity",
        "1e20",
        "18446744073709551616",
        "-1",
        "NaN",
        "",
        "soon",
        "1e-320",
        "Wed, 21 Oct 2015 07:28:00 GMT",
    ]))
    .prop_map(|v| v.map(str::to_string));
    (
        any::<usize>(),
        mutated(),
        proptest::collection::vec((0usize..64, any::<u8>()), 0..4),
        status,
        content_type,
        retry_after,
        any::<usize>(),
    )
        .prop_map(
            |(seed, edits, changes, status, content_type, retry_after, case)| Answer {
                seed,
                edits,
                changes,
                status,
                content_type,
                retry_after,
                case,
            },
        )
}

/// Everything that reads an answer, for one case of the shipped suite.
fn check_answer(a: &Answer) {
    let suite = shipped();
    let cases = suite.cases();
    let case = cases[a.case % cases.len()];
    let vars = vars();
    let body = a.body();
    let json = serde_json::from_slice::<Value>(&body).ok();
    let _ = retry_after(a.retry_after.as_deref(), Duration::from_secs(30));
    for step in case.steps.iter().chain(&case.teardown) {
        let Some(op) = suite.operations.get(&step.operation) else {
            continue;
        };
        let service_name = step.operation.split('/').next().unwrap_or("");
        let Some(service) = suite.services.get(service_name) else {
            continue;
        };
        let _ = is_throttled(service, a.status, json.as_ref());
        let ctx = Context {
            service,
            op,
            vars: &vars,
            params: &step.params,
            body_format: step.body_format(),
        };
        let observed = Observed {
            status: a.status,
            content_type: a.content_type.as_deref(),
            body: &body,
            json: json.as_ref(),
        };
        let findings = check_step(&step.expect, &ctx, &observed);
        if !findings.is_empty() {
            let _ = sample_diff_for(&ctx, &observed);
        }
        if let (Some(pag), Some(doc)) = (&op.pagination, &json) {
            let _ = check_page(pag, op, &step.params, doc);
        }
        // Every finding can be shown.
        for f in &findings {
            let _ = serde_json::to_string(f).unwrap();
        }
    }
}

/// Every answer of the corpus, as it is, against every shipped case, with a status that
/// changes from case to case.
#[test]
fn the_answer_corpus_checks() {
    assert!(seeds().len() >= 5, "the corpus is committed");
    let statuses = [200, 400, 404, 429, 500];
    for seed in 0..seeds().len() {
        for case in 0..shipped().cases().len() {
            let status = statuses[(seed + case) % statuses.len()];
            check_answer(&Answer {
                seed,
                edits: Edits(Vec::new()),
                changes: Vec::new(),
                status,
                content_type: Some("application/json".into()),
                retry_after: Some("inf".into()),
                case,
            });
        }
    }
}

proptest! {
    #![proptest_config(config(512))]

    /// Mutated answers through every check of a random shipped case.
    #[test]
    fn mutated_answers_never_panic(a in answer()) {
        let started = Instant::now();
        check_answer(&a);
        prop_assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
    }
}

/// A loopback server that answers every request with the current raw bytes.
fn raw_server() -> (String, Arc<Mutex<Vec<u8>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let current = Arc::new(Mutex::new(Vec::new()));
    let answer = current.clone();
    std::thread::spawn(move || {
        for mut sock in listener.incoming().flatten() {
            let bytes = answer.lock().unwrap().clone();
            std::thread::spawn(move || {
                let _ = sock.set_read_timeout(Some(Duration::from_secs(2)));
                let mut buf = [0u8; 65536];
                let _ = sock.read(&mut buf);
                let _ = sock.write_all(&bytes);
            });
        }
    });
    (format!("http://{addr}"), current)
}

proptest! {
    #![proptest_config(config_share(48, 20))]

    /// Raw answers (status line, headers, framing and body all mutated) through the real client
    /// and executor: every one ends in an outcome, in bounded time.
    #[test]
    fn raw_answers_over_http_end_in_an_outcome(a in answer(), head in mutated(), framing in 0u8..3) {
        static SERVER: OnceLock<(String, Arc<Mutex<Vec<u8>>>)> = OnceLock::new();
        static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
        let (endpoint, current) = SERVER.get_or_init(raw_server);
        let runtime = RUNTIME.get_or_init(|| tokio::runtime::Runtime::new().unwrap());
        let body = a.body();
        let mut raw = format!("HTTP/1.1 {} X\r\n", a.status);
        if let Some(ct) = &a.content_type {
            raw.push_str(&format!("Content-Type: {ct}\r\n"));
        }
        if let Some(ra) = &a.retry_after {
            raw.push_str(&format!("Retry-After: {ra}\r\n"));
        }
        match framing {
            0 => raw.push_str(&format!("Content-Length: {}\r\n", body.len())),
            1 => raw.push_str(&format!("Content-Length: {}\r\n", body.len() / 2 + 7)),
            _ => {}
        }
        raw.push_str("Connection: close\r\n\r\n");
        let mut bytes = head.apply(raw.as_bytes());
        bytes.extend_from_slice(&body);
        *current.lock().unwrap() = bytes;
        let suite = demo_suite("tests/fixtures/lint/cases/valid.yaml");
        let retry = RetryPolicy {
            max_retries: 1,
            base: Duration::from_millis(1),
            cap: Duration::from_millis(5),
            budget: Duration::from_millis(10),
        };
        let options = ClientOptions { timeout: Duration::from_millis(1500), ..ClientOptions::default() };
        let started = Instant::now();
        let outcome = runtime.block_on(run_named(&suite, "first-page", &demo_target(endpoint), options, retry));
        prop_assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
        prop_assert_eq!(outcome.id, "demo/ListThings::first-page");
    }
}
