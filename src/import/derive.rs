//! Derives the cases of an imported operation: the documented sample request and its sample
//! diff, each bound and one past it (values, lengths, entries of a JSON list), defaults echoed,
//! enum members and a non-member, pattern accepted and rejected, each required parameter
//! missing, the documented errors whose trigger the source states, and a pagination walk. A case is `documented` only where the source states
//! the reaction it expects; every other case is `inferred` and names a generated doc note that
//! says what was read into the source.

use serde_json::{Map, Value, json};

use super::doc_page::kebab;
use super::model::*;

/// A doc note the derived cases need, with the cases that test it.
#[derive(Debug, Clone, PartialEq)]
pub struct DerivedNote {
    /// The note.
    pub note: Note,
    /// The source's sentences quoted as evidence (checked against the page by lint).
    pub quotes: Vec<String>,
    /// The cases that name it.
    pub cases: Vec<String>,
    /// Its readings (`id`, what the target does), when the sources allow more than one.
    pub readings: Vec<(String, String)>,
    /// The reading the suite takes as its reference (the spec's `emulator:`).
    pub reference: Option<String>,
}

/// The pagination block of a spec, where the operation pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The page-number parameter.
    pub page: String,
    /// The page-size parameter.
    pub size: String,
    /// Pointer to the total.
    pub total: String,
    /// Pointer to the items.
    pub items: String,
    /// Pointer inside an item to its identity.
    pub item_id: String,
}

/// The marker pagination block of a spec (`style: marker`), where the operation pages by
/// marker.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkerPagination {
    /// The request parameter that bounds a page.
    pub limit: String,
    /// The request parameter that continues at a marker.
    pub marker: String,
    /// Pointer to the next marker.
    pub next: String,
    /// Pointer to the "more follow" flag, when the answer has one.
    pub more: Option<String>,
    /// Pointer to the items.
    pub items: String,
    /// Pointer inside an item to its identity.
    pub item_id: String,
}

/// Everything derived from one operation.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    /// The cases, as they are written.
    pub cases: Vec<Value>,
    /// The doc notes for the spec (the source's own notes first).
    pub notes: Vec<DerivedNote>,
    /// The pagination block, when the operation pages.
    pub pagination: Option<Pagination>,
    /// The marker pagination block, when the operation pages by marker.
    pub marker_pagination: Option<MarkerPagination>,
}

impl Derived {
    /// How many cases have this provenance.
    pub fn count(&self, provenance: &str) -> usize {
        self.cases
            .iter()
            .filter(|c| c["provenance"] == provenance)
            .count()
    }
}

/// The parameters that name a resource of the page's account (a required `...Id`): a target
/// holds other resources, so a case that sends the page's value expects what only holds there.
fn resource_params(op: &ImportedOperation) -> Vec<&Param> {
    op.params
        .iter()
        .filter(|p| {
            p.required
                && p.location != "path"
                && p.ty == "string"
                && (p.name.ends_with("Id") || p.name.to_ascii_lowercase().ends_with("_id"))
        })
        .collect()
}

struct Builder<'a> {
    op: &'a ImportedOperation,
    out: Derived,
    base: Vec<(String, Value)>,
    resource: Option<String>,
}

