//! A clean account after a mutating run: the emulator's schedule-key-deletion (bounds, state),
//! a whole Huawei run that leaves no live `sg-` key behind, and `specgate sweep` scheduling the
//! deletion of a key an earlier run left.

use std::process::{Command, Stdio};

use crate::support::emulator::{Emu, start};
use serde_json::{Value, json};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";

/// Every key of the emulator's Huawei account (list-keys, all specs, no limit).
async fn keys(emu: &Emu) -> Vec<Value> {
    let a = emu
        .hw_json("POST", "list-keys", &json!({"key_spec": "ALL"}))
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    a.json["key_details"].as_array().unwrap().clone()
}

/// The `sg-` keys, split into live ones and ones pending deletion (key_state "4").
async fn sg_keys(emu: &Emu) -> (Vec<Value>, Vec<Value>) {
    keys(emu)
        .await
        .into_iter()
        .filter(|k| k["key_alias"].as_str().unwrap_or("").starts_with("sg-"))
        .partition(|k| k["key_state"] != "4")
}

async fn new_key(emu: &Emu, alias: &str) -> String {
    let a = emu
        .hw_json("POST", "create-key", &json!({"key_alias": alias}))
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    a.json["key_info"]["key_id"].as_str().unwrap().to_string()
}

async fn state_of(emu: &Emu, key_id: &str) -> Value {
    keys(emu)
        .await
        .into_iter()
        .find(|k| k["key_id"] == key_id)
        .unwrap_or_else(|| panic!("no key {key_id}"))
}

fn profile(dir: &std::path::Path, emu: &Emu) -> std::path::PathBuf {
    let path = dir.join("t.yaml");
    std::fs::write(
        &path,
        format!(
            "name: emu\nservices:\n  huawei-kms:\n    endpoint: {}\n    vars: {{ project_id: {PROJECT}, huawei_region: cn-north-4, domain_id: 3bab8e245e854f68af5967c00dd43127 }}\n",
            emu.handle.base_url()
        ),
    )
    .unwrap();
    path
}

