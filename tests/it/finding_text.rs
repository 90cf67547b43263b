//! How a failing finding reads, as the `specgate` process writes it (issue 15 items 2, 4, 6):
//! the reason before the values, repeats over an array folded into one line with a count, the
//! case file:line:col of the step in the console, junit.xml, report.json; and with
//! `GITHUB_ACTIONS=true` one `::error file=…,line=…,col=…` annotation per failing finding.
//!
//! The deviation `alias-name-without-prefix` makes every AliasName of a ListAliasesByKeyId answer
//! break the schema's pattern: one finding per item of the array.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::serve::serve;

fn run(dir: &Path, endpoint: &str, filter: &str, github: bool) -> Output {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_specgate"));
    cmd.args(["run", filter, "--jobs", "1", "--target"])
        .arg(format!("{root}/targets/local.yaml"))
        .args(["--var", &format!("endpoint={endpoint}")])
        .args(["--specs", &format!("{root}/specs")])
        .args(["--cases", &format!("{root}/cases")])
        .args(["--run-id", "findings", "--report-dir"])
        .arg(dir.join("reports"))
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS");
    if github {
        cmd.env("GITHUB_ACTIONS", "true");
    }
    cmd.output().expect("specgate runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The console's lines under `---- <case> ----`, up to the next blank line.
fn block<'a>(out: &'a str, case: &str) -> Vec<&'a str> {
    out.lines()
        .skip_while(|l| *l != format!("---- {case} ----"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect()
}

#[test]
fn a_finding_reads_reason_first_is_folded_over_an_array_and_points_at_its_step() {
    let emu = serve(&["--deviate", "alias-name-without-prefix"]);
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &emu.url, "ListAliasesByKeyId::", false);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        !text.contains("::error"),
        "no annotations outside GitHub Actions: {text}"
    );

    let case = "alibaba-kms/ListAliasesByKeyId::documented-sample-request";
    let lines = block(&text, case);
    // The ten AliasName findings are one line, the reason right after the kind and step.
    let schema: Vec<&&str> = lines.iter().filter(|l| l.contains("[schema]")).collect();
    assert_eq!(schema.len(), 1, "{lines:#?}");
    let line = schema[0];
    assert!(
        line.starts_with("  [schema] step 2 (list-aliases): the value does not match \"^alias/"),
        "{line}"
    );
    assert!(
        line.contains(" × 10 at /Aliases/Alias/*/AliasName (first: /Aliases/Alias/0/AliasName)"),
        "{line}"
    );
    // It ends with where the step is written; that place is the step `list-aliases`.
    let cases = format!("{}/cases", env!("CARGO_MANIFEST_DIR"));
    let file = format!("{cases}/alibaba-kms/ListAliasesByKeyId.yaml");
    let (at, tail) = line.rsplit_once(&format!("({file}:")).expect(line);
    assert!(!at.is_empty());
    let pos = tail.strip_suffix(')').expect(line);
    let (l, c) = pos.split_once(':').expect(pos);
    let (l, c): (usize, usize) = (l.parse().unwrap(), c.parse().unwrap());
    let source = std::fs::read_to_string(&file).unwrap();
    let written = source.lines().nth(l - 1).unwrap();
    assert!(
        written[c - 1..].starts_with("name: list-aliases"),
        "{l}:{c} is {written:?}"
    );

    // junit.xml names the file and line on the testcase.
    let dir = tmp.path().join("reports/findings");
    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert!(
        junit.contains(&format!(
            "<testcase name=\"documented-sample-request\" classname=\"alibaba-kms/ListAliasesByKeyId\" time=\"0.000\" file=\"{file}\" line=\"{l}\">"
        )) || junit.lines().any(|t| t.contains("name=\"documented-sample-request\"")
            && t.contains(&format!("file=\"{file}\" line=\"{l}\""))),
        "{junit}"
    );
    // report.json: every finding of the case has `source: {file, line, col}`.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap();
    let outcome = json["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == case)
        .expect("the outcome");
    let findings = outcome["findings"].as_array().unwrap();
    assert!(findings.len() >= 10, "{findings:#?}");
    for f in findings {
        assert_eq!(
            f["source"],
            serde_json::json!({ "file": file, "line": l, "col": c }),
            "{f}"
        );
    }
    // report.md folds and points the same way.
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(
        md.contains(&format!(
            "× 10 at `/Aliases/Alias/*/AliasName` (first: `/Aliases/Alias/0/AliasName`) (`{file}:{l}:{c}`)"
        )),
        "{md}"
    );
}

#[test]
fn in_github_actions_each_failing_finding_is_an_error_annotation_on_its_step() {
    let emu = serve(&["--deviate", "alias-name-without-prefix"]);
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &emu.url, "ListAliasesByKeyId::", true);
    let text = stdout(&out);
    let file = format!(
        "{}/cases/alibaba-kms/ListAliasesByKeyId.yaml",
        env!("CARGO_MANIFEST_DIR")
    )
    .replace(':', "%3A")
    .replace(',', "%2C");
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("::error ")).collect();
    // One per folded finding of each failed case (7 cases, 9 folded findings, as the console
    // shows them); the documented sample's folded pattern failure is one of them.
    assert!(errors.len() >= 7, "{text}");
    let want = format!(
        "::error file={file},line=20,col=9,title=alibaba-kms/ListAliasesByKeyId%3A%3Adocumented-sample-request::[schema] step 2 (list-aliases): the value does not match"
    );
    assert!(
        errors.iter().any(|l| l.starts_with(&want)),
        "{want}\n{errors:#?}"
    );
    assert!(!text.contains("::notice"), "{text}");
}

