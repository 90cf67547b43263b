//! A hand-built run shared by the report tests: two targets, passes, failures with a diff, an
//! inferred failure, a transport error, a skip, and a baseline with known, stale, expired and
//! not-run entries.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};
use specgate::case::Provenance;
use specgate::exec::{CaseOutcome, Exchange, RecordedRequest, RecordedResponse, Verdict};
use specgate::finding::Finding;
use specgate::finding::kinds;
use specgate::report::RunResult;
use specgate::report::{Baseline, Report, RunInfo, ServiceInfo, TargetInfo, schema_fields};

pub const EMU: &str = "embedded-emulator";
pub const CLOUD: &str = "aliyun-prod";
pub const PREFIX: &str = "sg-1a2b3c4d";

/// A hostile string: must come out escaped in every format.
pub const HOSTILE: &str = "</script><img src=x onerror=alert(1)> | *bold* `tick`";

pub fn started_at() -> time::OffsetDateTime {
    time::macros::datetime!(2026-11-24 11:30:00.250 UTC)
}

/// A recorded exchange against `base` (with a port and the run prefix in it).
pub fn exchange(step: &str, base: &str, query: &str, status: u16, body: Value) -> Exchange {
    Exchange {
        step: step.to_string(),
        request: RecordedRequest {
            method: "POST".into(),
            url: format!("{base}/?{query}"),
            headers: vec![("x-acs-action".into(), "ListKeys".into())],
            body: String::new(),
        },
        response: Some(RecordedResponse {
            status,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("date".into(), "Tue, 24 Nov 2026 11:30:00 GMT".into()),
            ],
            body: body.to_string(),
        }),
        elapsed_ms: 12,
    }
}

pub fn outcome(
    id: &str,
    target: &str,
    provenance: Provenance,
    verdict: Verdict,
    findings: Vec<Finding>,
) -> CaseOutcome {
    CaseOutcome {
        id: id.parse().expect("a case id"),
        operation: id.split("::").next().unwrap().to_string(),
        target: target.to_string(),
        provenance,
        doc_note: None,
        reading: None,
        verdict,
        reason: None,
        blocked_by: None,
        set_aside_by: Vec::new(),
        retries: 0,
        findings,
        exchanges: Vec::new(),
        diff: None,
        duration_ms: 37,
    }
}

fn keys_body(key_id: &str) -> Value {
    json!({
        "RequestId": "8252db58-2036-408c-a3d5-56e656dc2551",
        "TotalCount": 1, "PageNumber": 1, "PageSize": 10,
        "Keys": {"Key": [{"KeyId": key_id, "KeyArn": format!("acs:kms:cn-hangzhou:123456:key/{key_id}")}]}
    })
}

pub const EMU_URL: &str = "http://127.0.0.1:41234";
pub const CLOUD_URL: &str = "https://kms.cn-hangzhou.aliyuncs.com";

