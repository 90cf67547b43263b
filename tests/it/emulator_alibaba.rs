//! The Alibaba Cloud KMS emulator over real HTTP: every operation, validation rule and error.

use crate::support::emulator;

use crate::support::emulator::{Emu, is_uuid, start};
use serde_json::Value;
use specgate::emulator::IDENTITY;

fn keys(a: &emulator::Answer) -> Vec<String> {
    a.json["Keys"]["Key"]
        .as_array()
        .map(|v| {
            v.iter()
                .filter_map(|k| k["KeyId"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn list_keys_default_page_has_the_wire_shape() {
    let emu = start().await;
    let a = emu.ali(&[("Action", "ListKeys")]).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert!(a.header("content-type").starts_with("application/json"));
    let items = a.json["Keys"]["Key"].as_array().expect("Keys.Key[]");
    assert_eq!(items.len(), 10);
    assert_eq!(a.json["PageNumber"], 1);
    assert_eq!(a.json["PageSize"], 10);
    assert!(a.json["TotalCount"].as_u64().expect("int") >= 20);
    let rid = a.json["RequestId"].as_str().expect("RequestId");
    assert!(is_uuid(rid));
    assert_eq!(a.header("x-acs-request-id"), rid);
    for k in items {
        let id = k["KeyId"].as_str().expect("KeyId");
        assert_eq!(k["KeyArn"], IDENTITY.key_arn(id));
        assert_eq!(k.as_object().map(|m| m.len()), Some(2));
    }
    let b = emu.ali(&[("Action", "ListKeys")]).await;
    assert_ne!(
        b.json["RequestId"], a.json["RequestId"],
        "a fresh RequestId per response"
    );
    assert_eq!(keys(&a), keys(&b), "stable order");
}

#[tokio::test]
async fn list_keys_walks_every_page_exactly_once() {
    let emu = start().await;
    let total = emu.ali(&[("Action", "ListKeys")]).await.json["TotalCount"]
        .as_u64()
        .expect("TotalCount") as usize;
    let mut seen = Vec::new();
    for page in 1.. {
        let p = page.to_string();
        let a = emu
            .ali(&[
                ("Action", "ListKeys"),
                ("PageSize", "7"),
                ("PageNumber", &p),
            ])
            .await;
        assert_eq!(a.status, 200);
        assert_eq!(a.json["TotalCount"].as_u64(), Some(total as u64));
        assert_eq!(a.json["PageNumber"], page);
        let ids = keys(&a);
        if ids.is_empty() {
            break;
        }
        assert!(ids.len() <= 7);
        seen.extend(ids);
    }
    assert_eq!(seen.len(), total);
    let mut dedup = seen.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), total);
    let far = emu
        .ali(&[("Action", "ListKeys"), ("PageNumber", "999")])
        .await;
    assert_eq!(far.status, 200);
    assert_eq!(far.json["Keys"]["Key"], Value::Array(vec![]));
    assert_eq!(far.json["TotalCount"].as_u64(), Some(total as u64));
}

#[tokio::test]
async fn list_keys_page_size_and_number_bounds() {
    let emu = start().await;
    for ok in ["1", "100", "50"] {
        let a = emu.ali(&[("Action", "ListKeys"), ("PageSize", ok)]).await;
        assert_eq!(a.status, 200, "PageSize {ok}");
        assert_eq!(a.json["PageSize"].to_string(), ok);
    }
    for bad in [
        "0",
        "101",
        "-1",
        "abc",
        "1.5",
        "+5",
        " 5",
        "99999999999999999999",
    ] {
        emu.ali(&[("Action", "ListKeys"), ("PageSize", bad)])
            .await
            .assert_ali_error(400, "InvalidParameter");
    }
    for bad in ["0", "-1", "abc", "1.0"] {
        emu.ali(&[("Action", "ListKeys"), ("PageNumber", bad)])
            .await
            .assert_ali_error(400, "InvalidParameter");
    }
}

#[tokio::test]
async fn list_keys_filters_and_or_semantics() {
    let emu = start().await;
    let all = emu
        .ali(&[("Action", "ListKeys"), ("PageSize", "100")])
        .await;
    let all_ids = keys(&all);
    let mut by_state = std::collections::HashMap::new();
    for id in &all_ids {
        let d = emu.ali(&[("Action", "DescribeKey"), ("KeyId", id)]).await;
        by_state.insert(id.clone(), d.json["KeyMetadata"].clone());
    }
    let example = r#"[{"Key":"KeyState","Values":["Enabled","Disabled"]},{"Key":"KeyState","Values":["PendingDeletion"]},{"Key":"KeySpec","Values":["Aliyun_AES_256"]}]"#;
    let a = emu
        .ali(&[
            ("Action", "ListKeys"),
            ("PageSize", "100"),
            ("Filters", example),
        ])
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    let expected: Vec<String> = all_ids
        .iter()
        .filter(|id| {
            let md = &by_state[*id];
            md["KeySpec"] == "Aliyun_AES_256" && md["KeyState"] != "PendingImport"
        })
        .cloned()
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(keys(&a), expected);
    assert_eq!(a.json["TotalCount"].as_u64(), Some(expected.len() as u64));
    for (key, value) in [
        ("KeyState", "PendingImport"),
        ("KeyUsage", "SIGN/VERIFY"),
        ("ProtectionLevel", "HSM"),
        ("CreatorType", "Service"),
    ] {
        let f = format!(r#"[{{"Key":"{key}","Values":["{value}"]}}]"#);
        let a = emu
            .ali(&[("Action", "ListKeys"), ("PageSize", "100"), ("Filters", &f)])
            .await;
        assert_eq!(a.status, 200);
        let ids = keys(&a);
        assert!(!ids.is_empty(), "{key}={value}");
        if key != "CreatorType" {
            assert!(
                ids.iter().all(|id| by_state[id][key] == value),
                "{key}={value}"
            );
        }
    }
    let ten_values = format!(
        r#"[{{"Key":"KeyState","Values":[{}]}}]"#,
        ["\"Enabled\""; 10].join(",")
    );
    let a = emu
        .ali(&[("Action", "ListKeys"), ("Filters", &ten_values)])
        .await;
    assert_eq!(a.status, 200);
    let eleven_values = format!(
        r#"[{{"Key":"KeyState","Values":[{}]}}]"#,
        ["\"Enabled\""; 11].join(",")
    );
    let eleven_pairs = format!(
        "[{}]",
        [r#"{"Key":"KeyState","Values":["Enabled"]}"#; 11].join(",")
    );
    for bad in [
        "not json",
        "{}",
        r#"{"Key":"KeyState","Values":["Enabled"]}"#,
        r#"[{"Key":"Colour","Values":["Red"]}]"#,
        r#"[{"Key":"KeyState","Values":"Enabled"}]"#,
        r#"[{"Values":["Enabled"]}]"#,
        eleven_values.as_str(),
        eleven_pairs.as_str(),
    ] {
        emu.ali(&[("Action", "ListKeys"), ("Filters", bad)])
            .await
            .assert_ali_error(400, "InvalidParameter");
    }
}

#[tokio::test]
async fn list_aliases_by_key_id() {
    let emu = start().await;
    let key = emu.first_ali_key().await;
    let a = emu
        .ali(&[
            ("Action", "ListAliasesByKeyId"),
            ("KeyId", &key),
            ("PageSize", "101"),
        ])
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    let aliases = a.json["Aliases"]["Alias"]
        .as_array()
        .expect("Aliases.Alias[]");
    assert!(aliases.len() > 10);
    assert_eq!(a.json["TotalCount"].as_u64(), Some(aliases.len() as u64));
    for al in aliases {
        let name = al["AliasName"].as_str().expect("AliasName");
        assert!(name.starts_with("alias/"));
        assert_eq!(al["KeyId"], key.as_str());
        assert_eq!(al["AliasArn"], IDENTITY.alias_arn(name));
    }
    let zero = emu
        .ali(&[
            ("Action", "ListAliasesByKeyId"),
            ("KeyId", &key),
            ("PageSize", "0"),
        ])
        .await;
    assert_eq!(zero.status, 200);
    assert_eq!(zero.json["PageSize"], 0);
    assert_eq!(zero.json["Aliases"]["Alias"], Value::Array(vec![]));
    assert_eq!(zero.json["TotalCount"], a.json["TotalCount"]);
    let page2 = emu
        .ali(&[
            ("Action", "ListAliasesByKeyId"),
            ("KeyId", &key),
            ("PageSize", "5"),
            ("PageNumber", "2"),
        ])
        .await;
    assert_eq!(page2.json["Aliases"]["Alias"][0], aliases[5]);
    let by_arn = emu
        .ali(&[
            ("Action", "ListAliasesByKeyId"),
            ("KeyId", &IDENTITY.key_arn(&key)),
        ])
        .await;
    assert_eq!(by_arn.status, 200);
    assert_eq!(by_arn.json["TotalCount"], a.json["TotalCount"]);
    for bad in ["102", "-1", "abc"] {
        emu.ali(&[
            ("Action", "ListAliasesByKeyId"),
            ("KeyId", &key),
            ("PageSize", bad),
        ])
        .await
        .assert_ali_error(400, "InvalidParameter");
    }
    emu.ali(&[
        ("Action", "ListAliasesByKeyId"),
        ("KeyId", &key),
        ("PageNumber", "0"),
    ])
    .await
    .assert_ali_error(400, "InvalidParameter");
    emu.ali(&[("Action", "ListAliasesByKeyId")])
        .await
        .assert_ali_error(400, "MissingParameter");
    emu.ali(&[("Action", "ListAliasesByKeyId"), ("KeyId", "")])
        .await
        .assert_ali_error(400, "MissingParameter");
    emu.ali(&[
        ("Action", "ListAliasesByKeyId"),
        ("KeyId", "00000000-0000-4000-8000-000000000000"),
    ])
    .await
    .assert_ali_error(404, "Forbidden.KeyNotFound");
    emu.ali(&[
        ("Action", "ListAliasesByKeyId"),
        ("KeyId", "alias/seed/primary-01"),
    ])
    .await
    .assert_ali_error(400, "Unsupported.Alias");
}

#[tokio::test]
async fn list_key_versions_by_id_arn_and_alias() {
    let emu = start().await;
    let key = emu.first_ali_key().await;
    let a = emu
        .ali(&[
            ("Action", "ListKeyVersions"),
            ("KeyId", &key),
            ("PageSize", "101"),
        ])
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    let versions = a.json["KeyVersions"]["KeyVersion"]
        .as_array()
        .expect("KeyVersions.KeyVersion[]");
    assert!(versions.len() > 10);
    assert_eq!(a.json["PageNumber"], 1, "PageNumber defaults to 1 (A5)");
    let date = regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$").expect("regex");
    for v in versions {
        assert_eq!(v["KeyId"], key.as_str());
        assert!(is_uuid(v["KeyVersionId"].as_str().expect("KeyVersionId")));
        assert!(date.is_match(v["CreationDate"].as_str().expect("CreationDate")));
    }
    let by_alias = emu
        .ali(&[
            ("Action", "ListKeyVersions"),
            ("KeyId", "alias/seed/primary-01"),
            ("PageSize", "101"),
        ])
        .await;
    assert_eq!(
        by_alias.json["KeyVersions"], a.json["KeyVersions"],
        "the alias resolves"
    );
    let by_arn = emu
        .ali(&[
            ("Action", "ListKeyVersions"),
            ("KeyId", &IDENTITY.key_arn(&key)),
            ("PageSize", "101"),
        ])
        .await;
    assert_eq!(by_arn.json["KeyVersions"], a.json["KeyVersions"]);
    let alias_arn = IDENTITY.alias_arn("alias/seed/primary-01");
    let by_alias_arn = emu
        .ali(&[
            ("Action", "ListKeyVersions"),
            ("KeyId", &alias_arn),
            ("PageSize", "101"),
        ])
        .await;
    assert_eq!(by_alias_arn.json["KeyVersions"], a.json["KeyVersions"]);
    let zero = emu
        .ali(&[
            ("Action", "ListKeyVersions"),
            ("KeyId", &key),
            ("PageSize", "0"),
        ])
        .await;
    assert_eq!(zero.status, 200);
    assert_eq!(zero.json["KeyVersions"]["KeyVersion"], Value::Array(vec![]));
    for bad in ["102", "-1", "abc"] {
        emu.ali(&[
            ("Action", "ListKeyVersions"),
            ("KeyId", &key),
            ("PageSize", bad),
        ])
        .await
        .assert_ali_error(400, "InvalidParameter");
    }
    emu.ali(&[("Action", "ListKeyVersions")])
        .await
        .assert_ali_error(400, "MissingParameter");
    emu.ali(&[("Action", "ListKeyVersions"), ("KeyId", "no-such-key")])
        .await
        .assert_ali_error(404, "Forbidden.KeyNotFound");
    emu.ali(&[
        ("Action", "ListKeyVersions"),
        ("KeyId", "acs:kms:cn-beijing:1:key/x"),
    ])
    .await
    .assert_ali_error(404, "Forbidden.KeyNotFound");
    emu.ali(&[
        ("Action", "ListKeyVersions"),
        ("KeyId", "alias/no-such-alias"),
    ])
    .await
    .assert_ali_error(404, "Forbidden.AliasNotFound");
}

#[tokio::test]
async fn describe_key_returns_all_string_metadata() {
    let emu = start().await;
    let key = emu.first_ali_key().await;
    let a = emu.ali(&[("Action", "DescribeKey"), ("KeyId", &key)]).await;
    assert_eq!(a.status, 200, "{}", a.text);
    let md = a.json["KeyMetadata"].as_object().expect("KeyMetadata");
    for field in [
        "CreationDate",
        "Description",
        "KeyId",
        "KeySpec",
        "KeyState",
        "KeyUsage",
        "PrimaryKeyVersion",
        "DeleteDate",
        "Creator",
        "Arn",
        "Origin",
        "MaterialExpireTime",
        "ProtectionLevel",
        "LastRotationDate",
        "AutomaticRotation",
        "DeletionProtection",
        "DeletionProtectionDescription",
    ] {
        assert!(
            md.get(field).is_some_and(Value::is_string),
            "{field} in {}",
            a.text
        );
    }
    assert!(md.values().all(Value::is_string), "every field is a string");
    assert_eq!(md["Arn"], IDENTITY.key_arn(&key));
    assert_eq!(md["Creator"], IDENTITY.account);
    let by_alias = emu
        .ali(&[
            ("Action", "DescribeKey"),
            ("KeyId", "alias/seed/primary-02"),
        ])
        .await;
    assert_eq!(by_alias.json["KeyMetadata"]["KeyId"], key.as_str());
    emu.ali(&[("Action", "DescribeKey")])
        .await
        .assert_ali_error(400, "MissingParameter");
    emu.ali(&[
        ("Action", "DescribeKey"),
        ("KeyId", "00000000-0000-4000-8000-000000000000"),
    ])
    .await
    .assert_ali_error(404, "Forbidden.KeyNotFound");
    let doomed = emu
        .ali(&[("Action", "DescribeKey"), ("KeyId", "alias/seed/doomed")])
        .await;
    assert_eq!(doomed.json["KeyMetadata"]["KeyState"], "PendingDeletion");
    assert_ne!(doomed.json["KeyMetadata"]["DeleteDate"], "");
}

#[tokio::test]
async fn create_key_defaults_validation_and_listing() {
    let emu = start().await;
    let before = emu.ali(&[("Action", "ListKeys")]).await.json["TotalCount"].clone();
    let a = emu
        .ali(&[("Action", "CreateKey"), ("Description", "made here")])
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    let md = &a.json["KeyMetadata"];
    let id = md["KeyId"].as_str().expect("KeyId").to_string();
    assert!(is_uuid(&id));
    assert_eq!(md["KeySpec"], "Aliyun_AES_256");
    assert_eq!(md["KeyUsage"], "ENCRYPT/DECRYPT");
    assert_eq!(md["KeyState"], "Enabled");
    assert_eq!(md["Origin"], "Aliyun_KMS");
    assert_eq!(md["ProtectionLevel"], "SOFTWARE");
    assert_eq!(md["Description"], "made here");
    assert_eq!(md["AutomaticRotation"], "Disabled");
    assert!(
        md.as_object()
            .expect("object")
            .values()
            .all(Value::is_string)
    );
    assert!(
        md.get("DeletionProtection").is_none(),
        "CreateKey omits DeletionProtection"
    );
    let after = emu
        .ali(&[("Action", "ListKeys"), ("PageSize", "100")])
        .await;
    assert_eq!(
        after.json["TotalCount"].as_u64(),
        before.as_u64().map(|n| n + 1)
    );
    assert_eq!(keys(&after).last(), Some(&id), "creation order");
    let described = emu.ali(&[("Action", "DescribeKey"), ("KeyId", &id)]).await;
    assert_eq!(
        described.json["KeyMetadata"]["PrimaryKeyVersion"],
        md["PrimaryKeyVersion"]
    );
    let versions = emu
        .ali(&[("Action", "ListKeyVersions"), ("KeyId", &id)])
        .await;
    assert_eq!(versions.json["TotalCount"], 1);

    let ext = emu
        .ali(&[("Action", "CreateKey"), ("Origin", "EXTERNAL")])
        .await;
    assert_eq!(ext.json["KeyMetadata"]["KeyState"], "PendingImport");
    let ec = emu
        .ali(&[("Action", "CreateKey"), ("KeySpec", "EC_P256")])
        .await;
    assert_eq!(ec.json["KeyMetadata"]["KeyUsage"], "SIGN/VERIFY");
    let rsa = emu
        .ali(&[
            ("Action", "CreateKey"),
            ("KeySpec", "RSA_2048"),
            ("KeyUsage", "SIGN/VERIFY"),
            ("ProtectionLevel", "HSM"),
        ])
        .await;
    assert_eq!(rsa.status, 200);
    let rot = emu
        .ali(&[
            ("Action", "CreateKey"),
            ("EnableAutomaticRotation", "true"),
            ("RotationInterval", "604800s"),
        ])
        .await;
    assert_eq!(rot.json["KeyMetadata"]["AutomaticRotation"], "Enabled");
    assert_eq!(rot.json["KeyMetadata"]["RotationInterval"], "604800s");
    for (name, value) in [
        ("KeySpec", "AES_999"),
        ("KeyUsage", "SIGN/VERIFY"),
        ("Origin", "Elsewhere"),
        ("ProtectionLevel", "CLOUD"),
        ("EnableAutomaticRotation", "maybe"),
        ("RotationInterval", "1s"),
    ] {
        emu.ali(&[("Action", "CreateKey"), (name, value)])
            .await
            .assert_ali_error(400, "InvalidParameter");
    }
    emu.ali(&[
        ("Action", "CreateKey"),
        ("KeySpec", "RSA_2048"),
        ("Origin", "EXTERNAL"),
    ])
    .await
    .assert_ali_error(400, "InvalidParameter");
    let long = "d".repeat(8193);
    emu.ali_form(&[("Action", "CreateKey"), ("Description", &long)])
        .await
        .assert_ali_error(400, "InvalidParameter");
}

#[tokio::test]
async fn create_and_delete_alias() {
    let emu = start().await;
    let key = emu.ali(&[("Action", "CreateKey")]).await.json["KeyMetadata"]["KeyId"]
        .as_str()
        .expect("KeyId")
        .to_string();
    let a = emu
        .ali(&[
            ("Action", "CreateAlias"),
            ("AliasName", "alias/new-one"),
            ("KeyId", &key),
        ])
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    let fields: Vec<&String> = a.json.as_object().expect("object").keys().collect();
    assert_eq!(fields, ["RequestId"]);
    let by_arn = emu
        .ali(&[
            ("Action", "CreateAlias"),
            ("AliasName", "alias/by_arn/x-1"),
            ("KeyId", &IDENTITY.key_arn(&key)),
        ])
        .await;
    assert_eq!(by_arn.status, 200, "{}", by_arn.text);
    let listed = emu
        .ali(&[("Action", "ListAliasesByKeyId"), ("KeyId", &key)])
        .await;
    let names: Vec<&str> = listed.json["Aliases"]["Alias"]
        .as_array()
        .expect("aliases")
        .iter()
        .filter_map(|a| a["AliasName"].as_str())
        .collect();
    assert_eq!(names, ["alias/new-one", "alias/by_arn/x-1"]);
    let described = emu
        .ali(&[("Action", "DescribeKey"), ("KeyId", "alias/new-one")])
        .await;
    assert_eq!(described.json["KeyMetadata"]["KeyId"], key.as_str());

    emu.ali(&[
        ("Action", "CreateAlias"),
        ("AliasName", "alias/new-one"),
        ("KeyId", &key),
    ])
    .await
    .assert_ali_error(400, "AliasAlreadyExists");
    let other = emu.first_ali_key().await;
    emu.ali(&[
        ("Action", "CreateAlias"),
        ("AliasName", "alias/new-one"),
        ("KeyId", &other),
    ])
    .await
    .assert_ali_error(400, "AliasAlreadyExists");
    let long_ok = format!("alias/{}", "a".repeat(255));
    let ok = emu
        .ali(&[
            ("Action", "CreateAlias"),
            ("AliasName", &long_ok),
            ("KeyId", &key),
        ])
        .await;
    assert_eq!(ok.status, 200, "255 characters after the prefix");
    let too_long = format!("alias/{}", "a".repeat(256));
    for bad in [
        "no-prefix",
        "alias/",
        "alias/a b",
        "alias/a.b",
        "alias/é",
        "alias/acs/ecs",
        "ALIAS/x",
        too_long.as_str(),
    ] {
        emu.ali(&[
            ("Action", "CreateAlias"),
            ("AliasName", bad),
            ("KeyId", &key),
        ])
        .await
        .assert_ali_error(400, "InvalidParameter");
    }
    emu.ali(&[("Action", "CreateAlias"), ("KeyId", &key)])
        .await
        .assert_ali_error(400, "MissingParameter");
    emu.ali(&[("Action", "CreateAlias"), ("AliasName", "alias/x")])
        .await
        .assert_ali_error(400, "MissingParameter");
    emu.ali(&[
        ("Action", "CreateAlias"),
        ("AliasName", "alias/x"),
        ("KeyId", "00000000-0000-4000-8000-000000000000"),
    ])
    .await
    .assert_ali_error(404, "Forbidden.KeyNotFound");

    let d = emu
        .ali(&[("Action", "DeleteAlias"), ("AliasName", "alias/new-one")])
        .await;
    assert_eq!(d.status, 200, "{}", d.text);
    let fields: Vec<&String> = d.json.as_object().expect("object").keys().collect();
    assert_eq!(fields, ["RequestId"]);
    emu.ali(&[("Action", "DeleteAlias"), ("AliasName", "alias/new-one")])
        .await
        .assert_ali_error(404, "Forbidden.AliasNotFound");
    emu.ali(&[("Action", "DescribeKey"), ("KeyId", "alias/new-one")])
        .await
        .assert_ali_error(404, "Forbidden.AliasNotFound");
    emu.ali(&[("Action", "DeleteAlias")])
        .await
        .assert_ali_error(400, "MissingParameter");
    emu.ali(&[("Action", "DeleteAlias"), ("AliasName", "not-an-alias")])
        .await
        .assert_ali_error(400, "InvalidParameter");
    let again = emu
        .ali(&[
            ("Action", "CreateAlias"),
            ("AliasName", "alias/new-one"),
            ("KeyId", &other),
        ])
        .await;
    assert_eq!(again.status, 200, "a deleted name can be reused");
}

#[tokio::test]
async fn action_from_header_params_from_form_and_methods() {
    let emu = start().await;
    let url = format!("{}/?PageSize=3", emu.handle.base_url());
    let v3_style = emu
        .send(
            emu.client
                .post(&url)
                .header("x-acs-action", "ListKeys")
                .header("x-acs-version", "2016-01-20"),
        )
        .await;
    assert_eq!(v3_style.status, 200, "{}", v3_style.text);
    assert_eq!(v3_style.json["PageSize"], 3);
    let form = emu
        .ali_form(&[("Action", "ListKeys"), ("PageSize", "4")])
        .await;
    assert_eq!(form.status, 200);
    assert_eq!(form.json["PageSize"], 4);
    let mixed = emu
        .send(
            emu.client
                .post(format!("{}/?Action=ListKeyVersions", emu.handle.base_url()))
                .header("content-type", "application/x-www-form-urlencoded")
                .body("KeyId=alias%2Fseed%2Fprimary-01&PageSize=2"),
        )
        .await;
    assert_eq!(mixed.status, 200, "{}", mixed.text);
    assert_eq!(mixed.json["PageSize"], 2);
    let put = emu
        .send(
            emu.client
                .put(format!("{}/?Action=ListKeys", emu.handle.base_url())),
        )
        .await;
    put.assert_ali_error(403, "UnsupportedHTTPMethod");
    emu.ali(&[("Action", "NoSuchAction")])
        .await
        .assert_ali_error(404, "InvalidAction.NotFound");
    emu.ali(&[("PageSize", "5")])
        .await
        .assert_ali_error(400, "MissingParameter");
    emu.ali(&[("Action", "ListKeys"), ("Version", "2014-05-26")])
        .await
        .assert_ali_error(400, "InvalidVersion");
    let ok = emu
        .ali(&[("Action", "ListKeys"), ("Version", "2016-01-20")])
        .await;
    assert_eq!(ok.status, 200);
    let elsewhere = emu
        .send(
            emu.client
                .get(format!("{}/other?Action=ListKeys", emu.handle.base_url())),
        )
        .await;
    elsewhere.assert_ali_error(404, "InvalidAction.NotFound");
}

#[tokio::test]
async fn xml_format_for_success_and_errors() {
    let emu = start().await;
    for f in ["XML", "xml", "Xml"] {
        let a = emu
            .ali(&[("Action", "ListKeys"), ("PageSize", "2"), ("Format", f)])
            .await;
        assert_eq!(a.status, 200);
        assert!(
            a.header("content-type").starts_with("application/xml"),
            "{f}"
        );
        assert!(a.text.starts_with("<?xml"));
        assert!(
            a.text.contains("<ListKeysResponse><Keys><Key><KeyId>"),
            "{}",
            a.text
        );
        assert_eq!(a.text.matches("<Key>").count(), 2);
        assert!(a.text.contains("<PageSize>2</PageSize>"));
        assert!(a.text.contains(&format!(
            "<RequestId>{}</RequestId>",
            a.header("x-acs-request-id")
        )));
    }
    let e = emu
        .ali(&[("Action", "DescribeKey"), ("Format", "XML")])
        .await;
    assert_eq!(e.status, 400);
    assert!(e.text.contains("<Error><RequestId>"), "{}", e.text);
    assert!(e.text.contains("<Code>MissingParameter</Code>"));
    assert!(
        e.text
            .contains("<HostId>kms.cn-hangzhou.aliyuncs.com</HostId>")
    );
    let json = emu.ali(&[("Action", "ListKeys"), ("Format", "JSON")]).await;
    assert!(json.header("content-type").starts_with("application/json"));
    let other = emu.ali(&[("Action", "ListKeys"), ("Format", "yaml")]).await;
    assert!(other.header("content-type").starts_with("application/json"));
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let emu = start().await;
    let big = "a".repeat(specgate::emulator::MAX_BODY_BYTES + 1);
    let a = emu
        .send(
            emu.client
                .post(format!("{}/?Action=ListKeys", emu.handle.base_url()))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(big),
        )
        .await;
    a.assert_ali_error(413, "RequestEntityTooLarge");
}

#[tokio::test]
async fn hostile_inputs_never_break_the_server() {
    let emu = start().await;
    let key = emu.first_ali_key().await;
    let nasty = [
        "\u{0}",
        "%",
        "%%%",
        "é\u{202e}",
        "🙂",
        "[[[[[[[[[[",
        "{\"Key\":",
        "-9223372036854775808",
        "9223372036854775807",
        "../../etc/passwd",
        "<x>&amp;",
    ];
    for action in [
        "ListKeys",
        "ListAliasesByKeyId",
        "ListKeyVersions",
        "DescribeKey",
        "CreateAlias",
        "DeleteAlias",
        "CreateKey",
    ] {
        for v in nasty {
            for name in [
                "KeyId",
                "AliasName",
                "PageSize",
                "PageNumber",
                "Filters",
                "KeySpec",
                "Description",
            ] {
                let a = emu.ali(&[("Action", action), (name, v)]).await;
                assert!(a.status < 500, "{action} {name}={v:?}: {}", a.text);
                assert!(a.json.is_object(), "{action} {name}={v:?}: {}", a.text);
            }
        }
    }
    let raw = format!(
        "{}/?Action=ListKeys&PageSize=%ZZ&&&=&KeyId",
        emu.handle.base_url()
    );
    let a = emu.send(emu.client.get(raw)).await;
    assert!(a.status < 500);
    let a = emu
        .ali(&[
            ("Action", "ListKeyVersions"),
            ("KeyId", &key),
            ("PageNumber", "9223372036854775807"),
            ("PageSize", "101"),
        ])
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json["KeyVersions"]["KeyVersion"], Value::Array(vec![]));
}

async fn total(emu: &Emu) -> u64 {
    emu.ali(&[("Action", "ListKeys")]).await.json["TotalCount"]
        .as_u64()
        .expect("TotalCount")
}

#[tokio::test]
async fn instances_do_not_share_state() {
    let a = start().await;
    let b = start().await;
    let before = total(&b).await;
    assert_eq!(a.ali(&[("Action", "CreateKey")]).await.status, 200);
    assert_eq!(total(&b).await, before);
    assert_eq!(total(&a).await, before + 1);
    let addr = a.handle.addr();
    assert!(addr.ip().is_loopback());
    a.handle.shutdown().await.expect("clean shutdown");
    let refused = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client")
        .get(format!("http://{addr}/?Action=ListKeys"))
        .send()
        .await;
    assert!(refused.is_err(), "the port is closed after shutdown");
}
