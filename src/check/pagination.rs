//! The pagination checks: one page against its request ([`check_page`]), and every page of a
//! walk together ([`check_walk`]), for page-number pagination (`PageNumber`, `PageSize`,
//! `TotalCount`).
//!
//! Numbers here are read leniently (a string of digits counts as its number): the schema check
//! already reports a `TotalCount` of the wrong type, and these checks are about the counting.

use std::collections::HashMap;

use serde_json::Value;

use crate::finding::{Finding, kinds};
use crate::pointer::{PointerPath, scalar_text};
use crate::spec::{Operation, Pagination};

use super::brief;

/// A whole number, from a JSON number or a string of digits.
fn as_count(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The first value a pointer selects, with its concrete pointer.
fn first<'v>(pointer: &PointerPath, doc: &'v Value) -> Option<(String, &'v Value)> {
    let found = pointer.find(doc).into_iter().next()?;
    Some((pointer.at(&found), found.value))
}

/// The items of a page, when they are an array, with their concrete pointer.
fn items_at<'v>(pag: &Pagination, page: &'v Value) -> Option<(String, &'v Vec<Value>)> {
    match first(&pag.items, page)? {
        (at, Value::Array(items)) => Some((at, items)),
        _ => None,
    }
}

/// The items of a page (`pagination.items`), when they are an array.
pub fn items<'v>(pag: &Pagination, page: &'v Value) -> Option<&'v Vec<Value>> {
    items_at(pag, page).map(|(_, items)| items)
}

/// The total count a page announces (`pagination.total`), for the executor to know when a walk
/// is done.
pub fn total(pag: &Pagination, page: &Value) -> Option<u64> {
    first(&pag.total, page).and_then(|(_, v)| as_count(v))
}

/// The ids of a page's items in order (`pagination.item_id` inside each item, as text); items
/// without an id are left out.
pub fn item_ids(pag: &Pagination, page: &Value) -> Vec<String> {
    items(pag, page)
        .map(|items| items.iter().filter_map(|item| item_id(pag, item)).collect())
        .unwrap_or_default()
}

/// The id of one item, as text.
fn item_id(pag: &Pagination, item: &Value) -> Option<String> {
    first(&pag.item_id, item)
        .map(|(_, v)| v)
        .filter(|v| !v.is_null() && !v.is_array() && !v.is_object())
        .map(scalar_text)
}

/// The item ids a walk has met, each with the page it first came on (pages count from 1).
#[derive(Debug, Default)]
pub(crate) struct SeenIds(HashMap<String, usize>);

impl SeenIds {
    /// Notes `id`, met on page `n` at `at` (the pointer to the item's id); when an earlier page
    /// had it, the `pagination.duplicate` finding.
    pub(crate) fn note(&mut self, id: &str, n: usize, at: &str) -> Option<Finding> {
        if let Some(earlier) = self.0.get(id) {
            return Some(
                Finding::new(
                    kinds::PAGE_DUPLICATE,
                    format!("page {n} repeats {id}, already on page {earlier}"),
                )
                .at(at)
                .values(Value::Null, id),
            );
        }
        self.0.insert(id.to_string(), n);
        None
    }

    /// How many distinct ids were met.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

/// What a request asked for in one pagination parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requested {
    /// A whole number, sent or the spec's default.
    Number(u64),
    /// Neither sent nor defaulted.
    Unknown,
    /// Sent, but not a whole number (the checks that need it are skipped).
    Invalid,
}

/// The value of the pagination parameter `name` in a request: the one sent (a number or a
/// string of digits), else the spec's default.
pub fn requested(op: &Operation, params: &[(String, Value)], name: &str) -> Requested {
    let sent = params.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    let value = sent.or_else(|| op.request.param(name).and_then(|p| p.default.as_ref()));
    match value {
        None => Requested::Unknown,
        Some(v) => as_count(v).map_or(Requested::Invalid, Requested::Number),
    }
}

