//! Alibaba request parameters: from the query and a form body, with the typed readers every
//! operation uses (required strings, bounded integers).

use super::super::config::Config;
use super::super::deviation::Deviation;
use super::super::incoming::{Incoming, decode_pairs};
use super::errors::AliError;

/// The merged request parameters: query pairs first, then form-body pairs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Collects the query parameters and, for a form body, the body parameters (A15).
    pub(crate) fn from_request(req: &Incoming) -> Self {
        let mut pairs = req.query.clone();
        if req.is_form() {
            pairs.extend(decode_pairs(&req.body));
        }
        Self { pairs }
    }

    /// Builds parameters from explicit pairs.
    #[cfg(test)]
    pub(crate) fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        Self {
            pairs: pairs
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect(),
        }
    }

    /// The first value of a parameter; an empty value counts as absent.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// A required parameter, or 400 `MissingParameter`.
    pub(crate) fn required(&self, name: &str) -> Result<&str, AliError> {
        self.get(name).ok_or_else(|| AliError::missing(name))
    }

    /// An optional integer in `min..=max`, `default` when absent; else 400 `InvalidParameter`.
    pub(crate) fn int_in(
        &self,
        name: &str,
        min: i64,
        max: i64,
        default: i64,
    ) -> Result<i64, AliError> {
        let Some(raw) = self.get(name) else {
            return Ok(default);
        };
        parse_int(raw)
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| AliError::invalid(name))
    }

    /// An optional `true`/`false` flag (case-insensitive), `default` when absent.
    pub(crate) fn bool_flag(&self, name: &str, default: bool) -> Result<bool, AliError> {
        match self.get(name).map(str::to_ascii_lowercase).as_deref() {
            None => Ok(default),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(_) => Err(AliError::invalid(name)),
        }
    }
}

/// Parses a plain decimal integer: an optional `-` and ASCII digits only (no `+`, spaces or
/// fractions), within `i64`.
pub(super) fn parse_int(raw: &str) -> Option<i64> {
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok()
}

/// The page-number paging of the Alibaba list operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Page {
    /// `PageNumber`, from 1.
    pub number: i64,
    /// `PageSize`.
    pub size: i64,
}

impl Page {
    /// Reads `PageNumber` (≥ `first`, default 1; `first` is 1 unless a deviation lowers it) and
    /// `PageSize` (`min_size..=max_size`, default 10).
    pub(super) fn read_from(
        params: &Params,
        first: i64,
        min_size: i64,
        max_size: i64,
    ) -> Result<Self, AliError> {
        let number = params.int_in("PageNumber", first, i64::MAX, 1)?;
        let size = params.int_in("PageSize", min_size, max_size, 10)?;
        Ok(Self { number, size })
    }

    /// The slice of `items` on this page; empty past the end (A4), bent by the slicing
    /// deviations in `bends`.
    pub(super) fn slice<'a, T>(&self, items: &'a [T], bends: Bends) -> &'a [T] {
        let size = self.size.max(0) as u64;
        let len = items.len() as u64;
        let mut start = (self.number.max(1) as u64 - 1).saturating_mul(size);
        if bends.overlap && self.number > 1 && start > 0 {
            start -= 1;
        }
        if bends.past_end && start >= len && len > 0 && size > 0 {
            start = (len - 1) / size * size;
        }
        if start >= len {
            return &[];
        }
        let mut end = start.saturating_add(size);
        if bends.oversize {
            end = end.saturating_add(1);
        }
        if bends.short && size > 1 && end <= len {
            end -= 1;
        }
        &items[start as usize..end.min(len) as usize]
    }
}

/// The slicing deviations a list applies: each bends one bound of [`Page::slice`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Bends {
    /// [`Deviation::PageOversize`]: one item more than PageSize.
    pub oversize: bool,
    /// [`Deviation::OverlappingPages`]: pages after the first start one item early.
    pub overlap: bool,
    /// [`Deviation::PagePastEndNotEmpty`]: a page past the end repeats the last page.
    pub past_end: bool,
    /// [`Deviation::ShortPages`]: a full page leaves out its last item.
    pub short: bool,
}

impl Bends {
    /// The slicing deviations `cfg` turns on.
    pub(super) fn of(cfg: &Config) -> Self {
        Self {
            oversize: cfg.deviates(Deviation::PageOversize),
            overlap: cfg.deviates(Deviation::OverlappingPages),
            past_end: cfg.deviates(Deviation::PagePastEndNotEmpty),
            short: cfg.deviates(Deviation::ShortPages),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_plain_decimals() {
        assert_eq!(parse_int("10"), Some(10));
        assert_eq!(parse_int("-1"), Some(-1));
        assert_eq!(parse_int("007"), Some(7));
        for bad in [
            "",
            "-",
            "+1",
            "1.5",
            "abc",
            " 1",
            "1e3",
            "99999999999999999999",
        ] {
            assert_eq!(parse_int(bad), None, "{bad}");
        }
    }

    #[test]
    fn pages_slice_and_validate() {
        let p = Params::from_pairs(&[("PageNumber", "2"), ("PageSize", "3")]);
        let page = Page::read_from(&p, 1, 1, 100).expect("valid");
        let faithful = Bends::default();
        assert_eq!(page.slice(&[1, 2, 3, 4, 5, 6, 7], faithful), &[4, 5, 6]);
        assert_eq!(page.slice(&[1, 2, 3], faithful), &[] as &[i32]);
        let huge = Page {
            number: i64::MAX,
            size: 101,
        };
        assert!(huge.slice(&[1], faithful).is_empty());
        for (k, v) in [
            ("PageSize", "0"),
            ("PageSize", "101"),
            ("PageNumber", "0"),
            ("PageSize", "1.5"),
        ] {
            let p = Params::from_pairs(&[(k, v)]);
            assert_eq!(
                Page::read_from(&p, 1, 1, 100).expect_err(v).code,
                "InvalidParameter"
            );
        }
        let p = Params::from_pairs(&[("PageSize", "")]);
        assert_eq!(
            Page::read_from(&p, 1, 1, 100)
                .expect("empty is absent")
                .size,
            10
        );
    }

    #[test]
    fn slicing_deviations_bend_one_bound_each() {
        let with = |d: Deviation| {
            Bends::of(&Config {
                deviations: vec![d],
                ..Config::default()
            })
        };
        let items = [1, 2, 3, 4, 5, 6, 7];
        let page = |number| Page { number, size: 3 };
        let oversize = with(Deviation::PageOversize);
        assert_eq!(page(1).slice(&items, oversize), &[1, 2, 3, 4]);
        assert_eq!(page(3).slice(&items, oversize), &[7]);
        let overlap = with(Deviation::OverlappingPages);
        assert_eq!(page(1).slice(&items, overlap), &[1, 2, 3]);
        assert_eq!(page(2).slice(&items, overlap), &[3, 4, 5]);
        let short = with(Deviation::ShortPages);
        assert_eq!(page(1).slice(&items, short), &[1, 2]);
        assert_eq!(page(3).slice(&items, short), &[7]);
        let past = with(Deviation::PagePastEndNotEmpty);
        assert_eq!(page(3).slice(&items, past), &[7]);
        assert_eq!(page(9).slice(&items, past), &[7]);
        assert_eq!(page(9).slice(&[] as &[i32], past), &[] as &[i32]);
    }
}
