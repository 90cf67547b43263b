//! The evidence checks of `specgate lint`: a `documented` case must cite what it asserts.
//!
//! `provenance: documented` means that a cited source states the reaction the case expects. This
//! module makes that mechanical, for the three kinds of fact that a false failure on a real
//! account usually rests on:
//!
//! - an error code `X` (`expect.error`): some evidence of the case, or of the spec's error row
//!   for `X`, must name `X` in its `says`;
//! - a status that is not a success (`expect.status` outside 200..=299): some evidence of the
//!   case, or of an error row of the step's operation with that status, must name the number;
//! - a bound: when a numeric parameter value (other than its documented default) reaches or
//!   crosses the parameter's `minimum` or `maximum`, that bound must be named by the evidence of
//!   the case or of the parameter.
//!
//! Only primary sources count (`page`, `sdk`, `metadata`, `provider`, `recording`): a
//! `reference` entry points at this project's compiled notes, which are leads, not sources.
//!
//! And for every `kind: page` citation whose `at` is a seed page (a `*.txt` file name, looked up
//! in the seeds directory), the quoted `says` must occur in that page, whitespace-normalised.
//! When no seeds directory is found, that part is skipped (the rest still runs).
//!
//! The checks run only on a suite that loaded cleanly; teardown steps are not checked (they
//! clean up, they assert nothing about the target).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::case::{Case, Provenance, Step};
use crate::diag::Diagnostic;
use crate::spec::{Evidence, EvidenceKind, Operation, ParamType};
use crate::suite::Suite;
use crate::yaml::Pos;

/// The seeds directory to use: `explicit` when given, else `<specs>/../../shared/seeds` (the
/// checkout's `../shared/seeds`, as CI lays it out), else none.
pub(crate) fn find_seeds(explicit: Option<&Path>, specs: &Path) -> Option<PathBuf> {
    if let Some(dir) = explicit {
        return Some(dir.to_path_buf());
    }
    let root = specs.parent().unwrap_or(Path::new("."));
    let root = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let candidate = root.join("..").join("shared").join("seeds");
    candidate.is_dir().then_some(candidate)
}

/// Every evidence problem of the suite, in file order.
pub(crate) fn check(suite: &Suite, seeds: Option<&Path>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut pages = Pages::new(seeds);
    for op in suite.operations.values() {
        check_spec_quotes(op, &mut pages, &mut out);
    }
    for case in suite.cases() {
        for ev in &case.evidence {
            pages.check(ev, &case.file, &mut out);
        }
        if case.provenance == Provenance::Documented {
            check_documented(suite, case, &mut out);
        }
    }
    for d in &mut out {
        if let Ok(text) = std::fs::read_to_string(&d.file) {
            d.attach(&text);
        }
    }
    out
}

/// The page quotes of one operation spec: doc notes, parameters, error rows.
fn check_spec_quotes(op: &Operation, pages: &mut Pages, out: &mut Vec<Diagnostic>) {
    let notes = op.doc_notes.iter().flat_map(|n| &n.evidence);
    let params = op.request.params.iter().flat_map(|p| &p.evidence);
    let errors = op.errors.iter().flat_map(|e| &e.evidence);
    for ev in notes.chain(params).chain(errors) {
        pages.check(ev, &op.file, out);
    }
}

