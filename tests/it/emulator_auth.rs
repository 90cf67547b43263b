//! Signature verification over real HTTP: Alibaba V1 and V3, Huawei AK/SK and X-Auth-Token,
//! each accepted when valid and refused with the documented error otherwise.

use crate::support::emulator;

use crate::support::emulator::{Emu, hw_path, start_with};
use specgate::emulator::{Config, Credential};
use specgate::sign::{Credentials, SignableRequest, alibaba_v1, alibaba_v3, huawei};
use time::{Duration, OffsetDateTime};

async fn verifying() -> Emu {
    start_with(Config {
        verify_signatures: true,
        alibaba_credentials: vec![
            Credential::new("testid", "testsecret"),
            Credential::new("other", "s2"),
        ],
        huawei_credentials: vec![Credential::new("testAK", "testSK")],
        huawei_tokens: vec!["good-token".into()],
        ..Config::default()
    })
    .await
}

fn list_keys() -> SignableRequest {
    let mut req = SignableRequest::new("POST", "/");
    req.set_query("Action", "ListKeys");
    req.set_query("PageSize", "2");
    req
}

fn creds(id: &str, secret: &str) -> Credentials {
    Credentials::new(id, secret)
}

#[tokio::test]
async fn alibaba_v1_signatures() {
    let emu = verifying().await;
    for (id, secret) in [("testid", "testsecret"), ("other", "s2")] {
        let mut req = list_keys();
        alibaba_v1::sign_now(&mut req, &creds(id, secret), Some("2016-01-20"));
        let a = emu.send_signable(&req).await;
        assert_eq!(a.status, 200, "{}", a.text);
        assert_eq!(a.json["PageSize"], 2);
    }
    let mut get = list_keys();
    get.method = "GET".into();
    alibaba_v1::sign_now(&mut get, &creds("testid", "testsecret"), Some("2016-01-20"));
    assert_eq!(emu.send_signable(&get).await.status, 200);

    let mut form = SignableRequest::new("POST", "/");
    form.set_query("Action", "CreateAlias");
    form.set_header("content-type", "application/x-www-form-urlencoded");
    let key = emu_first_key(&emu).await;
    form.body = format!("AliasName=alias%2Fsigned-form&KeyId={key}").into_bytes();
    alibaba_v1::sign_now(
        &mut form,
        &creds("testid", "testsecret"),
        Some("2016-01-20"),
    );
    let a = emu.send_signable(&form).await;
    assert_eq!(a.status, 200, "form parameters are signed too: {}", a.text);

    let mut bad = list_keys();
    alibaba_v1::sign_now(&mut bad, &creds("testid", "wrong"), Some("2016-01-20"));
    let a = emu.send_signable(&bad).await;
    a.assert_ali_error(400, "SignatureDoesNotMatch");
    assert!(
        a.json["Message"]
            .as_str()
            .unwrap_or("")
            .contains("server string to sign is:POST&%2F&")
    );

    let mut tampered = list_keys();
    alibaba_v1::sign_now(
        &mut tampered,
        &creds("testid", "testsecret"),
        Some("2016-01-20"),
    );
    tampered.set_query("PageSize", "3");
    emu.send_signable(&tampered)
        .await
        .assert_ali_error(400, "SignatureDoesNotMatch");

    let mut unknown = list_keys();
    alibaba_v1::sign_now(
        &mut unknown,
        &creds("nobody", "testsecret"),
        Some("2016-01-20"),
    );
    emu.send_signable(&unknown)
        .await
        .assert_ali_error(404, "InvalidAccessKeyId.NotFound");

    let mut unsigned = list_keys();
    alibaba_v1::sign_now(
        &mut unsigned,
        &creds("testid", "testsecret"),
        Some("2016-01-20"),
    );
    unsigned.remove_query("Signature");
    emu.send_signable(&unsigned)
        .await
        .assert_ali_error(400, "IncompleteSignature");

    emu.send_signable(&list_keys())
        .await
        .assert_ali_error(400, "MissingParameter");

    let mut stale = list_keys();
    alibaba_v1::sign(
        &mut stale,
        &creds("testid", "testsecret"),
        Some("2016-01-20"),
        OffsetDateTime::now_utc() - Duration::hours(1),
        "00000000-0000-4000-8000-000000000001",
    );
    emu.send_signable(&stale)
        .await
        .assert_ali_error(400, "InvalidTimeStamp.Expired");
}

async fn emu_first_key(emu: &Emu) -> String {
    let mut req = list_keys();
    alibaba_v1::sign_now(&mut req, &creds("testid", "testsecret"), Some("2016-01-20"));
    let a = emu.send_signable(&req).await;
    a.json["Keys"]["Key"][0]["KeyId"]
        .as_str()
        .expect("a key")
        .to_string()
}

fn v3_request(action: &str) -> SignableRequest {
    let mut req = SignableRequest::new("POST", "/");
    req.set_query("PageSize", "2");
    req.set_header("x-acs-action", action);
    req.set_header("x-acs-version", "2016-01-20");
    req.set_header("accept", "application/json");
    req
}

