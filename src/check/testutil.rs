//! Small services, operations and answers for the checks' unit tests, built directly (no files).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{Value, json};

use crate::finding::{Finding, FindingKind};
use crate::pointer::PointerPath;
use crate::spec::{
    DocumentedError, ErrorShape, Location, Operation, Pagination, Param, ParamType, Protocol,
    Request, Response, Schema, Service, VolatileKind,
};
use crate::vars::Vars;

use super::{Context, Observed};

/// Compiles a JSON Schema 2020-12.
pub(crate) fn compile(source: Value) -> Schema {
    let validator = jsonschema::draft202012::new(&source).expect("test schema compiles");
    Schema {
        source,
        validator: Arc::new(validator),
    }
}

/// Parses a pointer.
pub(crate) fn ptr(s: &str) -> PointerPath {
    PointerPath::parse(s).expect("test pointer parses")
}

/// The kinds of findings, in order.
pub(crate) fn kinds_of(found: &[Finding]) -> Vec<FindingKind> {
    found.iter().map(|f| f.kind).collect()
}

/// Target variables like the emulator's.
pub(crate) fn vars() -> Vars {
    [
        ("region".to_string(), json!("cn-hangzhou")),
        ("account".to_string(), json!("1234567890123456")),
    ]
    .into_iter()
    .collect()
}

fn documented(status: u16, code: &str) -> DocumentedError {
    DocumentedError {
        status,
        code: code.to_string(),
        retryable: false,
        source: "page".to_string(),
        evidence: Vec::new(),
    }
}

fn volatile(pairs: &[(&str, &str)]) -> BTreeMap<String, VolatileKind> {
    pairs
        .iter()
        .map(|(k, v)| {
            let kind = VolatileKind::from_name(v).expect("a volatile kind");
            (k.to_string(), kind)
        })
        .collect()
}

/// Alibaba Cloud KMS: `{RequestId, HostId, Code, Message, Recommend}` errors.
pub(crate) fn alibaba_service() -> Service {
    Service {
        name: "alibaba-kms".into(),
        title: "Alibaba Cloud KMS".into(),
        protocol: Protocol::Rpc,
        version: Some("2016-01-20".into()),
        target_prefix: None,
        endpoint: "https://kms.{region}.aliyuncs.com".into(),
        auth: vec!["alibaba-v1".into()],
        vars: vec!["region".into(), "account".into()],
        error: ErrorShape {
            code: ptr("/Code"),
            message: ptr("/Message"),
            schema: compile(json!({
                "type": "object",
                "required": ["RequestId", "Code", "Message"],
                "additionalProperties": false,
                "properties": {
                    "RequestId": {"type": "string"},
                    "HostId": {"type": "string"},
                    "Code": {"type": "string"},
                    "Message": {"type": "string"},
                    "Recommend": {"type": "string"}
                }
            })),
        },
        common_errors: vec![
            documented(400, "Throttling"),
            documented(404, "Forbidden.KeyNotFound"),
        ],
        volatile: volatile(&[
            ("RequestId", "request-id"),
            ("KeyId", "id"),
            ("KeyArn", "arn"),
            ("AliasName", "name"),
            ("AliasArn", "arn"),
            ("CreationDate", "timestamp"),
            ("TotalCount", "count"),
        ]),
        file: PathBuf::from("specs/alibaba-kms/service.yaml"),
    }
}

/// Huawei Cloud KMS: `{"error": {"error_code", "error_msg"}}` errors.
pub(crate) fn huawei_service() -> Service {
    Service {
        name: "huawei-kms".into(),
        title: "Huawei Cloud KMS".into(),
        protocol: Protocol::Rest,
        version: None,
        target_prefix: None,
        endpoint: "https://kms.{region}.myhuaweicloud.com".into(),
        auth: vec!["huawei-aksk".into()],
        vars: vec!["project_id".into()],
        error: ErrorShape {
            code: ptr("/error/error_code"),
            message: ptr("/error/error_msg"),
            schema: compile(json!({
                "type": "object",
                "required": ["error"],
                "additionalProperties": false,
                "properties": {
                    "error": {
                        "type": "object",
                        "required": ["error_code", "error_msg"],
                        "properties": {
                            "error_code": {"type": "string"},
                            "error_msg": {"type": "string"}
                        }
                    }
                }
            })),
        },
        common_errors: vec![],
        volatile: volatile(&[("alias", "name"), ("alias_urn", "urn"), ("key_id", "id")]),
        file: PathBuf::from("specs/huawei-kms/service.yaml"),
    }
}

fn int_param(name: &str, default: i64, maximum: i64) -> Param {
    Param {
        name: name.to_string(),
        location: Location::Query,
        ty: ParamType::Integer,
        required: false,
        default: Some(json!(default)),
        minimum: Some(1),
        maximum: Some(maximum),
        min_length: None,
        max_length: None,
        pattern: None,
        not_suffix: None,
        enum_values: vec![],
        format: None,
        max_items: None,
        source: String::new(),
        evidence: Vec::new(),
        pos: Default::default(),
    }
}

