//! Searching everything a specgate process wrote for every form of every credential, and
//! hostile HTTP servers that try to make it write them: one echoes the request, one redirects
//! with it in `Location`, one answers `SignatureDoesNotMatch` with Alibaba's string-to-sign.
//!
//! The forms are written here, independently of specgate's redactor, so that a form the
//! redactor forgets is found.

use std::fs;
use std::path::Path;
use std::process::Output;

use base64::Engine;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Alibaba AccessKeyId: shown only by its last four characters.
pub const ALI_ID: &str = "LTAI5tLeakTestKeyId42";
/// Alibaba AccessKeySecret.
pub const ALI_SECRET: &str = "LeakSecret+/Xq9=distinct";
/// Alibaba STS security token (`SecurityToken`, `x-acs-security-token`): `+`, `/` and `=` like
/// the real ones.
pub const STS_TOKEN: &str = "CAIS+leak/StsToken=Zq7+/more/Token==";
/// Huawei AK.
pub const HW_AK: &str = "HPUALEAKTESTAK0042";
/// Huawei SK.
pub const HW_SK: &str = "HwLeakSK+/distinct=0987";
/// Huawei temporary security token (`X-Security-Token`).
pub const HW_STS: &str = "HwSts+Leak/SecurityTok=9";
/// Huawei IAM token (`X-Auth-Token`).
pub const HW_TOKEN: &str = "MIILeak+Hw/IamToken=abc123";
/// The password of the endpoint's `user:password@`.
pub const URL_PASSWORD: &str = "pw-Leak+Pass/9";

/// Every credential a leak test gives specgate, by name.
pub const ALL: &[(&str, &str)] = &[
    ("Alibaba AccessKeyId", ALI_ID),
    ("Alibaba secret", ALI_SECRET),
    ("Alibaba STS token", STS_TOKEN),
    ("Huawei AK", HW_AK),
    ("Huawei SK", HW_SK),
    ("Huawei security token", HW_STS),
    ("Huawei X-Auth-Token", HW_TOKEN),
    ("endpoint password", URL_PASSWORD),
];

/// Percent-encodes every byte outside RFC 3986's unreserved set, with upper- or lower-case hex.
pub fn pct(s: &str, lower: bool) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else if lower {
            out.push_str(&format!("%{b:02x}"));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// JSON string escaping as some servers write it: `\"`, `\\` and `\/`.
pub fn json_escaped(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Percent-decoding with `+` as a space, as a form decoder reads a query.
pub fn form_decoded(s: &str) -> String {
    let plus = s.replace('+', " ");
    percent_encoding::percent_decode_str(&plus)
        .decode_utf8_lossy()
        .into_owned()
}

/// The characters of the base64 of `v` that do not depend on what surrounds `v`, when `v`
/// starts `shift` bytes into the encoded text.
fn base64_fragment(v: &str, shift: usize, engine: &impl Engine) -> String {
    let mut bytes = vec![0u8; shift];
    bytes.extend_from_slice(v.as_bytes());
    let enc = engine.encode(&bytes);
    let first = (8 * shift).div_ceil(6);
    let last = (8 * (shift + v.len())) / 6;
    enc.chars().skip(first).take(last - first).collect()
}

/// Every form of a credential that must never be written.
pub fn forms(v: &str) -> Vec<(String, String)> {
    let mut out = vec![
        ("raw".to_string(), v.to_string()),
        ("percent-encoded".into(), pct(v, false)),
        ("percent-encoded, lower case".into(), pct(v, true)),
        ("percent-encoded twice".into(), pct(&pct(v, false), false)),
        (
            "percent-encoded twice, lower case".into(),
            pct(&pct(v, true), true),
        ),
        ("JSON-escaped".into(), json_escaped(v)),
        ("form-decoded (+ as space)".into(), v.replace('+', " ")),
    ];
    let std = base64::engine::general_purpose::STANDARD;
    let url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    for shift in 0..3 {
        out.push((
            format!("base64 at offset {shift}"),
            base64_fragment(v, shift, &std),
        ));
        out.push((
            format!("base64url at offset {shift}"),
            base64_fragment(v, shift, &url),
        ));
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out.dedup_by(|a, b| a.1 == b.1);
    out
}

/// Every byte specgate wrote: stdout, stderr and every file under `dir` but the profile the test
/// wrote (`target.yaml`): a YAML file specgate writes (a baseline) is searched too.
pub fn everything_written(out: &Output, dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all = vec![
        ("stdout".to_string(), out.stdout.clone()),
        ("stderr".to_string(), out.stderr.clone()),
    ];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n != "target.yaml") {
                all.push((p.display().to_string(), fs::read(&p).unwrap()));
            }
        }
    }
    all
}

/// The shortest beginning of a credential's form that counts as a leak where a text was cut.
const CUT_PREFIX: usize = 8;