/// The hand-built run.
pub fn result(interrupted: bool) -> RunResult {
    use Provenance::*;
    use Verdict::*;
    let key = "0b7f3c1e-1a2b-4c3d-8e9f-0a1b2c3d4e5f";
    let mut out = Vec::new();

    // ListAliasesByKeyId::page-size-101: inferred; fails on the cloud (ambiguity).
    out.push(outcome(
        "alibaba-kms/ListAliasesByKeyId::page-size-101",
        EMU,
        Inferred,
        Pass,
        vec![],
    ));
    let mut amb = outcome(
        "alibaba-kms/ListAliasesByKeyId::page-size-101",
        CLOUD,
        Inferred,
        Fail,
        vec![
            Finding::new(
                kinds::STATUS,
                format!("PageSize 101 was accepted {HOSTILE}"),
            )
            .values(400, 200),
        ],
    );
    amb.exchanges.push(exchange(
        "",
        CLOUD_URL,
        "Action=ListAliasesByKeyId&PageSize=101",
        200,
        json!({"Aliases": {"Alias": []}, "RequestId": "x"}),
    ));
    out.push(amb);

    // ListKeys::documented-sample-request: passes on both.
    for (t, base) in [(EMU, EMU_URL), (CLOUD, CLOUD_URL)] {
        let mut o = outcome(
            "alibaba-kms/ListKeys::documented-sample-request",
            t,
            Documented,
            Pass,
            vec![],
        );
        o.exchanges.push(exchange(
            "",
            base,
            &format!("Action=ListKeys&AliasName=alias/{PREFIX}-a1"),
            200,
            keys_body(key),
        ));
        out.push(o);
    }

    // ListKeys::page-size-above-maximum: known deviation on the cloud.
    out.push(outcome(
        "alibaba-kms/ListKeys::page-size-above-maximum",
        EMU,
        Documented,
        Pass,
        vec![],
    ));
    let mut known = outcome(
        "alibaba-kms/ListKeys::page-size-above-maximum",
        CLOUD,
        Documented,
        Fail,
        vec![
            Finding::new(kinds::STATUS, "the status is not the documented one").values(400, 200),
            Finding::new(
                kinds::ERROR_CODE,
                "the error code is not the documented one",
            )
            .at("/Code")
            .values("InvalidParameter", Value::Null),
        ],
    );
    known.exchanges.push(exchange(
        "",
        CLOUD_URL,
        "Action=ListKeys&PageSize=101",
        200,
        keys_body(key),
    ));
    out.push(known);

    // ListKeys::sample-diff: fails on the cloud with a diff; its baseline entry has expired.
    out.push(outcome(
        "alibaba-kms/ListKeys::sample-diff",
        EMU,
        Documented,
        Pass,
        vec![],
    ));
    let mut diff = outcome(
        "alibaba-kms/ListKeys::sample-diff",
        CLOUD,
        Documented,
        Fail,
        vec![
            Finding::new(
                kinds::SCHEMA,
                "\"KeyState\" is not allowed: additional properties are not allowed",
            )
            .at("/Keys/Key/0")
            .values("no KeyState", "Enabled"),
            Finding::new(
                kinds::DIFF,
                "the masked response differs from the documented sample",
            )
            .at("/Keys/Key/0/KeyArn")
            .values("<KeyArn:1>", "ACS:KMS:<region>:<account>:KEY/<KeyId:1>"),
        ],
    );
    diff.diff = Some(
        "@@ -3,7 +3,8 @@\n   \"Keys\": {\n     \"Key\": [\n       {\n-        \"KeyArn\": \"<KeyArn:1>\",\n+        \"KeyArn\": \"ACS:KMS:<region>:<account>:KEY/<KeyId:1>\",\n-        \"KeyId\": \"<KeyId:1>\"\n+        \"KeyId\": \"<KeyId:1>\",\n+        \"KeyState\": \"Enabled\"\n       }\n     ]\n   },\n".into(),
    );
    diff.exchanges.push(exchange(
        "",
        CLOUD_URL,
        "Action=ListKeys",
        200,
        keys_body(key),
    ));
    out.push(diff);

    // ListKeyVersions::walk-page-size-3: passes everywhere; a stale entry names it.
    for t in [EMU, CLOUD] {
        out.push(outcome(
            "alibaba-kms/ListKeyVersions::walk-page-size-3",
            t,
            Documented,
            Pass,
            vec![],
        ));
    }

    // huawei-kms/CreateAlias::create-and-list: a transport error on the cloud.
    out.push(outcome(
        "huawei-kms/CreateAlias::create-and-list",
        EMU,
        Documented,
        Pass,
        vec![],
    ));
    let mut err = outcome(
        "huawei-kms/CreateAlias::create-and-list",
        CLOUD,
        Documented,
        Error,
        vec![{
            let mut f = Finding::new(
                kinds::CONNECT,
                "cannot connect to kms.cn-north-4.myhuaweicloud.com:443: connection refused",
            );
            f.step = "step 1 (create-key)".into();
            f
        }],
    );
    err.exchanges.push(Exchange {
        step: "step 1 (create-key)".into(),
        request: RecordedRequest {
            method: "POST".into(),
            url: "https://kms.cn-north-4.myhuaweicloud.com/v1.0/0123456789abcdef0123456789abcdef/kms/create-key".into(),
            headers: vec![("x-auth-token".into(), "<redacted>".into())],
            body: format!("{{\"key_alias\":\"{PREFIX}-k1\"}}"),
        },
        response: None,
        elapsed_ms: 3,
    });
    out.push(err);

    // huawei-kms/UpdateKeyAlias::rename: mutating, skipped on the cloud.
    out.push(outcome(
        "huawei-kms/UpdateKeyAlias::rename",
        EMU,
        Documented,
        Pass,
        vec![],
    ));
    let mut skip = outcome(
        "huawei-kms/UpdateKeyAlias::rename",
        CLOUD,
        Documented,
        Skipped,
        vec![],
    );
    skip.reason =
        Some("mutating case against a real target; pass --allow-mutations to run it".into());
    skip.duration_ms = 0;
    out.push(skip);

    if interrupted {
        out.truncate(7);
    }
    RunResult {
        outcomes: out,
        run_prefix: PREFIX.into(),
        interrupted,
        duration_ms: 1234,
    }
}

