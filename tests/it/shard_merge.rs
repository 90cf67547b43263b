//! `specgate run --shard K/N` and `specgate merge`, end to end as subprocesses: the shards of
//! the shipped suite partition its plan, a new case moves alone, cases sharing a fixture stay
//! together, merged shards report what the unsharded run reports, and a merge refuses what it
//! cannot join whole (a damaged report, another suite, a missing shard).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::support::serve::serve;

fn specgate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_specgate"))
        .args(args)
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The trial names `--list` prints, with the given extra arguments.
fn list(extra: &[&str]) -> Vec<String> {
    let mut args = vec!["run", "--list"];
    args.extend_from_slice(extra);
    let out = specgate(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_shards_partition_the_plan_for_1_to_8_shards() {
    let whole = list(&[]);
    assert!(whole.len() > 100, "the shipped suite: {}", whole.len());
    for n in 1..=8 {
        let mut union = Vec::new();
        for k in 1..=n {
            let part = list(&["--shard", &format!("{k}/{n}")]);
            if n > 1 {
                assert!(part.len() < whole.len(), "{k}/{n} holds every case");
            }
            union.extend(part);
        }
        let distinct: BTreeSet<&String> = union.iter().collect();
        assert_eq!(distinct.len(), union.len(), "a case in two shards of {n}");
        let mut sorted = union.clone();
        sorted.sort();
        let mut expected = whole.clone();
        expected.sort();
        assert_eq!(sorted, expected, "the shards of {n} are not the plan");
    }
}

#[test]
fn repetitions_and_selections_stay_with_their_case() {
    let whole = list(&["ListKeys", "--repeat", "3"]);
    let mut union = Vec::new();
    for k in 1..=3 {
        let part = list(&["ListKeys", "--repeat", "3", "--shard", &format!("{k}/3")]);
        let cases: BTreeMap<&str, usize> = part.iter().fold(BTreeMap::new(), |mut m, t| {
            *m.entry(t.rsplit_once('#').unwrap().0).or_default() += 1;
            m
        });
        assert!(cases.values().all(|n| *n == 3), "{k}/3: {cases:?}");
        union.extend(part);
    }
    union.sort();
    let mut expected = whole;
    expected.sort();
    assert_eq!(union, expected);
}

/// Copies the shipped specs and cases into `dir`.
fn copy_suite(dir: &Path) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let target = to.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &target);
            } else {
                std::fs::copy(e.path(), &target).unwrap();
            }
        }
    }
    copy(Path::new("specs"), &dir.join("specs"));
    copy(Path::new("cases"), &dir.join("cases"));
}

const ADDED: &str = "  - name: zz-added-by-the-shard-test
    provenance: documented
    summary: With no parameters, the first page is answered.
    params: {}
    expect: { status: 200 }

";

