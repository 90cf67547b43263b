//! AWS KMS over the AWS JSON 1.1 protocol, signed with SigV4: a loopback server that checks
//! every request as AWS would (the `X-Amz-Target`, the content type, the JSON body, and the
//! signature with `aws_sigv4::verify`) answers the suite's ListKeys fixture
//! (`tests/fixtures/aws/`, beside the shipped `specs/aws-kms/service.yaml`).

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use specgate::sign::SignableRequest;
use specgate::sign::aws_sigv4::{Scope, verify};

const KEY_ID: &str = "AKIDAWSTESTDISTINCT1";
const SECRET: &str = "AwsSecret/distinct+Kx9Q";
const TOKEN: &str = "AwsSessionToken-distinct-FQoG";

/// What the server saw: the target header, the content type and the body of each request.
type Seen = Arc<Mutex<Vec<(String, String, Value)>>>;

/// Reads one HTTP/1.1 request (headers and a `content-length` body).
fn read_request(stream: &mut std::net::TcpStream) -> Option<SignableRequest> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut req = SignableRequest::new(method, path);
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (name, value) = h.split_once(':')?;
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse().ok()?;
        }
        req.headers
            .push((name.to_string(), value.trim().to_string()));
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    req.body = body;
    Some(req)
}

/// The answer of a KMS that checks protocol and signature: a bad signature is AWS's
/// `InvalidSignatureException`, `Limit` 0 a `ValidationException`, else an empty key list.
fn answer(req: &SignableRequest, seen: &Seen) -> (u16, Value) {
    let target = req.header("x-amz-target").unwrap_or_default().to_string();
    let ctype = req.header("content-type").unwrap_or_default().to_string();
    let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
    seen.lock()
        .unwrap()
        .push((target.clone(), ctype.clone(), body.clone()));
    let lookup = |id: &str| (id == KEY_ID).then(|| SECRET.to_string());
    if req.method != "POST" || req.path != "/" || ctype != "application/x-amz-json-1.1" {
        return (
            400,
            json!({"__type": "com.amazon.coral.service#UnknownOperationException"}),
        );
    }
    if verify(req, &Scope::new("eu-west-1", "kms"), lookup, None).is_err()
        || req.header("x-amz-security-token") != Some(TOKEN)
    {
        return (
            400,
            json!({"__type": "InvalidSignatureException", "message": "bad signature"}),
        );
    }
    match (target.as_str(), body.get("Limit")) {
        ("TrentService.ListKeys", Some(l)) if l == &json!(0) => (
            400,
            json!({"__type": "com.amazonaws.kms#ValidationException", "message": "1 validation error detected"}),
        ),
        ("TrentService.ListKeys", _) => (200, json!({"Keys": [], "Truncated": false})),
        _ => (400, json!({"__type": "UnknownOperationException"})),
    }
}

/// Serves on `127.0.0.1:0` until the test ends; returns the base URL and what it saw.
fn serve() -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let s = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Some(req) = read_request(&mut stream) else {
                continue;
            };
            let (status, body) = answer(&req, &s);
            let body = body.to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, seen)
}

/// A suite of the shipped `aws-kms/service.yaml` and the fixture's ListKeys.
fn suite(dir: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let specs = dir.join("specs/aws-kms");
    let cases = dir.join("cases/aws-kms");
    fs::create_dir_all(&specs).unwrap();
    fs::create_dir_all(&cases).unwrap();
    fs::copy(
        root.join("specs/aws-kms/service.yaml"),
        specs.join("service.yaml"),
    )
    .unwrap();
    let fixture = root.join("tests/fixtures/aws");
    fs::copy(
        fixture.join("specs/aws-kms/ListKeys.yaml"),
        specs.join("ListKeys.yaml"),
    )
    .unwrap();
    fs::copy(
        fixture.join("cases/aws-kms/ListKeys.yaml"),
        cases.join("ListKeys.yaml"),
    )
    .unwrap();
}

/// Runs the fixture suite against the server, credentials from `env` (a shared credentials
/// file when `file` is set).
fn run(dir: &Path, endpoint: &str, env: &[(&str, &str)]) -> Output {
    suite(dir);
    let profile = dir.join("target.yaml");
    fs::write(
        &profile,
        format!(
            "name: loopback-aws\nservices:\n  aws-kms:\n    endpoint: {endpoint}\n    auth: {{ kind: aws-sigv4, region: \"{{region}}\", service: kms }}\n    vars: {{ region: eu-west-1, account: \"123456789012\" }}\n"
        ),
    )
    .unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_specgate"));
    cmd.current_dir(dir)
        .args(["run", "--target", "target.yaml", "--report-dir", "reports"])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.join("no-such-credentials"),
        );
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Every file under `dir`, as text, for the leak check.
fn all_text(dir: &Path) -> String {
    let mut out = String::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.push_str(&all_text(&p));
        } else {
            out.push_str(&String::from_utf8_lossy(&fs::read(&p).unwrap()));
        }
    }
    out
}

#[test]
fn signed_aws_json_requests_pass_and_errors_are_read_after_the_hash() {
    let (url, seen) = serve();
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &url,
        &[
            ("AWS_ACCESS_KEY_ID", KEY_ID),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_SESSION_TOKEN", TOKEN),
        ],
    );
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("2 passed"), "{t}");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2, "{seen:?}");
    for (target, ctype, _) in seen.iter() {
        assert_eq!(target, "TrentService.ListKeys");
        assert_eq!(ctype, "application/x-amz-json-1.1");
    }
    let limits: Vec<&Value> = seen.iter().map(|(_, _, b)| &b["Limit"]).collect();
    assert!(
        limits.contains(&&json!(10)) && limits.contains(&&json!(0)),
        "{seen:?}"
    );
    let written = all_text(dir.path()) + &t;
    assert!(!written.contains(SECRET) && !written.contains(TOKEN));
}

#[test]
fn credentials_come_from_the_shared_file_and_a_wrong_secret_fails() {
    let (url, _seen) = serve();
    let dir = tempfile::tempdir().unwrap();
    let creds = dir.path().join("credentials");
    let file = |secret: &str| {
        format!(
            "[default]\naws_access_key_id = WRONG\naws_secret_access_key = x\n[ci]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {secret}\naws_session_token = {TOKEN}\n"
        )
    };
    fs::write(&creds, file(SECRET)).unwrap();
    let env = [
        ("AWS_SHARED_CREDENTIALS_FILE", creds.to_str().unwrap()),
        ("AWS_PROFILE", "ci"),
    ];
    let out = run(dir.path(), &url, &env);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    let written = all_text(&dir.path().join("reports")) + &t;
    assert!(!written.contains(SECRET) && !written.contains(TOKEN));

    let wrong = "AwsSecret/wrong+distinct";
    fs::write(&creds, file(wrong)).unwrap();
    let out = run(dir.path(), &url, &env);
    let t = text(&out);
    assert!(!out.status.success(), "{t}");
    assert!(t.contains("InvalidSignatureException"), "{t}");
    let written = all_text(&dir.path().join("reports")) + &t;
    assert!(!written.contains(wrong) && !written.contains(TOKEN));
}

#[test]
fn no_credentials_is_an_error_at_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), "http://127.0.0.1:9", &[]);
    let t = text(&out);
    assert!(!out.status.success(), "{t}");
    assert!(t.contains("target.yaml:"), "{t}");
    assert!(t.contains("no AWS credentials"), "{t}");
}
