//! The emulator's readings over real HTTP: each note's default, and the other reading chosen
//! with [`Readings::choose`] (what `--reading NOTE=ID` does). A reading is not a deviation: the
//! configs here have none.

use crate::support::emulator;

use crate::support::emulator::{Emu, start_with};
use serde_json::json;
use specgate::emulator::{Config, Readings, parse_reading_choice};

async fn emulator(choices: &[&str]) -> Emu {
    let mut readings = Readings::default();
    for c in choices {
        readings.choose(&parse_reading_choice(c).unwrap());
    }
    start_with(Config {
        readings,
        ..Config::default()
    })
    .await
}

#[tokio::test]
async fn page_size_101_is_refused_by_default_and_accepted_under_b() {
    let a = emulator(&[]).await;
    a.ali(&[("Action", "ListKeys"), ("PageSize", "101")])
        .await
        .assert_ali_error(400, "InvalidParameter");
    let b = emulator(&["page-size-101=accepted"]).await;
    let ok = b.ali(&[("Action", "ListKeys"), ("PageSize", "101")]).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.json["PageSize"], 101);
    b.ali(&[("Action", "ListKeys"), ("PageSize", "102")])
        .await
        .assert_ali_error(400, "InvalidParameter");
}

#[tokio::test]
async fn an_unknown_filters_key_is_refused_by_default_and_ignored_under_b() {
    let unknown = r#"[{"Key":"KeyColor","Values":["Enabled"]}]"#;
    let a = emulator(&[]).await;
    a.ali(&[("Action", "ListKeys"), ("Filters", unknown)])
        .await
        .assert_ali_error(400, "InvalidParameter");
    let b = emulator(&["filters-unknown-key=ignored"]).await;
    let all = b.ali(&[("Action", "ListKeys"), ("PageSize", "100")]).await;
    let ignored = b
        .ali(&[
            ("Action", "ListKeys"),
            ("PageSize", "100"),
            ("Filters", unknown),
        ])
        .await;
    assert_eq!(ignored.status, 200, "{}", ignored.text);
    assert_eq!(ignored.json["TotalCount"], all.json["TotalCount"]);
    // A known key still filters, next to the ignored one.
    let both = r#"[{"Key":"KeyColor","Values":["x"]},{"Key":"KeyState","Values":["NoSuchState"]}]"#;
    let none = b.ali(&[("Action", "ListKeys"), ("Filters", both)]).await;
    assert_eq!(none.status, 200, "{}", none.text);
    assert_eq!(none.json["TotalCount"], 0);
}

async fn create_alias(emu: &Emu, alias: &str) -> emulator::Answer {
    let key_alias = format!("key-for-{}", alias.replace('/', "-"));
    let key = emu
        .hw_json("POST", "create-key", &json!({"key_alias": key_alias}))
        .await;
    assert_eq!(
        key.status, 200,
        "CreateKey's key_alias needs no prefix: {}",
        key.text
    );
    let key_id = key.json["key_info"]["key_id"].as_str().unwrap().to_string();
    emu.hw_json(
        "POST",
        "aliases",
        &json!({"key_id": key_id, "alias": alias}),
    )
    .await
}

#[tokio::test]
async fn unprefixed_alias_names_are_accepted_by_default_and_refused_under_a() {
    let b = emulator(&[]).await;
    assert_eq!(create_alias(&b, "kms-1234").await.status, 201);
    assert_eq!(create_alias(&b, "alias/kms-1234").await.status, 201);
    let a = emulator(&["alias-prefix=required"]).await;
    create_alias(&a, "kms-1234")
        .await
        .assert_hw_error(400, "KMS.1101");
    let ok = create_alias(&a, "alias/kms-1234").await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    assert_eq!(ok.json["alias"], "alias/kms-1234");
}
