//! Pagination checks (placeholder until the checks branch lands).

use serde_json::Value;

use crate::finding::Finding;
use crate::spec::Pagination;

/// The ids of the items on one page.
pub fn item_ids(pag: &Pagination, page: &Value) -> Vec<String> {
    pag.items
        .select(page)
        .into_iter()
        .filter_map(|(_, v)| v.as_array())
        .flatten()
        .map(|item| {
            pag.item_id
                .select(item)
                .first()
                .map(|(_, v)| crate::pointer::scalar_text(v))
                .unwrap_or_default()
        })
        .collect()
}

/// The total count a page reports.
pub fn total(pag: &Pagination, page: &Value) -> Option<u64> {
    pag.total.select(page).first().and_then(|(_, v)| v.as_u64())
}

/// Checks a whole walk.
pub fn check_walk(
    _pag: &Pagination,
    _size: u64,
    _pages: &[Value],
    _second_walk_ids: Option<&[String]>,
    _past_end: Option<&Value>,
) -> Vec<Finding> {
    Vec::new()
}