/// Adds one case to the copy's ListKeys file.
fn add_case(dir: &Path) {
    let file = dir.join("cases/alibaba-kms/ListKeys.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replacen("cases:\n", &format!("cases:\n{ADDED}"), 1);
    std::fs::write(&file, text).unwrap();
}

fn list_in(dir: &Path, extra: &[&str]) -> BTreeSet<String> {
    let specs = dir.join("specs");
    let cases = dir.join("cases");
    let mut args = vec![
        "--specs",
        specs.to_str().unwrap(),
        "--cases",
        cases.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    list(&args).into_iter().collect()
}

#[test]
fn adding_a_case_moves_only_that_case() {
    let before = tempfile::tempdir().unwrap();
    let after = tempfile::tempdir().unwrap();
    copy_suite(before.path());
    copy_suite(after.path());
    add_case(after.path());
    let added = "alibaba-kms/ListKeys::zz-added-by-the-shard-test".to_string();
    for n in 2..=8 {
        let mut homes = 0;
        for k in 1..=n {
            let shard = format!("{k}/{n}");
            let old = list_in(before.path(), &["--shard", &shard]);
            let mut new = list_in(after.path(), &["--shard", &shard]);
            if new.remove(&added) {
                homes += 1;
            }
            assert_eq!(old, new, "shard {shard}: cases moved besides the new one");
        }
        assert_eq!(homes, 1, "the new case is in {homes} shards of {n}");
    }
}

#[test]
fn cases_that_share_a_fixture_share_a_shard() {
    // Every case of UpdateKeyAlias.yaml that uses its `my_key` fixture.
    let file = std::fs::read_to_string("cases/huawei-kms/UpdateKeyAlias.yaml").unwrap();
    let mut users = BTreeSet::new();
    let mut current = None;
    for line in file.lines() {
        if let Some(name) = line.strip_prefix("  - name: ") {
            current = Some(name.trim().to_string());
        } else if line.contains("${my_key}")
            && let Some(c) = &current
        {
            users.insert(format!("huawei-kms/UpdateKeyAlias::{c}"));
        }
    }
    assert!(users.len() >= 2, "the fixture's users: {users:?}");
    for n in 2..=8 {
        let holding: Vec<u32> = (1..=n)
            .filter(|k| {
                let part: BTreeSet<String> =
                    list(&["UpdateKeyAlias", "--shard", &format!("{k}/{n}")])
                        .into_iter()
                        .collect();
                users.iter().any(|u| part.contains(u))
            })
            .collect();
        assert_eq!(
            holding.len(),
            1,
            "the fixture's cases are in shards {holding:?} of {n}"
        );
    }
}

#[test]
fn a_bad_shard_is_refused_at_parse_time() {
    for bad in ["0/3", "4/3", "1/1001", "2", "x/y"] {
        let out = specgate(&["run", "--list", "--shard", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", text(&out));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("1 ≤ K ≤ N ≤ 1000"),
            "{}",
            text(&out)
        );
    }
}

/// report.json without what differs between any two runs of the embedded emulator: of the
/// exchanges, only each case's first request of its own (not a fixture's) is kept, with the numbers of its placeholder ids
/// removed (the emulator's state is shared by concurrent cases, so a list answer shows whatever
/// other cases created at that moment, and later requests and id numbers follow it, unsharded
/// or not).
fn comparable(path: &Path) -> Value {
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let ids = regex::Regex::new(r"<(uuid|hex):\d+>").unwrap();
    for o in v["outcomes"].as_array_mut().unwrap() {
        // A fixture's set-up is recorded by whichever of its cases came first: left out.
        let first = o["exchanges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| !x["step"].as_str().unwrap().starts_with("fixture "))
            .map(|x| x["request"].clone())
            .unwrap_or(Value::Null);
        let text = ids.replace_all(&first.to_string(), "<$1>").into_owned();
        let o = o.as_object_mut().unwrap();
        o.remove("exchanges");
        o.insert("first_request".into(), Value::String(text));
    }
    v
}

#[test]
fn three_merged_shards_report_what_the_unsharded_run_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = |s: &str| tmp.path().join(s);
    let path = |p: PathBuf| p.to_str().unwrap().to_string();
    let full = specgate(&[
        "run",
        "-q",
        "--stable-report",
        "--run-id",
        "r",
        "--report-dir",
        &path(dir("full")),
    ]);
    assert_eq!(full.status.code(), Some(0), "{}", text(&full));
    let mut shards = Vec::new();
    for k in 1..=3 {
        let out = specgate(&[
            "run",
            "-q",
            "--shard",
            &format!("{k}/3"),
            "--run-id",
            "s",
            "--report-dir",
            &path(dir(&format!("shard-{k}"))),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        shards.push(path(dir(&format!("shard-{k}/s"))));
    }
    let mut args = vec!["merge"];
    args.extend(shards.iter().map(String::as_str));
    let out_dir = path(dir("merged"));
    args.extend(["--stable-report", "--run-id", "r", "--report-dir", &out_dir]);
    let merged = specgate(&args);
    assert_eq!(merged.status.code(), Some(0), "{}", text(&merged));
    let read = |p: PathBuf| std::fs::read_to_string(p).unwrap();
    assert_eq!(
        read(dir("merged/r/report.md")),
        read(dir("full/r/report.md"))
    );
    assert_eq!(
        read(dir("merged/r/junit.xml")),
        read(dir("full/r/junit.xml"))
    );
    let (m, f) = (
        comparable(&dir("merged/r/report.json")),
        comparable(&dir("full/r/report.json")),
    );
    assert_eq!(
        m["outcomes"].as_array().unwrap().len(),
        f["outcomes"].as_array().unwrap().len()
    );
    for (a, b) in m["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .zip(f["outcomes"].as_array().unwrap())
    {
        assert_eq!(a, b, "an outcome of the merged report.json differs");
    }
    for (k, v) in m.as_object().unwrap() {
        assert_eq!(v, &f[k], "`{k}` of the merged report.json differs");
    }
    assert_eq!(m, f);

    // A shard's report (with `run.suite` and `run.shard`) and the merged one keep to the schema.
    let schema: Value =
        serde_json::from_str(&read(PathBuf::from("docs/report-schema.json"))).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for file in [dir("shard-1/s/report.json"), dir("merged/r/report.json")] {
        let v: Value = serde_json::from_str(&read(file.clone())).unwrap();
        let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", file.display());
        assert!(
            v["run"]["suite"]["digest"]
                .as_str()
                .unwrap()
                .starts_with("sha256:")
        );
    }
    let shard: Value = serde_json::from_str(&read(dir("shard-1/s/report.json"))).unwrap();
    assert_eq!(shard["run"]["shard"], "1/3");

    // A damaged shard report is an error naming it, and nothing is written.
    let broken = dir("shard-2/s/report.json");
    let text2 = read(broken.clone());
    std::fs::write(&broken, &text2[..text2.len() / 2]).unwrap();
    let mut args = vec!["merge"];
    args.extend(shards.iter().map(String::as_str));
    let again = path(dir("again"));
    args.extend(["--report-dir", &again]);
    let out = specgate(&args);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(broken.to_str().unwrap()) && err.contains("truncated"),
        "{err}"
    );
    assert!(!dir("again/latest").exists());

    // A missing shard is named, not silently left out.
    let out = specgate(&["merge", &shards[0], &shards[2], "--report-dir", &again]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("2/3"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_report_of_another_suite_is_refused_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    copy_suite(tmp.path());
    add_case(tmp.path());
    let specs = tmp.path().join("specs");
    let cases = tmp.path().join("cases");
    let reports = tmp.path().join("reports");
    let out = specgate(&[
        "run",
        "-q",
        "ListKeys::zz-added",
        "--specs",
        specs.to_str().unwrap(),
        "--cases",
        cases.to_str().unwrap(),
        "--run-id",
        "other",
        "--report-dir",
        reports.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // Merged against the shipped suite: the case files differ.
    let merged = tmp.path().join("merged");
    let out = specgate(&[
        "merge",
        reports.join("other").to_str().unwrap(),
        "--report-dir",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("another suite"), "{err}");
    assert!(err.contains("ListKeys.yaml (changed)"), "{err}");
}

/// A profile named `ci-kms` for an emulator at `url`, with the emulator's identity.
fn profile(path: &Path, url: &str) {
    std::fs::write(
        path,
        format!(
            "name: ci-kms\nservices:\n  alibaba-kms:\n    endpoint: {url}\n    auth: {{ kind: none }}\n    vars: {{ region: cn-hangzhou, account: \"1234567890123456\" }}\n  huawei-kms:\n    endpoint: {url}\n    auth: {{ kind: none }}\n    vars: {{ project_id: 0123456789abcdef0123456789abcdef, huawei_region: cn-north-4, domain_id: 3bab8e245e854f68af5967c00dd43127 }}\n"
        ),
    )
    .unwrap();
}

#[test]
fn a_failing_shard_fails_the_merged_gate_and_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let good = serve(&[]);
    let bad = serve(&["--deviate", "keys-bare-array"]);
    let (good_profile, bad_profile) = (tmp.path().join("good.yaml"), tmp.path().join("bad.yaml"));
    profile(&good_profile, &good.url);
    profile(&bad_profile, &bad.url);
    // Shard 1 against the conforming emulator, shard 2 against the deviating one; ListKeys
    // cases are in both shards of 2, so the deviation shows in shard 2.
    let run = |shard: &str, profile: &Path, dir: &str, write_baseline: Option<&Path>| {
        let mut extra = Vec::new();
        if let Some(b) = write_baseline {
            extra = vec!["--write-baseline", b.to_str().unwrap()];
        }
        let out = specgate(
            &[
                "run",
                "-q",
                "ListKeys",
                "--allow-mutations",
                "--shard",
                shard,
                "--target",
                profile.to_str().unwrap(),
                "--run-id",
                "s",
                "--report-dir",
                tmp.path().join(dir).to_str().unwrap(),
            ]
            .into_iter()
            .chain(extra)
            .collect::<Vec<_>>(),
        );
        (out.status.code(), text(&out))
    };
    let (code, out) = run("1/2", &good_profile, "shard-1", None);
    assert_eq!(code, Some(0), "{out}");
    let baseline = tmp.path().join("known.yaml");
    let (code, out) = run("2/2", &bad_profile, "shard-2", Some(&baseline));
    assert_eq!(code, Some(1), "{out}");
    let shard_1 = tmp.path().join("shard-1/s");
    let shard_2 = tmp.path().join("shard-2/s");
    let merged = tmp.path().join("merged");
    let out = specgate(&[
        "merge",
        shard_1.to_str().unwrap(),
        shard_2.to_str().unwrap(),
        "--run-id",
        "m",
        "--report-dir",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(merged.join("m/report.json")).unwrap())
            .unwrap();
    assert_eq!(report["gate"]["verdict"], "fail");
    let reasons: Vec<&str> = report["gate"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    let names = |dir: &Path| reasons.iter().any(|r| r.starts_with(dir.to_str().unwrap()));
    assert!(names(&shard_2), "{reasons:?}");
    assert!(!names(&shard_1), "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r.contains("shard 2/2")),
        "{reasons:?}"
    );
    // One target column for both shards.
    assert_eq!(report["targets"].as_array().unwrap().len(), 1);

    // The baseline is applied by the merge, to every shard's outcomes at once: the shards ran
    // without one, and the deviations it lists are known deviations in the merged report.
    let out = specgate(&[
        "merge",
        shard_1.to_str().unwrap(),
        shard_2.to_str().unwrap(),
        "--baseline",
        baseline.to_str().unwrap(),
        "--run-id",
        "known",
        "--report-dir",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(merged.join("known/report.json")).unwrap())
            .unwrap();
    assert!(
        report["counts"]["known"].as_u64().unwrap() > 0,
        "{}",
        report["counts"]
    );
    assert_eq!(report["counts"]["fail"], 0);
    let entries = report["baseline"]["entries"].as_array().unwrap();
    assert!(!entries.is_empty());
    assert!(
        entries.iter().all(|e| e["state"] == "reproduced"),
        "{entries:?}"
    );
}

#[test]
fn a_shard_that_holds_none_of_the_selection_runs_nothing_and_passes() {
    // One case, two shards: one shard is empty, which is no misspelt filter.
    let tmp = tempfile::tempdir().unwrap();
    let one = "alibaba-kms/ListKeys::page-size-1";
    let mut sizes = Vec::new();
    let mut dirs = Vec::new();
    for k in 1..=2 {
        let out = specgate(&[
            "run",
            "-q",
            one,
            "--exact",
            "--shard",
            &format!("{k}/2"),
            "--run-id",
            &format!("s{k}"),
            "--report-dir",
            tmp.path().to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        let dir = tmp.path().join(format!("s{k}"));
        let v: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap())
                .unwrap();
        sizes.push(v["outcomes"].as_array().unwrap().len());
        dirs.push(dir.to_str().unwrap().to_string());
    }
    sizes.sort();
    assert_eq!(sizes, [0, 1]);
    let merged = tmp.path().join("merged");
    let out = specgate(&[
        "merge",
        &dirs[0],
        &dirs[1],
        "--report-dir",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 reports, 1 outcomes"));
}

/// One profile run per region (`--var region=…`): each run names its target after the region,
/// and the merge compares them side by side, one matrix column per region.
#[test]
fn runs_of_one_profile_in_two_regions_merge_into_two_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let emulator = serve(&[]);
    let path = tmp.path().join("kms.yaml");
    profile(&path, &emulator.url);
    let run = |region: &str| {
        let dir = tmp.path().join(region);
        let out = specgate(&[
            "run",
            "-q",
            "alibaba-kms/ListKeys::page-size-1",
            "--exact",
            "--target",
            path.to_str().unwrap(),
            "--var",
            &format!("region={region}"),
            "--run-id",
            "r",
            "--report-dir",
            dir.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        dir.join("r")
    };
    let (a, b) = (run("cn-hangzhou"), run("cn-shanghai"));
    let merged = tmp.path().join("merged");
    let out = specgate(&[
        "merge",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--run-id",
        "m",
        "--report-dir",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(merged.join("m/report.json")).unwrap())
            .unwrap();
    let names: Vec<&str> = report["matrix"]["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap_or_else(|| t["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        names,
        ["ci-kms[region=cn-hangzhou]", "ci-kms[region=cn-shanghai]"],
        "{}",
        report["matrix"]
    );
}
