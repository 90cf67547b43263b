//! `specgate import`: vendor pages to draft specs and derived cases. The seed pages are read
//! from `../shared/seeds` beside the checkout (as CI lays it out) or one level further up (a
//! worktree); the tests that need them fail, not skip, when they are absent. The other pages are
//! fixtures written for these tests (`tests/fixtures/import/`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use specgate::import::{check_against, detect};

const BIN: &str = env!("CARGO_BIN_EXE_specgate");
const FIXTURES: &str = "tests/fixtures/import";

/// The seed pages: (file, operation, service).
const SEEDS: &[(&str, &str, &str)] = &[
    (
        "000_c5f7780987a25658.txt",
        "ListAliasesByKeyId",
        "alibaba-kms",
    ),
    ("001_c26ab30809f2de92.txt", "ListKeys", "alibaba-kms"),
    ("002_314a43c1b85cb216.txt", "CreateAlias", "huawei-kms"),
    ("003_165d8ee305eaa817.txt", "UpdateKeyAlias", "huawei-kms"),
    ("004_bdb3eb6d11f295a4.txt", "ListKeyVersions", "alibaba-kms"),
];

fn seeds() -> PathBuf {
    ["../shared/seeds", "../../shared/seeds"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.join(SEEDS[0].0).is_file())
        .expect("the seed pages: ../shared/seeds beside the checkout")
}

fn specgate(args: &[&str], cwd: Option<&Path>) -> Output {
    let mut c = Command::new(BIN);
    c.args(args);
    if let Some(d) = cwd {
        c.current_dir(d);
    }
    c.output().expect("run specgate")
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn import(file: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "import",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    specgate(&args, None)
}

/// Every file under `dir`, with its bytes, sorted by path.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// Lints the drafts under `out` (`specs/`, `cases/`), quotes checked against `seeds` when
/// given, and asserts that lint passes.
fn lint_clean(out: &Path, seeds: Option<&Path>) -> Output {
    let (specs, cases) = (out.join("specs"), out.join("cases"));
    let mut args = vec!["lint", "--specs", specs.to_str().unwrap()];
    if let Some(s) = seeds {
        args.extend(["--seeds", s.to_str().unwrap()]);
    }
    args.push(cases.to_str().unwrap());
    let lint = specgate(&args, None);
    assert!(lint.status.success(), "{}", text(&lint));
    lint
}

fn import_seeds(out: &Path) {
    for (file, ..) in SEEDS {
        let o = import(&seeds().join(file), out, &[]);
        assert!(o.status.success(), "{file}: {}", text(&o));
    }
}

#[test]
fn the_seed_pages_import_to_drafts_that_lint_clean_and_pass_the_emulator() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    import_seeds(&out);
    let specs = out.join("specs");
    let cases = out.join("cases");
    let lint = lint_clean(&out, Some(&seeds()));
    assert!(
        String::from_utf8_lossy(&lint.stdout).contains("5 operations"),
        "{}",
        text(&lint)
    );

    // Against the embedded emulator: the gate passes, so every documented case passed and every
    // failure is an inferred case (reported as a documentation ambiguity of its doc note).
    let reports = tmp.path().join("reports");
    let run = specgate(
        &[
            "run",
            "--specs",
            specs.to_str().unwrap(),
            "--cases",
            cases.to_str().unwrap(),
            "--report-dir",
            reports.to_str().unwrap(),
            "--jobs",
            "1",
        ],
        None,
    );
    let shown = text(&run);
    assert_eq!(run.status.code(), Some(0), "{shown}");
    assert!(shown.contains("gate: PASS"), "{shown}");
    for line in shown.lines().filter(|l| l.contains(" ... ")) {
        assert!(
            line.ends_with("... ok")
                || line.contains("documentation ambiguity: the target reads doc note"),
            "a derived case failed for no stated reading: {line}"
        );
    }
    // A default echoed by a member of the same name, and n copies of one entry at the count
    // bound, are readings: the page states neither reaction, so they are inferred, with a note.
    let list_keys = std::fs::read_to_string(cases.join("alibaba-kms/ListKeys.yaml")).unwrap();
    for (case, note) in [
        ("defaults-echoed", "defaults-echoed"),
        ("filters-max-items", "filters-max-items-accepted"),
    ] {
        let want =
            format!("name: \"{case}\"\n    provenance: \"inferred\"\n    doc_note: \"{note}\"");
        assert!(list_keys.contains(&want), "{want:?} not in:\n{list_keys}");
    }
    // The cases that need no resource of the page's account pass (as documented or as readings
    // the emulator holds).
    for ok in [
        "alibaba-kms/ListKeys::documented-sample-request",
        "alibaba-kms/ListKeys::defaults-echoed",
        "alibaba-kms/ListKeys::page-size-maximum",
        "alibaba-kms/ListKeys::pagination-walk",
        "alibaba-kms/ListKeys::filters-max-items",
        "huawei-kms/UpdateKeyAlias::key-id-not-found",
    ] {
        assert!(
            shown
                .lines()
                .any(|l| l.starts_with(&format!("test {ok} ")) && l.ends_with("... ok")),
            "{ok} did not pass:\n{shown}"
        );
    }
}

