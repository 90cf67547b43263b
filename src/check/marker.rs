//! The checks of marker pagination (`pagination: { style: marker, ... }`, AWS `Limit`/`Marker`
//! in the request, `NextMarker`/`Truncated` in the answer): one page against its request
//! ([`check_marker_page`]) and every page of a walk together ([`check_marker_walk`]). There is
//! no total count, so a walk checks what the pages say about each other: at most `Limit` items a
//! page, the "more" flag and the next marker agreeing, no item twice, no marker twice, and an end
//! within a bound.
//!
//! The executor drives a walk with [`continues_at`]: it follows the next marker while a page says
//! that more follow, the marker is new and fewer than the bound pages were fetched; the same
//! function tells [`check_marker_walk`] where the walk should have gone on.

use std::collections::HashMap;

use serde_json::Value;

use crate::finding::{Finding, kinds};
use crate::pointer::{PointerPath, scalar_text};
use crate::spec::{MarkerPagination, Operation};

use super::brief;
use super::pagination::{Requested, SeenIds, requested};

/// The first value a pointer selects, with its concrete pointer; `null` counts as absent.
fn first<'v>(pointer: &PointerPath, doc: &'v Value) -> Option<(String, &'v Value)> {
    let found = pointer.find(doc).into_iter().next()?;
    (!found.value.is_null()).then(|| (pointer.at(&found), found.value))
}