#[tokio::test]
async fn alibaba_v3_signatures() {
    let emu = verifying().await;
    let host = emu.host();
    let mut req = v3_request("ListKeys");
    alibaba_v3::sign_now(&mut req, &creds("testid", "testsecret"), &host);
    let a = emu.send_signable(&req).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json["PageSize"], 2);

    let mut bad = v3_request("ListKeys");
    alibaba_v3::sign_now(&mut bad, &creds("testid", "nope"), &host);
    emu.send_signable(&bad)
        .await
        .assert_ali_error(400, "SignatureDoesNotMatch");

    let mut wrong_host = v3_request("ListKeys");
    alibaba_v3::sign_now(
        &mut wrong_host,
        &creds("testid", "testsecret"),
        "kms.cn-hangzhou.aliyuncs.com",
    );
    emu.send_signable(&wrong_host)
        .await
        .assert_ali_error(400, "SignatureDoesNotMatch");

    let mut tampered = v3_request("ListKeys");
    alibaba_v3::sign_now(&mut tampered, &creds("testid", "testsecret"), &host);
    tampered.set_header("x-acs-action", "ListKeyVersions");
    emu.send_signable(&tampered)
        .await
        .assert_ali_error(400, "SignatureDoesNotMatch");

    let mut unknown = v3_request("ListKeys");
    alibaba_v3::sign_now(&mut unknown, &creds("ghost", "testsecret"), &host);
    emu.send_signable(&unknown)
        .await
        .assert_ali_error(404, "InvalidAccessKeyId.NotFound");

    let mut garbled = v3_request("ListKeys");
    garbled.set_header("authorization", "ACS3-HMAC-SHA256 nonsense");
    emu.send_signable(&garbled)
        .await
        .assert_ali_error(400, "IncompleteSignature");

    let mut other_scheme = v3_request("ListKeys");
    other_scheme.set_header("authorization", "Basic dGVzdA==");
    emu.send_signable(&other_scheme)
        .await
        .assert_ali_error(400, "IncompleteSignature");
}

fn hw_request(method: &str, op: &str, body: &str) -> SignableRequest {
    let mut req = SignableRequest::new(method, hw_path(op));
    req.set_header("Content-Type", "application/json");
    req.body = body.as_bytes().to_vec();
    req
}

#[tokio::test]
async fn huawei_aksk_and_tokens() {
    let emu = verifying().await;
    let host = emu.host();
    let project = specgate::emulator::IDENTITY.project_id;
    let mut req = hw_request("POST", "list-keys", r#"{"limit":"2"}"#);
    huawei::sign_now(&mut req, &creds("testAK", "testSK"), &host, Some(project));
    let a = emu.send_signable(&req).await;
    assert_eq!(a.status, 200, "{}", a.text);

    let mut get = SignableRequest::new("GET", hw_path("aliases"));
    get.set_query("limit", "1");
    huawei::sign_now(&mut get, &creds("testAK", "testSK"), &host, Some(project));
    let a = emu.send_signable(&get).await;
    assert_eq!(a.status, 200, "signed query: {}", a.text);

    let check_denied = |a: &emulator::Answer| {
        assert_eq!(a.status, 401, "{}", a.text);
        assert_eq!(a.json["error_code"], "APIGW.0301");
        assert!(
            a.json["error_msg"]
                .as_str()
                .unwrap_or("")
                .starts_with("Incorrect IAM authentication information")
        );
        assert_eq!(
            a.json["request_id"].as_str(),
            Some(a.header("x-request-id"))
        );
        assert!(a.json.get("error").is_none(), "the gateway body is flat");
    };

    let mut bad = hw_request("POST", "list-keys", "{}");
    huawei::sign_now(&mut bad, &creds("testAK", "wrong"), &host, None);
    check_denied(&emu.send_signable(&bad).await);

    let mut tampered = hw_request("POST", "list-keys", "{}");
    huawei::sign_now(&mut tampered, &creds("testAK", "testSK"), &host, None);
    tampered.body = br#"{"limit":"1"}"#.to_vec();
    check_denied(&emu.send_signable(&tampered).await);

    let mut unknown = hw_request("POST", "list-keys", "{}");
    huawei::sign_now(&mut unknown, &creds("ghost", "testSK"), &host, None);
    check_denied(&emu.send_signable(&unknown).await);

    let mut stale = hw_request("POST", "list-keys", "{}");
    huawei::sign(
        &mut stale,
        &creds("testAK", "testSK"),
        &host,
        None,
        OffsetDateTime::now_utc() - Duration::hours(2),
    );
    check_denied(&emu.send_signable(&stale).await);

    check_denied(
        &emu.send_signable(&hw_request("POST", "list-keys", "{}"))
            .await,
    );

    let mut token = hw_request("POST", "list-keys", "{}");
    token.set_header("X-Auth-Token", "good-token");
    assert_eq!(emu.send_signable(&token).await.status, 200);
    let mut bad_token = hw_request("POST", "list-keys", "{}");
    bad_token.set_header("X-Auth-Token", "forged");
    check_denied(&emu.send_signable(&bad_token).await);
}

#[tokio::test]
async fn unsigned_requests_pass_when_verification_is_off() {
    let emu = emulator::start().await;
    assert_eq!(emu.send_signable(&list_keys()).await.status, 200);
    let mut garbage = list_keys();
    garbage.set_query("Signature", "not-a-signature");
    garbage.set_query("AccessKeyId", "nobody");
    assert_eq!(emu.send_signable(&garbage).await.status, 200);
    assert_eq!(
        emu.send_signable(&hw_request("POST", "list-keys", "{}"))
            .await
            .status,
        200
    );
}