/// The three rules for one documented case.
fn check_documented(suite: &Suite, case: &Case, out: &mut Vec<Diagnostic>) {
    for step in &case.steps {
        let Some(op) = suite.operations.get(&step.operation) else {
            continue;
        };
        if let Some(code) = &step.expect.error {
            let cited = case
                .evidence
                .iter()
                .chain(
                    op.errors
                        .iter()
                        .filter(|e| &e.code == code)
                        .flat_map(|e| &e.evidence),
                )
                .any(|ev| names_code(ev, code));
            if !cited {
                out.push(
                    Diagnostic::new(
                        &case.file,
                        step.pos,
                        format!(
                            "documented case `{}` expects error `{code}`, but no cited source names it",
                            case.name
                        ),
                    )
                    .with_class("undocumented-error")
                    .with_hint(format!(
                        "cite the primary source (not a `reference`) that states `{code}` and its trigger \
                         (`evidence:` on the case, or on the error row of {}), or make the case \
                         `provenance: inferred` with a `doc_note`",
                        op.id()
                    )),
                );
            }
        }
        if let Some(status) = step.expect.status.filter(|s| !(200..300).contains(s)) {
            let cited = case
                .evidence
                .iter()
                .chain(
                    op.errors
                        .iter()
                        .filter(|e| e.status == status)
                        .flat_map(|e| &e.evidence),
                )
                .any(|ev| names_number(ev, i64::from(status)));
            if !cited {
                out.push(
                    Diagnostic::new(
                        &case.file,
                        step.pos,
                        format!(
                            "documented case `{}` expects status {status}, but no cited source names it",
                            case.name
                        ),
                    )
                    .with_class("undocumented-status")
                    .with_hint(format!(
                        "cite the source that states the {status} (`evidence:` on the case, or on an \
                         error row with `status: {status}`), or make the case `provenance: inferred` \
                         with a `doc_note`"
                    )),
                );
            }
        }
        check_bounds(case, step, op, out);
    }
}

/// Rule 3: a numeric value at or beyond a declared bound must be named by a source.
fn check_bounds(case: &Case, step: &Step, op: &Operation, out: &mut Vec<Diagnostic>) {
    for (name, value) in &step.params {
        let Some(param) = op.request.params.iter().find(|p| &p.name == name) else {
            continue;
        };
        if param.ty != ParamType::Integer || param.default.as_ref() == Some(value) {
            continue;
        }
        let Some(v) = as_integer(value) else {
            continue;
        };
        // The bound the value reaches or crosses: that is what a source must state.
        let bound = match (param.minimum, param.maximum) {
            (Some(min), _) if v <= min => min,
            (_, Some(max)) if v >= max => max,
            _ => continue,
        };
        let cited = case
            .evidence
            .iter()
            .chain(&param.evidence)
            .any(|ev| names_number(ev, bound));
        if !cited {
            out.push(
                Diagnostic::new(
                    &case.file,
                    step.pos,
                    format!(
                        "documented case `{}` sends {name} {v}, at or beyond the bound {bound}, but no \
                         cited source states that bound",
                        case.name
                    ),
                )
                .with_class("undocumented-bound")
                .with_hint(format!(
                    "cite the source that states the bound (`evidence:` on the parameter {name} of {}, \
                     or on the case), or make the case `provenance: inferred` with a `doc_note`",
                    op.id()
                )),
            );
        }
    }
}

/// An integer parameter value as written in a case: a number or a numeric string.
fn as_integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// True for the kinds of evidence that can make a case `documented`: a primary source. A
/// `reference` (this project's compiled notes) is a lead to such a source, not one itself.
fn primary(ev: &Evidence) -> bool {
    ev.kind != EvidenceKind::Reference
}

