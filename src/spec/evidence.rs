//! Evidence: where a fact about a real cloud comes from, and the readings of an ambiguous page.
//!
//! Specs cite evidence on doc notes, parameters and error rows; cases cite it for their
//! expectations. A doc note whose page allows several readings lists them, so that each case
//! can say which reading it tests and the report can say which reading a target follows.

use crate::yaml::{Node, Pos, Reader};

/// What kind of source a piece of evidence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceKind {
    /// A vendor documentation page (a seed file name or a URL).
    Page,
    /// An official SDK's model or code.
    Sdk,
    /// The vendor's machine-readable API definition (OpenAPI metadata, API Explorer).
    Metadata,
    /// An infrastructure provider that talks to the real service (e.g. a Terraform provider).
    Provider,
    /// A recorded exchange with the real service.
    Recording,
    /// A compiled reference of this project (`shared/reference/...`) that itself cites sources.
    Reference,
}

impl EvidenceKind {
    /// Every kind, in the words used in files.
    pub const ALL: &'static [&'static str] = &[
        "page",
        "sdk",
        "metadata",
        "provider",
        "recording",
        "reference",
    ];

    /// The word used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Page => "page",
            EvidenceKind::Sdk => "sdk",
            EvidenceKind::Metadata => "metadata",
            EvidenceKind::Provider => "provider",
            EvidenceKind::Recording => "recording",
            EvidenceKind::Reference => "reference",
        }
    }

    fn parse(s: &str) -> Option<EvidenceKind> {
        Some(match s {
            "page" => EvidenceKind::Page,
            "sdk" => EvidenceKind::Sdk,
            "metadata" => EvidenceKind::Metadata,
            "provider" => EvidenceKind::Provider,
            "recording" => EvidenceKind::Recording,
            "reference" => EvidenceKind::Reference,
            _ => return None,
        })
    }
}

/// One cited source: `{ kind: provider, at: "owner/repo:path", says: "..." }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// What kind of source it is.
    pub kind: EvidenceKind,
    /// Where it is: a seed file name, a URL, or `owner/repo:path`.
    pub at: String,
    /// What the source states, in its own words where possible.
    pub says: Option<String>,
    /// Where the citation is written.
    pub pos: Pos,
}

/// One reading of an ambiguous page: `{ id: a, says: "..." }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// A short id, unique within its doc note (`a`, `b`, `prefixed`, ...).
    pub id: String,
    /// What the target does under this reading.
    pub says: String,
    /// Where it is written.
    pub pos: Pos,
}

/// Reads an `evidence:` list. Unknown kinds and missing `at` are reported.
pub(crate) fn read_evidence(r: &mut Reader<'_>, node: &Node) -> Vec<Evidence> {
    let Some(items) = node.as_seq() else {
        r.wrong_type(node, "`evidence`", "a list of `{ kind, at, says }`");
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let what = "an evidence entry";
        let Some(f) = r.map(item, what, &["kind", "at", "says"]) else {
            continue;
        };
        let kind = f
            .req(r, "kind", what)
            .and_then(|n| r.one_of(n, "`kind`", EvidenceKind::ALL))
            .and_then(EvidenceKind::parse);
        let at = f.req(r, "at", what).and_then(|n| r.string(n, "`at`"));
        let says = f.get("says").and_then(|n| r.string(n, "`says`"));
        if let (Some(kind), Some(at)) = (kind, at) {
            if at.trim().is_empty() {
                r.error_hint(
                    item.pos,
                    "bad-value",
                    "evidence with an empty `at`",
                    "name the source: a seed file, a URL, or `owner/repo:path`",
                );
                continue;
            }
            out.push(Evidence {
                kind,
                at,
                says,
                pos: item.pos,
            });
        }
    }
    out
}

/// Reads a doc note's `readings:` list; ids must be unique.
pub(crate) fn read_readings(r: &mut Reader<'_>, node: &Node) -> Vec<Reading> {
    let Some(items) = node.as_seq() else {
        r.wrong_type(node, "`readings`", "a list of `{ id, says }`");
        return Vec::new();
    };
    let mut out: Vec<Reading> = Vec::new();
    for item in items {
        let what = "a reading";
        let Some(f) = r.map(item, what, &["id", "says"]) else {
            continue;
        };
        let id = f.req(r, "id", what).and_then(|n| r.string(n, "`id`"));
        let says = f.req(r, "says", what).and_then(|n| r.string(n, "`says`"));
        if let (Some(id), Some(says)) = (id, says) {
            if out.iter().any(|o| o.id == id) {
                r.error_hint(
                    item.pos,
                    "duplicate",
                    format!("reading `{id}` is listed twice"),
                    "give each reading of a doc note its own id",
                );
                continue;
            }
            out.push(Reading {
                id,
                says,
                pos: item.pos,
            });
        }
    }
    if out.len() == 1 {
        r.error_hint(
            node.pos,
            "bad-value",
            "a doc note with `readings` lists only one",
            "a note with one reading needs no `readings`; list at least two, or drop the key",
        );
    }
    out
}