#[test]
fn importing_twice_writes_the_same_bytes_and_never_overwrites_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let page = Path::new(FIXTURES).join("alibaba_list_aliases.txt");
    assert!(import(&page, &a, &[]).status.success());
    assert!(import(&page, &b, &[]).status.success());
    let first = tree(&a);
    assert_eq!(first.len(), 3, "{first:?}");
    assert_eq!(first, tree(&b));
    // Again into the same place: nothing changes, and the summary says so.
    let again = import(&page, &a, &[]);
    assert!(again.status.success(), "{}", text(&again));
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("unchanged"),
        "{}",
        text(&again)
    );
    assert_eq!(first, tree(&a));

    // A hand edit is not overwritten: nothing is written, not even the files that are new (the
    // spec is written before the case file, so a file-by-file writer would leave it).
    let spec = a.join("specs/alibaba-kms/ListAliases.yaml");
    let cases = a.join("cases/alibaba-kms/ListAliases.yaml");
    std::fs::write(&cases, "# reviewed by hand\n").unwrap();
    std::fs::remove_file(&spec).unwrap();
    let refused = import(&page, &a, &[]);
    assert_eq!(refused.status.code(), Some(3), "{}", text(&refused));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("--force"),
        "{}",
        text(&refused)
    );
    assert_eq!(
        std::fs::read_to_string(&cases).unwrap(),
        "# reviewed by hand\n"
    );
    assert!(
        !spec.exists(),
        "the spec was written although the import was refused"
    );
    let forced = import(&page, &a, &["--force"]);
    assert!(forced.status.success(), "{}", text(&forced));
    assert_eq!(first, tree(&a));
}

#[test]
fn pages_not_in_the_project_import_in_both_layouts_and_lint_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    for page in ["alibaba_list_aliases.txt", "huawei_list_keys.txt"] {
        let o = import(&Path::new(FIXTURES).join(page), &out, &[]);
        assert!(o.status.success(), "{page}: {}", text(&o));
    }
    let summary = |o: &Output| String::from_utf8_lossy(&o.stdout).into_owned();
    let o = import(
        &Path::new(FIXTURES).join("huawei_list_keys.txt"),
        &tmp.path().join("x"),
        &[],
    );
    assert!(
        summary(&o).starts_with("huawei-kms/ListKeys: 4 parameters, 8 constraints parsed, 1 left as notes, 14 cases derived (6 documented, 8 inferred)"),
        "{}",
        text(&o)
    );
    // Quotes are checked against the fixture pages themselves.
    lint_clean(&out, Some(Path::new(FIXTURES)));
    let ali = std::fs::read_to_string(out.join("specs/alibaba-kms/ListAliases.yaml")).unwrap();
    for want in [
        "minimum: 1\n      maximum: 100\n      default: 10",
        "pattern: \"^alias/[a-zA-Z0-9:/_-]+$\"",
        "enum:\n        - \"Ascending\"\n        - \"Descending\"",
        "items: \"/Aliases/Alias\"\n  item_id: \"/AliasName\"",
        "id: \"aliases-bare-array\"",
    ] {
        assert!(ali.contains(want), "{want:?} not in:\n{ali}");
    }
    let hw = std::fs::read_to_string(out.join("specs/huawei-kms/ListKeys.yaml")).unwrap();
    for want in [
        "maximum: 1000\n      default: 1000",
        "path: \"/v1.0/{project_id}/kms/list-keys\"",
        "- \"4\"",
    ] {
        assert!(hw.contains(want), "{want:?} not in:\n{hw}");
    }
    // A page's table or sample may leave members out: drafts never close an object, so a
    // faithful target that sends more (the emulator's Huawei ListKeys adds `key_details`) is
    // not failed; and no documented case of the draft fails against the emulator.
    assert!(!hw.contains("additionalProperties"), "{hw}");
    let run = specgate(
        &[
            "run",
            "--no-report",
            "-q",
            "--specs",
            tmp.path().join("x/specs").to_str().unwrap(),
            "--cases",
            tmp.path().join("x/cases").to_str().unwrap(),
        ],
        None,
    );
    assert!(run.status.success(), "{}", text(&run));
    let cases = std::fs::read_to_string(out.join("cases/huawei-kms/ListKeys.yaml")).unwrap();
    assert!(
        !cases.contains("project_id"),
        "path parameters come from the target:\n{cases}"
    );
}

