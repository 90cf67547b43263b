//! `specgate serve` as a process: one thread (a current-thread runtime, the default on two
//! cores) and several both serve many concurrent clients, and a thread count of 0 is refused.

use std::process::Command;

use crate::support::serve::serve;

/// Sends `n` ListKeys requests, 32 at a time, and returns their statuses.
async fn list_keys(url: &str, n: usize) -> Vec<u16> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    let mut tasks = tokio::task::JoinSet::new();
    let mut statuses = Vec::new();
    for i in 0..n {
        if tasks.len() >= 32 {
            statuses.push(tasks.join_next().await.unwrap().unwrap());
        }
        let (client, url) = (client.clone(), url.to_string());
        tasks.spawn(async move {
            let resp = client
                .post(format!(
                    "{url}/?Action=ListKeys&Version=2016-01-20&Format=JSON&PageSize={}",
                    1 + i % 10
                ))
                .send()
                .await
                .expect("an answer");
            let status = resp.status().as_u16();
            let body: serde_json::Value = resp.json().await.expect("a JSON body");
            assert!(body["RequestId"].is_string(), "{body}");
            status
        });
    }
    while let Some(s) = tasks.join_next().await {
        statuses.push(s.unwrap());
    }
    statuses
}

#[tokio::test]
async fn one_thread_and_several_both_serve_concurrent_clients() {
    for threads in ["1", "2"] {
        let s = serve(&["--threads", threads]);
        let statuses = list_keys(&s.url, 500).await;
        assert_eq!(statuses.len(), 500);
        assert!(statuses.iter().all(|&c| c == 200), "--threads {threads}");
    }
}

#[test]
fn zero_threads_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args(["serve", "--threads", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--threads"));
}