async fn specgate(args: Vec<String>) -> std::process::Output {
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_specgate"))
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[tokio::test]
async fn schedule_key_deletion_enforces_its_bounds_and_sets_pending_deletion() {
    let emu = start().await;
    let key = new_key(&emu, "sg-test-doomed").await;
    let schedule = |body: Value| {
        let emu = &emu;
        async move { emu.hw_json("POST", "schedule-key-deletion", &body).await }
    };
    // Out of bounds, malformed or missing: refused, and the key stays enabled.
    for (days, code) in [
        (json!("6"), "KMS.0308"),
        (json!("1097"), "KMS.0308"),
        (json!("0"), "KMS.0308"),
        (json!("seven"), "KMS.0308"),
    ] {
        let a = schedule(json!({"key_id": key, "pending_days": days})).await;
        assert_eq!(a.status, 400, "{days}: {}", a.text);
        assert_eq!(a.json["error"]["error_code"], code, "{days}");
    }
    let a = schedule(json!({"key_id": key})).await;
    assert_eq!(a.json["error"]["error_code"], "KMS.0204", "{}", a.text);
    let a =
        schedule(json!({"key_id": "00000000-0000-4000-8000-000000000000", "pending_days": "7"}))
            .await;
    assert_eq!(a.status, 404, "{}", a.text);
    assert_eq!(state_of(&emu, &key).await["key_state"], "2");

    // The lower bound: 200 with the key and its new state, which list-keys shows.
    let a = schedule(json!({"key_id": key, "pending_days": "7"})).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json, json!({"key_id": key, "key_state": "4"}));
    let listed = state_of(&emu, &key).await;
    assert_eq!(listed["key_state"], "4");
    let date: i64 = listed["scheduled_deletion_date"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let created: i64 = listed["creation_date"].as_str().unwrap().parse().unwrap();
    let day = 86_400_000;
    assert!(
        (date - created - 7 * day).abs() < day,
        "about 7 days: {listed}"
    );
    // Once is enough: a key already pending deletion is KMS.0210.
    let a = schedule(json!({"key_id": key, "pending_days": "7"})).await;
    assert_eq!(a.json["error"]["error_code"], "KMS.0210", "{}", a.text);

    // The upper bound, as a number too.
    let other = new_key(&emu, "sg-test-doomed-later").await;
    let a = schedule(json!({"key_id": other, "pending_days": 1096})).await;
    assert_eq!(a.status, 200, "{}", a.text);

    // A Default Master Key is refused.
    let dmk = keys(&emu)
        .await
        .into_iter()
        .find(|k| k["default_key_flag"] == "1")
        .unwrap();
    let a = schedule(json!({"key_id": dmk["key_id"], "pending_days": "7"})).await;
    assert_eq!(a.json["error"]["error_code"], "KMS.0211", "{}", a.text);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mutating_run_leaves_no_live_key_behind() {
    let emu = start().await;
    let (live_before, pending_before) = sg_keys(&emu).await;
    assert!(live_before.is_empty() && pending_before.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let profile = profile(dir.path(), &emu);
    let out = specgate(vec![
        "run".into(),
        "--no-report".into(),
        "--allow-mutations".into(),
        "--target".into(),
        profile.display().to_string(),
        "huawei-kms/".into(),
    ])
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let (live, pending) = sg_keys(&emu).await;
    let aliases: Vec<&Value> = live.iter().map(|k| &k["key_alias"]).collect();
    assert!(
        live.is_empty(),
        "{} live sg- keys after the run: {aliases:?}",
        live.len()
    );
    assert!(
        !pending.is_empty(),
        "the run created no key: the test proves nothing"
    );
}

/// The cases that only need "a key of mine" share one key per run, created once however many
/// cases run at once and however many repetitions there are, and removed after the last one.
#[tokio::test(flavor = "multi_thread")]
async fn a_shared_key_is_created_once_per_run_and_removed_after_it() {
    let emu = start().await;
    let dir = tempfile::tempdir().unwrap();
    let profile = profile(dir.path(), &emu);
    let out = specgate(vec![
        "run".into(),
        "--no-report".into(),
        "--allow-mutations".into(),
        "--jobs".into(),
        "16".into(),
        "--repeat".into(),
        "3".into(),
        "--target".into(),
        profile.display().to_string(),
        "huawei-kms/UpdateKeyAlias::key-alias".into(),
    ])
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("15 passed"),
        "5 cases x 3 repetitions: {}",
        text(&out)
    );
    let (live, pending) = sg_keys(&emu).await;
    assert!(live.is_empty(), "{live:?}");
    let shared: Vec<&Value> = pending
        .iter()
        .filter(|k| {
            k["key_alias"]
                .as_str()
                .unwrap()
                .ends_with("-uka-shared-key")
        })
        .collect();
    assert_eq!(
        shared.len(),
        1,
        "one shared key for the whole run: {pending:?}"
    );
    // key-alias-allowed-chars needs a key whose alias it changes: its own, one per repetition.
    assert_eq!(pending.len(), 1 + 3, "{pending:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sweep_schedules_the_deletion_of_a_left_behind_key() {
    let emu = start().await;
    let left = new_key(&emu, "sg-0badc0de-left-key").await;
    let mine = new_key(&emu, "keep-this-key").await;
    let dir = tempfile::tempdir().unwrap();
    let profile = profile(dir.path(), &emu);
    let out = specgate(vec![
        "sweep".into(),
        "--target".into(),
        profile.display().to_string(),
        "--yes".into(),
    ])
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains(&format!("scheduled the deletion of huawei-kms key {left}")),
        "{}",
        text(&out)
    );
    assert_eq!(state_of(&emu, &left).await["key_state"], "4");
    assert_eq!(state_of(&emu, &mine).await["key_state"], "2");
    // A second sweep finds nothing left: a key pending deletion is done.
    let out = specgate(vec![
        "sweep".into(),
        "--target".into(),
        profile.display().to_string(),
        "--yes".into(),
    ])
    .await;
    assert!(text(&out).contains("nothing to delete"), "{}", text(&out));
}

/// A case run on its own (no run to share its fixtures, as `exec::run_case` without
/// `fixtures`) creates the fixture itself, under a prefix of its own, and removes it after.
#[tokio::test(flavor = "multi_thread")]
async fn a_case_on_its_own_creates_and_removes_its_fixture() {
    use specgate::exec::{Client, ClientOptions, Redactor, RetryPolicy, RunContext, Verdict};
    use specgate::target::{embedded_target, vars_of};

    let emu = start().await;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let suite = specgate::suite::Suite::load(&root.join("specs"), &[root.join("cases")]).unwrap();
    let id = specgate::emulator::identity();
    let target = embedded_target(
        &emu.handle.base_url(),
        vars_of(&[("region", id.region), ("account", id.account)]),
        vars_of(&[
            ("project_id", id.project_id),
            ("huawei_region", id.huawei_region),
            ("domain_id", id.domain_id),
        ]),
    );
    let client = Client::new(ClientOptions::default()).unwrap();
    let redactor = Redactor::default();
    let overrides = Default::default();
    let ctx = RunContext {
        suite: &suite,
        client: &client,
        run_prefix: "sg-0000abcd",
        allow_mutations: false,
        redactor: &redactor,
        overrides: &overrides,
        retry: RetryPolicy::default(),
        limiter: None,
        fixtures: None,
        observer: None,
    };
    let case = suite
        .cases()
        .into_iter()
        .find(|c| c.id() == "huawei-kms/UpdateKeyAlias::key-alias-missing")
        .unwrap()
        .clone();
    assert_eq!(case.fixtures.len(), 1, "the case uses the shared key");
    let outcome = specgate::exec::run_case(&case, &target, &ctx).await;
    assert_eq!(outcome.verdict, Verdict::Pass, "{:?}", outcome.findings);
    // The report shows the fixture's creation and removal with the case.
    let steps: Vec<&str> = outcome.exchanges.iter().map(|e| e.step.as_str()).collect();
    assert_eq!(
        steps,
        vec![
            "fixture my_key 1",
            "step 1 (update-alias)",
            "fixture my_key teardown 1"
        ]
    );
    let (live, pending) = sg_keys(&emu).await;
    assert!(live.is_empty(), "{live:?}");
    let aliases: Vec<&str> = pending
        .iter()
        .map(|k| k["key_alias"].as_str().unwrap())
        .collect();
    assert_eq!(
        aliases,
        vec!["sg-0000abcd-key-alias-missing-uka-shared-key"]
    );
}
