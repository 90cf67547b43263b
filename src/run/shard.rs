//! `specgate run --shard K/N`: the part of the plan that job K of N runs, so that a CI job matrix
//! can split one suite across N jobs and `specgate merge` can join their reports.
//!
//! A case goes to a shard by a stable hash of its *shard key* (FNV-1a, written out here, so that
//! every machine, build and Rust version agrees): the case id, or, for a case that uses a
//! fixture of its file (`fixtures:`, created once per run and shared), the file and the fixture,
//! so that every case sharing that resource runs in the same job. Every repetition (`--repeat`)
//! and every target of a case go with the case. Adding a case moves only that case (a case that
//! joins two fixtures of a file into one group moves that group).

use std::collections::BTreeMap;

use crate::id::CaseId;
use crate::suite::Suite;

/// The most shards a run may be split into.
pub(crate) const MAX_SHARDS: u32 = 1000;

/// Job `index` of `count` (both 1-based, `1 ≤ index ≤ count ≤ 1000`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, from 1.
    pub index: u32,
    /// How many shards.
    pub count: u32,
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Parses `K/N` for `--shard`; refuses anything but `1 ≤ K ≤ N ≤ 1000`.
pub(crate) fn parse_shard(raw: &str) -> Result<Shard, String> {
    let bad = || {
        format!(
            "`{raw}` is not a shard: write K/N, job K of N, with 1 ≤ K ≤ N ≤ {MAX_SHARDS} (e.g. `--shard 2/4`)"
        )
    };
    let (k, n) = raw.split_once('/').ok_or_else(bad)?;
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(k) || !digits(n) {
        return Err(bad());
    }
    let (index, count): (u32, u32) = (k.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
    if index == 0 || count == 0 || index > count || count > MAX_SHARDS {
        return Err(bad());
    }
    Ok(Shard { index, count })
}

/// FNV-1a, 64 bits: a small, fixed hash (the same everywhere, unlike std's seeded hasher).
pub(crate) fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The shard (1-based) that a shard key goes to, of `count`.
pub(crate) fn shard_of(key: &str, count: u32) -> u32 {
    (fnv1a64(key.as_bytes()) % u64::from(count.max(1))) as u32 + 1
}

/// The shard key of every case of the suite, by case id: `case:<id>`, or `fixture:<file>#<name>`
/// (`<file>` relative to the `--cases` root it was found under, see [`name_in`])
/// for a case that uses fixtures, `<name>` being the first (by name) of the fixtures that its
/// file's cases tie together (cases that share any fixture, directly or through another case).
pub(crate) fn shard_keys(suite: &Suite, roots: &[std::path::PathBuf]) -> BTreeMap<String, String> {
    let mut keys = BTreeMap::new();
    for file in &suite.case_files {
        // Union-find over the file's fixture names: two fixtures one case uses are one group.
        let mut parent: BTreeMap<String, String> = BTreeMap::new();
        fn root(parent: &BTreeMap<String, String>, mut x: String) -> String {
            while let Some(p) = parent.get(&x) {
                if *p == x {
                    break;
                }
                x = p.clone();
            }
            x
        }
        for case in &file.cases {
            let names: Vec<String> = case.fixtures.iter().map(|f| f.name.clone()).collect();
            for n in &names {
                parent.entry(n.clone()).or_insert_with(|| n.clone());
            }
            for pair in names.windows(2) {
                let (a, b) = (
                    root(&parent, pair[0].clone()),
                    root(&parent, pair[1].clone()),
                );
                // The smaller name is the root, so a group's name does not depend on order.
                let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
                parent.insert(hi, lo);
            }
        }
        for case in &file.cases {
            let key = match case.fixtures.first() {
                Some(f) => format!(
                    "fixture:{}#{}",
                    name_in(&f.file, roots),
                    root(&parent, f.name.clone())
                ),
                None => format!("case:{}", case.id()),
            };
            keys.insert(case.id(), key);
        }
    }
    keys
}

/// A file's name relative to the root it was found under (a `--cases` directory, the specs
/// directory), with `/` separators: the same text wherever the suite is checked out. A file given
/// itself as a root is named by its file name.
pub(crate) fn name_in(file: &std::path::Path, roots: &[std::path::PathBuf]) -> String {
    for root in roots {
        if let Ok(rel) = file.strip_prefix(root) {
            if rel.as_os_str().is_empty() {
                break;
            }
            return portable_path(rel);
        }
    }
    file.file_name()
        .map_or_else(|| portable_path(file), |n| n.to_string_lossy().into_owned())
}

/// A path as the same text on every machine: `/` separators, no leading `./`.
fn portable_path(p: &std::path::Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_string()
}

/// For each case of `ids`, whether it falls in `shard`.
pub(crate) fn in_shard(
    ids: &[CaseId],
    suite: &Suite,
    roots: &[std::path::PathBuf],
    shard: Shard,
) -> Vec<bool> {
    let keys = shard_keys(suite, roots);
    ids.iter()
        .map(|id| {
            let id = id.to_string();
            let key = keys
                .get(&id)
                .cloned()
                .unwrap_or_else(|| format!("case:{id}"));
            shard_of(&key, shard.count) == shard.index
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_k_of_n_and_refuses_the_rest() {
        assert_eq!(parse_shard("2/4"), Ok(Shard { index: 2, count: 4 }));
        assert_eq!(
            parse_shard("1000/1000"),
            Ok(Shard {
                index: 1000,
                count: 1000
            })
        );
        for bad in [
            "0/4", "5/4", "1/0", "1/1001", "4", "a/b", "-1/4", "1/4/2", "", "/", "1/", " 1/2",
            "+1/2",
        ] {
            let e = parse_shard(bad).unwrap_err();
            assert!(e.contains("1 ≤ K ≤ N ≤ 1000"), "{bad}: {e}");
        }
    }

    #[test]
    fn the_hash_is_fnv1a_and_fixed() {
        // The published FNV-1a 64 test vectors.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
        for n in 1..=8 {
            let s = shard_of("case:alibaba-kms/ListKeys::x", n);
            assert!((1..=n).contains(&s));
        }
    }

    #[test]
    fn files_are_named_relative_to_their_root() {
        use std::path::{Path, PathBuf};
        let roots = [PathBuf::from("/tmp/x/cases"), PathBuf::from("one.yaml")];
        assert_eq!(
            name_in(Path::new("/tmp/x/cases/huawei-kms/A.yaml"), &roots),
            "huawei-kms/A.yaml"
        );
        assert_eq!(name_in(Path::new("one.yaml"), &roots), "one.yaml");
        assert_eq!(name_in(Path::new("/else/B.yaml"), &roots), "B.yaml");
    }

    #[test]
    fn paths_are_written_the_same_everywhere() {
        assert_eq!(
            portable_path(std::path::Path::new("./cases/a.yaml")),
            "cases/a.yaml"
        );
    }
}
