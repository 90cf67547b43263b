//! Shared helpers of the emulator tests: start an emulator on `127.0.0.1:0`, send requests over
//! real HTTP, and read answers as (status, headers, JSON).

use reqwest::header::HeaderMap;
use serde_json::Value;
use specgate::emulator::{Config, EmulatorHandle, IDENTITY, spawn};
use specgate::sign::SignableRequest;

/// A running emulator and a client for it.
pub struct Emu {
    /// The emulator (stopped when dropped).
    pub handle: EmulatorHandle,
    /// An HTTP client without proxies.
    pub client: reqwest::Client,
}

/// One answer.
#[derive(Debug)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The raw body.
    pub text: String,
    /// The body as JSON (Null when empty or not JSON).
    pub json: Value,
}

impl Answer {
    /// A header's value as text ("" when absent).
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts an Alibaba error answer: status, `Code`, and the five-field body.
    #[track_caller]
    pub fn assert_ali_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "status of {}", self.text);
        assert_eq!(self.json["Code"], code, "code in {}", self.text);
        let keys: Vec<&str> = self
            .json
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(
            keys,
            ["RequestId", "HostId", "Code", "Message", "Recommend"],
            "{}",
            self.text
        );
        assert!(!self.json["Message"].as_str().unwrap_or("").is_empty());
        assert_eq!(
            self.json["RequestId"].as_str(),
            Some(self.header("x-acs-request-id"))
        );
        assert!(
            is_uuid(self.json["RequestId"].as_str().unwrap_or("")),
            "{}",
            self.text
        );
    }

    /// Asserts a Huawei KMS error answer: status and `error.error_code`.
    #[track_caller]
    pub fn assert_hw_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "status of {}", self.text);
        assert_eq!(
            self.json["error"]["error_code"], code,
            "code in {}",
            self.text
        );
        assert!(
            self.json["error"]["error_msg"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
        assert_eq!(
            self.json.as_object().map(|m| m.len()),
            Some(1),
            "{}",
            self.text
        );
        assert_eq!(self.header("x-request-id").len(), 32);
    }
}

/// True for a lowercase 8-4-4-4-12 UUID.
pub fn is_uuid(s: &str) -> bool {
    regex::Regex::new("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
        .expect("regex")
        .is_match(s)
}

/// The Huawei path of an operation in the emulator's project.
pub fn hw_path(op: &str) -> String {
    format!("/v1.0/{}/kms/{op}", IDENTITY.project_id)
}

/// Starts an emulator with the default configuration.
pub async fn start() -> Emu {
    start_with(Config::default()).await
}

/// Starts an emulator with this configuration.
pub async fn start_with(config: Config) -> Emu {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let handle = spawn(config).await.expect("the emulator starts");
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("an HTTP client");
    Emu { handle, client }
}

/// Encodes pairs as `application/x-www-form-urlencoded`.
pub fn form(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

impl Emu {
    /// The `host:port` of the emulator.
    pub fn host(&self) -> String {
        self.handle.addr().to_string()
    }

    /// Sends a request and reads the whole answer.
    pub async fn send(&self, req: reqwest::RequestBuilder) -> Answer {
        let resp = req.send().await.expect("a response");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.expect("a body");
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            text,
            json,
        }
    }

    /// An Alibaba GET with these query parameters.
    pub async fn ali(&self, params: &[(&str, &str)]) -> Answer {
        let url = format!("{}/?{}", self.handle.base_url(), form(params));
        self.send(self.client.get(url)).await
    }

    /// An Alibaba POST with these parameters in a form body.
    pub async fn ali_form(&self, params: &[(&str, &str)]) -> Answer {
        let req = self
            .client
            .post(format!("{}/", self.handle.base_url()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(params));
        self.send(req).await
    }

    /// A Huawei request to `/v1.0/{project_id}/kms/{op}` with an optional raw body.
    pub async fn hw(&self, method: &str, op: &str, body: Option<&str>) -> Answer {
        self.hw_raw(method, &hw_path(op), body).await
    }

    /// A Huawei request to a raw path (and query) with an optional raw body.
    pub async fn hw_raw(&self, method: &str, path_and_query: &str, body: Option<&str>) -> Answer {
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let mut req = self
            .client
            .request(m, format!("{}{path_and_query}", self.handle.base_url()))
            .header("content-type", "application/json");
        if let Some(b) = body {
            req = req.body(b.to_string());
        }
        self.send(req).await
    }

    /// A Huawei JSON request.
    pub async fn hw_json(&self, method: &str, op: &str, body: &Value) -> Answer {
        self.hw(method, op, Some(&body.to_string())).await
    }

    /// Sends a request built (and signed) as a [`SignableRequest`], headers as given.
    pub async fn send_signable(&self, req: &SignableRequest) -> Answer {
        let m = reqwest::Method::from_bytes(req.method.as_bytes()).expect("a method");
        let query = req.encoded_query();
        let url = if query.is_empty() {
            format!("{}{}", self.handle.base_url(), req.path)
        } else {
            format!("{}{}?{query}", self.handle.base_url(), req.path)
        };
        let mut builder = self.client.request(m, url).body(req.body.clone());
        for (k, v) in &req.headers {
            if !k.eq_ignore_ascii_case("host") {
                builder = builder.header(k.as_str(), v.as_str());
            }
        }
        self.send(builder).await
    }

    /// The first key of Alibaba ListKeys.
    pub async fn first_ali_key(&self) -> String {
        let a = self.ali(&[("Action", "ListKeys"), ("PageSize", "1")]).await;
        a.json["Keys"]["Key"][0]["KeyId"]
            .as_str()
            .expect("a key id")
            .to_string()
    }

    /// Every Huawei key's details (`key_spec` ALL, one page).
    pub async fn hw_keys(&self) -> Vec<Value> {
        let a = self
            .hw_json(
                "POST",
                "list-keys",
                &serde_json::json!({"key_spec": "ALL", "limit": "1000"}),
            )
            .await;
        assert_eq!(a.status, 200, "{}", a.text);
        a.json["key_details"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The id of the first Huawei key matching a predicate.
    pub async fn hw_key_where(&self, pred: impl Fn(&Value) -> bool) -> String {
        self.hw_keys()
            .await
            .into_iter()
            .find(|k| pred(k))
            .and_then(|k| k["key_id"].as_str().map(str::to_string))
            .expect("a matching key")
    }
}
