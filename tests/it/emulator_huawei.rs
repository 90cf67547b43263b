//! The Huawei Cloud KMS emulator over real HTTP: every operation, rule H1–H14 and error.

use crate::support::emulator;

use crate::support::emulator::{Answer, Emu, start};
use serde_json::{Value, json};
use specgate::emulator::IDENTITY;

const UNKNOWN_KEY: &str = "00000000-0000-4000-8000-000000000000";

async fn new_key(emu: &Emu, alias: &str) -> String {
    let a = emu
        .hw_json("POST", "create-key", &json!({"key_alias": alias}))
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    a.json["key_info"]["key_id"]
        .as_str()
        .expect("key_id")
        .to_string()
}

async fn alias_names(emu: &Emu, key_id: &str) -> Vec<String> {
    let a = emu
        .hw_raw(
            "GET",
            &format!("{}?key_id={key_id}", emulator::hw_path("aliases")),
            None,
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    a.json["aliases"]
        .as_array()
        .expect("aliases")
        .iter()
        .filter_map(|x| x["alias"].as_str().map(str::to_string))
        .collect()
}

fn assert_request_id(a: &Answer) {
    let rid = a.header("x-request-id");
    assert_eq!(rid.len(), 32, "X-Request-Id");
    assert!(rid.bytes().all(|b| b.is_ascii_hexdigit()));
}

#[tokio::test]
async fn list_keys_shape_filters_and_paging() {
    let emu = start().await;
    let a = emu
        .hw_json("POST", "list-keys", &json!({"key_spec": "ALL"}))
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_request_id(&a);
    let details = a.json["key_details"].as_array().expect("key_details");
    let ids = a.json["keys"].as_array().expect("keys");
    assert_eq!(ids.len(), details.len());
    assert_eq!(a.json["total"].as_u64(), Some(details.len() as u64));
    assert_eq!(a.json["truncated"], "false");
    assert_eq!(a.json["next_marker"], "");
    for d in details {
        let m = d.as_object().expect("object");
        assert!(m.values().all(Value::is_string), "all strings: {d}");
        assert!(["1", "2", "3", "4", "5"].contains(&d["key_state"].as_str().unwrap_or("")));
        assert_eq!(d["domain_id"], IDENTITY.domain_id);
    }
    assert!(
        details
            .iter()
            .any(|d| d["default_key_flag"] == "1" && d["key_alias"] == "kms/default")
    );
    assert!(
        details
            .iter()
            .any(|d| d["key_state"] == "4" && d["scheduled_deletion_date"] != "")
    );
    assert!(details.iter().any(|d| d["key_state"] == "3"));
    assert!(details.iter().filter(|d| d["key_state"] == "2").count() >= 3);

    let default_spec = emu.hw_json("POST", "list-keys", &json!({})).await;
    let aes: Vec<&Value> = details
        .iter()
        .filter(|d| d["key_spec"] == "AES_256")
        .collect();
    assert_eq!(
        default_spec.json["total"].as_u64(),
        Some(aes.len() as u64),
        "key_spec defaults to AES_256"
    );
    let doomed = emu
        .hw_json(
            "POST",
            "list-keys",
            &json!({"key_state": "4", "key_spec": "ALL"}),
        )
        .await;
    assert!(
        doomed.json["key_details"]
            .as_array()
            .expect("list")
            .iter()
            .all(|d| d["key_state"] == "4")
    );
    assert!(doomed.json["total"].as_u64() >= Some(1));
    let rsa = emu
        .hw_json("POST", "list-keys", &json!({"key_spec": "RSA_2048"}))
        .await;
    assert!(
        rsa.json["key_details"]
            .as_array()
            .expect("list")
            .iter()
            .all(|d| d["key_spec"] == "RSA_2048")
    );

    let mut walked = Vec::new();
    let mut marker = String::new();
    loop {
        let a = emu
            .hw_json(
                "POST",
                "list-keys",
                &json!({"key_spec": "ALL", "limit": "3", "marker": marker}),
            )
            .await;
        assert_eq!(a.status, 200, "{}", a.text);
        let page = a.json["keys"].as_array().expect("keys").clone();
        assert!(page.len() <= 3);
        walked.extend(page);
        if a.json["truncated"] == "false" {
            assert_eq!(a.json["next_marker"], "");
            break;
        }
        assert_eq!(a.json["truncated"], "true");
        marker = a.json["next_marker"]
            .as_str()
            .expect("next_marker")
            .to_string();
    }
    assert_eq!(&walked, ids, "paging walks every key once, in order");
    let numeric = emu
        .hw_json(
            "POST",
            "list-keys",
            &json!({"key_spec": "ALL", "limit": 2, "marker": 1}),
        )
        .await;
    assert_eq!(numeric.json["keys"], json!([ids[1], ids[2]]));

    for (body, code) in [
        (json!({"limit": "0"}), "KMS.1601"),
        (json!({"limit": "abc"}), "KMS.1601"),
        (json!({"limit": "1001"}), "KMS.1601"),
        (json!({"limit": true}), "KMS.1601"),
        (json!({"marker": "-1"}), "KMS.1602"),
        (json!({"marker": "x"}), "KMS.1602"),
        (json!({"key_state": "9"}), "KMS.0308"),
        (json!({"key_spec": "AES_999"}), "KMS.0308"),
        (json!({"sequence": "short"}), "KMS.0206"),
    ] {
        emu.hw_json("POST", "list-keys", &body)
            .await
            .assert_hw_error(400, code);
    }
    emu.hw("POST", "list-keys", Some("{not json"))
        .await
        .assert_hw_error(400, "KMS.0202");
}

#[tokio::test]
async fn create_key_rules() {
    let emu = start().await;
    let a = emu
        .hw_json(
            "POST",
            "create-key",
            &json!({"key_alias": "made-here", "key_description": "d"}),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_request_id(&a);
    let info = &a.json["key_info"];
    let id = info["key_id"].as_str().expect("key_id");
    assert!(emulator::is_uuid(id));
    assert_eq!(info["domain_id"], IDENTITY.domain_id);
    let listed = emu.hw_keys().await;
    let me = listed.iter().find(|k| k["key_id"] == id).expect("listed");
    assert_eq!(me["key_alias"], "made-here");
    assert_eq!(me["key_state"], "2");
    assert_eq!(me["key_spec"], "AES_256");
    assert_eq!(me["default_key_flag"], "0");
    assert_eq!(
        listed.last().map(|k| k["key_id"].clone()),
        Some(json!(id)),
        "creation order"
    );
    let ext = emu
        .hw_json(
            "POST",
            "create-key",
            &json!({"key_alias": "byok-2", "origin": "external"}),
        )
        .await;
    let ext_id = ext.json["key_info"]["key_id"].clone();
    let keys = emu.hw_keys().await;
    assert_eq!(
        keys.iter()
            .find(|k| k["key_id"] == ext_id)
            .map(|k| k["key_state"].clone()),
        Some(json!("5"))
    );
    let rsa = emu
        .hw_json(
            "POST",
            "create-key",
            &json!({"key_alias": "rsa-1", "key_spec": "RSA_2048"}),
        )
        .await;
    assert_eq!(rsa.status, 200);

    emu.hw_json("POST", "create-key", &json!({"key_alias": "made-here"}))
        .await
        .assert_hw_error(400, "KMS.1104");
    emu.hw_json("POST", "create-key", &json!({"key_alias": "seed-alias-a"}))
        .await
        .assert_hw_error(400, "KMS.1104");
    for bad in ["", "obs/default", "a b", "é", &"a".repeat(256)] {
        emu.hw_json("POST", "create-key", &json!({"key_alias": bad}))
            .await
            .assert_hw_error(400, "KMS.1101");
    }
    emu.hw_json("POST", "create-key", &json!({"key_alias": 5}))
        .await
        .assert_hw_error(400, "KMS.1101");
    emu.hw_json("POST", "create-key", &json!({}))
        .await
        .assert_hw_error(400, "KMS.0204");
    emu.hw_json("POST", "create-key", &json!({"key_alias": null}))
        .await
        .assert_hw_error(400, "KMS.0204");
    for (field, value) in [
        ("key_spec", json!("AES_999")),
        ("key_usage", json!("SIGN_VERIFY")),
        ("origin", json!("elsewhere")),
        ("key_description", json!("x".repeat(256))),
    ] {
        let mut body = json!({"key_alias": "fine-alias"});
        body[field] = value;
        emu.hw_json("POST", "create-key", &body)
            .await
            .assert_hw_error(400, "KMS.0308");
    }
    emu.hw_json(
        "POST",
        "create-key",
        &json!({"key_alias": "fine-alias", "sequence": "123"}),
    )
    .await
    .assert_hw_error(400, "KMS.0206");
    emu.hw("POST", "create-key", Some(""))
        .await
        .assert_hw_error(400, "KMS.0202");
    emu.hw("POST", "create-key", Some("[]"))
        .await
        .assert_hw_error(400, "KMS.0202");
}

#[tokio::test]
async fn create_alias_rules() {
    let emu = start().await;
    let key = new_key(&emu, "alias-owner").await;
    let a = emu
        .hw_json(
            "POST",
            "aliases",
            &json!({"key_id": key, "alias": "kms-1234"}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
    assert_request_id(&a);
    let fields: Vec<&String> = a.json.as_object().expect("object").keys().collect();
    assert_eq!(
        fields,
        [
            "domain_id",
            "key_id",
            "alias",
            "alias_urn",
            "create_time",
            "update_time"
        ]
    );
    assert_eq!(a.json["domain_id"], IDENTITY.domain_id);
    assert_eq!(a.json["key_id"], key.as_str());
    assert_eq!(a.json["alias"], "kms-1234");
    assert_eq!(
        a.json["alias_urn"],
        format!(
            "kms:{}:{}:alias:kms-1234",
            IDENTITY.huawei_region, IDENTITY.domain_id
        )
    );
    let time = regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$").expect("regex");
    assert!(time.is_match(a.json["create_time"].as_str().expect("create_time")));
    assert!(time.is_match(a.json["update_time"].as_str().expect("update_time")));
    assert_eq!(alias_names(&emu, &key).await, ["kms-1234"]);

    emu.hw_json(
        "POST",
        "aliases",
        &json!({"key_id": key, "alias": "kms-1234"}),
    )
    .await
    .assert_hw_error(400, "KMS.1104");
    emu.hw_json(
        "POST",
        "aliases",
        &json!({"key_id": key, "alias": "kms/default"}),
    )
    .await
    .assert_hw_error(400, "KMS.1101");
    emu.hw_json(
        "POST",
        "aliases",
        &json!({"key_id": key, "alias": "alias-owner"}),
    )
    .await
    .assert_hw_error(400, "KMS.1104");
    emu.hw_json("POST", "aliases", &json!({"key_id": key}))
        .await
        .assert_hw_error(400, "KMS.0204");
    emu.hw_json("POST", "aliases", &json!({"alias": "x-1"}))
        .await
        .assert_hw_error(400, "KMS.0204");
    for bad in [
        "BB6A3D22-DC93-47AC-B5BD-88DF7AD35F1E",
        "bb6a3d22",
        "",
        "bb6a3d22-dc93-47ac-b5bd-88df7ad35f1e0",
    ] {
        emu.hw_json("POST", "aliases", &json!({"key_id": bad, "alias": "x-1"}))
            .await
            .assert_hw_error(400, "KMS.0205");
    }
    emu.hw_json("POST", "aliases", &json!({"key_id": 7, "alias": "x-1"}))
        .await
        .assert_hw_error(400, "KMS.0205");
    emu.hw_json(
        "POST",
        "aliases",
        &json!({"key_id": UNKNOWN_KEY, "alias": "x-1"}),
    )
    .await
    .assert_hw_error(404, "KMS.0207");
    for bad in ["", "a b", "x/default", "ü", &"a".repeat(256)] {
        emu.hw_json("POST", "aliases", &json!({"key_id": key, "alias": bad}))
            .await
            .assert_hw_error(400, "KMS.1101");
    }
    let doomed = emu.hw_key_where(|k| k["key_state"] == "4").await;
    emu.hw_json(
        "POST",
        "aliases",
        &json!({"key_id": doomed, "alias": "late"}),
    )
    .await
    .assert_hw_error(400, "KMS.0210");
    emu.hw("POST", "aliases", Some("{\"key_id\": "))
        .await
        .assert_hw_error(400, "KMS.0202");
    emu.hw("POST", "aliases", Some("\"text\""))
        .await
        .assert_hw_error(400, "KMS.0202");
    let max = "a".repeat(255);
    let ok = emu
        .hw_json("POST", "aliases", &json!({"key_id": key, "alias": max}))
        .await;
    assert_eq!(ok.status, 201, "255 characters");
}

#[tokio::test]
async fn update_key_alias_rules() {
    let emu = start().await;
    let key = new_key(&emu, "before-rename").await;
    let a = emu
        .hw_json(
            "POST",
            "update-key-alias",
            &json!({"key_id": key, "key_alias": "after-rename"}),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_request_id(&a);
    assert_eq!(
        a.json,
        json!({"key_info": {"key_id": key, "key_alias": "after-rename"}})
    );
    let listed = emu.hw_keys().await;
    assert_eq!(
        listed
            .iter()
            .find(|k| k["key_id"] == key.as_str())
            .map(|k| k["key_alias"].clone()),
        Some(json!("after-rename"))
    );
    let same = emu
        .hw_json(
            "POST",
            "update-key-alias",
            &json!({"key_id": key, "key_alias": "after-rename"}),
        )
        .await;
    assert_eq!(same.status, 200, "renaming to the current alias is a no-op");
    let freed = new_key(&emu, "before-rename").await;
    assert!(!freed.is_empty(), "the old alias is free again");
    let seq = emu
        .hw_json(
            "POST",
            "update-key-alias",
            &json!({"key_id": key, "key_alias": "with-seq", "sequence": "919c82d4-8046-4722-9094-35c3c6524cff"}),
        )
        .await;
    assert_eq!(seq.status, 200);

    let default = emu.hw_key_where(|k| k["default_key_flag"] == "1").await;
    emu.hw_json(
        "POST",
        "update-key-alias",
        &json!({"key_id": default, "key_alias": "x-1"}),
    )
    .await
    .assert_hw_error(400, "KMS.0211");
    let doomed = emu.hw_key_where(|k| k["key_state"] == "4").await;
    emu.hw_json(
        "POST",
        "update-key-alias",
        &json!({"key_id": doomed, "key_alias": "x-1"}),
    )
    .await
    .assert_hw_error(400, "KMS.0210");
    emu.hw_json(
        "POST",
        "update-key-alias",
        &json!({"key_id": key, "key_alias": "seed-app-1"}),
    )
    .await
    .assert_hw_error(400, "KMS.1104");
    emu.hw_json(
        "POST",
        "update-key-alias",
        &json!({"key_id": key, "key_alias": "seed-alias-a"}),
    )
    .await
    .assert_hw_error(400, "KMS.1104");
    for bad in ["mine/default", "", "has space", "tab\t", &"z".repeat(256)] {
        emu.hw_json(
            "POST",
            "update-key-alias",
            &json!({"key_id": key, "key_alias": bad}),
        )
        .await
        .assert_hw_error(400, "KMS.1101");
    }
    emu.hw_json(
        "POST",
        "update-key-alias",
        &json!({"key_id": key, "key_alias": "ok-1", "sequence": "x"}),
    )
    .await
    .assert_hw_error(400, "KMS.0206");
    emu.hw_json(
        "POST",
        "update-key-alias",
        &json!({"key_id": UNKNOWN_KEY, "key_alias": "ok-1"}),
    )
    .await
    .assert_hw_error(404, "KMS.0207");
    emu.hw_json(
        "POST",
        "update-key-alias",
        &json!({"key_id": "nope", "key_alias": "ok-1"}),
    )
    .await
    .assert_hw_error(400, "KMS.0205");
    emu.hw_json("POST", "update-key-alias", &json!({"key_alias": "ok-1"}))
        .await
        .assert_hw_error(400, "KMS.0204");
    emu.hw_json("POST", "update-key-alias", &json!({"key_id": key}))
        .await
        .assert_hw_error(400, "KMS.0204");
    emu.hw("POST", "update-key-alias", Some("nope"))
        .await
        .assert_hw_error(400, "KMS.0202");
}

#[tokio::test]
async fn list_aliases_shape_filter_and_paging() {
    let emu = start().await;
    let all = emu.hw("GET", "aliases", None).await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert_request_id(&all);
    let page = all.json.as_object().expect("one JSON object (H13)");
    assert_eq!(page.len(), 2, "{}", all.text);
    let aliases = page["aliases"].as_array().expect("aliases");
    assert!(aliases.len() >= 4);
    assert_eq!(
        page["page_info"]["current_count"].as_u64(),
        Some(aliases.len() as u64)
    );
    assert_eq!(page["page_info"]["next_marker"], "");
    for a in aliases {
        let m = a.as_object().expect("entity");
        assert_eq!(m.len(), 6);
        assert_eq!(
            a["alias_urn"],
            IDENTITY.alias_urn(a["alias"].as_str().expect("alias"))
        );
    }
    let path = emulator::hw_path("aliases");
    let first = emu.hw_raw("GET", &format!("{path}?limit=2"), None).await;
    assert_eq!(first.json["aliases"].as_array().map(Vec::len), Some(2));
    assert_eq!(first.json["page_info"]["next_marker"], "2");
    let second = emu
        .hw_raw("GET", &format!("{path}?limit=2&marker=2"), None)
        .await;
    assert_eq!(second.json["aliases"][0], aliases[2]);
    let owner = aliases[0]["key_id"].as_str().expect("key_id");
    let filtered = alias_names(&emu, owner).await;
    assert!(!filtered.is_empty());
    assert!(filtered.len() < aliases.len());
    let plain_key = new_key(&emu, "no-aliases").await;
    assert!(alias_names(&emu, &plain_key).await.is_empty());
    emu.hw_raw("GET", &format!("{path}?limit=0"), None)
        .await
        .assert_hw_error(400, "KMS.1601");
    emu.hw_raw("GET", &format!("{path}?limit=x"), None)
        .await
        .assert_hw_error(400, "KMS.1601");
    emu.hw_raw("GET", &format!("{path}?marker=-3"), None)
        .await
        .assert_hw_error(400, "KMS.1602");
    emu.hw_raw("GET", &format!("{path}?key_id=BAD"), None)
        .await
        .assert_hw_error(400, "KMS.0205");
    emu.hw_raw("GET", &format!("{path}?key_id={UNKNOWN_KEY}"), None)
        .await
        .assert_hw_error(404, "KMS.0207");
}

#[tokio::test]
async fn delete_alias_rules() {
    let emu = start().await;
    let key = new_key(&emu, "deleting").await;
    for name in ["d-1", "d-2", "d-3"] {
        let a = emu
            .hw_json("POST", "aliases", &json!({"key_id": key, "alias": name}))
            .await;
        assert_eq!(a.status, 201);
    }
    let a = emu
        .hw_json(
            "DELETE",
            "aliases",
            &json!({"key_id": key, "aliases": ["d-1", "d-3"]}),
        )
        .await;
    assert_eq!(a.status, 204, "{}", a.text);
    assert!(a.text.is_empty(), "204 has no body");
    assert_request_id(&a);
    assert_eq!(alias_names(&emu, &key).await, ["d-2"]);
    emu.hw_json(
        "DELETE",
        "aliases",
        &json!({"key_id": key, "aliases": ["d-2", "d-1"]}),
    )
    .await
    .assert_hw_error(400, "KMS.0308");
    assert_eq!(alias_names(&emu, &key).await, ["d-2"], "all or nothing");
    let other = emu.hw_key_where(|k| k["key_alias"] == "seed-app-1").await;
    emu.hw_json(
        "DELETE",
        "aliases",
        &json!({"key_id": key, "aliases": ["seed-alias-a"]}),
    )
    .await
    .assert_hw_error(400, "KMS.0308");
    assert!(
        alias_names(&emu, &other)
            .await
            .contains(&"seed-alias-a".to_string())
    );
    emu.hw_json("DELETE", "aliases", &json!({"key_id": key}))
        .await
        .assert_hw_error(400, "KMS.0204");
    emu.hw_json("DELETE", "aliases", &json!({"key_id": key, "aliases": []}))
        .await
        .assert_hw_error(400, "KMS.0204");
    emu.hw_json(
        "DELETE",
        "aliases",
        &json!({"key_id": key, "aliases": "d-2"}),
    )
    .await
    .assert_hw_error(400, "KMS.0308");
    emu.hw_json("DELETE", "aliases", &json!({"key_id": key, "aliases": [3]}))
        .await
        .assert_hw_error(400, "KMS.0308");
    emu.hw_json("DELETE", "aliases", &json!({"aliases": ["d-2"]}))
        .await
        .assert_hw_error(400, "KMS.0204");
    emu.hw_json(
        "DELETE",
        "aliases",
        &json!({"key_id": "X", "aliases": ["d-2"]}),
    )
    .await
    .assert_hw_error(400, "KMS.0205");
    emu.hw_json(
        "DELETE",
        "aliases",
        &json!({"key_id": UNKNOWN_KEY, "aliases": ["d-2"]}),
    )
    .await
    .assert_hw_error(404, "KMS.0207");
    emu.hw("DELETE", "aliases", None)
        .await
        .assert_hw_error(400, "KMS.0202");
    let reuse = emu
        .hw_json("POST", "aliases", &json!({"key_id": other, "alias": "d-1"}))
        .await;
    assert_eq!(reuse.status, 201, "a deleted alias can be reused");
}

#[tokio::test]
async fn routing_project_and_methods() {
    let emu = start().await;
    let wrong = emu
        .hw_raw(
            "POST",
            "/v1.0/ffffffffffffffffffffffffffffffff/kms/list-keys",
            Some("{}"),
        )
        .await;
    wrong.assert_hw_error(400, "KMS.0201");
    emu.hw("POST", "no-such-op", Some("{}"))
        .await
        .assert_hw_error(400, "KMS.0201");
    emu.hw_raw("GET", "/v1.0/", None)
        .await
        .assert_hw_error(400, "KMS.0201");
    emu.hw_raw(
        "GET",
        &format!("/v1.0/{}/kms/aliases/extra", IDENTITY.project_id),
        None,
    )
    .await
    .assert_hw_error(400, "KMS.0201");
    let slash = emu
        .hw_raw("GET", &format!("{}/", emulator::hw_path("aliases")), None)
        .await;
    assert_eq!(slash.status, 200, "a trailing slash is accepted");
    emu.hw("GET", "list-keys", None)
        .await
        .assert_hw_error(405, "KMS.0215");
    emu.hw("PUT", "aliases", Some("{}"))
        .await
        .assert_hw_error(405, "KMS.0215");
    emu.hw("GET", "create-key", None)
        .await
        .assert_hw_error(405, "KMS.0215");
    emu.hw("DELETE", "update-key-alias", None)
        .await
        .assert_hw_error(405, "KMS.0215");
    let big = format!(
        "{{\"key_alias\": \"{}\"}}",
        "a".repeat(specgate::emulator::MAX_BODY_BYTES)
    );
    emu.hw("POST", "create-key", Some(&big))
        .await
        .assert_hw_error(400, "KMS.0203");
}

#[tokio::test]
async fn hostile_bodies_never_break_the_server() {
    let emu = start().await;
    let bodies = [
        "null",
        "{}",
        "{\"key_id\": {}}",
        "{\"key_id\": [], \"alias\": {}}",
        "{\"limit\": 1e400}",
        "{\"limit\": -9223372036854775809}",
        "{\"marker\": 18446744073709551616}",
        "{\"aliases\": [null]}",
        "\u{0}",
        "{\"key_alias\": \"\\u0000\"}",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    ];
    for op in ["aliases", "update-key-alias", "create-key", "list-keys"] {
        for method in ["POST", "DELETE", "GET"] {
            for body in bodies {
                let a = emu.hw(method, op, Some(body)).await;
                assert!(a.status < 500, "{method} {op} {body}: {}", a.text);
                if a.status != 204 {
                    assert!(!a.json.is_null(), "{method} {op} {body}: {}", a.text);
                }
            }
        }
    }
}