/// The next marker of a page, when it has one (a non-empty string).
pub fn next_marker(pag: &MarkerPagination, page: &Value) -> Option<String> {
    match first(&pag.next, page)?.1 {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// What a page says about the pages after it: the "more" flag when the spec names one (a
/// boolean; anything else is `None`), else whether it carries a next marker.
fn says_more(pag: &MarkerPagination, page: &Value) -> Option<bool> {
    match &pag.more {
        Some(more) => first(more, page).and_then(|(_, v)| v.as_bool()),
        None => Some(next_marker(pag, page).is_some()),
    }
}

/// Where a walk goes on after `page`: its next marker, when the page says that more follow and
/// carries one.
pub fn continues_at(pag: &MarkerPagination, page: &Value) -> Option<String> {
    if says_more(pag, page) == Some(true) {
        next_marker(pag, page)
    } else {
        None
    }
}

/// The items of a page, when they are an array, with their concrete pointer.
fn items_at<'v>(pag: &MarkerPagination, page: &'v Value) -> Option<(String, &'v Vec<Value>)> {
    match first(&pag.items, page)? {
        (at, Value::Array(items)) => Some((at, items)),
        _ => None,
    }
}

/// The id of one item, as text.
fn item_id(pag: &MarkerPagination, item: &Value) -> Option<String> {
    first(&pag.item_id, item)
        .map(|(_, v)| v)
        .filter(|v| !v.is_array() && !v.is_object())
        .map(scalar_text)
}

/// The findings of one page on its own: items that are not an array (`pagination.items`), more
/// items than `limit` (`pagination.oversize`), and a "more" flag that is missing, not a boolean,
/// or disagrees with the next marker (`pagination.marker`). `n` names the page in a walk.
fn page_findings(
    pag: &MarkerPagination,
    limit: Option<u64>,
    body: &Value,
    n: Option<usize>,
) -> Vec<Finding> {
    let on = |m: String| match n {
        Some(n) => format!("page {n}: {m}"),
        None => m,
    };
    let mut out = Vec::new();
    match items_at(pag, body) {
        None => {
            let found = first(&pag.items, body).map(|(_, v)| v);
            out.push(
                Finding::new(
                    kinds::PAGE_ITEMS,
                    on(match found {
                        None => format!("no items at {}", pag.items),
                        Some(v) => format!(
                            "the items at {} are {}, not an array",
                            pag.items,
                            super::type_name(v)
                        ),
                    }),
                )
                .at(pag.items.as_str())
                .values("an array", found.map_or(Value::Null, brief)),
            );
        }
        Some((at, items)) => {
            let len = items.len() as u64;
            if let Some(limit) = limit.filter(|&l| len > l) {
                out.push(
                    Finding::new(
                        kinds::PAGE_OVERSIZE,
                        on(format!("{len} items on a page limited to {limit}")),
                    )
                    .at(at)
                    .values(limit, len),
                );
            }
        }
    }
    let next = next_marker(pag, body);
    if let Some(more) = &pag.more {
        match first(more, body) {
            None => out.push(
                Finding::new(
                    kinds::PAGE_MARKER,
                    on(format!("no \"more\" flag at {more}")),
                )
                .at(more.as_str())
                .values("a boolean", Value::Null),
            ),
            Some((at, Value::Bool(true))) if next.is_none() => out.push(
                Finding::new(
                    kinds::PAGE_MARKER,
                    on(format!(
                        "{more} is true, but there is no next marker at {}",
                        pag.next
                    )),
                )
                .at(at)
                .values("a next marker", Value::Null),
            ),
            Some((at, Value::Bool(false))) if next.is_some() => out.push(
                Finding::new(
                    kinds::PAGE_MARKER,
                    on(format!(
                        "{more} is false, but {} carries a next marker",
                        pag.next
                    )),
                )
                .at(at)
                .values(false, true),
            ),
            Some((at, v)) if !v.is_boolean() => out.push(
                Finding::new(
                    kinds::PAGE_MARKER,
                    on(format!("the \"more\" flag at {more} is not a boolean")),
                )
                .at(at)
                .values("a boolean", brief(v)),
            ),
            Some(_) => {}
        }
    }
    out
}

/// The limit a request asked for (sent, or the spec's default), when it is a whole number.
pub fn requested_limit(
    pag: &MarkerPagination,
    op: &Operation,
    params: &[(String, Value)],
) -> Option<u64> {
    match requested(op, params, &pag.limit) {
        Requested::Number(n) => Some(n),
        Requested::Unknown | Requested::Invalid => None,
    }
}

/// Checks one page against its request: items an array (`pagination.items`), at most the
/// requested `Limit` (`pagination.oversize`; left out when the request gives none and the spec
/// no default), and the "more" flag present, a boolean, true exactly when a next marker is there
/// (`pagination.marker`).
pub fn check_marker_page(
    pag: &MarkerPagination,
    op: &Operation,
    params: &[(String, Value)],
    body: &Value,
) -> Vec<Finding> {
    page_findings(pag, requested_limit(pag, op, params), body, None)
}

/// Checks the pages of one walk (the first page, then each page fetched with the marker the one
/// before it gave): every page as [`check_marker_page`] does, no id twice
/// (`pagination.duplicate`), no marker twice (`pagination.marker`: the walk would go round in a
/// circle), and an end within `bound` pages (`pagination.marker`: the last page fetched still
/// says that more follow). Pointers are inside one page; messages name the page.
pub fn check_marker_walk(
    pag: &MarkerPagination,
    limit: Option<u64>,
    pages: &[Value],
    bound: usize,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen = SeenIds::default();
    let mut markers: HashMap<String, usize> = HashMap::new();
    for (i, page) in pages.iter().enumerate() {
        let n = i + 1;
        out.extend(page_findings(pag, limit, page, Some(n)));
        if let Some((at, items)) = items_at(pag, page) {
            for (j, item) in items.iter().enumerate() {
                let Some(id) = item_id(pag, item) else {
                    continue;
                };
                out.extend(seen.note(&id, n, &format!("{at}/{j}{}", pag.item_id.as_str())));
            }
        }
        let Some(next) = continues_at(pag, page) else {
            continue;
        };
        if let Some(earlier) = markers.get(&next) {
            out.push(
                Finding::new(
                    kinds::PAGE_MARKER,
                    format!(
                        "page {n} gives the next marker page {earlier} gave: the walk would go round"
                    ),
                )
                .at(pag.next.as_str())
                .values(Value::Null, next),
            );
            break;
        }
        markers.insert(next, n);
        if n == pages.len() && n >= bound {
            out.push(
                Finding::new(
                    kinds::PAGE_MARKER,
                    format!("the walk did not end within {bound} pages: page {n} says more follow"),
                )
                .at(pag.more.as_ref().unwrap_or(&pag.next).as_str())
                .values(bound, Value::Null),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testutil::*;
    use serde_json::json;

    fn marker_pag() -> MarkerPagination {
        MarkerPagination {
            limit: "PageSize".into(),
            marker: "Marker".into(),
            next: ptr("/NextMarker"),
            more: Some(ptr("/Truncated")),
            items: ptr("/Aliases"),
            item_id: ptr("/AliasName"),
            pos: Default::default(),
        }
    }

    fn page(ids: &[&str], next: Option<&str>) -> Value {
        let aliases: Vec<Value> = ids.iter().map(|id| json!({"AliasName": id})).collect();
        let mut p = json!({"Aliases": aliases, "Truncated": next.is_some()});
        if let Some(m) = next {
            p["NextMarker"] = json!(m);
        }
        p
    }

    fn sent(limit: u64) -> Vec<(String, Value)> {
        vec![("PageSize".into(), json!(limit))]
    }

    #[test]
    fn a_consistent_page_passes() {
        let (pag, op) = (marker_pag(), list_keys_op());
        assert!(check_marker_page(&pag, &op, &sent(2), &page(&["a", "b"], Some("m1"))).is_empty());
        assert!(check_marker_page(&pag, &op, &sent(2), &page(&["a"], None)).is_empty());
    }

    #[test]
    fn a_page_that_ignores_the_limit_is_oversize() {
        let (pag, op) = (marker_pag(), list_keys_op());
        let found = check_marker_page(&pag, &op, &sent(1), &page(&["a", "b", "c"], None));
        assert_eq!(kinds_of(&found), [kinds::PAGE_OVERSIZE]);
        assert_eq!(found[0].pointer, "/Aliases");
        assert_eq!(
            (found[0].expected.clone(), found[0].actual.clone()),
            (json!(1), json!(3))
        );
    }

    #[test]
    fn truncated_without_a_next_marker_is_a_marker_finding() {
        let (pag, op) = (marker_pag(), list_keys_op());
        let mut body = page(&["a"], None);
        body["Truncated"] = json!(true);
        let found = check_marker_page(&pag, &op, &sent(1), &body);
        assert_eq!(kinds_of(&found), [kinds::PAGE_MARKER]);
        assert!(
            found[0].message.contains("no next marker"),
            "{}",
            found[0].message
        );
        assert_eq!(found[0].pointer, "/Truncated");
        // An empty marker is no marker.
        body["NextMarker"] = json!("");
        assert_eq!(
            kinds_of(&check_marker_page(&pag, &op, &sent(1), &body)),
            [kinds::PAGE_MARKER]
        );
    }

    #[test]
    fn a_next_marker_on_the_last_page_is_a_marker_finding() {
        let (pag, op) = (marker_pag(), list_keys_op());
        let mut body = page(&["a"], Some("m"));
        body["Truncated"] = json!(false);
        let found = check_marker_page(&pag, &op, &sent(1), &body);
        assert_eq!(kinds_of(&found), [kinds::PAGE_MARKER]);
        assert!(
            found[0].message.contains("is false"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_missing_or_textual_flag_is_a_marker_finding() {
        let (pag, op) = (marker_pag(), list_keys_op());
        let mut body = page(&["a"], None);
        body.as_object_mut().unwrap().remove("Truncated");
        let found = check_marker_page(&pag, &op, &sent(1), &body);
        assert_eq!(kinds_of(&found), [kinds::PAGE_MARKER]);
        body["Truncated"] = json!("false");
        let found = check_marker_page(&pag, &op, &sent(1), &body);
        assert_eq!(kinds_of(&found), [kinds::PAGE_MARKER]);
        assert!(found[0].message.contains("not a boolean"));
    }

    #[test]
    fn items_that_are_not_an_array_are_reported() {
        let (pag, op) = (marker_pag(), list_keys_op());
        let found = check_marker_page(&pag, &op, &sent(1), &json!({"Truncated": false}));
        assert_eq!(kinds_of(&found), [kinds::PAGE_ITEMS]);
    }

    #[test]
    fn without_a_limit_the_size_is_not_checked() {
        let (pag, op) = (marker_pag(), list_keys_op());
        let body = page(&["a", "b", "c"], None);
        // list_keys_op documents PageSize default 10: three items are within it.
        assert!(check_marker_page(&pag, &op, &[], &body).is_empty());
        let bad = vec![("PageSize".to_string(), json!("abc"))];
        assert!(check_marker_page(&pag, &op, &bad, &page(&["a"; 20], None)).is_empty());
    }

    #[test]
    fn a_clean_walk_passes_and_continues_where_the_markers_say() {
        let pag = marker_pag();
        let pages = [
            page(&["a", "b"], Some("m1")),
            page(&["c", "d"], Some("m2")),
            page(&["e"], None),
        ];
        assert!(check_marker_walk(&pag, Some(2), &pages, 50).is_empty());
        assert_eq!(continues_at(&pag, &pages[0]).as_deref(), Some("m1"));
        assert_eq!(continues_at(&pag, &pages[2]), None);
    }

    #[test]
    fn a_repeated_id_across_pages_is_a_duplicate() {
        let pag = marker_pag();
        let pages = [page(&["a", "b"], Some("m1")), page(&["b", "c"], None)];
        let found = check_marker_walk(&pag, Some(2), &pages, 50);
        assert_eq!(kinds_of(&found), [kinds::PAGE_DUPLICATE]);
        assert_eq!(found[0].pointer, "/Aliases/0/AliasName");
        assert!(
            found[0]
                .message
                .contains("page 2 repeats b, already on page 1")
        );
    }

    #[test]
    fn a_repeated_marker_is_a_marker_finding() {
        let pag = marker_pag();
        let pages = [page(&["a"], Some("m1")), page(&["b"], Some("m1"))];
        let found = check_marker_walk(&pag, Some(1), &pages, 50);
        assert_eq!(kinds_of(&found), [kinds::PAGE_MARKER]);
        assert!(
            found[0].message.contains("go round"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_walk_that_does_not_end_within_the_bound_is_reported() {
        let pag = marker_pag();
        let pages = [page(&["a"], Some("m1")), page(&["b"], Some("m2"))];
        let found = check_marker_walk(&pag, Some(1), &pages, 2);
        assert_eq!(kinds_of(&found), [kinds::PAGE_MARKER]);
        assert!(found[0].message.contains("did not end within 2 pages"));
        // Within a larger bound, the same pages are only the start of a walk.
        assert!(check_marker_walk(&pag, Some(1), &pages, 3).is_empty());
    }

    #[test]
    fn each_page_of_a_walk_is_checked_against_the_limit() {
        let pag = marker_pag();
        let pages = [page(&["a", "b", "c"], Some("m1")), page(&["d"], None)];
        let found = check_marker_walk(&pag, Some(2), &pages, 50);
        assert_eq!(kinds_of(&found), [kinds::PAGE_OVERSIZE]);
        assert!(found[0].message.starts_with("page 1:"));
    }

    #[test]
    fn without_a_more_flag_the_next_marker_alone_says_more_follow() {
        let mut pag = marker_pag();
        pag.more = None;
        let first = json!({"Aliases": [{"AliasName": "a"}], "NextMarker": "m"});
        let last = json!({"Aliases": [{"AliasName": "b"}]});
        assert_eq!(continues_at(&pag, &first).as_deref(), Some("m"));
        assert_eq!(continues_at(&pag, &last), None);
        assert!(check_marker_walk(&pag, Some(1), &[first, last], 50).is_empty());
    }
}