/// True when the evidence's `says` names the error code as a whole token.
fn names_code(ev: &Evidence, code: &str) -> bool {
    let Some(says) = &ev.says.as_ref().filter(|_| primary(ev)) else {
        return false;
    };
    let part = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '_';
    says.match_indices(code).any(|(i, _)| {
        let before = says[..i].chars().next_back();
        let after = says[i + code.len()..].chars().next();
        !before.is_some_and(part) && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// True when the evidence's `says` names the number as a whole token ("1" is not in "100").
fn names_number(ev: &Evidence, n: i64) -> bool {
    let Some(says) = &ev.says.as_ref().filter(|_| primary(ev)) else {
        return false;
    };
    let text = n.unsigned_abs().to_string();
    says.match_indices(&text).any(|(i, _)| {
        let before = says[..i].chars().next_back();
        let after = says[i + text.len()..].chars().next();
        let sign_ok = if n < 0 {
            before == Some('-')
        } else {
            before != Some('-')
        };
        sign_ok
            && !before.is_some_and(|c| c.is_ascii_digit())
            && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// The seed pages, read on first use and kept whitespace-normalised.
struct Pages {
    dir: Option<PathBuf>,
    cache: BTreeMap<String, Option<String>>,
}

impl Pages {
    fn new(dir: Option<&Path>) -> Self {
        Pages {
            dir: dir.map(Path::to_path_buf),
            cache: BTreeMap::new(),
        }
    }

    /// Checks one citation written in `file`: a seed page's quote must be in the page.
    fn check(&mut self, ev: &Evidence, file: &Path, out: &mut Vec<Diagnostic>) {
        if ev.kind != EvidenceKind::Page || !is_seed_name(&ev.at) {
            return;
        }
        let Pages { dir, cache } = self;
        let Some(dir) = dir.as_deref() else {
            return; // no seeds here: the quote cannot be checked
        };
        let page = cache.entry(ev.at.clone()).or_insert_with(|| {
            std::fs::read_to_string(dir.join(&ev.at))
                .ok()
                .map(|t| normalise(&t))
        });
        let Some(page) = page.as_deref() else {
            out.push(
                Diagnostic::new(
                    file,
                    ev.pos,
                    format!("no seed page `{}` in {}", ev.at, dir.display()),
                )
                .with_class("unknown-page")
                .with_hint("name one of the seed files (`shared/seeds/*.txt`), or cite a URL"),
            );
            return;
        };
        match &ev.says {
            None => out.push(
                Diagnostic::new(file, ev.pos, format!("a citation of the page `{}` quotes nothing", ev.at))
                    .with_class("quote-missing")
                    .with_hint("add `says:` with the page's own words that state the fact"),
            ),
            Some(says) if !page.contains(&normalise(says)) => out.push(
                Diagnostic::new(
                    file,
                    pos_of(ev),
                    format!("the page `{}` does not contain the quoted text \"{}\"", ev.at, says.trim()),
                )
                .with_class("quote-not-in-page")
                .with_hint("quote the page word for word (spacing may differ); paraphrase in `interpretation`"),
            ),
            Some(_) => {}
        }
    }
}

/// Where to point for a citation.
fn pos_of(ev: &Evidence) -> Pos {
    ev.pos
}

/// A seed page is named by its bare file name (`001_c26ab30809f2de92.txt`).
fn is_seed_name(at: &str) -> bool {
    at.ends_with(".txt") && !at.contains('/') && !at.contains(':')
}

/// Collapses every run of whitespace into one space.
fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(says: &str) -> Evidence {
        Evidence {
            kind: EvidenceKind::Page,
            at: "x.txt".into(),
            says: Some(says.into()),
            pos: Pos::default(),
        }
    }

    #[test]
    fn a_reference_is_not_a_source() {
        let mut r = ev("404 Forbidden.KeyNotFound");
        r.kind = EvidenceKind::Reference;
        assert!(!names_code(&r, "Forbidden.KeyNotFound"));
        assert!(!names_number(&r, 404));
    }

    #[test]
    fn codes_and_numbers_match_whole_tokens() {
        assert!(names_code(
            &ev("404 Forbidden.KeyNotFound The key"),
            "Forbidden.KeyNotFound"
        ));
        assert!(!names_code(
            &ev("Forbidden.KeyNotFoundX"),
            "Forbidden.KeyNotFound"
        ));
        assert!(!names_code(&ev("KMS.02071"), "KMS.0207"));
        assert!(names_code(&ev("(KMS.0207)"), "KMS.0207"));
        assert!(names_number(&ev("Valid values: 1 to 100."), 100));
        assert!(names_number(&ev("Valid values: 1 to 100."), 1));
        assert!(!names_number(&ev("Valid values: 10 to 100."), 1));
        assert!(!names_number(&ev("from -1"), 1));
        assert!(names_number(&ev("from -1"), -1));
    }

    #[test]
    fn quotes_compare_whitespace_normalised() {
        assert_eq!(normalise("a\n\n  b\tc "), "a b c");
        assert!(is_seed_name("001_c26ab30809f2de92.txt"));
        assert!(!is_seed_name("owner/repo:path.txt"));
        assert!(!is_seed_name("https://x/y.txt"));
    }
}