/// Where `text` was cut: before `…`, `...`, a closing quote or the end, the text ends with the
/// first [`CUT_PREFIX`] or more characters of `form` (a check that quotes the first characters
/// of a message, a body cut at a limit).
fn cut_leak(text: &str, form: &str) -> Option<usize> {
    if form.len() <= CUT_PREFIX {
        return None;
    }
    let mut cuts: Vec<usize> = text.match_indices('…').map(|(i, _)| i).collect();
    cuts.extend(text.match_indices("...").map(|(i, _)| i));
    cuts.push(text.len());
    cuts.into_iter().find(|&cut| {
        (CUT_PREFIX..form.len())
            .any(|n| form.is_char_boundary(n) && text[..cut].ends_with(&form[..n]))
    })
}

/// Fails naming the output, the credential and the form when any output holds any form of
/// any credential in `creds`, whole or its beginning where the text was cut.
pub fn assert_no_leaks(out: &Output, dir: &Path, creds: &[(&str, &str)]) {
    let written = everything_written(out, dir);
    let mut leaks = Vec::new();
    for (name, bytes) in &written {
        let text = String::from_utf8_lossy(bytes);
        for (what, value) in creds {
            for (form, f) in forms(value) {
                if let Some(cut) = cut_leak(&text, &f) {
                    let from = text[..cut]
                        .char_indices()
                        .rev()
                        .nth(60)
                        .map_or(0, |(i, _)| i);
                    leaks.push(format!(
                        "{name} holds the beginning of the {what} ({form}) before a cut: …{}",
                        text[from..cut].escape_debug()
                    ));
                }
                if let Some(at) = text.find(&f) {
                    let from = text[..at]
                        .char_indices()
                        .rev()
                        .nth(60)
                        .map_or(0, |(i, _)| i);
                    let context: String = text[from..].chars().take(140).collect();
                    leaks.push(format!(
                        "{name} holds the {what} ({form}): …{}…",
                        context.escape_debug()
                    ));
                }
            }
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}

/// How a hostile server answers every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hostile {
    /// 400 with an error message that echoes the whole request (request line, headers, body)
    /// raw, percent-encoded twice in lower case, form-decoded and in base64, JSON-escaped
    /// with `\/`.
    Echo,
    /// 302 to a `Location` carrying the request's query and its headers.
    Redirect,
    /// 400 `SignatureDoesNotMatch` with Alibaba's message: the string-to-sign of the request,
    /// where every query value is percent-encoded twice.
    WrongSignature,
    /// 400 with control characters (ESC, BEL, NUL, CR, LF, C1 CSI) in the error code and
    /// message, trying to forge console lines.
    Controls,
}

/// Starts a hostile server on 127.0.0.1:0; returns its base URL.
pub async fn hostile(mode: Hostile) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let own = base.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let own = own.clone();
            tokio::spawn(async move {
                let _ = serve(sock, mode, &own).await;
            });
        }
    });
    base
}

/// Reads one request: its head and, by Content-Length, its body.
async fn read_request(sock: &mut TcpStream) -> std::io::Result<String> {
    let mut seen = Vec::new();
    let mut buf = vec![0u8; 65536];
    let head_end = loop {
        let n = sock.read(&mut buf).await?;
        if n == 0 {
            return Ok(String::from_utf8_lossy(&seen).into_owned());
        }
        seen.extend_from_slice(&buf[..n]);
        if let Some(i) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&seen[..head_end]).to_string();
    let length = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    while seen.len() < head_end + length {
        let n = sock.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        seen.extend_from_slice(&buf[..n]);
    }
    Ok(String::from_utf8_lossy(&seen).into_owned())
}

async fn serve(mut sock: TcpStream, mode: Hostile, base: &str) -> std::io::Result<()> {
    let request = read_request(&mut sock).await?;
    let target = request
        .lines()
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or("/")
        .to_string();
    let query = target.split_once('?').map_or("", |(_, q)| q).to_string();
    let answer = match mode {
        Hostile::Echo => {
            let b64 = base64::engine::general_purpose::STANDARD.encode(request.as_bytes());
            let message = format!(
                "you sent: {request} | twice encoded: {} | form-decoded: {} | base64: {b64}",
                pct(&pct(&request, true), true),
                form_decoded(&request)
            );
            json_error(400, "InvalidParameter", &message)
        }
        Hostile::Redirect => {
            let headers: String = request.lines().skip(1).collect::<Vec<_>>().join("\n");
            let location = format!("{base}/moved?{query}&h={}", pct(&headers, false));
            format!(
                "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
        }
        Hostile::WrongSignature => {
            // What Alibaba answers: the canonical query (decoded, then encoded again, sorted,
            // without Signature), encoded once more in the string-to-sign.
            let mut pairs: Vec<(String, String)> = query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (form_decoded(k), form_decoded(v))
                })
                .filter(|(k, _)| k != "Signature")
                .collect();
            pairs.sort();
            let canonical: Vec<String> = pairs
                .iter()
                .map(|(k, v)| format!("{}={}", pct(k, false), pct(v, false)))
                .collect();
            let method = request.split(' ').next().unwrap_or("GET");
            let string_to_sign = format!("{method}&%2F&{}", pct(&canonical.join("&"), false));
            json_error(
                400,
                "SignatureDoesNotMatch",
                &format!(
                    "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"
                ),
            )
        }
        Hostile::Controls => {
            let body = "{\"Code\":\"Evil\\u001b]0;pwned\\u0007\\u001b[2J\",\
                 \"Message\":\"first\\r\\ntest alibaba-kms/ListKeys::forged ... ok\\n\\u0000end\\u009b31m\\u007f\",\
                 \"RequestId\":\"r\\u001b[1A\",\
                 \"error\":{\"error_code\":\"KMS\\u001b[2K\\r.0001\",\"error_msg\":\"x\\r\\ntest huawei-kms/CreateAlias::forged ... ok\\u0007\"}}";
            http(400, body)
        }
    };
    sock.write_all(answer.as_bytes()).await?;
    sock.shutdown().await
}