/// ListKeys pagination.
pub(crate) fn pagination() -> Pagination {
    Pagination {
        page: "PageNumber".into(),
        size: "PageSize".into(),
        total: ptr("/TotalCount"),
        items: ptr("/Keys/Key"),
        item_id: ptr("/KeyId"),
        page_echo: ptr("/PageNumber"),
        size_echo: ptr("/PageSize"),
    }
}

/// The strict wire schema of a ListKeys answer.
pub(crate) fn list_keys_schema() -> Schema {
    compile(json!({
        "type": "object",
        "required": ["Keys", "TotalCount", "PageNumber", "PageSize", "RequestId"],
        "additionalProperties": false,
        "properties": {
            "Keys": {
                "type": "object",
                "required": ["Key"],
                "additionalProperties": false,
                "properties": {
                    "Key": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["KeyId", "KeyArn"],
                            "additionalProperties": false,
                            "properties": {
                                "KeyId": {"type": "string"},
                                "KeyArn": {"type": "string"}
                            }
                        }
                    }
                }
            },
            "TotalCount": {"type": "integer"},
            "PageNumber": {"type": "integer"},
            "PageSize": {"type": "integer"},
            "RequestId": {"type": "string"}
        }
    }))
}

/// The documented ListKeys sample, in the wire shape.
pub(crate) fn list_keys_sample() -> Value {
    json!({
        "PageNumber": 1,
        "PageSize": 10,
        "RequestId": "2a1c0f6e-7a7c-4a0c-9a39-3c2a7fd1fd21",
        "Keys": {"Key": [
            {"KeyId": "08c33a6f-4e0a-4a1b-a3fa-7ddfa1d4****",
             "KeyArn": "acs:kms:cn-hangzhou:123456:key/08c33a6f-4e0a-4a1b-a3fa-7ddfa1d4****"},
            {"KeyId": "80e9409f-78fa-42ab-84bd-83f40c81****",
             "KeyArn": "acs:kms:cn-hangzhou:123456:key/80e9409f-78fa-42ab-84bd-83f40c81****"}
        ]},
        "TotalCount": 2
    })
}

/// Alibaba ListKeys with 200 documented.
pub(crate) fn list_keys_op() -> Operation {
    let mut responses = BTreeMap::new();
    responses.insert(
        200,
        Response {
            schema: Some(list_keys_schema()),
            sample: Some(list_keys_sample()),
            sample_source: "test".into(),
            sample_xml: None,
        },
    );
    Operation {
        service: "alibaba-kms".into(),
        name: "ListKeys".into(),
        summary: "Queries all CMKs.".into(),
        supporting: false,
        mutating: false,
        source: "test".into(),
        request: Request {
            method: "POST".into(),
            path: None,
            success: 200,
            params: vec![
                int_param("PageNumber", 1, 100_000),
                int_param("PageSize", 10, 100),
            ],
        },
        pagination: Some(pagination()),
        marker_pagination: None,
        responses,
        errors: vec![documented(400, "InvalidParameter")],
        doc_notes: vec![],
        file: PathBuf::from("specs/alibaba-kms/ListKeys.yaml"),
    }
}

/// A ListKeys answer with `items` keys, echoing `page` and `size`, announcing `total`.
pub(crate) fn list_keys_body(items: u64, page: u64, size: u64, total: u64) -> Value {
    let keys: Vec<Value> = (1..=items)
        .map(|i| {
            let id = format!("{i:08x}-1111-4222-8333-444444444444");
            json!({"KeyId": id, "KeyArn": format!("acs:kms:cn-hangzhou:1234567890123456:key/{id}")})
        })
        .collect();
    json!({
        "Keys": {"Key": keys},
        "TotalCount": total,
        "PageNumber": page,
        "PageSize": size,
        "RequestId": "c7d1c6a4-9a55-4b8e-8f3a-2f0d8d6f1e2b"
    })
}

/// An Alibaba error body.
pub(crate) fn alibaba_error(code: &str) -> Value {
    json!({
        "RequestId": "7DC0013A-0000-0000-0000-000000000000",
        "HostId": "kms.cn-hangzhou.aliyuncs.com",
        "Code": code,
        "Message": "The specified parameter is not valid.",
        "Recommend": "https://api.aliyun.com/troubleshoot?q=x"
    })
}

/// A Huawei error body.
pub(crate) fn huawei_error(code: &str) -> Value {
    json!({"error": {"error_code": code, "error_msg": "the alias already exists"}})
}

/// A check context.
pub(crate) fn ctx<'a>(
    service: &'a Service,
    op: &'a Operation,
    vars: &'a Vars,
    params: &'a [(String, Value)],
) -> Context<'a> {
    Context {
        service,
        op,
        vars,
        params,
        body_format: crate::case::BodyFormat::Json,
    }
}

/// A JSON answer with a JSON Content-Type (the raw body is not looked at past "non-empty").
pub(crate) fn observed(status: u16, body: &Value) -> Observed<'_> {
    Observed {
        status,
        content_type: Some("application/json;charset=utf-8"),
        body: b"{}",
        json: Some(body),
    }
}