impl Builder<'_> {
    fn note(&mut self, id: &str, page_says: &str, interpretation: &str, quotes: &[&str]) -> String {
        if !self.out.notes.iter().any(|n| n.note.id == id) {
            self.out.notes.push(DerivedNote {
                note: Note {
                    id: id.into(),
                    page_says: page_says.into(),
                    interpretation: interpretation.into(),
                },
                quotes: quotes.iter().map(|q| q.to_string()).collect(),
                cases: Vec::new(),
                readings: Vec::new(),
                reference: None,
            });
        }
        id.to_string()
    }

    /// Adds a case; `note` makes it inferred. A documented case that sends the page's resource
    /// is inferred under the note `sample-resource`.
    fn case(
        &mut self,
        name: &str,
        note: Option<String>,
        summary: String,
        params: Vec<(String, Value)>,
        expect: Value,
        evidence: Option<&str>,
    ) {
        let name = name.to_string();
        if self.out.cases.iter().any(|c| c["name"] == name.as_str()) {
            return;
        }
        let sends_resource = self
            .resource
            .as_ref()
            .is_some_and(|r| params.iter().any(|(k, _)| k == r));
        let note = note.or_else(|| sends_resource.then(|| self.resource_note()));
        let mut c = Map::new();
        c.insert("name".into(), json!(name));
        c.insert(
            "provenance".into(),
            json!(if note.is_some() {
                "inferred"
            } else {
                "documented"
            }),
        );
        if let Some(n) = &note {
            c.insert("doc_note".into(), json!(n));
            if let Some(dn) = self.out.notes.iter_mut().find(|d| &d.note.id == n) {
                dn.cases.push(name.clone());
            }
        }
        if let Some(says) = evidence.filter(|_| note.is_none()) {
            c.insert(
                "evidence".into(),
                json!([{ "kind": self.op.source.kind, "at": self.op.source.at, "says": says }]),
            );
        }
        c.insert("summary".into(), json!(summary));
        c.insert("params".into(), Value::Object(params.into_iter().collect()));
        c.insert("expect".into(), expect);
        self.out.cases.push(Value::Object(c));
    }

    /// Marks the case `name` as testing `reading` of its doc note.
    fn reading(&mut self, name: &str, reading: &str) {
        if let Some(Value::Object(c)) = self.out.cases.iter_mut().find(|c| c["name"] == name) {
            c.insert("reading".into(), json!(reading));
        }
    }

    fn resource_note(&mut self) -> String {
        let r = self.resource.clone().unwrap_or_default();
        let value = self
            .base
            .iter()
            .find(|(k, _)| k == &r)
            .map(|(_, v)| v.to_string())
            .unwrap_or_default();
        self.note(
            "sample-resource",
            &format!("{r}: {value} (the page's example)"),
            &format!(
                "The page's {r} names a resource of the page's own account. A case that sends it expects \
                 what holds only where that resource exists; on any other target the answer is an error. \
                 Review: replace the value with a set-up step that creates or finds a resource, then make \
                 the case documented."
            ),
            &[],
        )
    }

    fn with(&self, name: &str, v: Value) -> Vec<(String, Value)> {
        let mut p: Vec<(String, Value)> = self
            .base
            .iter()
            .filter(|(k, _)| k != name)
            .cloned()
            .collect();
        p.push((name.to_string(), v));
        p
    }

    fn without(&self, names: &[&str]) -> Vec<(String, Value)> {
        self.base
            .iter()
            .filter(|(k, _)| !names.contains(&k.as_str()))
            .cloned()
            .collect()
    }

    /// What a refused value is expected to get: the page's invalid-parameter code, else 400.
    fn refusal(&self) -> Value {
        match self.op.errors.iter().find(|e| {
            e.status == 400
                && e.code
                    .as_deref()
                    .is_some_and(|c| c.contains("Invalid") && c.contains("Parameter"))
        }) {
            Some(e) => json!({ "error": e.code }),
            None => json!({ "status": 400 }),
        }
    }

    fn refused_note(&mut self, p: &Param, what: &str, sentence: &str) -> String {
        let refusal = self.refusal();
        let expected = refusal.get("error").map_or("a 400".to_string(), |c| {
            format!("400 {}", c.as_str().unwrap_or(""))
        });
        let quotes: Vec<&str> = if self.op.source.kind == "page" {
            vec![sentence]
        } else {
            vec![]
        };
        self.note(
            &format!("{}-{what}", kebab(&p.name)),
            sentence,
            &format!(
                "The page states the rule but not what a request that breaks it gets; the import reads it \
                 as {expected} (a service could as well clamp, ignore or answer another code). Review \
                 against a recording or another source before making these cases documented."
            ),
            &quotes,
        )
    }
}

