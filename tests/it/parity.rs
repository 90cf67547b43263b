//! Recordings and parity (issue 16, docs/parity.md): `specgate record` of the embedded emulator
//! is deterministic, never replaced without `--force`, holds no secret of a signed target; and
//! `run --reference --checks parity` catches every deviation mode of the emulator by parity
//! alone (those it cannot catch are listed with the reason), while the faithful emulator shows
//! no parity finding. The shipped `recordings/emulator/` must be current.

use std::path::{Path, PathBuf};
use std::process::Output;

use specgate::emulator::{Config, deviations, spawn};

use crate::support::leak::{self, ALL, Auths, Hostile, assert_no_leaks, hostile, profile};

/// The shipped recording, and the one command that regenerates it.
const SHIPPED: &str = "recordings/emulator";
const REGENERATE: &str = "specgate record --force --out recordings/emulator";

/// The environment variable that rewrites the shipped recording (as for golden files).
const BLESS: &str = "SPECGATE_BLESS";

/// Deviations parity cannot catch, and why. Every other deviation must be caught.
const NOT_BY_PARITY: &[(&str, &str)] = &[];

/// Runs the specgate binary in `dir` (blocking, on a blocking thread).
pub(crate) async fn specgate(dir: &Path, args: &[&str]) -> Output {
    let dir = dir.to_path_buf();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_specgate"))
            .current_dir(&dir)
            .args(&args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

pub(crate) fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The suite's folders, so that a test run in a temporary folder uses this checkout's.
pub(crate) fn suite_args() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    vec![
        "--specs".into(),
        root.join("specs").display().to_string(),
        "--cases".into(),
        root.join("cases").display().to_string(),
    ]
}

/// Records the embedded emulator to `out` (under `dir`).
pub(crate) async fn record(dir: &Path, out: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "record".to_string(),
        "--out".into(),
        out.into(),
        "-q".into(),
    ];
    args.extend(suite_args());
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    specgate(dir, &args).await
}