/// The baseline: known (2 findings), expired, stale and not-run entries.
pub const BASELINE: &str = r#"# known deviations of aliyun-prod
- target: aliyun-prod
  case: alibaba-kms/ListKeys::page-size-above-maximum
  kind: status
  reason: the service clamps PageSize to 100 instead of rejecting it
  link: https://example.com/issues/12
- target: aliyun-prod
  case: alibaba-kms/ListKeys::page-size-above-maximum
  kind: error.code
  pointer: /Code
  reason: no error body, since the request succeeds
- target: aliyun-prod
  case: alibaba-kms/ListKeys::sample-diff
  kind: diff
  pointer: /Keys/Key/*/KeyArn
  reason: ARNs come back in upper case
  expires: 2026-01-31
- target: embedded-emulator
  case: alibaba-kms/ListKeyVersions::walk-page-size-3
  kind: pagination.count
  reason: fixed in the emulator since
- target: aliyun-prod
  case: alibaba-kms/ListKeys::filters-eleven-pairs
  kind: status
  reason: not selected in this run
"#;

pub fn baseline() -> Baseline {
    Baseline::parse(Path::new("baseline.yaml"), BASELINE).expect("the fixture baseline parses")
}

pub fn info() -> RunInfo {
    let schema = json!({
        "type": "object",
        "properties": {
            "RequestId": {}, "TotalCount": {}, "PageNumber": {}, "PageSize": {},
            "Keys": {"properties": {"Key": {"items": {"properties": {"KeyId": {}, "KeyArn": {}, "Description": {}}}}}}
        }
    });
    let mut documented = BTreeMap::new();
    documented.insert("alibaba-kms/ListKeys".to_string(), schema_fields(&schema));
    RunInfo {
        run_id: format!("20261124T113000Z-{PREFIX}"),
        started_at: started_at(),
        targets: vec![
            TargetInfo {
                name: EMU.into(),
                embedded: true,
                services: vec![
                    ServiceInfo {
                        name: "alibaba-kms".into(),
                        endpoint: EMU_URL.into(),
                        auth: "none".into(),
                    },
                    ServiceInfo {
                        name: "huawei-kms".into(),
                        endpoint: EMU_URL.into(),
                        auth: "none".into(),
                    },
                ],
            },
            TargetInfo {
                name: CLOUD.into(),
                embedded: false,
                services: vec![ServiceInfo {
                    name: "alibaba-kms".into(),
                    endpoint: CLOUD_URL.into(),
                    auth: "alibaba-v1".into(),
                }],
            },
        ],
        documented_fields: documented,
        insecure: false,
        allow_mutations: false,
    }
}

/// The report of the hand-built run with the baseline applied.
pub fn report(interrupted: bool) -> Report {
    Report::build(&result(interrupted), &info(), Some(&baseline())).expect("the report builds")
}