/// The recall of the importer on the seed pages against the shipped specs (docs/import.md):
/// every request parameter and every response field of the success schema.
#[test]
fn the_seed_pages_reproduce_the_shipped_specs_parameters_and_fields() {
    for (file, op, service) in SEEDS {
        let results = check_against(&seeds().join(file), &[], Path::new("specs")).unwrap();
        assert_eq!(results.len(), 1);
        let (id, c) = &results[0];
        assert_eq!(id, &format!("{service}/{op}"));
        assert!(
            c.param_recall() >= 1.0,
            "{id}: {:?} of {:?}",
            c.found_params,
            c.spec_params
        );
        assert!(
            c.field_recall() >= 1.0,
            "{id}: {:?} of {:?}",
            c.found_fields,
            c.spec_fields
        );
    }
}

#[test]
fn check_lists_what_a_spec_and_its_source_disagree_on() {
    let page = seeds().join("001_c26ab30809f2de92.txt");
    let agree = specgate(
        &[
            "import",
            page.to_str().unwrap(),
            "--check",
            "specs/alibaba-kms/ListKeys.yaml",
        ],
        None,
    );
    assert_eq!(agree.status.code(), Some(0), "{}", text(&agree));
    assert!(
        String::from_utf8_lossy(&agree.stdout).contains("0 disagreements"),
        "{}",
        text(&agree)
    );

    // A spec kept by hand that drifted: another bound, a missing parameter, a field the page lacks.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("specs/alibaba-kms");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy("specs/alibaba-kms/service.yaml", dir.join("service.yaml")).unwrap();
    let spec = std::fs::read_to_string("specs/alibaba-kms/ListKeys.yaml").unwrap();
    let drifted = spec
        .replacen("      maximum: 100\n", "      maximum: 50\n", 1)
        .replacen(
            "        TotalCount: { type: integer, minimum: 0 }\n",
            "        TotalCount: { type: integer, minimum: 0 }\n        NextToken: { type: string }\n",
            1,
        );
    let drifted = without_param(&drifted, "Filters");
    assert_ne!(drifted, spec);
    std::fs::write(dir.join("ListKeys.yaml"), drifted).unwrap();
    let o = specgate(
        &[
            "import",
            page.to_str().unwrap(),
            "--check",
            dir.join("ListKeys.yaml").to_str().unwrap(),
        ],
        None,
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    for want in [
        "parameter `PageSize`: maximum is 100 in the source, 50 in the spec",
        "parameter `Filters` of the source is not in the spec",
        "response field `NextToken` of the spec is not in the source",
    ] {
        assert!(out.contains(want), "{want:?} not in:\n{out}");
    }
}

/// The spec text without one parameter's block (from its key to the next parameter or section).
fn without_param(spec: &str, name: &str) -> String {
    let start = spec.find(&format!("    {name}:\n")).unwrap();
    let end = spec[start..]
        .find("\npagination:")
        .map(|i| start + i + 1)
        .unwrap();
    format!("{}\n{}", &spec[..start], &spec[end..])
}

#[test]
fn bad_input_is_refused_with_what_was_expected_and_out_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let cases: [(&str, &[&str], &str); 4] = [
        (
            "not_a_page.txt",
            &[],
            "expected a vendor documentation page",
        ),
        (
            "alibaba_no_table.txt",
            &[],
            "no parameter table: expected rows",
        ),
        (
            "alibaba_list_aliases.txt",
            &["--operation", "DescribeKey"],
            "no operation `DescribeKey`; the source documents: ListAliases",
        ),
        (
            "alibaba_list_aliases.txt",
            &["--service", "specs/no-such-service"],
            "no service.yaml",
        ),
    ];
    for (page, extra, want) in cases {
        let o = import(&Path::new(FIXTURES).join(page), &out, extra);
        assert_eq!(o.status.code(), Some(3), "{page}: {}", text(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(want), "{page}: {want:?} not in {err}");
        assert!(
            err.contains(page) || page == "alibaba_list_aliases.txt",
            "{page}: the error names the file: {err}"
        );
        assert!(!out.exists(), "{page}: --out was touched");
    }
    let o = import(&Path::new(FIXTURES).join("unknown.json"), &out, &[]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("Alibaba OpenAPI metadata (a JSON object with \"apis\")"),
        "{}",
        text(&o)
    );
    let meta = Path::new(FIXTURES).join("alibaba_api_docs.json");
    for (extra, want) in [
        (
            &[][..],
            "documents 2 operations (ListAliases, DescribeKey); pass --operation NAME",
        ),
        (
            &["--operation", "ListKeys"][..],
            "no operation `ListKeys`; the source documents: ListAliases, DescribeKey",
        ),
    ] {
        let o = import(&meta, &out, extra);
        assert_eq!(o.status.code(), Some(3), "{}", text(&o));
        assert!(
            String::from_utf8_lossy(&o.stderr).contains(want),
            "{want:?}: {}",
            text(&o)
        );
    }
    assert!(!out.exists(), "--out was touched");
    // The library says the same without writing.
    assert!(detect(&Path::new(FIXTURES).join("not_a_page.txt"), &[]).is_err());
}

#[test]
fn alibaba_metadata_imports_structured_and_prose_constraints() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let meta = Path::new(FIXTURES).join("alibaba_api_docs.json");
    let o = import(
        &meta,
        &out,
        &["--operation", "ListAliases", "--operation", "DescribeKey"],
    );
    assert!(o.status.success(), "{}", text(&o));
    let shown = String::from_utf8_lossy(&o.stdout);
    assert!(
        shown.contains("alibaba-kms/ListAliases: 3 parameters, 6 constraints parsed"),
        "{shown}"
    );
    assert!(
        shown.contains("alibaba-kms/DescribeKey: 1 parameters"),
        "{shown}"
    );
    lint_clean(&out, None);
    let spec = std::fs::read_to_string(out.join("specs/alibaba-kms/ListAliases.yaml")).unwrap();
    for want in [
        // Structured bounds written as text, a default, an enum member with a stray space.
        "minimum: 1\n      maximum: 100\n      default: 10",
        "says: \"PageSize schema maximum: 100\"",
        "enum:\n        - \"Ascending\"\n        - \"Descending\"",
        // The prose adds the bound the structure lacks ("greater than 0").
        "PageNumber:\n      in: \"query\"\n      type: \"integer\"\n      required: false\n      minimum: 1\n      default: 1",
        // The itemNode wrapper is the wire shape, in the schema and the sample.
        "items: \"/Aliases/Alias\"",
        "Aliases:\n        Alias:\n          - KeyId:",
        "kind: \"metadata\"",
    ] {
        assert!(spec.contains(want), "{want:?} not in:\n{spec}");
    }
    // DescribeKey's documented 404 runs against the emulator and passes as documented.
    let run = specgate(
        &[
            "run",
            "--specs",
            out.join("specs").to_str().unwrap(),
            "--cases",
            out.join("cases/alibaba-kms/DescribeKey.yaml")
                .to_str()
                .unwrap(),
            "--report-dir",
            tmp.path().join("reports").to_str().unwrap(),
        ],
        None,
    );
    let shown = text(&run);
    assert_eq!(run.status.code(), Some(0), "{shown}");
    assert!(
        shown.lines().any(
            |l| l.starts_with("test alibaba-kms/DescribeKey::key-id-not-found ")
                && l.ends_with("... ok")
        ),
        "{shown}"
    );
}