#[test]
fn past_the_cap_annotations_end_with_a_notice_that_counts_the_rest() {
    let r = crate::support::report_fixture::report(false);
    let all = specgate::report::annotations_at_most(&r, usize::MAX).unwrap();
    let n = all.lines().filter(|l| l.starts_with("::error ")).count();
    assert!(n >= 2, "{all}");
    assert!(!all.contains("::notice"), "{all}");
    let capped = specgate::report::annotations_at_most(&r, 1).unwrap();
    let lines: Vec<&str> = capped.lines().collect();
    assert_eq!(lines.len(), 2, "{capped}");
    assert_eq!(lines[0], all.lines().next().unwrap());
    assert_eq!(
        lines[1],
        format!(
            "::notice title=specgate::{} more failing findings not annotated (at most 1); see the report",
            n - 1
        )
    );
    assert_eq!(specgate::report::MAX_ANNOTATIONS, 50);
}

/// Issue 15 item 10, with the three deviations. Observed: two distinct deviations, not
/// three. `keys-bare-array` fails 19 ListKeys cases at `/Keys` (its 7 other finding groups, such
/// as nothing at `/Keys/Key`, appear only in those cases and are counted as its consequences);
/// `huawei-create-alias-200` fails 2 CreateAlias cases; `total-count-off-by-one` shows nowhere:
/// every other Alibaba list case is blocked by the deviating ListKeys set-up step, and ListKeys
/// has no items array left to count.
#[test]
fn the_summary_and_report_md_open_with_the_distinct_deviations_by_reach() {
    let emu = serve(&[
        "--deviate",
        "keys-bare-array",
        "--deviate",
        "total-count-off-by-one",
        "--deviate",
        "huawei-create-alias-200",
    ]);
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &emu.url, "", false);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let lines: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("distinct deviations: "))
        .take_while(|l| !l.starts_with("specgate: "))
        .collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(lines[0], "distinct deviations: 2 (by the cases they fail)");
    assert!(
        lines[1].starts_with(
            "    19 cases alibaba-kms/ListKeys  [schema] at /Keys: the value is not of type \"object\""
        ) && lines[1].ends_with("(+7 findings that follow from it)"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2]
            .starts_with("     2 cases huawei-kms/CreateAlias  [status] step 2 (create-alias): "),
        "{}",
        lines[2]
    );
    // The readings still follow the summary.
    assert!(
        text.contains("readings: alibaba-kms/ListKeys `page-size-101`"),
        "{text}"
    );
    let md = std::fs::read_to_string(tmp.path().join("reports/findings/report.md")).unwrap();
    let distinct = md.find("## Distinct deviations (2)").expect(&md);
    let failures = md.find("## Failures").expect(&md);
    assert!(distinct < failures, "{md}");
    assert!(
        md[distinct..failures]
            .contains("- **19 cases** · `alibaba-kms/ListKeys`: \\[schema\\] at /Keys"),
        "{md}"
    );
    let html = std::fs::read_to_string(tmp.path().join("reports/findings/report.html")).unwrap();
    let section = html
        .find("<h2>Distinct deviations (2)</h2>")
        .expect("the html section");
    assert!(section < html.find("<section id=\"run\">").unwrap());
    assert!(
        html.contains("<li><strong>19 cases</strong> · <code>alibaba-kms/ListKeys</code>: <span class=\"mono\">[schema] at /Keys: the value is not of type &quot;object&quot;"),
        "{}",
        &html[section..]
    );
}