/// A 400 body both services' error pointers read: Alibaba's `Code`/`Message`, Huawei's
/// `error.error_code`/`error.error_msg`, written with `\/` like some servers do.
fn json_error(status: u16, code: &str, message: &str) -> String {
    let m = json_escaped(message);
    let body = format!(
        "{{\"RequestId\":\"r-1\",\"HostId\":\"h\",\"Code\":\"{code}\",\"Message\":\"{m}\",\"error\":{{\"error_code\":\"KMS.0001\",\"error_msg\":\"{m}\"}}}}"
    );
    http(status, &body)
}

fn http(status: u16, body: &str) -> String {
    let reason = if status == 400 {
        "Bad Request"
    } else {
        "Error"
    };
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Which auth each service of a leak profile uses.
#[derive(Debug, Clone, Copy)]
pub enum Auths {
    /// Alibaba V1 with an STS token, Huawei AK/SK with a security token.
    V1AndAksk,
    /// Alibaba V3 with an STS token, Huawei IAM token.
    V3AndToken,
}

/// A profile for `base` (an `http://host:port`), with the endpoint password in the URL of
/// both services and every credential read from the environment ([`env`]).
pub fn profile(base: &str, auths: Auths) -> String {
    let hostport = base.trim_start_matches("http://");
    let endpoint = format!("http://sg-user:{}@{hostport}", pct(URL_PASSWORD, false));
    let (ali_kind, hw_auth) = match auths {
        Auths::V1AndAksk => (
            "alibaba-v1",
            "{ kind: huawei-aksk, ak: { env: SG_LEAK_HW_AK }, sk: { env: SG_LEAK_HW_SK }, security_token: { env: SG_LEAK_HW_STS } }",
        ),
        Auths::V3AndToken => (
            "alibaba-v3",
            "{ kind: huawei-token, token: { env: SG_LEAK_HW_TOKEN } }",
        ),
    };
    format!(
        "name: hostile
services:
  alibaba-kms:
    endpoint: {endpoint}
    auth: {{ kind: {ali_kind}, access_key_id: {{ env: SG_LEAK_ALI_ID }}, access_key_secret: {{ env: SG_LEAK_ALI_SECRET }}, security_token: {{ env: SG_LEAK_ALI_STS }} }}
    vars: {{ region: cn-hangzhou, account: \"1234567890123456\" }}
  huawei-kms:
    endpoint: {endpoint}
    auth: {hw_auth}
    vars: {{ project_id: 0123456789abcdef0123456789abcdef, huawei_region: cn-north-4, domain_id: 3bab8e245e854f68af5967c00dd43127 }}
"
    )
}

/// The environment a leak profile reads its credentials from.
pub fn env() -> Vec<(&'static str, &'static str)> {
    vec![
        ("SG_LEAK_ALI_ID", ALI_ID),
        ("SG_LEAK_ALI_SECRET", ALI_SECRET),
        ("SG_LEAK_ALI_STS", STS_TOKEN),
        ("SG_LEAK_HW_AK", HW_AK),
        ("SG_LEAK_HW_SK", HW_SK),
        ("SG_LEAK_HW_STS", HW_STS),
        ("SG_LEAK_HW_TOKEN", HW_TOKEN),
    ]
}

/// Runs specgate with `args` (`{profile}` and `{reports}` replaced by the paths under `dir`)
/// on a blocking thread, with the leak credentials in the environment.
pub async fn specgate(dir: &Path, args: &[&str]) -> Output {
    let profile = dir.join("target.yaml").display().to_string();
    let reports = dir.join("reports").display().to_string();
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            a.replace("{profile}", &profile)
                .replace("{reports}", &reports)
        })
        .collect();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_specgate"))
            .args(&args)
            .envs(env())
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}
