//! Seed files: a YAML seed is served as written; the default seed has what cases rely on.

use crate::support::emulator::start_with;
use specgate::emulator::{Config, default_state, load_seed_file, parse_seed};

const SEED: &str = "\
alibaba:
  keys:
    - key_id: only-key
      key_spec: RSA_2048
      key_usage: SIGN/VERIFY
      versions:
        - key_version_id: v-1
          creation_date: 2020-01-01T00:00:00Z
      aliases: [alias/only]
huawei:
  keys:
    - key_id: 0d0466b0-e727-4d9c-b35d-f84bb474a37f
      key_alias: kms/default
      default_key: true
    - key_id: 2e258389-bb1e-4568-a1d5-e1f50adf70ea
      key_alias: doomed
      key_state: \"4\"
      aliases:
        - alias: kept
";

#[tokio::test]
async fn a_seed_file_is_served_as_written() {
    let dir = std::env::temp_dir().join(format!("specgate-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let path = dir.join("seed.yaml");
    std::fs::write(&path, SEED).expect("written");
    let seed = load_seed_file(&path).expect("a valid seed");
    let _ = std::fs::remove_dir_all(&dir);
    let emu = start_with(Config {
        seed,
        ..Config::default()
    })
    .await;
    let keys = emu.ali(&[("Action", "ListKeys")]).await;
    assert_eq!(keys.json["TotalCount"], 1);
    assert_eq!(keys.json["Keys"]["Key"][0]["KeyId"], "only-key");
    let md = emu
        .ali(&[("Action", "DescribeKey"), ("KeyId", "alias/only")])
        .await;
    assert_eq!(md.json["KeyMetadata"]["KeySpec"], "RSA_2048");
    assert_eq!(md.json["KeyMetadata"]["PrimaryKeyVersion"], "v-1");
    let hw = emu.hw_keys().await;
    assert_eq!(hw.len(), 2);
    assert_eq!(hw[0]["default_key_flag"], "1");
    assert_eq!(hw[1]["key_state"], "4");
    let aliases = emu.hw("GET", "aliases", None).await;
    assert_eq!(aliases.json["aliases"][0]["alias"], "kept");
}

#[test]
fn seed_errors_point_at_the_line() {
    let bad = SEED.replace("key_state: \"4\"", "key_state: \"7\"");
    let e = parse_seed(&bad, "my-seed.yaml")
        .expect_err("invalid state")
        .to_string();
    assert!(
        e.starts_with("my-seed.yaml:17:18: `key_state` must be one of"),
        "{e}"
    );
    let e = parse_seed("alibaba:\n  keys:\n    - key_spec: RSA_2048\n", "s.yaml")
        .expect_err("no id")
        .to_string();
    assert!(
        e.starts_with("s.yaml:3:7: an Alibaba key needs a `key_id`"),
        "{e}"
    );
    let e = load_seed_file(std::path::Path::new("/nonexistent/seed.yaml"))
        .expect_err("missing")
        .to_string();
    assert!(e.starts_with("/nonexistent/seed.yaml: cannot read"), "{e}");
}

#[test]
fn the_default_seed_is_deterministic_and_rich() {
    let s = default_state();
    assert_eq!(s, default_state());
    assert!(s.alibaba.keys.len() >= 20);
    let first = &s.alibaba.keys[0].key_id;
    assert!(s.alibaba.keys[0].versions.len() > 10);
    assert!(
        s.alibaba
            .aliases
            .iter()
            .filter(|a| &a.key_id == first)
            .count()
            > 10
    );
}
