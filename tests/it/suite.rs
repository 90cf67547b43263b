//! The shipped suite: it lints clean, covers each documented operation with enough cases,
//! carries the documented samples in their wire shape, and records every inconsistency of the
//! vendor pages (the list in `shared/seeds/README.md`) as a doc note or constraint of a spec.

use std::path::{Path, PathBuf};

use specgate::case::Provenance;
use specgate::spec::Operation;
use specgate::suite::Suite;

const DOCUMENTED: &[&str] = &[
    "alibaba-kms/ListKeys",
    "alibaba-kms/ListAliasesByKeyId",
    "alibaba-kms/ListKeyVersions",
    "huawei-kms/CreateAlias",
    "huawei-kms/UpdateKeyAlias",
];

fn shipped() -> Suite {
    match Suite::load(Path::new("specs"), &[PathBuf::from("cases")]) {
        Ok(s) => s,
        Err(d) => panic!("{}", specgate::diag::render_all(&d)),
    }
}

#[test]
fn every_documented_operation_has_at_least_12_cases_with_provenance() {
    let suite = shipped();
    for op in DOCUMENTED {
        let cases: Vec<_> = suite
            .cases()
            .into_iter()
            .filter(|c| c.operation == *op)
            .collect();
        assert!(cases.len() >= 12, "{op} has only {} cases", cases.len());
        for c in &cases {
            if c.provenance == Provenance::Inferred {
                assert!(
                    c.doc_note.is_some(),
                    "{} is inferred without a doc note",
                    c.id()
                );
            }
        }
    }
}

#[test]
fn documented_operations_carry_their_page_and_a_valid_sample() {
    let suite = shipped();
    for id in DOCUMENTED {
        let op = &suite.operations[*id];
        assert!(!op.supporting, "{id} is marked supporting");
        assert!(
            op.source.contains("doc: 00"),
            "{id} does not name its seed page: {}",
            op.source
        );
        let resp = &op.responses[&op.request.success];
        let (schema, sample) = (resp.schema.as_ref().unwrap(), resp.sample.as_ref().unwrap());
        // The loader already refuses an invalid sample; this states the promise directly.
        assert!(
            schema.validator.is_valid(sample),
            "{id}: sample does not match its schema"
        );
    }
    for (id, op) in &suite.operations {
        if op.service == "aws-kms" {
            // The AWS suite's facts come from botocore's model, not from a seed page.
            assert!(
                op.source.contains("service-2.json"),
                "{id} does not name the model: {}",
                op.source
            );
        } else if !DOCUMENTED.contains(&id.as_str()) {
            assert!(
                op.supporting,
                "{id} is neither documented nor marked supporting"
            );
        }
    }
}

/// Does a doc note of `op` quote the page with `words`?
fn note_quotes(op: &Operation, words: &str) -> bool {
    op.doc_notes.iter().any(|n| n.page_says.contains(words))
}

/// The inconsistencies listed in `shared/seeds/README.md`, each with how the spec records it.
fn recorded(suite: &Suite) -> Vec<(&'static str, bool)> {
    let op = |id: &str| &suite.operations[id];
    let param = |id: &str, name: &str| op(id).request.param(name).unwrap().clone();
    vec![
        (
            "PageSize 0 to 101 (ListAliasesByKeyId, ListKeyVersions) vs 1 to 100 (ListKeys)",
            note_quotes(op("alibaba-kms/ListAliasesByKeyId"), "0 to 101")
                && note_quotes(op("alibaba-kms/ListKeyVersions"), "0 to 101")
                && note_quotes(op("alibaba-kms/ListKeys"), "1 to 100")
                && param("alibaba-kms/ListAliasesByKeyId", "PageSize").maximum == Some(101)
                && param("alibaba-kms/ListKeys", "PageSize").maximum == Some(100),
        ),
        (
            "ListAliasesByKeyId: spaces inside ids in the table; JSON sample without braces",
            note_quotes(op("alibaba-kms/ListAliasesByKeyId"), "1 b57992 c")
                && op("alibaba-kms/ListAliasesByKeyId")
                    .doc_notes
                    .iter()
                    .any(|n| {
                        n.interpretation.contains("brace") || n.page_says.contains("\"Alias\": [")
                    }),
        ),
        (
            "ListKeys sample: bare Keys array; ListKeyVersions sample: KMS wrapper",
            note_quotes(op("alibaba-kms/ListKeys"), "\"Keys\" : [")
                && note_quotes(op("alibaba-kms/ListKeyVersions"), "\"KMS\""),
        ),
        (
            "ListKeyVersions PageNumber required, the others optional with default 1",
            // The page's "Yes" is recorded in a doc note; the parameter follows the wire rule
            // (API metadata `required: false`, the SDK, the 2025 page).
            !param("alibaba-kms/ListKeyVersions", "PageNumber").required
                && note_quotes(op("alibaba-kms/ListKeyVersions"), "PageNumber Integer Yes")
                && !param("alibaba-kms/ListKeys", "PageNumber").required,
        ),
        (
            "Huawei CreateAlias (2026 page) vs UpdateKeyAlias (2022 page) with KMS.XXX codes",
            note_quotes(op("huawei-kms/UpdateKeyAlias"), "KMS.XXX")
                && !op("huawei-kms/UpdateKeyAlias")
                    .errors
                    .iter()
                    .any(|e| e.code == "KMS.XXX"),
        ),
        (
            "key_id regex on both Huawei pages; key_alias regex and no /default suffix",
            ["huawei-kms/CreateAlias", "huawei-kms/UpdateKeyAlias"]
                .iter()
                .all(|id| {
                    param(id, "key_id")
                        .pattern
                        .map(|r| r.as_str().to_string())
                        .as_deref()
                        == Some("^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$")
                })
                && param("huawei-kms/UpdateKeyAlias", "key_alias")
                    .pattern
                    .map(|r| r.as_str().to_string())
                    .as_deref()
                    == Some("^[a-zA-Z0-9:/_-]{1,255}$")
                && param("huawei-kms/UpdateKeyAlias", "key_alias")
                    .not_suffix
                    .as_deref()
                    == Some("/default"),
        ),
    ]
}

#[test]
fn every_inconsistency_of_the_pages_is_recorded_in_a_spec() {
    let suite = shipped();
    let table = recorded(&suite);
    let missing: Vec<_> = table
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(what, _)| *what)
        .collect();
    assert!(missing.is_empty(), "not recorded: {missing:#?}");
    // When the seeds are beside the checkout (as in CI), the table must cover every item.
    let readme = Path::new("../shared/seeds/README.md");
    if let Ok(text) = std::fs::read_to_string(readme) {
        let items = text
            .split("must record")
            .nth(1)
            .unwrap_or("")
            .lines()
            .filter(|l| l.starts_with("- "))
            .count();
        assert_eq!(
            items,
            table.len(),
            "seeds/README.md lists {items} inconsistencies, the table {}",
            table.len()
        );
    }
}