#[test]
fn huawei_swagger_definitions_import_with_their_request_example() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let def = Path::new(FIXTURES).join("huawei_swagger_associate_alias.json");
    let o = import(&def, &out, &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout)
            .starts_with("huawei-kms/AssociateAlias: 4 parameters, 10 constraints parsed"),
        "{}",
        text(&o)
    );
    lint_clean(&out, None);
    let spec = std::fs::read_to_string(out.join("specs/huawei-kms/AssociateAlias.yaml")).unwrap();
    for want in [
        "path: \"/v1.0/{project_id}/kms/alias/associate\"",
        "mutating: true",
        "min_length: 36\n      max_length: 36\n      pattern: \"^[0-9a-z]{8}-",
        "says: \"alias pattern: ^alias/[a-zA-Z0-9:/_-]+$\"",
        // The response's $refs are followed.
        "alias_info:\n          type: \"object\"",
    ] {
        assert!(spec.contains(want), "{want:?} not in:\n{spec}");
    }
    assert!(
        !spec.contains("X-Auth-Token"),
        "headers are the target's auth:\n{spec}"
    );
    let cases = std::fs::read_to_string(out.join("cases/huawei-kms/AssociateAlias.yaml")).unwrap();
    for want in [
        // The x-request-examples body is the documented request.
        "target_key_id: \"4f3e2d1c-0b0a-4999-8888-777766665555\"",
        // The 404 row states its trigger: documented, citing it.
        "name: \"target-key-id-not-found\"\n    provenance: \"documented\"",
        "says: \"404 The key or the alias does not exist.\"",
    ] {
        assert!(cases.contains(want), "{want:?} not in:\n{cases}");
    }
    let o = import(&def, &tmp.path().join("x"), &["--operation", "CreateAlias"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("no operation `CreateAlias`; the source documents: AssociateAlias"),
        "{}",
        text(&o)
    );
}