/// True when `sentence` names the number `n` as a whole token.
fn names_number(sentence: &str, n: i64) -> bool {
    let t = n.to_string();
    let s = sentence.replace(',', "");
    s.match_indices(&t).any(|(i, _)| {
        let before = s[..i].chars().next_back();
        let after = s[i + t.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// A string of `n` characters that matches the pattern and avoids the suffix, if one is easy.
fn string_of(n: u64, p: &Param) -> Option<String> {
    let pattern = p.find(|k| match k {
        ConstraintKind::Pattern(r) => Some(r.clone()),
        _ => None,
    });
    let re = pattern.and_then(|(r, _)| regex::Regex::new(&r).ok());
    ["a", "1", "A"].iter().find_map(|c| {
        let s = c.repeat(n as usize);
        re.as_ref().is_none_or(|re| re.is_match(&s)).then_some(s)
    })
}

/// Derives the cases and notes of `op`.
pub fn derive(op: &ImportedOperation) -> Derived {
    let resource = resource_params(op).first().map(|p| p.name.clone());
    let mut b = Builder {
        op,
        out: Derived::default(),
        base: op.sample_request.clone(),
        resource,
    };
    for n in &op.notes {
        b.out.notes.push(DerivedNote {
            note: n.clone(),
            quotes: Vec::new(),
            cases: Vec::new(),
            readings: Vec::new(),
            reference: None,
        });
    }
    let ok = json!({ "status": op.success });
    let base = b.base.clone();

    // The documented request and the sample diff.
    b.case(
        "documented-sample-request",
        None,
        "The page's sample request is answered with the documented status and the schema's shape."
            .into(),
        base.clone(),
        ok.clone(),
        None,
    );
    if op.sample.is_some() {
        // A page's sample illustrates; it may leave out members the service sends, and its ids
        // are the documentation's own account's. Comparing an answer with it is a reading.
        let note = b.note(
            "sample-illustrates",
            "the documented sample answer",
            "The import reads the page's sample as the complete structure of an answer; a \
             service may send members the sample leaves out, or values of another account. \
             Review against a recording before making the sample diff documented.",
            &[],
        );
        let note = Some(note);
        b.case(
            "sample-diff",
            note,
            "The answer has the structure and the stable values of the documented sample.".into(),
            base.clone(),
            json!({ "status": op.success, "sample": true }),
            None,
        );
    }

    // Defaults echoed in the answer.
    let echoed: Vec<(&Param, Value)> = op
        .params
        .iter()
        .filter_map(|p| {
            let (d, _) = p.find(|k| match k {
                ConstraintKind::Default(v) => Some(v.clone()),
                _ => None,
            })?;
            op.response
                .iter()
                .any(|f| f.name == p.name)
                .then_some((p, d))
        })
        .collect();
    if !echoed.is_empty() {
        let names: Vec<&str> = echoed.iter().map(|(p, _)| p.name.as_str()).collect();
        let mut equals = Map::new();
        for (p, d) in &echoed {
            equals.insert(format!("/{}", p.name), d.clone());
        }
        // The page states the defaults, not that the answer repeats them: a member of the same
        // name holding the default is a reading.
        let note = b.note(
            "defaults-echoed",
            &names.join(", "),
            "The page states each parameter's default and the answer has a member of the same name; \
             the import reads that member as echoing the default a request without the parameter \
             gets. Review against a recording before making the case documented.",
            &[],
        );
        b.case(
            "defaults-echoed",
            Some(note),
            format!(
                "Without {}, the answer echoes the documented defaults.",
                names.join(" and ")
            ),
            b.without(&names),
            json!({ "status": op.success, "equals": equals }),
            None,
        );
    }

    for p in op.params.iter().filter(|p| p.location != "path") {
        let k = kebab(&p.name);
        // Integer bounds and one past each.
        let min = p.find(|c| match c {
            ConstraintKind::Minimum(v) => Some(*v),
            _ => None,
        });
        let max = p.find(|c| match c {
            ConstraintKind::Maximum(v) => Some(*v),
            _ => None,
        });
        for (bound, what, past, past_what) in [
            (min, "minimum", -1, "below-minimum"),
            (max, "maximum", 1, "above-maximum"),
        ] {
            let Some((v, sentence)) = bound else { continue };
            let note = (!names_number(sentence, v)).then(|| {
                b.note(
                    &format!("{k}-{what}-derived"),
                    sentence,
                    &format!(
                        "The {what} {v} is derived from the sentence (it does not name the number itself); \
                         the page states that values within it are accepted."
                    ),
                    &[],
                )
            });
            b.case(
                &format!("{k}-{what}"),
                note,
                format!("{} {v}, the documented {what}, is accepted.", p.name),
                b.with(&p.name, json!(v)),
                ok.clone(),
                None,
            );
            let note = b.refused_note(p, "out-of-range", sentence);
            b.case(
                &format!("{k}-{past_what}"),
                Some(note),
                format!(
                    "{} {}, one past the documented {what}, is refused.",
                    p.name,
                    v + past
                ),
                b.with(&p.name, json!(v + past)),
                b.refusal(),
                None,
            );
        }
        // String lengths and one past each.
        let minl = p.find(|c| match c {
            ConstraintKind::MinLength(v) => Some(*v),
            _ => None,
        });
        let maxl = p.find(|c| match c {
            ConstraintKind::MaxLength(v) => Some(*v),
            _ => None,
        });
        for (bound, what, past_what, past) in [
            (minl, "shortest", "too-short", -1i64),
            (maxl, "longest", "too-long", 1),
        ] {
            let Some((n, sentence)) = bound else { continue };
            if n == 0 && past < 0 {
                continue;
            }
            if let Some(s) = string_of(n, p) {
                // A length rule says which lengths are allowed, not that any text of that
                // length is a valid value (a marker, an id): accepting it is a reading.
                let note = b.note(
                    &format!("{}-length-accepted", kebab(&p.name)),
                    sentence,
                    "The page bounds the length; the import reads a made-up value of a bound's \
                     length as accepted, which a service may still refuse for its content (an \
                     opaque marker, an id that names nothing). Review with a real value.",
                    &[],
                );
                b.case(
                    &format!("{k}-{what}"),
                    Some(note),
                    format!(
                        "A {} of {n} characters, the documented {what}, is accepted.",
                        p.name
                    ),
                    b.with(&p.name, json!(s)),
                    ok.clone(),
                    None,
                );
            }
            let len = (n as i64 + past) as u64;
            let note = b.refused_note(p, "length", sentence);
            b.case(
                &format!("{k}-{past_what}"),
                Some(note),
                format!("A {} of {len} characters is refused.", p.name),
                b.with(&p.name, json!("a".repeat(len as usize))),
                b.refusal(),
                None,
            );
        }
        // A JSON array in a string: the maximum number of entries and one more.
        if let Some((n, sentence)) = p.find(|c| match c {
            ConstraintKind::MaxItems(v) => Some(*v),
            _ => None,
        }) && let Some(first) = p
            .example
            .as_deref()
            .and_then(|e| serde_json::from_str::<Value>(e).ok())
            .and_then(|v| v.as_array()?.first().cloned())
        {
            let entries =
                |count: u64| json!(Value::Array(vec![first.clone(); count as usize]).to_string());
            // The page bounds the count, not what the entries may be: n copies of the sample's
            // first entry is a made-up value, which a service may refuse (duplicates).
            let note = b.note(
                &format!("{k}-max-items-accepted"),
                sentence,
                "The page bounds the number of entries; the import reads a made-up value of that \
                 many copies of the sample's first entry as accepted, which a service may still \
                 refuse for its content (duplicate entries). Review with real entries.",
                &[],
            );
            b.case(
                &format!("{k}-max-items"),
                Some(note),
                format!(
                    "{} with {n} entries, the documented maximum, is accepted.",
                    p.name
                ),
                b.with(&p.name, entries(n)),
                ok.clone(),
                None,
            );
            let note = b.refused_note(p, "max-items", sentence);
            b.case(
                &format!("{k}-above-max-items"),
                Some(note),
                format!(
                    "{} with {} entries, one past the documented maximum, is refused.",
                    p.name,
                    n + 1
                ),
                b.with(&p.name, entries(n + 1)),
                b.refusal(),
                None,
            );
        }
        // Enum members and one non-member.
        if let Some((members, sentence)) = p.find(|c| match c {
            ConstraintKind::Enum(m) => Some(m.clone()),
            _ => None,
        }) {
            for m in &members {
                b.case(
                    &format!("{k}-{}", kebab(m)),
                    None,
                    format!("{} {m}, a documented value, is accepted.", p.name),
                    b.with(&p.name, json!(m)),
                    ok.clone(),
                    None,
                );
            }
            let note = b.refused_note(p, "not-in-enum", sentence);
            b.case(
                &format!("{k}-not-in-enum"),
                Some(note),
                format!(
                    "{} NotADocumentedValue, outside the documented values, is refused.",
                    p.name
                ),
                b.with(&p.name, json!("NotADocumentedValue")),
                b.refusal(),
                None,
            );
        }
        // Pattern accepted and rejected.
        if let Some((pattern, sentence)) = p.find(|c| match c {
            ConstraintKind::Pattern(r) => Some(r.clone()),
            _ => None,
        }) && let Ok(re) = regex::Regex::new(&pattern)
        {
            let sample = base
                .iter()
                .find(|(n, _)| n == &p.name)
                .and_then(|(_, v)| v.as_str().map(str::to_string))
                .or_else(|| p.example.clone());
            if let Some(s) = sample.filter(|s| re.is_match(s)) {
                b.case(
                    &format!("{k}-pattern-accepted"),
                    None,
                    format!(
                        "The sample {} matches the documented pattern and is accepted.",
                        p.name
                    ),
                    b.with(&p.name, json!(s)),
                    ok.clone(),
                    None,
                );
                let bad = [
                    format!("{s}!"),
                    format!("{}!", s.to_uppercase()),
                    "!".into(),
                    " ".into(),
                ]
                .into_iter()
                .find(|c| !re.is_match(c));
                if let Some(bad) = bad {
                    let note = b.refused_note(p, "pattern", sentence);
                    b.case(
                        &format!("{k}-pattern-rejected"),
                        Some(note),
                        format!(
                            "A {} that does not match the documented pattern is refused.",
                            p.name
                        ),
                        b.with(&p.name, json!(bad)),
                        b.refusal(),
                        None,
                    );
                }
            }
        }
        // A forbidden suffix.
        if let Some((suffix, sentence)) = p.find(|c| match c {
            ConstraintKind::NotSuffix(s) => Some(s.clone()),
            _ => None,
        }) {
            let note = b.refused_note(p, "suffix", sentence);
            b.case(
                &format!("{k}-forbidden-suffix"),
                Some(note),
                format!("A {} ending in {suffix} is refused.", p.name),
                b.with(&p.name, json!(format!("imported{suffix}"))),
                b.refusal(),
                None,
            );
        }
        // Each required parameter missing.
        if p.required {
            // What marks a parameter required, in the source's own terms.
            let marked = match op.style {
                Style::AwsJson => "the input structure's `required` list",
                Style::Rpc | Style::Rest => "Mandatory: Yes / Required: Yes",
            };
            let note = b.note(
                "required-missing",
                marked,
                "The page marks the parameter required but does not say what a request without it gets; \
                 the import reads it as a 400. Review before making these cases documented.",
                &[],
            );
            b.case(
                &format!("{k}-missing"),
                Some(note),
                format!("A request without the required {} is refused.", p.name),
                b.without(&[p.name.as_str()]),
                json!({ "status": 400 }),
                None,
            );
        }
    }

    // Documented errors whose trigger the page states: a resource that does not exist.
    if let Some(r) = b.resource.clone() {
        let found = op.errors.iter().find(|e| {
            let q = e.quote.to_lowercase();
            let code = e.code.as_deref().unwrap_or("");
            (code.contains("NotFound") && !code.contains("AccessKey"))
                || (e.status == 404 && (q.contains("does not exist") || q.contains("not found")))
        });
        if let Some(e) = found.cloned() {
            let expect = match &e.code {
                Some(c) => json!({ "error": c }),
                None => json!({ "status": e.status }),
            };
            let saved = b.resource.take();
            b.case(
                &format!("{}-not-found", kebab(&r)),
                None,
                format!(
                    "The page's {r}, which names no resource of this target, is {}.",
                    e.status
                ),
                base.clone(),
                expect,
                Some(&e.quote),
            );
            b.resource = saved;
        }
    }

    // Bounds the prose states where the structure states others: inferred under the note that
    // quotes both.
    for pb in &op.prose_bounds {
        let k = kebab(&pb.param);
        let v = pb.constraint.kind.clone();
        let (what, accepted, past_what, refused) = match v {
            ConstraintKind::Minimum(n) => {
                ("minimum", json!(n), "below-prose-minimum", json!(n - 1))
            }
            ConstraintKind::Maximum(n) => {
                ("maximum", json!(n), "above-prose-maximum", json!(n + 1))
            }
            ConstraintKind::MinLength(n) if n > 0 => (
                "shortest",
                json!("a".repeat(n as usize)),
                "too-short-for-prose",
                json!("a".repeat(n as usize - 1)),
            ),
            ConstraintKind::MaxLength(n) => (
                "longest",
                json!("a".repeat(n as usize)),
                "too-long-for-prose",
                json!("a".repeat(n as usize + 1)),
            ),
            _ => continue,
        };
        b.case(
            &format!("{k}-prose-{what}"),
            Some(pb.note.clone()),
            format!(
                "{} {accepted}, the {what} the documentation states, is accepted.",
                pb.param
            ),
            b.with(&pb.param, accepted.clone()),
            ok.clone(),
            None,
        );
        // One past the prose's bound is where the two readings part: refused (`prose`) or
        // accepted within the shape's bound (`shape`).
        let refusal = b.refusal();
        let past = format!("{k}-{past_what}");
        b.case(
            &past,
            Some(pb.note.clone()),
            format!(
                "{} {refused}, one past the {what} the documentation states (within the shape's), is refused.",
                pb.param
            ),
            b.with(&pb.param, refused.clone()),
            refusal,
            None,
        );
        b.reading(&past, "prose");
        let past_accepted = format!("{past}-accepted");
        b.case(
            &past_accepted,
            Some(pb.note.clone()),
            format!(
                "{} {refused}, within the bound the shape states ({}), is accepted.",
                pb.param, pb.structure.sentence
            ),
            b.with(&pb.param, refused),
            ok.clone(),
            None,
        );
        b.reading(&past_accepted, "shape");
        if let Some(n) = b.out.notes.iter_mut().find(|n| n.note.id == pb.note) {
            for q in [&pb.structure.sentence, &pb.constraint.sentence] {
                if !n.quotes.contains(q) {
                    n.quotes.push(q.clone());
                }
            }
            if n.readings.is_empty() {
                n.readings = vec![
                    (
                        "prose".into(),
                        format!(
                            "{} past the bound the member's documentation states is refused",
                            pb.param
                        ),
                    ),
                    (
                        "shape".into(),
                        format!("{} is accepted up to the bound the shape states", pb.param),
                    ),
                ];
                n.reference = Some("prose".into());
            }
        }
    }

    // Marker pagination walk (botocore's paginator).
    if let Some(pg) = marker_pagination(op) {
        let note = op
            .notes
            .iter()
            .find(|n| n.id == "pagination-token")
            .map(|n| n.id.clone())
            .unwrap_or_else(|| {
                b.note(
                    "pagination-token",
                    &format!("{} / {} / {}", pg.limit, pg.marker, pg.next),
                    "The source names the page's limit and the marker, not how pages relate; the \
                     walk's invariants are this project's reading of them.",
                    &[],
                )
            });
        let size = op
            .params
            .iter()
            .find(|p| p.name == pg.limit)
            .and_then(|p| {
                p.find(|k| match k {
                    ConstraintKind::Maximum(m) => Some(*m),
                    _ => None,
                })
            })
            .map_or(2, |(m, _)| m.min(2));
        let mut params = b.without(&[pg.limit.as_str(), pg.marker.as_str()]);
        params.push((pg.limit.clone(), json!(size)));
        b.case(
            "pagination-walk",
            Some(note),
            format!(
                "Following {} with {} {size} sees each item once and ends.",
                pg.next.trim_start_matches('/'),
                pg.limit
            ),
            params,
            json!({ "pagination": "walk" }),
            None,
        );
        b.out.marker_pagination = Some(pg);
    }

    // Pagination walk.
    if let Some(pg) = pagination(op) {
        let note = b.note(
            "pagination-walk",
            &format!("{} / {} / TotalCount", pg.page, pg.size),
            "The page documents the page number, the page size and the total, not how pages relate; the \
             walk's invariants (every page full but the last, distinct items, the total seen once) are \
             this project's reading of them.",
            &[],
        );
        let size = op
            .params
            .iter()
            .find(|p| p.name == pg.size)
            .and_then(|p| {
                p.find(|k| match k {
                    ConstraintKind::Maximum(m) => Some(*m),
                    _ => None,
                })
            })
            .map_or(2, |(m, _)| m.min(2));
        let mut params = b.without(&[pg.page.as_str(), pg.size.as_str()]);
        params.push((pg.size.clone(), json!(size)));
        b.case(
            "pagination-walk",
            Some(note),
            format!(
                "Walking every page with {} {size} sees each item once.",
                pg.size
            ),
            params,
            json!({ "pagination": "walk" }),
            None,
        );
        b.out.pagination = Some(pg);
    }
    b.out
}

/// Marker pagination from a paginator whose limit and marker are request parameters and whose
/// items are a list of the answer; the item's id is its `...Id`, `...Name` or `...Arn` member
/// (the first that ends so), else its first `...Id`.
fn marker_pagination(op: &ImportedOperation) -> Option<MarkerPagination> {
    let pg = op.paginator.as_ref()?;
    let limit = pg.limit_key.clone()?;
    let has = |n: &str| op.params.iter().any(|p| p.name == n);
    if !(has(&limit) && has(&pg.input_token)) {
        return None;
    }
    let list = op
        .response
        .iter()
        .find(|f| f.name == pg.result_key && f.ty == FieldType::Array)?;
    let id = ["Id", "Name", "Arn"]
        .iter()
        .find_map(|end| list.children.iter().find(|c| c.name.ends_with(end)))?;
    Some(MarkerPagination {
        limit,
        marker: pg.input_token.clone(),
        next: format!("/{}", pg.output_token),
        more: pg.more_results.as_ref().map(|m| format!("/{m}")),
        items: format!("/{}", pg.result_key),
        item_id: format!("/{}", id.name),
    })
}

/// Page-number pagination: PageNumber and PageSize parameters, a TotalCount and one list.
fn pagination(op: &ImportedOperation) -> Option<Pagination> {
    let has = |n: &str| op.params.iter().any(|p| p.name == n);
    if !(has("PageNumber") && has("PageSize") && op.response.iter().any(|f| f.name == "TotalCount"))
    {
        return None;
    }
    let wrapper = op.response.iter().find(|f| {
        f.ty == FieldType::Object && f.children.len() == 1 && f.children[0].ty == FieldType::Array
    })?;
    let item = &wrapper.children[0];
    let singular = &item.name;
    let id = [
        format!("{singular}Id"),
        format!("{singular}Name"),
        format!("{singular}Arn"),
    ]
    .into_iter()
    .find(|n| item.children.iter().any(|c| &c.name == n))
    .or_else(|| {
        item.children
            .iter()
            .find(|c| c.name.ends_with("Id"))
            .map(|c| c.name.clone())
    })?;
    Some(Pagination {
        page: "PageNumber".into(),
        size: "PageSize".into(),
        total: "/TotalCount".into(),
        items: format!("/{}/{}", wrapper.name, item.name),
        item_id: format!("/{id}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_named_as_a_whole_token() {
        assert!(names_number("Valid values: 1 to 100.", 1));
        assert!(names_number("Valid values: 1 to 100.", 100));
        assert!(!names_number("Valid values: 1 to 100.", 10));
        assert!(names_number("from 7 to 1,096 days", 1096));
        assert!(!names_number("integers greater than 0.", 1));
    }
}
