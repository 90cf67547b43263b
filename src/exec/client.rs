//! The HTTP client: real requests with a timeout, a body cap, no redirects, and every
//! failure classified as a finding.

use std::error::Error as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::finding::{Finding, kinds};
use crate::sign::SignableRequest;

/// Limits of the client.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Time allowed for one request, connect to last body byte.
    pub timeout: Duration,
    /// The largest body read; a larger one is a `transport.body_too_large` finding.
    pub body_cap: usize,
    /// Accept invalid TLS certificates (shown in reports).
    pub insecure: bool,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            timeout: Duration::from_secs(10),
            body_cap: 10 * 1024 * 1024,
            insecure: false,
        }
    }
}

/// An answer as received.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers in order, names lower-case.
    pub headers: Vec<(String, String)>,
    /// The whole body (at most the cap).
    pub body: Vec<u8>,
    /// Round-trip time.
    pub elapsed: Duration,
}

impl HttpResponse {
    /// A header's value by (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends requests to targets.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    options: ClientOptions,
    /// Base URLs already parsed: parsing the scheme and host of every request's URL anew was a
    /// measurable part of a request's cost (docs/benchmarks.md).
    bases: Arc<Mutex<Vec<(String, url::Url)>>>,
}

impl Client {
    /// Builds a client; fails only if the TLS stack cannot start.
    pub fn new(options: ClientOptions) -> Result<Self, super::ExecError> {
        // reqwest is built without a default crypto provider; ring is ours.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // Every request is sent exactly once: a conformance run decides itself what to
            // resend (throttling, see `throttle`). This also spares reqwest copying every
            // request in case it would resend it.
            .retry(reqwest::retry::never().max_retries_per_request(0))
            // The timeout covers connecting, sending and reading the whole body.
            .timeout(options.timeout)
            // Connecting gets a deadline of its own, shorter than the whole: a target that is
            // never reached (no DNS answer, no TCP handshake) is a connect failure, not a timeout.
            .connect_timeout(super::resolve::connect_deadline(options.timeout))
            .dns_resolver(super::resolve::BoundedResolver {
                deadline: super::resolve::connect_deadline(options.timeout),
            })
            // Servers close idle keep-alive connections (Node after 5 s, the emulator after
            // 10 s); one reused as it closes is a reset that the run would report as an error,
            // since nothing is resent. A connection idle this long is not reused.
            .pool_idle_timeout(std::time::Duration::from_secs(4))
            .danger_accept_invalid_certs(options.insecure)
            .user_agent(concat!("specgate/", env!("CARGO_PKG_VERSION")));
        if !proxy_in_environment() {
            // What reqwest would find anyway, without matching every request against it.
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(super::ExecError::Client)?;
        Ok(Client {
            http,
            options,
            bases: Arc::default(),
        })
    }

    /// The client's limits.
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// Sends `req` to `base_url`; a broken exchange becomes a transport finding.
    pub async fn send(
        &self,
        base_url: &str,
        req: &SignableRequest,
    ) -> Result<HttpResponse, Finding> {
        self.send_url(self.url(base_url, req)?, req).await
    }

    /// The URL of `req` at `base_url`, the same as [`full_url`] parsed: the base is parsed
    /// once per client, and only the path and query of each request are.
    pub fn url(&self, base_url: &str, req: &SignableRequest) -> Result<url::Url, Finding> {
        let mut url = {
            let mut bases = self.bases.lock().unwrap_or_else(|e| e.into_inner());
            match bases.iter().find(|(b, _)| b == base_url) {
                Some((_, u)) => u.clone(),
                None => {
                    let u = url::Url::parse(base_url).map_err(|e| bad_url(base_url, &e))?;
                    bases.push((base_url.to_string(), u.clone()));
                    u
                }
            }
        };
        let base_path = url.path().trim_end_matches('/');
        let mut path = String::with_capacity(base_path.len() + req.path.len());
        path.push_str(base_path);
        path.push_str(&req.path);
        url.set_path(&path);
        if req.query.is_empty() {
            url.set_query(None);
        } else {
            let mut query =
                String::with_capacity(req.query.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
            append_query(&mut query, req);
            url.set_query(Some(&query));
        }
        Ok(url)
    }

    /// Sends `req` to `url` (path and query included); a broken exchange becomes a transport
    /// finding.
    pub async fn send_url(
        &self,
        url: url::Url,
        req: &SignableRequest,
    ) -> Result<HttpResponse, Finding> {
        let method = reqwest::Method::from_bytes(req.method.as_bytes()).map_err(|_| {
            Finding::new(
                kinds::HARNESS,
                format!("`{}` is not an HTTP method", req.method),
            )
        })?;
        let mut builder = self.http.request(method, url);
        for (k, v) in &req.headers {
            if k.eq_ignore_ascii_case("host") {
                continue; // reqwest sets Host from the URL; signers used the same value.
            }
            builder = builder.header(k, v);
        }
        if !req.body.is_empty() {
            builder = builder.body(req.body.clone());
        }
        let started = Instant::now();
        let exchange = async {
            let mut resp = builder
                .send()
                .await
                .map_err(|e| classify(&e, self.options.timeout))?;
            let status = resp.status().as_u16();
            let headers: Vec<(String, String)> = resp
                .headers()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            if (300..400).contains(&status) {
                let location = resp
                    .headers()
                    .get("location")
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                    .unwrap_or_default();
                return Err(Finding::new(
                    kinds::REDIRECT,
                    format!("the target answered {status} with a redirect to `{location}`; redirects are never followed"),
                )
                .values(serde_json::Value::Null, location));
            }
            let mut body = Vec::new();
            while let Some(chunk) = resp
                .chunk()
                .await
                .map_err(|e| classify(&e, self.options.timeout))?
            {
                if body.len() + chunk.len() > self.options.body_cap {
                    return Err(Finding::new(
                        kinds::TOO_LARGE,
                        format!(
                            "the body is larger than the cap of {} bytes",
                            self.options.body_cap
                        ),
                    )
                    .values(
                        self.options.body_cap as u64,
                        (body.len() + chunk.len()) as u64,
                    ));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(HttpResponse {
                status,
                headers,
                body,
                elapsed: started.elapsed(),
            })
        };
        exchange.await
    }
}

/// True when the environment names a proxy (the variables reqwest reads).
fn proxy_in_environment() -> bool {
    [
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
    ]
    .iter()
    .any(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()))
}

/// The URL of a request at a base URL.
/// The query is encoded as [`SignableRequest::encoded_query`] encodes it, in one pass into one
/// string (the URL is built for every request).
pub fn full_url(base_url: &str, req: &SignableRequest) -> String {
    let base = base_url.trim_end_matches('/');
    let query_len: usize = req.query.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    let mut url = String::with_capacity(base.len() + req.path.len() + query_len + 32);
    url.push_str(base);
    url.push_str(&req.path);
    if !req.query.is_empty() {
        url.push('?');
        append_query(&mut url, req);
    }
    url
}

/// Appends the query of `req`, `k=v&k=v`, encoded as the signers encode it.
fn append_query(out: &mut String, req: &SignableRequest) {
    for (i, (k, v)) in req.query.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_into(out, k);
        out.push('=');
        encode_into(out, v);
    }
}

/// The finding for a target URL that does not parse.
fn bad_url(url: &str, e: &url::ParseError) -> Finding {
    Finding::new(kinds::HARNESS, format!("`{url}` is not a valid URL: {e}"))
}

/// Appends `s` percent-encoded like the signers' query encoding (`sign::encode::alibaba`): the
/// RFC 3986 unreserved characters as they are, every other byte as `%XY` in upper-case hex.
fn encode_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

fn timeout_finding(t: Duration) -> Finding {
    Finding::new(
        kinds::TIMEOUT,
        format!(
            "no complete answer within the timeout of {} ms",
            t.as_millis()
        ),
    )
}

/// Classifies a reqwest error into a transport finding.
fn classify(e: &reqwest::Error, timeout: Duration) -> Finding {
    let mut chain = String::new();
    let mut src: Option<&dyn std::error::Error> = e.source();
    while let Some(s) = src {
        chain.push_str(": ");
        chain.push_str(&s.to_string());
        src = s.source();
    }
    let lower = chain.to_ascii_lowercase();
    let detail = format!("{e}{chain}");
    if e.is_timeout() && e.is_connect() {
        // The DNS lookup or the TCP connect did not finish: nothing reached the target.
        return Finding::new(
            kinds::CONNECT,
            format!(
                "cannot connect within the timeout of {} ms (DNS lookup or TCP connect): {detail}",
                timeout.as_millis()
            ),
        );
    }
    if e.is_timeout() {
        return timeout_finding(timeout);
    }
    // rustls's words when the other end does not speak TLS at all (a plain-HTTP port).
    if lower.contains("corrupt message") || lower.contains("invalidcontenttype") {
        return Finding::new(
            kinds::TLS,
            format!(
                "TLS failed: the port answered something that is not TLS (plain HTTP? then use http://): {detail}"
            ),
        );
    }
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        return Finding::new(kinds::TLS, format!("TLS failed: {detail}"));
    }
    if e.is_connect() {
        return Finding::new(kinds::CONNECT, format!("cannot connect: {detail}"));
    }
    if lower.contains("too large") || lower.contains("too many headers") {
        return Finding::new(
            kinds::PROTOCOL,
            format!(
                "the answer's head is larger than the client accepts (too many or too long headers): {detail}"
            ),
        );
    }
    if lower.contains("invalid http")
        || lower.contains("parse")
        || lower.contains("invalid status")
        || lower.contains("header")
    {
        return Finding::new(
            kinds::PROTOCOL,
            format!("the answer is not valid HTTP: {detail}"),
        );
    }
    if lower.contains("reset")
        || lower.contains("closed")
        || lower.contains("incomplete")
        || lower.contains("broken pipe")
        || lower.contains("unexpected eof")
        || e.is_body()
        || e.is_decode()
    {
        return Finding::new(kinds::RESET, format!("the connection broke: {detail}"));
    }
    Finding::new(kinds::OTHER, format!("the exchange failed: {detail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A URL made from the parsed base is the one the whole URL parses to.
    #[test]
    fn urls_from_a_parsed_base_are_the_parsed_full_urls() {
        let client = Client::new(ClientOptions::default()).unwrap();
        let queries: [&[(&str, &str)]; 3] = [
            &[],
            &[("Action", "ListKeys"), ("PageSize", "10")],
            &[
                ("a b", "c/d?e"),
                ("Filters", "[{\"Key\":\"KeyState\"}]"),
                ("é", "字"),
            ],
        ];
        for base in [
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080/",
            "https://kms.example.com/prefix/",
            "http://localhost:1/a/b",
        ] {
            for path in ["", "/", "/v1.0/p/kms/aliases", "/x y/%7E"] {
                for query in queries {
                    let mut req = SignableRequest::new("GET", path);
                    req.query = query
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect();
                    // Twice: the second URL comes from the cached base.
                    for _ in 0..2 {
                        let got = client.url(base, &req).unwrap();
                        let want = url::Url::parse(&full_url(base, &req)).unwrap();
                        assert_eq!(got.as_str(), want.as_str(), "{base} {path} {query:?}");
                    }
                }
            }
        }
        assert!(
            client
                .url("not a url", &SignableRequest::new("GET", "/"))
                .is_err()
        );
    }

    /// The URL carries exactly the query the signers signed.
    #[test]
    fn the_url_query_is_the_signed_encoding() {
        let values = [
            "",
            "plain",
            "a b+c",
            "alias/ExampleAlias1",
            "[{\"Key\":\"KeyState\", \"Values\":[\"Enabled\"]}]",
            "~-_.*'()!%&=?#",
            "é字😀",
            "\u{0}\u{7f}",
        ];
        for base in ["http://127.0.0.1:8080", "https://kms.example.com/"] {
            let mut req = SignableRequest::new("POST", "/v1.0/p/kms/x");
            assert_eq!(
                full_url(base, &req),
                format!("{}/v1.0/p/kms/x", base.trim_end_matches('/'))
            );
            for (i, v) in values.iter().enumerate() {
                req.query.push((format!("K{i} {v}"), v.to_string()));
            }
            assert_eq!(
                full_url(base, &req),
                format!(
                    "{}/v1.0/p/kms/x?{}",
                    base.trim_end_matches('/'),
                    req.encoded_query()
                )
            );
        }
    }
}
