//! Many clients at once: racing alias creations and deletions on both clouds, then invariants
//! (no duplicate alias, counts match the successes, every alias points to an existing key).

use crate::support::emulator;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::support::emulator::{Emu, start};
use serde_json::json;

const CLIENTS: usize = 64;
const NAMES: usize = 16;
const ROUNDS: usize = 6;

/// Every Alibaba alias as (name, key id), over every key.
async fn ali_aliases(emu: &Emu) -> (Vec<(String, String)>, HashSet<String>) {
    let keys = emu
        .ali(&[("Action", "ListKeys"), ("PageSize", "100")])
        .await;
    let ids: HashSet<String> = keys.json["Keys"]["Key"]
        .as_array()
        .expect("keys")
        .iter()
        .filter_map(|k| k["KeyId"].as_str().map(str::to_string))
        .collect();
    assert_eq!(keys.json["TotalCount"].as_u64(), Some(ids.len() as u64));
    let mut out = Vec::new();
    for id in &ids {
        let a = emu
            .ali(&[
                ("Action", "ListAliasesByKeyId"),
                ("KeyId", id),
                ("PageSize", "101"),
            ])
            .await;
        let list = a.json["Aliases"]["Alias"].as_array().expect("aliases");
        assert_eq!(a.json["TotalCount"].as_u64(), Some(list.len() as u64));
        for al in list {
            out.push((
                al["AliasName"].as_str().expect("name").to_string(),
                al["KeyId"].as_str().expect("key").to_string(),
            ));
        }
    }
    (out, ids)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn alibaba_racing_alias_creation_and_deletion() {
    let emu = Arc::new(start().await);
    let (before, _) = ali_aliases(&emu).await;
    let keys: Vec<String> = {
        let a = emu.ali(&[("Action", "ListKeys"), ("PageSize", "8")]).await;
        a.json["Keys"]["Key"]
            .as_array()
            .expect("keys")
            .iter()
            .filter_map(|k| k["KeyId"].as_str().map(str::to_string))
            .collect()
    };
    let keys = Arc::new(keys);
    let mut tasks = Vec::new();
    for client in 0..CLIENTS {
        let emu = Arc::clone(&emu);
        let keys = Arc::clone(&keys);
        tasks.push(tokio::spawn(async move {
            let mut net: HashMap<String, i64> = HashMap::new();
            for round in 0..ROUNDS {
                let name = format!("alias/race-{}", (client + round) % NAMES);
                let key = &keys[(client * 7 + round) % keys.len()];
                let c = emu
                    .ali(&[
                        ("Action", "CreateAlias"),
                        ("AliasName", &name),
                        ("KeyId", key),
                    ])
                    .await;
                match c.status {
                    200 => *net.entry(name.clone()).or_default() += 1,
                    400 => assert_eq!(c.json["Code"], "AliasAlreadyExists", "{}", c.text),
                    s => panic!("unexpected {s}: {}", c.text),
                }
                if (client + round) % 3 == 0 {
                    let d = emu
                        .ali(&[("Action", "DeleteAlias"), ("AliasName", &name)])
                        .await;
                    match d.status {
                        200 => *net.entry(name).or_default() -= 1,
                        404 => assert_eq!(d.json["Code"], "Forbidden.AliasNotFound"),
                        s => panic!("unexpected {s}: {}", d.text),
                    }
                }
            }
            net
        }));
    }
    let mut net: HashMap<String, i64> = HashMap::new();
    for t in tasks {
        for (k, v) in t.await.expect("a client finished") {
            *net.entry(k).or_default() += v;
        }
    }
    let (after, key_ids) = ali_aliases(&emu).await;
    let names: Vec<&String> = after.iter().map(|(n, _)| n).collect();
    let unique: HashSet<&String> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "no alias name twice");
    assert!(
        after.iter().all(|(_, k)| key_ids.contains(k)),
        "every alias points to a key"
    );
    for i in 0..NAMES {
        let name = format!("alias/race-{i}");
        let present = after.iter().any(|(n, _)| *n == name) as i64;
        assert_eq!(
            net.get(&name).copied().unwrap_or(0),
            present,
            "{name}: successes match the state"
        );
    }
    let raced: i64 = net.values().sum();
    assert_eq!(after.len() as i64, before.len() as i64 + raced);
    assert!(net.values().all(|v| *v == 0 || *v == 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn alibaba_parallel_key_creation_gives_distinct_keys() {
    let emu = Arc::new(start().await);
    let before = emu.ali(&[("Action", "ListKeys")]).await.json["TotalCount"]
        .as_u64()
        .expect("total");
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let emu = Arc::clone(&emu);
        tasks.push(tokio::spawn(async move {
            let a = emu.ali(&[("Action", "CreateKey")]).await;
            assert_eq!(a.status, 200, "{}", a.text);
            a.json["KeyMetadata"]["KeyId"]
                .as_str()
                .expect("id")
                .to_string()
        }));
    }
    let mut ids = HashSet::new();
    for t in tasks {
        assert!(ids.insert(t.await.expect("done")), "a fresh id per key");
    }
    let after = emu.ali(&[("Action", "ListKeys")]).await.json["TotalCount"]
        .as_u64()
        .expect("total");
    assert_eq!(after, before + CLIENTS as u64);
}

/// Every Huawei alias of the alias API as (name, key id), and every key alias and id.
async fn hw_state(emu: &Emu) -> (Vec<(String, String)>, Vec<String>, HashSet<String>) {
    let a = emu
        .hw_raw(
            "GET",
            &format!("{}?limit=1000", emulator::hw_path("aliases")),
            None,
        )
        .await;
    assert_eq!(a.status, 200);
    let page = &a.json;
    let list = page["aliases"].as_array().expect("aliases");
    assert_eq!(
        page["page_info"]["current_count"].as_u64(),
        Some(list.len() as u64)
    );
    let aliases = list
        .iter()
        .map(|x| {
            (
                x["alias"].as_str().expect("alias").to_string(),
                x["key_id"].as_str().expect("key").to_string(),
            )
        })
        .collect();
    let keys = emu.hw_keys().await;
    let key_aliases = keys
        .iter()
        .filter_map(|k| k["key_alias"].as_str().map(str::to_string))
        .collect();
    let ids = keys
        .iter()
        .filter_map(|k| k["key_id"].as_str().map(str::to_string))
        .collect();
    (aliases, key_aliases, ids)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn huawei_racing_aliases_and_renames() {
    let emu = Arc::new(start().await);
    let (before, _, _) = hw_state(&emu).await;
    let mut keys = Vec::new();
    for i in 0..8 {
        let a = emu
            .hw_json(
                "POST",
                "create-key",
                &json!({"key_alias": format!("race-owner-{i}")}),
            )
            .await;
        keys.push(
            a.json["key_info"]["key_id"]
                .as_str()
                .expect("id")
                .to_string(),
        );
    }
    let keys = Arc::new(keys);
    let mut tasks = Vec::new();
    for client in 0..CLIENTS {
        let emu = Arc::clone(&emu);
        let keys = Arc::clone(&keys);
        tasks.push(tokio::spawn(async move {
            let mut net: HashMap<String, i64> = HashMap::new();
            for round in 0..ROUNDS {
                let name = format!("race-{}", (client + round) % NAMES);
                let key = &keys[(client * 5 + round) % keys.len()];
                let c = emu
                    .hw_json("POST", "aliases", &json!({"key_id": key, "alias": name}))
                    .await;
                match c.status {
                    201 => *net.entry(name.clone()).or_default() += 1,
                    400 => assert_eq!(c.json["error"]["error_code"], "KMS.1104", "{}", c.text),
                    s => panic!("unexpected {s}: {}", c.text),
                }
                if (client + round) % 3 == 0 {
                    let d = emu
                        .hw_json(
                            "DELETE",
                            "aliases",
                            &json!({"key_id": key, "aliases": [name.clone()]}),
                        )
                        .await;
                    match d.status {
                        204 => *net.entry(name).or_default() -= 1,
                        400 => assert_eq!(d.json["error"]["error_code"], "KMS.0308", "{}", d.text),
                        s => panic!("unexpected {s}: {}", d.text),
                    }
                }
                let rename = format!("race-rename-{}", client % 4);
                let u = emu
                    .hw_json(
                        "POST",
                        "update-key-alias",
                        &json!({"key_id": key, "key_alias": rename}),
                    )
                    .await;
                assert!(
                    u.status == 200 || u.json["error"]["error_code"] == "KMS.1104",
                    "{}",
                    u.text
                );
            }
            net
        }));
    }
    let mut net: HashMap<String, i64> = HashMap::new();
    for t in tasks {
        for (k, v) in t.await.expect("a client finished") {
            *net.entry(k).or_default() += v;
        }
    }
    let (after, key_aliases, ids) = hw_state(&emu).await;
    let mut every_name: Vec<&String> = after.iter().map(|(n, _)| n).collect();
    every_name.extend(key_aliases.iter());
    let unique: HashSet<&String> = every_name.iter().copied().collect();
    assert_eq!(
        unique.len(),
        every_name.len(),
        "no alias or key_alias twice in the project"
    );
    assert!(
        after.iter().all(|(_, k)| ids.contains(k)),
        "every alias points to a key"
    );
    for i in 0..NAMES {
        let name = format!("race-{i}");
        let present = after.iter().any(|(n, _)| *n == name) as i64;
        assert_eq!(net.get(&name).copied().unwrap_or(0), present, "{name}");
    }
    let raced: i64 = net.values().sum();
    assert_eq!(after.len() as i64, before.len() as i64 + raced);
    for r in 0..4 {
        let name = format!("race-rename-{r}");
        assert!(key_aliases.iter().filter(|a| **a == name).count() <= 1);
    }
}
