//! The floor of specgate's own HTTP layer: the requests of a recorded run, sent with
//! specgate's `Client` (reqwest, same options) by `--jobs` tasks on a runtime like `specgate
//! run`'s, with no checks, no recording and no captures. What specgate could reach if every
//! check cost nothing; bench/run.sh prints it beside wrk and `specgate run`.
//!
//! `cargo bench --bench http_floor -- REPORT_JSON SECONDS JOBS [parse] [threads=N]`:
//! REPORT_JSON is the report.json of a run against the server to load (its exchanges are
//! replayed in order, over and over); with `parse`, each answer is also parsed as JSON, as a run
//! does; `threads=N` sets the runtime's threads as `specgate run --threads N` does (default:
//! `specgate run`'s against a target profile, every core). Not a test.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;
use specgate::exec::{Client, ClientOptions};

/// The allocator of the `specgate` binary, so that the floor is measured like a run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use specgate::sign::SignableRequest;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [report, seconds, jobs, rest @ ..] = args.as_slice() else {
        eprintln!("usage: http_floor REPORT_JSON SECONDS JOBS [parse] [threads=N]");
        std::process::exit(2);
    };
    let parse = rest.iter().any(|a| a == "parse");
    let threads = rest
        .iter()
        .find_map(|a| a.strip_prefix("threads="))
        .map(|n| n.parse::<usize>().expect("threads=N takes a number"));
    let seconds: f64 = seconds.parse().expect("SECONDS is a number");
    let jobs: usize = jobs.parse().expect("JOBS is a number");
    let text = std::fs::read_to_string(report).expect("the report is readable");
    let report: Value = serde_json::from_str(&text).expect("the report is JSON");
    let mut requests: Vec<(url::Url, SignableRequest)> = Vec::new();
    for o in report["outcomes"].as_array().into_iter().flatten() {
        for x in o["exchanges"].as_array().into_iter().flatten() {
            let r = &x["request"];
            let mut req = SignableRequest::new(
                r["method"].as_str().unwrap_or("GET"),
                String::new(), // send_url takes the whole URL
            );
            for h in r["headers"].as_array().into_iter().flatten() {
                if let (Some(k), Some(v)) = (h[0].as_str(), h[1].as_str()) {
                    req.headers.push((k.to_string(), v.to_string()));
                }
            }
            req.body = r["body"].as_str().unwrap_or("").as_bytes().to_vec();
            let url = r["url"].as_str().unwrap_or("");
            let url = url::Url::parse(url).expect("a recorded URL parses");
            requests.push((url, req));
        }
    }
    assert!(!requests.is_empty(), "the report has no exchanges");
    // The runtime of `specgate run` against a target that is not the embedded emulator.
    let runtime =
        specgate::runtime::build(specgate::runtime::run_threads(threads)).expect("a runtime");
    let client = Client::new(ClientOptions::default()).expect("a client");
    let requests = Arc::new(requests);
    let sent = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    runtime.block_on(async {
        let mut tasks = Vec::new();
        for j in 0..jobs {
            let (client, requests, sent, stop) =
                (client.clone(), requests.clone(), sent.clone(), stop.clone());
            tasks.push(tokio::spawn(async move {
                let mut i = j * requests.len() / jobs;
                while !stop.load(Ordering::Relaxed) {
                    let (url, req) = &requests[i % requests.len()];
                    let resp = client.send_url(url.clone(), req).await.expect("an answer");
                    if parse {
                        let json = serde_json::from_slice::<Value>(&resp.body).ok();
                        std::hint::black_box(json);
                    }
                    sent.fetch_add(1, Ordering::Relaxed);
                    i += 1;
                }
            }));
        }
        tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
        stop.store(true, Ordering::Relaxed);
        for t in tasks {
            let _ = t.await;
        }
    });
    let n = sent.load(Ordering::Relaxed);
    let secs = started.elapsed().as_secs_f64();
    println!(
        "http floor{}: {n} requests in {secs:.2} s ({:.0} requests/s, {jobs} tasks)",
        if parse { " + JSON parse" } else { "" },
        n as f64 / secs
    );
}