#[test]
fn export_openapi_writes_a_valid_openapi_3_1_document_of_the_specs() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("openapi.json");
    let o = specgate(
        &["export", "openapi", "--out", file.to_str().unwrap()],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let text_doc = std::fs::read_to_string(&file).unwrap();
    // A real OpenAPI 3.1 reader: the document parses into its model and declares 3.1.
    let spec = oas3::from_json(&text_doc).expect("an OpenAPI 3.1 document");
    spec.validate_version()
        .expect("a supported OpenAPI version");
    let ops: Vec<(String, String)> = spec
        .operations()
        .map(|(path, method, op)| {
            (
                path,
                format!("{method} {}", op.operation_id.clone().unwrap_or_default()),
            )
        })
        .collect();
    for want in [
        ("/?Action=ListKeys", "POST alibaba-kms.ListKeys"),
        (
            "/v1.0/{project_id}/kms/aliases",
            "POST huawei-kms.CreateAlias",
        ),
        (
            "/v1.0/{project_id}/kms/update-key-alias",
            "POST huawei-kms.UpdateKeyAlias",
        ),
    ] {
        assert!(
            ops.iter().any(|(p, m)| p == want.0 && m == want.1),
            "{want:?} not in {ops:?}"
        );
    }
    // Every spec's operation is there, and every success example satisfies its schema.
    let doc: serde_json::Value = serde_json::from_str(&text_doc).unwrap();
    // 14 Alibaba and Huawei operations and the 8 of AWS KMS (one `POST /` each, kept apart
    // by their X-Amz-Target).
    assert_eq!(ops.len(), 22, "{ops:?}");
    assert!(
        ops.iter()
            .any(|(p, m)| p == "/#X-Amz-Target=TrentService.ListKeys"
                && m == "POST aws-kms.ListKeys"),
        "{ops:?}"
    );
    let mut examples = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (_, op) in item.as_object().unwrap() {
            // Each {name} of a path is a path parameter of the operation.
            for seg in path.split('/').filter(|s| s.starts_with('{')) {
                let name = seg.trim_matches(|c| c == '{' || c == '}');
                assert!(
                    op["parameters"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|p| p["in"] == "path" && p["name"] == name),
                    "{path}: no path parameter {name}"
                );
            }
            for (_, r) in op["responses"].as_object().unwrap() {
                let media = &r["content"]["application/json"];
                if let (Some(s), Some(e)) = (media.get("schema"), media.get("example")) {
                    let v = jsonschema::validator_for(s).unwrap();
                    assert!(
                        v.is_valid(e),
                        "{path}: the example does not satisfy its schema"
                    );
                    examples += 1;
                }
            }
        }
    }
    // The five documented operations carry their samples.
    assert!(examples >= 5, "{examples}");
    let list_keys = &doc["paths"]["/?Action=ListKeys"]["post"]["parameters"];
    let page_size = list_keys
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "PageSize")
        .unwrap();
    assert_eq!(page_size["schema"]["maximum"], 100);
    assert_eq!(page_size["schema"]["default"], 10);

    // One service only; an unknown one is refused.
    let o = specgate(&["export", "openapi", "--service", "huawei-kms"], None);
    assert!(o.status.success(), "{}", text(&o));
    let only: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        only["paths"]
            .as_object()
            .unwrap()
            .keys()
            .all(|p| p.starts_with("/v1.0/")),
        "{only}"
    );
    let o = specgate(&["export", "openapi", "--service", "huawei-kmss"], None);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no service `huawei-kmss`"),
        "{}",
        text(&o)
    );
}