/// Checks one page against its request: items ≤ the page size (`pagination.oversize`), the page
/// number and size echoed (`pagination.echo`), TotalCount at least the items up to this page
/// (`pagination.total`), and an empty page past the end (`pagination.past_end`). Items that are
/// not an array are `pagination.items`. The page number defaults to 1 when neither sent nor
/// documented; a page size that is neither leaves out the checks that need it.
pub fn check_page(
    pag: &Pagination,
    op: &Operation,
    params: &[(String, Value)],
    body: &Value,
) -> Vec<Finding> {
    let size = requested(op, params, &pag.size);
    let page = match requested(op, params, &pag.page) {
        Requested::Unknown => Requested::Number(1),
        other => other,
    };
    let mut out = Vec::new();
    let items = items_at(pag, body);
    let len = items.as_ref().map(|(_, i)| i.len() as u64);
    match (&items, size) {
        (None, _) => out.push(items_finding(pag, body)),
        (Some((at, _)), Requested::Number(size)) => {
            if let Some(len) = len.filter(|&l| l > size) {
                out.push(
                    Finding::new(
                        kinds::PAGE_OVERSIZE,
                        format!("{len} items on a page of size {size}"),
                    )
                    .at(at.clone())
                    .values(size, len),
                );
            }
        }
        _ => {}
    }
    if let Requested::Number(p) = page {
        out.extend(echo(&pag.page_echo, &pag.page, p, body));
    }
    if let Requested::Number(s) = size {
        out.extend(echo(&pag.size_echo, &pag.size, s, body));
    }
    let Some((total_at, total_raw)) = first(&pag.total, body) else {
        out.push(
            Finding::new(
                kinds::PAGE_TOTAL,
                format!("no total count at {}", pag.total),
            )
            .at(pag.total.as_str()),
        );
        return out;
    };
    let Some(total) = as_count(total_raw) else {
        out.push(
            Finding::new(kinds::PAGE_TOTAL, "the total count is not a whole number")
                .at(total_at)
                .values("a whole number", brief(total_raw)),
        );
        return out;
    };
    let (Some(len), Requested::Number(page), Requested::Number(size)) = (len, page, size) else {
        return out;
    };
    let before = page.saturating_sub(1).saturating_mul(size);
    if before >= total {
        if len > 0 {
            out.push(
                Finding::new(
                    kinds::PAGE_PAST_END,
                    format!(
                        "page {page} starts after item {before} of {total}, but has {len} items"
                    ),
                )
                .at(items.map(|(at, _)| at).unwrap_or_default())
                .values(0, len),
            );
        }
    } else if len > 0 && total < before + len {
        out.push(
            Finding::new(
                kinds::PAGE_TOTAL,
                format!(
                    "page {page} of size {size} shows items up to {}, more than the total {total}",
                    before + len
                ),
            )
            .at(total_at)
            .values(before + len, total),
        );
    }
    out
}

/// The finding for a page whose items are missing or not an array.
fn items_finding(pag: &Pagination, body: &Value) -> Finding {
    let found = first(&pag.items, body).map(|(_, v)| v);
    Finding::new(
        kinds::PAGE_ITEMS,
        match found {
            None => format!("no items at {}", pag.items),
            Some(v) => format!(
                "the items at {} are {}, not an array",
                pag.items,
                super::type_name(v)
            ),
        },
    )
    .at(pag.items.as_str())
    .values("an array", found.map_or(Value::Null, brief))
}

/// Checks that `param` was echoed at `at` with the value `want`.
fn echo(at: &PointerPath, param: &str, want: u64, body: &Value) -> Option<Finding> {
    match first(at, body) {
        None => Some(
            Finding::new(kinds::PAGE_ECHO, format!("{param} is not echoed at {at}"))
                .at(at.as_str())
                .values(want, Value::Null),
        ),
        Some((concrete, v)) if as_count(v) != Some(want) => Some(
            Finding::new(
                kinds::PAGE_ECHO,
                format!("{param} echoed as {v}, but the request meant {want}"),
            )
            .at(concrete)
            .values(want, brief(v)),
        ),
        Some(_) => None,
    }
}

