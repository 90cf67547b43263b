//! No credential leaks through a hostile target, and no target can forge output lines: the
//! shipped suite runs against servers that echo the request into their error messages,
//! redirect with it in `Location`, or answer Alibaba's `SignatureDoesNotMatch` with the
//! string-to-sign; `specgate sweep` meets a refused connection, a TLS failure and an echoing
//! server. Every output (stdout, stderr, every report file) is searched for every form of every
//! credential (raw, percent-encoded once and twice in either case, JSON-escaped, form-decoded,
//! base64 at any offset).

use crate::support::leak;

use crate::support::leak::{
    ALL, Auths, Hostile, assert_no_leaks, everything_written, hostile, profile,
};

/// Runs the whole suite (mutating cases too) against `base` with a leak profile.
async fn run_against(base: &str, auths: Auths, dir: &std::path::Path) -> std::process::Output {
    std::fs::write(dir.join("target.yaml"), profile(base, auths)).unwrap();
    leak::specgate(
        dir,
        &[
            "run",
            "--allow-mutations",
            "--target",
            "{profile}",
            "--report-dir",
            "{reports}",
        ],
    )
    .await
}

/// The run failed the gate (the target is hostile) and wrote its report files.
fn assert_reported(out: &std::process::Output, dir: &std::path::Path) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names: Vec<String> = everything_written(out, dir)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    for file in ["report.md", "report.json", "report.html", "junit.xml"] {
        assert!(
            names.iter().any(|n| n.ends_with(file)),
            "no {file} in {names:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_echoing_server_leaks_nothing_v1_and_aksk() {
    let dir = tempfile::tempdir().unwrap();
    let base = hostile(Hostile::Echo).await;
    let out = run_against(&base, Auths::V1AndAksk, dir.path()).await;
    assert_reported(&out, dir.path());
    // The echo reached the findings: the status finding quotes the server's message.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("you sent: "), "{stdout}");
    assert_no_leaks(&out, dir.path(), ALL);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_echoing_server_leaks_nothing_v3_and_token() {
    let dir = tempfile::tempdir().unwrap();
    let base = hostile(Hostile::Echo).await;
    let out = run_against(&base, Auths::V3AndToken, dir.path()).await;
    assert_reported(&out, dir.path());
    assert_no_leaks(&out, dir.path(), ALL);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_carrying_the_request_leaks_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let base = hostile(Hostile::Redirect).await;
    let out = run_against(&base, Auths::V1AndAksk, dir.path()).await;
    assert_reported(&out, dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("[transport.redirect]"), "{stdout}");
    assert_no_leaks(&out, dir.path(), ALL);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_secret_answered_with_the_string_to_sign_leaks_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let base = hostile(Hostile::WrongSignature).await;
    let out = run_against(&base, Auths::V1AndAksk, dir.path()).await;
    assert_reported(&out, dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("SignatureDoesNotMatch"), "{stdout}");
    // The string-to-sign itself is kept (it is how a user finds a signing mistake).
    let json = std::fs::read_to_string(dir.path().join("reports/latest/report.json")).unwrap();
    assert!(
        json.contains("server string to sign is:POST&%2F&AccessKeyId%3D****Id42%26"),
        "{json}"
    );
    assert_no_leaks(&out, dir.path(), ALL);
}

/// A port that refuses connections: bound, then closed.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

async fn sweep_against(base: &str, auths: Auths, dir: &std::path::Path) -> std::process::Output {
    let text = profile(base, auths);
    std::fs::write(dir.join("target.yaml"), text).unwrap();
    leak::specgate(
        dir,
        &["sweep", "--target", "{profile}", "--yes", "--timeout", "5"],
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn sweep_leaks_nothing_on_connect_tls_and_error_answers() {
    let refused = format!("http://127.0.0.1:{}", closed_port());
    let echo = hostile(Hostile::Echo).await;
    let cases = [
        ("refused", refused, Auths::V1AndAksk),
        ("echo v1", echo.clone(), Auths::V1AndAksk),
        ("echo v3", echo.clone(), Auths::V3AndToken),
    ];
    for (what, base, auths) in cases {
        let dir = tempfile::tempdir().unwrap();
        let out = sweep_against(&base, auths, dir.path()).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_ne!(out.status.code(), Some(0), "{what}: {stderr}");
        assert!(stderr.contains("error"), "{what}: {stderr}");
        assert_no_leaks(&out, dir.path(), ALL);
    }
    // TLS to a plain HTTP port: the profile says https.
    let dir = tempfile::tempdir().unwrap();
    let text = profile(&echo, Auths::V1AndAksk).replace("http://", "https://");
    std::fs::write(dir.path().join("target.yaml"), text).unwrap();
    let out = leak::specgate(
        dir.path(),
        &["sweep", "--target", "{profile}", "--yes", "--timeout", "5"],
    )
    .await;
    assert_ne!(out.status.code(), Some(0));
    assert_no_leaks(&out, dir.path(), ALL);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_literal_secret_in_a_profile_is_refused_without_quoting_it() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "name: literal\nservices:\n  alibaba-kms:\n    endpoint: http://127.0.0.1:1\n    auth: {{ kind: alibaba-v1, access_key_id: {{ env: SG_LEAK_ALI_ID }}, access_key_secret: \"{}\" }}\n    vars: {{ region: cn-hangzhou, account: \"1\" }}\n",
        leak::ALI_SECRET
    );
    std::fs::write(dir.path().join("target.yaml"), text).unwrap();
    let out = leak::specgate(dir.path(), &["run", "--target", "{profile}", "--no-report"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("literal-secret"), "{stderr}");
    // Still points at the place.
    assert!(stderr.contains("target.yaml:5:"), "{stderr}");
    assert_no_leaks(&out, dir.path(), ALL);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_endpoint_password_is_not_quoted_by_a_profile_error() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "name: bad\nservices:\n  alibaba-kms:\n    endpoint: ftp://sg-user:{}@127.0.0.1:1\n    vars: {{ region: cn-hangzhou, account: \"1\" }}\n",
        leak::pct(leak::URL_PASSWORD, false)
    );
    std::fs::write(dir.path().join("target.yaml"), text).unwrap();
    let out = leak::specgate(dir.path(), &["run", "--target", "{profile}", "--no-report"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("target.yaml:4:"), "{stderr}");
    assert!(stderr.contains("ftp://127.0.0.1:1"), "{stderr}");
    assert_no_leaks(&out, dir.path(), ALL);
}

/// The profile check (unknown variable) quotes the profile's line: an endpoint's password on
/// that line is removed there too.
#[tokio::test(flavor = "multi_thread")]
async fn an_endpoint_password_is_not_quoted_by_the_profile_check() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "name: bad\nservices:\n  alibaba-kms: {{ endpoint: \"http://sg-user:{}@127.0.0.1:1\", vars: {{ regoin: cn-hangzhou, account: \"1\" }} }}\n",
        leak::pct(leak::URL_PASSWORD, false)
    );
    std::fs::write(dir.path().join("target.yaml"), text).unwrap();
    let out = leak::specgate(dir.path(), &["run", "--target", "{profile}", "--no-report"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("regoin"), "{stderr}");
    assert!(stderr.contains("http://127.0.0.1:1"), "{stderr}");
    assert_no_leaks(&out, dir.path(), ALL);
}

/// Bytes a terminal or a Markdown viewer would act on: C0 controls but tab and newline, DEL
/// and the C1 controls.
fn controls_in(text: &str) -> Vec<String> {
    text.char_indices()
        .filter(|(_, c)| {
            (c.is_control() && *c != '\n' && *c != '\t') || ('\u{80}'..='\u{9f}').contains(c)
        })
        .map(|(i, c)| {
            let from = text[..i].char_indices().rev().nth(30).map_or(0, |(j, _)| j);
            format!("{:?} in …{}…", c, text[from..i].escape_debug())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn control_characters_from_the_target_are_escaped_in_every_text_output() {
    let dir = tempfile::tempdir().unwrap();
    let base = hostile(Hostile::Controls).await;
    let out = run_against(&base, Auths::V1AndAksk, dir.path()).await;
    assert_reported(&out, dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The server's words are there, visibly escaped.
    assert!(stdout.contains("Evil"), "{stdout}");
    assert!(stdout.contains("\\u{1b}"), "{stdout}");
    for (name, bytes) in everything_written(&out, dir.path()) {
        let text = String::from_utf8_lossy(&bytes);
        let found = controls_in(&text);
        assert!(found.is_empty(), "{name}: {}", found.join("\n"));
        for forged in [
            "test alibaba-kms/ListKeys::forged",
            "test huawei-kms/CreateAlias::forged",
        ] {
            assert!(
                !text.lines().any(|l| l.trim_start().starts_with(forged)),
                "{name} has a forged line: {forged}"
            );
        }
    }
}