/// Every file under `dir`, by relative path, with its text; `recorded_at` (the day) left out.
pub(crate) fn files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let text = std::fs::read_to_string(&p).unwrap();
                let text: String = text
                    .lines()
                    .filter(|l| !l.starts_with("recorded_at:"))
                    .map(|l| format!("{l}\n"))
                    .collect();
                out.push((p.strip_prefix(dir).unwrap().to_path_buf(), text));
            }
        }
    }
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn two_recordings_of_the_emulator_are_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let first = record(dir.path(), "rec/a", &[]).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    // Many cases at once: the same answers, so the same recording.
    let second = record(dir.path(), "rec/b", &["--jobs", "1"]).await;
    assert_eq!(second.status.code(), Some(0), "{}", text(&second));
    let (a, b) = (
        files(&dir.path().join("rec/a")),
        files(&dir.path().join("rec/b")),
    );
    assert!(a.len() > 3, "{a:?}");
    assert!(
        a.iter()
            .any(|(p, _)| p.ends_with("alibaba-kms/ListKeys.json"))
    );
    assert!(a.iter().any(|(p, _)| p == Path::new("manifest.yaml")));
    for ((pa, ta), (pb, tb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ta == tb, "{} differs between two recordings", pa.display());
    }
    assert_eq!(a.len(), b.len());
    // No temporary folder is left beside the recording.
    let left: Vec<_> = std::fs::read_dir(dir.path().join("rec"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recording_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("rec")).unwrap();
    std::fs::write(dir.path().join("rec/keep.txt"), "mine").unwrap();
    let refused = record(dir.path(), "rec", &["alibaba-kms/ListKeys::"]).await;
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(text(&refused).contains("--force"), "{}", text(&refused));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("rec/keep.txt")).unwrap(),
        "mine"
    );
    let forced = record(dir.path(), "rec", &["alibaba-kms/ListKeys::", "--force"]).await;
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced));
    assert!(!dir.path().join("rec/keep.txt").exists());
    assert!(dir.path().join("rec/alibaba-kms/ListKeys.json").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recording_of_a_signed_target_holds_no_secret() {
    for (mode, auths) in [
        (Hostile::Echo, Auths::V1AndAksk),
        (Hostile::Echo, Auths::V3AndToken),
        (Hostile::WrongSignature, Auths::V1AndAksk),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let base = hostile(mode).await;
        std::fs::write(dir.path().join("target.yaml"), profile(&base, auths)).unwrap();
        let rec = dir.path().join("rec").display().to_string();
        let mut args = vec![
            "record",
            "--allow-mutations",
            "--target",
            "{profile}",
            "--out",
            rec.as_str(),
        ];
        let suite = suite_args();
        args.extend(suite.iter().map(String::as_str));
        let out = leak::specgate(dir.path(), &args).await;
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        // The echoes are in the recording (so the search below searched something).
        let ops = files(&dir.path().join("rec"));
        assert!(ops.len() > 3, "{ops:?}");
        assert_no_leaks(&out, dir.path(), ALL);
    }
}

/// A profile of the emulator at `base`, whose state may change.
pub(crate) fn emulator_profile(dir: &Path, base: &str) -> PathBuf {
    let path = dir.join("emu.yaml");
    std::fs::write(
        &path,
        format!(
            "name: emu\ndisposable: true\nservices:\n  alibaba-kms:\n    endpoint: {base}\n    vars: {{ region: cn-hangzhou, account: \"1234567890123456\" }}\n  huawei-kms:\n    endpoint: {base}\n    vars: {{ project_id: 0123456789abcdef0123456789abcdef, huawei_region: cn-north-4, domain_id: 3bab8e245e854f68af5967c00dd43127 }}\n"
        ),
    )
    .unwrap();
    path
}

/// `run --reference REC --checks parity` against an emulator with `deviation` (none: faithful).
async fn parity_run(
    dir: &Path,
    rec: &Path,
    deviation: Option<specgate::emulator::Deviation>,
) -> Output {
    let emulator = spawn(Config {
        deviations: deviation.into_iter().collect(),
        ..Config::default()
    })
    .await
    .unwrap();
    let profile = emulator_profile(dir, &emulator.base_url());
    let mut args = vec![
        "run".to_string(),
        "--target".into(),
        profile.display().to_string(),
        "--reference".into(),
        rec.display().to_string(),
        "--checks".into(),
        "parity".into(),
        "--no-report".into(),
        "-q".into(),
        "--timeout".into(),
        "2".into(),
    ];
    args.extend(suite_args());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = specgate(dir, &args).await;
    let _ = emulator.shutdown().await;
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn every_deviation_is_caught_by_parity_alone() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("rec");
    let recorded = record(dir.path(), "rec", &[]).await;
    assert_eq!(recorded.status.code(), Some(0), "{}", text(&recorded));

    let faithful = parity_run(dir.path(), &rec, None).await;
    assert_eq!(faithful.status.code(), Some(0), "{}", text(&faithful));
    assert!(!text(&faithful).contains("[parity]"), "{}", text(&faithful));

    let mut missed = Vec::new();
    for &d in deviations() {
        let out = parity_run(dir.path(), &rec, Some(d)).await;
        let caught = out.status.code() == Some(1) && text(&out).contains("[parity]");
        if !caught {
            missed.push(d.name().to_string());
        }
    }
    let expected: Vec<String> = NOT_BY_PARITY.iter().map(|(d, _)| d.to_string()).collect();
    assert_eq!(missed, expected, "deviations parity did not catch");

    // A parity finding names the case-file place of the step whose answer differs.
    let bare = deviations()
        .iter()
        .copied()
        .find(|d| d.name() == "keys-bare-array")
        .expect("the deviation");
    let out = parity_run(dir.path(), &rec, Some(bare)).await;
    let line = text(&out)
        .lines()
        .find(|l| l.contains("[parity]") && l.contains("/Keys"))
        .map(str::to_string)
        .unwrap_or_else(|| panic!("no parity finding at /Keys:\n{}", text(&out)));
    assert!(
        line.contains("ListKeys.yaml:") && line.trim_end().ends_with(')'),
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_shipped_emulator_recording_is_current() {
    let dir = tempfile::tempdir().unwrap();
    let out = record(dir.path(), "rec", &[]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let fresh = dir.path().join("rec");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join(SHIPPED);
    if std::env::var_os(BLESS).is_some_and(|v| !v.is_empty() && v != "0") {
        let _ = std::fs::remove_dir_all(&shipped);
        for (rel, _) in files(&fresh) {
            let to = shipped.join(&rel);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(fresh.join(&rel), to).unwrap();
        }
        return;
    }
    let (want, got) = (files(&shipped), files(&fresh));
    let names = |v: &[(PathBuf, String)]| v.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    let hint = format!(
        "{SHIPPED} is not current: regenerate it with `{REGENERATE}` (or {BLESS}=1 cargo test --test it parity::) and review the diff"
    );
    assert_eq!(names(&want), names(&got), "{hint}");
    for ((p, w), (_, g)) in want.iter().zip(&got) {
        if w != g {
            let diff = similar::TextDiff::from_lines(w.as_str(), g.as_str())
                .unified_diff()
                .header("shipped", "fresh")
                .to_string();
            panic!("{hint}\n{}:\n{diff}", p.display());
        }
    }
    // And it works out of the box: the faithful emulator against it.
    let faithful = parity_run(dir.path(), &shipped, None).await;
    assert_eq!(faithful.status.code(), Some(0), "{}", text(&faithful));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_or_foreign_recording_is_refused_before_any_request() {
    let dir = tempfile::tempdir().unwrap();
    let out = record(dir.path(), "rec", &["alibaba-kms/ListKeys::"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let rec = dir.path().join("rec");
    let run = |rec: PathBuf| {
        let dir = dir.path().to_path_buf();
        async move {
            let mut args = vec![
                "run".to_string(),
                "--reference".into(),
                rec.display().to_string(),
                "--no-report".into(),
            ];
            args.extend(suite_args());
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            specgate(&dir, &args).await
        }
    };
    // A damaged operation file: its line and column.
    let file = rec.join("alibaba-kms/ListKeys.json");
    let good = std::fs::read_to_string(&file).unwrap();
    let mut lines: Vec<&str> = good.lines().collect();
    lines[2] = "    oops";
    std::fs::write(&file, lines.join("\n")).unwrap();
    let out = run(rec.clone()).await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(text(&out).contains("ListKeys.json:3:"), "{}", text(&out));
    assert!(
        !text(&out).contains("running"),
        "nothing may run: {}",
        text(&out)
    );
    std::fs::write(&file, &good).unwrap();
    // A recording of another suite: the manifest's line.
    let manifest = rec.join("manifest.yaml");
    let m = std::fs::read_to_string(&manifest).unwrap();
    let foreign: String = m
        .lines()
        .map(|l| {
            if l.starts_with("suite_digest:") {
                "suite_digest: \"sha256:0000\"\n".to_string()
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(&manifest, foreign).unwrap();
    let out = run(rec.clone()).await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(text(&out).contains("manifest.yaml:4:"), "{}", text(&out));
    assert!(text(&out).contains("another suite"), "{}", text(&out));
    // A damaged field: its line and column, and what is wrong (not "another suite").
    let unquoted: String = m
        .lines()
        .map(|l| match l.strip_prefix("suite_digest: ") {
            Some(v) => format!("suite_digest: {}\n", v.trim_matches('"')),
            None => format!("{l}\n"),
        })
        .collect();
    std::fs::write(&manifest, unquoted).unwrap();
    let out = run(rec.clone()).await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(text(&out).contains("manifest.yaml:4:15"), "{}", text(&out));
    assert!(
        text(&out).contains("`suite_digest` is not a quoted string"),
        "{}",
        text(&out)
    );
    // No recording at all.
    let out = run(dir.path().join("nothing")).await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(text(&out).contains("manifest.yaml"), "{}", text(&out));
}

/// A copy of the recording in `from` at `to`, its Huawei list-keys answers (the set-up steps of
/// the CreateAlias and UpdateKeyAlias cases) rewritten item by item by `edit`.
fn with_listed_keys_edited(from: &Path, to: &Path, edit: impl Fn(&mut serde_json::Value)) {
    for (path, _) in files(from) {
        let target = to.join(&path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        let mut body = std::fs::read_to_string(from.join(&path)).unwrap();
        if path.extension().is_some_and(|e| e == "json") && path.starts_with("huawei-kms") {
            let mut doc: serde_json::Value = serde_json::from_str(&body).unwrap();
            for case in doc["cases"].as_array_mut().unwrap() {
                for step in case["steps"].as_array_mut().unwrap() {
                    let lists = step["request"]["path"]
                        .as_str()
                        .is_some_and(|p| p.ends_with("/list-keys"));
                    let items = step
                        .pointer_mut("/response/body/key_details")
                        .and_then(serde_json::Value::as_array_mut);
                    if let Some(items) = items
                        && lists
                    {
                        items.iter_mut().for_each(&edit);
                    }
                }
            }
            body = serde_json::to_string_pretty(&doc).unwrap();
        }
        std::fs::write(target, body).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn other_keys_of_the_recorded_account_are_compared_by_shape_not_by_value() {
    // The recorded account's keys in other states, with other descriptions and flags (the keys
    // a real account has): the faithful emulator shows no parity finding.
    let dir = tempfile::tempdir().unwrap();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join(SHIPPED);
    let other_states = dir.path().join("other-states");
    with_listed_keys_edited(&shipped, &other_states, |item| {
        item["key_state"] = "5".into();
        item["key_description"] = "a key of another account".into();
        item["default_key_flag"] = "1".into();
        item["origin"] = "external".into();
    });
    let out = parity_run(dir.path(), &other_states, None).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!text(&out).contains("[parity]"), "{}", text(&out));

    // Their shape still counts: a member of those keys missing from the recording is a finding.
    let other_members = dir.path().join("other-members");
    with_listed_keys_edited(&shipped, &other_members, |item| {
        item.as_object_mut().unwrap().remove("key_state");
    });
    let out = parity_run(dir.path(), &other_members, None).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("[parity]") && text(&out).contains("key_state"),
        "{}",
        text(&out)
    );
}