/// Checks the pages of one walk (pages 1..n, fetched with page size `size`) together: the total
/// is the same on every page (`pagination.total`), every page but the last is full
/// (`pagination.short_page`) and none is over `size` (`pagination.oversize`), no id appears twice
/// (`pagination.duplicate`), the distinct ids number the total (`pagination.count`), a second
/// walk's ids come in the same order (`pagination.order`), and the page after the last is empty
/// (`pagination.past_end`). Pointers are inside one page; messages name the page.
pub fn check_walk(
    pag: &Pagination,
    size: u64,
    pages: &[Value],
    second_walk_ids: Option<&[String]>,
    past_end: Option<&Value>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let first_total = pages.first().and_then(|p| total(pag, p));
    let mut seen = SeenIds::default();
    let mut walk_ids = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let n = i + 1;
        let announced = total(pag, page);
        if announced.is_none() || announced != first_total {
            let message = match (announced, first_total) {
                (None, _) => format!("page {n} has no total count at {}", pag.total),
                (Some(t), Some(t0)) => format!("page {n} says the total is {t}, page 1 said {t0}"),
                (Some(t), None) => format!("page {n} says the total is {t}, page 1 said none"),
            };
            out.push(
                Finding::new(kinds::PAGE_TOTAL, message)
                    .at(pag.total.as_str())
                    .values(first_total, announced),
            );
        }
        let Some((at, items)) = items_at(pag, page) else {
            let mut f = items_finding(pag, page);
            f.message = format!("page {n}: {}", f.message);
            out.push(f);
            continue;
        };
        let len = items.len() as u64;
        if len > size {
            out.push(
                Finding::new(
                    kinds::PAGE_OVERSIZE,
                    format!("page {n} has {len} items, more than the page size {size}"),
                )
                .at(at.clone())
                .values(size, len),
            );
        } else if n < pages.len() && len < size {
            out.push(
                Finding::new(
                    kinds::PAGE_SHORT,
                    format!(
                        "page {n} of {} has {len} items, not a full page of {size}",
                        pages.len()
                    ),
                )
                .at(at.clone())
                .values(size, len),
            );
        }
        let mut without_id = 0;
        for (j, item) in items.iter().enumerate() {
            let Some(id) = item_id(pag, item) else {
                without_id += 1;
                continue;
            };
            out.extend(seen.note(&id, n, &format!("{at}/{j}{}", pag.item_id.as_str())));
            walk_ids.push(id);
        }
        if without_id > 0 {
            out.push(
                Finding::new(
                    kinds::PAGE_ITEMS,
                    format!(
                        "page {n} has {without_id} items without an id at {}",
                        pag.item_id
                    ),
                )
                .at(at),
            );
        }
    }
    if let Some(t) = first_total {
        let distinct = seen.len() as u64;
        if distinct != t {
            out.push(
                Finding::new(
                    kinds::PAGE_COUNT,
                    format!(
                        "{} pages gave {distinct} distinct items, the total says {t}",
                        pages.len()
                    ),
                )
                .at(pag.total.as_str())
                .values(t, distinct),
            );
        }
    }
    if let Some(second) = second_walk_ids
        && second != walk_ids.as_slice()
    {
        let at = walk_ids
            .iter()
            .zip(second)
            .position(|(a, b)| a != b)
            .unwrap_or(walk_ids.len().min(second.len()));
        out.push(
            Finding::new(
                kinds::PAGE_ORDER,
                format!(
                    "a second walk differs at item {} ({} items, then {})",
                    at + 1,
                    walk_ids.len(),
                    second.len()
                ),
            )
            .values(walk_ids.get(at).cloned(), second.get(at).cloned()),
        );
    }
    if let Some(page) = past_end {
        match items_at(pag, page) {
            Some((at, items)) if !items.is_empty() => out.push(
                Finding::new(
                    kinds::PAGE_PAST_END,
                    format!("the page after the last has {} items", items.len()),
                )
                .at(at)
                .values(0, items.len()),
            ),
            Some(_) => {}
            None => {
                let mut f = items_finding(pag, page);
                f.message = format!("the page after the last: {}", f.message);
                out.push(f);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testutil::*;
    use serde_json::json;

    fn params(list: &[(&str, Value)]) -> Vec<(String, Value)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    /// Pages of a walk over `total` keys named `k1..`, `size` per page.
    fn walk(total: u64, size: u64) -> Vec<Value> {
        let pages = total.div_ceil(size).max(1);
        (1..=pages)
            .map(|p| {
                let from = (p - 1) * size + 1;
                let to = (p * size).min(total);
                keys_page(
                    &(from..=to).map(|i| format!("k{i}")).collect::<Vec<_>>(),
                    p,
                    size,
                    total,
                )
            })
            .collect()
    }

    fn keys_page(ids: &[String], page: u64, size: u64, total: u64) -> Value {
        let keys: Vec<Value> = ids.iter().map(|id| json!({"KeyId": id})).collect();
        json!({"Keys": {"Key": keys}, "PageNumber": page, "PageSize": size, "TotalCount": total})
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_consistent_page_passes() {
        let (pag, op) = (pagination(), list_keys_op());
        let sent = params(&[("PageNumber", json!(2)), ("PageSize", json!("2"))]);
        let body = keys_page(&ids(&["k3", "k4"]), 2, 2, 5);
        assert!(check_page(&pag, &op, &sent, &body).is_empty());
        // Defaults: page 1, size 10.
        let body = keys_page(&ids(&["k1"]), 1, 10, 1);
        assert!(check_page(&pag, &op, &[], &body).is_empty());
    }

    #[test]
    fn more_items_than_the_page_size_is_oversize() {
        let (pag, op) = (pagination(), list_keys_op());
        let sent = params(&[("PageSize", json!(1))]);
        let mut body = keys_page(&ids(&["k1", "k2"]), 1, 1, 5);
        body["PageSize"] = json!(1);
        let found = check_page(&pag, &op, &sent, &body);
        assert_eq!(kinds_of(&found), [kinds::PAGE_OVERSIZE]);
        assert_eq!(found[0].pointer, "/Keys/Key");
        assert_eq!(
            (found[0].expected.clone(), found[0].actual.clone()),
            (json!(1), json!(2))
        );
    }

    #[test]
    fn a_page_size_echoed_wrong_is_an_echo_finding() {
        let (pag, op) = (pagination(), list_keys_op());
        let sent = params(&[("PageSize", json!(5))]);
        let body = keys_page(&ids(&["k1"]), 1, 10, 1);
        let found = check_page(&pag, &op, &sent, &body);
        assert_eq!(kinds_of(&found), [kinds::PAGE_ECHO]);
        assert_eq!(found[0].pointer, "/PageSize");
        assert_eq!(
            (found[0].expected.clone(), found[0].actual.clone()),
            (json!(5), json!(10))
        );
    }

    #[test]
    fn a_missing_echo_is_an_echo_finding() {
        let (pag, op) = (pagination(), list_keys_op());
        let mut body = keys_page(&ids(&["k1"]), 1, 10, 1);
        body.as_object_mut().unwrap().remove("PageNumber");
        let found = check_page(&pag, &op, &[], &body);
        assert_eq!(kinds_of(&found), [kinds::PAGE_ECHO]);
        assert_eq!(found[0].pointer, "/PageNumber");
    }

    #[test]
    fn a_total_below_the_items_shown_is_a_total_finding() {
        let (pag, op) = (pagination(), list_keys_op());
        let sent = params(&[("PageNumber", json!(2)), ("PageSize", json!(2))]);
        let body = keys_page(&ids(&["k3", "k4"]), 2, 2, 3);
        let found = check_page(&pag, &op, &sent, &body);
        assert_eq!(kinds_of(&found), [kinds::PAGE_TOTAL]);
        assert_eq!(
            (found[0].expected.clone(), found[0].actual.clone()),
            (json!(4), json!(3))
        );
    }

    #[test]
    fn a_non_empty_page_past_the_end_is_reported() {
        let (pag, op) = (pagination(), list_keys_op());
        let sent = params(&[("PageNumber", json!(3)), ("PageSize", json!(2))]);
        let body = keys_page(&ids(&["k1"]), 3, 2, 4);
        let found = check_page(&pag, &op, &sent, &body);
        assert_eq!(kinds_of(&found), [kinds::PAGE_PAST_END]);
        // Empty, it is fine.
        let body = keys_page(&[], 3, 2, 4);
        assert!(check_page(&pag, &op, &sent, &body).is_empty());
    }

    #[test]
    fn items_that_are_not_an_array_are_reported() {
        let (pag, op) = (pagination(), list_keys_op());
        let mut body = keys_page(&[], 1, 10, 0);
        body["Keys"] = json!(null);
        let found = check_page(&pag, &op, &[], &body);
        assert_eq!(kinds_of(&found), [kinds::PAGE_ITEMS]);
        assert_eq!(found[0].pointer, "/Keys/Key");
    }

    #[test]
    fn an_unparseable_page_size_skips_the_checks_that_need_it() {
        let (pag, op) = (pagination(), list_keys_op());
        let sent = params(&[("PageSize", json!("abc"))]);
        let body = keys_page(&ids(&["k1", "k2", "k3"]), 1, 10, 3);
        assert!(check_page(&pag, &op, &sent, &body).is_empty());
        assert_eq!(requested(&op, &sent, "PageSize"), Requested::Invalid);
        assert_eq!(requested(&op, &[], "PageSize"), Requested::Number(10));
        assert_eq!(requested(&op, &[], "Nothing"), Requested::Unknown);
    }

    #[test]
    fn helpers_read_ids_and_totals() {
        let pag = pagination();
        let page = keys_page(&ids(&["a", "b"]), 1, 2, 7);
        assert_eq!(item_ids(&pag, &page), ["a", "b"]);
        assert_eq!(total(&pag, &page), Some(7));
        assert_eq!(total(&pag, &json!({"TotalCount": "7"})), Some(7));
        assert_eq!(total(&pag, &json!({})), None);
        assert!(item_ids(&pag, &json!({})).is_empty());
    }

    #[test]
    fn a_clean_walk_passes() {
        let pag = pagination();
        let pages = walk(5, 2);
        let all: Vec<String> = pages.iter().flat_map(|p| item_ids(&pag, p)).collect();
        let past = keys_page(&[], 4, 2, 5);
        assert!(check_walk(&pag, 2, &pages, Some(&all), Some(&past)).is_empty());
    }

    #[test]
    fn overlapping_pages_are_duplicates() {
        let pag = pagination();
        let mut pages = walk(4, 2);
        pages[1] = keys_page(&ids(&["k2", "k3"]), 2, 2, 4);
        let found = check_walk(&pag, 2, &pages, None, None);
        assert_eq!(kinds_of(&found), [kinds::PAGE_DUPLICATE, kinds::PAGE_COUNT]);
        assert_eq!(found[0].pointer, "/Keys/Key/0/KeyId");
        assert!(
            found[0]
                .message
                .contains("page 2 repeats k2, already on page 1")
        );
    }

    #[test]
    fn a_total_off_by_one_is_a_count_finding() {
        let pag = pagination();
        let mut pages = walk(4, 2);
        for p in &mut pages {
            p["TotalCount"] = json!(5);
        }
        let found = check_walk(&pag, 2, &pages, None, None);
        assert_eq!(kinds_of(&found), [kinds::PAGE_COUNT]);
        assert_eq!(
            (found[0].expected.clone(), found[0].actual.clone()),
            (json!(5), json!(4))
        );
    }

    #[test]
    fn a_total_that_changes_between_pages_is_reported() {
        let pag = pagination();
        let mut pages = walk(4, 2);
        pages[1]["TotalCount"] = json!(6);
        let found = check_walk(&pag, 2, &pages, None, None);
        assert_eq!(kinds_of(&found), [kinds::PAGE_TOTAL]);
        assert!(found[0].message.contains("page 2"));
    }

    #[test]
    fn a_short_page_before_the_last_is_reported() {
        let pag = pagination();
        let pages = vec![
            keys_page(&ids(&["k1"]), 1, 2, 3),
            keys_page(&ids(&["k2", "k3"]), 2, 2, 3),
        ];
        let found = check_walk(&pag, 2, &pages, None, None);
        assert_eq!(kinds_of(&found), [kinds::PAGE_SHORT]);
    }

    #[test]
    fn an_oversize_page_in_a_walk_is_reported() {
        let pag = pagination();
        let pages = vec![keys_page(&ids(&["k1", "k2", "k3"]), 1, 2, 3)];
        let found = check_walk(&pag, 2, &pages, None, None);
        assert_eq!(kinds_of(&found), [kinds::PAGE_OVERSIZE]);
    }

    #[test]
    fn a_second_walk_in_another_order_is_reported() {
        let pag = pagination();
        let pages = walk(3, 2);
        let second = ids(&["k1", "k3", "k2"]);
        let found = check_walk(&pag, 2, &pages, Some(&second), None);
        assert_eq!(kinds_of(&found), [kinds::PAGE_ORDER]);
        assert_eq!(
            (found[0].expected.clone(), found[0].actual.clone()),
            (json!("k2"), json!("k3"))
        );
        let shorter = ids(&["k1", "k2"]);
        let found = check_walk(&pag, 2, &pages, Some(&shorter), None);
        assert_eq!(found[0].actual, Value::Null);
    }

    #[test]
    fn a_non_empty_page_after_the_last_is_reported() {
        let pag = pagination();
        let pages = walk(2, 2);
        let past = keys_page(&ids(&["k1"]), 2, 2, 2);
        let found = check_walk(&pag, 2, &pages, None, Some(&past));
        assert_eq!(kinds_of(&found), [kinds::PAGE_PAST_END]);
    }

    #[test]
    fn items_without_ids_are_reported_once_per_page() {
        let pag = pagination();
        let pages = vec![json!({"Keys": {"Key": [{"x": 1}, {"x": 2}]}, "TotalCount": 0})];
        let found = check_walk(&pag, 2, &pages, None, None);
        assert_eq!(kinds_of(&found), [kinds::PAGE_ITEMS]);
        assert!(found[0].message.contains("2 items without an id"));
    }
}
