//! Seed files: a YAML description of the starting state (`specgate serve --seed FILE`).
//!
//! The file is read with the project's YAML reader (`crate::yaml`), scalars kept as the text
//! written; every mapping key is checked, and every error names the file, line and column. The
//! format is described in `docs/emulator.md`.

use std::collections::HashSet;
use std::path::Path;

use super::huawei::valid_key_id;
use super::state::{AliAlias, AliKey, AliKeyVersion, HwAlias, HwKey, State};
use crate::yaml::{Node, NodeKind, ParseOptions, Pos, parse_str_with};

/// A seed file that cannot be read or does not describe a valid state.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The file could not be read.
    #[error("{file}: cannot read the seed file: {source}")]
    Io {
        /// The seed file.
        file: String,
        /// The I/O failure.
        source: std::io::Error,
    },
    /// The file is not valid YAML or not a valid seed.
    #[error("{file}:{line}:{col}: {message}")]
    Invalid {
        /// The seed file.
        file: String,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        col: usize,
        /// What is wrong.
        message: String,
    },
}

/// A seed error before the file name is attached.
struct At(Pos, String);

type R<T> = Result<T, At>;

/// Reads and checks a seed file.
pub fn load_seed_file(path: &Path) -> Result<State, SeedError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| SeedError::Io {
        file: file.clone(),
        source,
    })?;
    parse_seed(&text, &file)
}

/// Parses and checks seed text; `file` is only used in error messages.
pub fn parse_seed(text: &str, file: &str) -> Result<State, SeedError> {
    let invalid = |pos: Pos, message: String| SeedError::Invalid {
        file: file.to_string(),
        line: pos.line,
        col: pos.col,
        message,
    };
    let options = ParseOptions {
        text_scalars: true,
        single_document: true,
    };
    let tree =
        parse_str_with(Path::new(file), text, options).map_err(|d| invalid(d.pos, d.message))?;
    if tree.kind == NodeKind::Null {
        // An empty file (or only comments): the empty state.
        return Ok(State::default());
    }
    seed(&tree).map_err(|At(pos, message)| invalid(pos, message))
}

/// The fields of one mapping, checked against the allowed names.
struct Fields<'a> {
    entries: Vec<(&'a str, &'a Node)>,
    pos: Pos,
}

impl<'a> Fields<'a> {
    fn of(node: &'a Node, what: &str, allowed: &[&str]) -> R<Self> {
        let Some(entries) = node.as_map() else {
            return Err(At(node.pos, format!("{what} must be a mapping")));
        };
        let mut out = Vec::new();
        for (k, v) in entries {
            let Some(name) = k.as_str() else {
                return Err(At(k.pos, "mapping keys must be plain names".into()));
            };
            if !allowed.contains(&name) {
                return Err(At(
                    k.pos,
                    format!(
                        "unknown field `{name}` in {what}; expected one of: {}",
                        allowed.join(", ")
                    ),
                ));
            }
            if out.iter().any(|(n, _)| *n == name) {
                return Err(At(k.pos, format!("duplicate field `{name}`")));
            }
            out.push((name, v));
        }
        Ok(Self {
            entries: out,
            pos: node.pos,
        })
    }

    fn node(&self, name: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }

    fn str_or(&self, name: &str, default: &str) -> R<String> {
        match self.node(name).map(|n| (n, n.as_str())) {
            None => Ok(default.to_string()),
            Some((_, Some(s))) if s == "~" || s == "null" => Ok(String::new()),
            Some((_, Some(s))) => Ok(s.to_string()),
            Some((n, None)) => Err(At(n.pos, format!("`{name}` must be a scalar"))),
        }
    }

    fn required(&self, name: &str, what: &str) -> R<(String, Pos)> {
        match self.node(name) {
            Some(n) => match n.as_str() {
                Some(s) if !s.is_empty() && s != "~" => Ok((s.to_string(), n.pos)),
                _ => Err(At(n.pos, format!("`{name}` must be a non-empty scalar"))),
            },
            None => Err(At(self.pos, format!("{what} needs a `{name}`"))),
        }
    }

    fn one_of(&self, name: &str, default: &str, allowed: &[&str]) -> R<String> {
        let v = self.str_or(name, default)?;
        if allowed.contains(&v.as_str()) {
            Ok(v)
        } else {
            let pos = self.node(name).map_or(self.pos, |n| n.pos);
            Err(At(
                pos,
                format!("`{name}` must be one of: {}", allowed.join(", ")),
            ))
        }
    }

    fn seq(&self, name: &str) -> R<&'a [Node]> {
        match self.node(name) {
            None => Ok(&[]),
            Some(n) => n
                .as_seq()
                .ok_or_else(|| At(n.pos, format!("`{name}` must be a list"))),
        }
    }
}

fn seed(tree: &Node) -> R<State> {
    let top = Fields::of(tree, "the seed", &["alibaba", "huawei"])?;
    let mut state = State::default();
    if let Some(node) = top.node("alibaba") {
        let f = Fields::of(node, "`alibaba`", &["keys"])?;
        for item in f.seq("keys")? {
            alibaba_key(item, &mut state)?;
        }
    }
    if let Some(node) = top.node("huawei") {
        let f = Fields::of(node, "`huawei`", &["keys"])?;
        for item in f.seq("keys")? {
            huawei_key(item, &mut state)?;
        }
    }
    Ok(state)
}

const ALI_KEY_FIELDS: &[&str] = &[
    "key_id",
    "key_spec",
    "key_usage",
    "key_state",
    "protection_level",
    "origin",
    "description",
    "creation_date",
    "creator_type",
    "dkms_instance_id",
    "automatic_rotation",
    "rotation_interval",
    "next_rotation_date",
    "delete_date",
    "material_expire_time",
    "deletion_protection",
    "deletion_protection_description",
    "versions",
    "aliases",
];

fn alibaba_key(node: &Node, state: &mut State) -> R<()> {
    let f = Fields::of(node, "an Alibaba key", ALI_KEY_FIELDS)?;
    let (key_id, id_pos) = f.required("key_id", "an Alibaba key")?;
    if state.alibaba.key(&key_id).is_some() {
        return Err(At(id_pos, format!("duplicate key_id `{key_id}`")));
    }
    let creation_date = f.str_or("creation_date", "2024-01-01T00:00:00Z")?;
    let mut versions = Vec::new();
    for v in f.seq("versions")? {
        let vf = Fields::of(v, "a key version", &["key_version_id", "creation_date"])?;
        let (id, _) = vf.required("key_version_id", "a key version")?;
        versions.push(AliKeyVersion {
            key_version_id: id,
            creation_date: vf.str_or("creation_date", &creation_date)?,
        });
    }
    let key = AliKey {
        key_spec: f.str_or("key_spec", "Aliyun_AES_256")?,
        key_usage: f.one_of(
            "key_usage",
            "ENCRYPT/DECRYPT",
            &["ENCRYPT/DECRYPT", "SIGN/VERIFY"],
        )?,
        key_state: f.one_of(
            "key_state",
            "Enabled",
            &["Enabled", "Disabled", "PendingDeletion", "PendingImport"],
        )?,
        protection_level: f.one_of("protection_level", "SOFTWARE", &["SOFTWARE", "HSM"])?,
        origin: f.one_of("origin", "Aliyun_KMS", &["Aliyun_KMS", "EXTERNAL"])?,
        description: f.str_or("description", "")?,
        creator_type: f.one_of("creator_type", "User", &["User", "Service"])?,
        dkms_instance_id: f.str_or("dkms_instance_id", "")?,
        automatic_rotation: f.one_of(
            "automatic_rotation",
            "Disabled",
            &["Enabled", "Disabled", "Suspended"],
        )?,
        rotation_interval: f.str_or("rotation_interval", "")?,
        next_rotation_date: f.str_or("next_rotation_date", "")?,
        delete_date: f.str_or("delete_date", "")?,
        material_expire_time: f.str_or("material_expire_time", "")?,
        deletion_protection: f.one_of(
            "deletion_protection",
            "Disabled",
            &["Enabled", "Disabled"],
        )?,
        deletion_protection_description: f.str_or("deletion_protection_description", "")?,
        creation_date,
        versions,
        key_id: key_id.clone(),
    };
    state.alibaba.keys.push(key);
    for a in f.seq("aliases")? {
        let Some(name) = a.as_str() else {
            return Err(At(a.pos, "an alias must be a string".into()));
        };
        if !name.starts_with("alias/") {
            return Err(At(
                a.pos,
                format!("alias `{name}` must start with `alias/`"),
            ));
        }
        if state.alibaba.alias(name).is_some() {
            return Err(At(a.pos, format!("duplicate alias `{name}`")));
        }
        state.alibaba.aliases.push(AliAlias {
            alias_name: name.to_string(),
            key_id: key_id.clone(),
        });
    }
    Ok(())
}

const HW_KEY_FIELDS: &[&str] = &[
    "key_id",
    "key_alias",
    "key_description",
    "key_spec",
    "key_usage",
    "key_state",
    "default_key",
    "creation_date",
    "scheduled_deletion_date",
    "origin",
    "aliases",
];

fn huawei_key(node: &Node, state: &mut State) -> R<()> {
    let f = Fields::of(node, "a Huawei key", HW_KEY_FIELDS)?;
    let (key_id, id_pos) = f.required("key_id", "a Huawei key")?;
    if !valid_key_id(&key_id) {
        return Err(At(
            id_pos,
            format!("key_id `{key_id}` is not a 36-byte lowercase id"),
        ));
    }
    if state.huawei.key(&key_id).is_some() {
        return Err(At(id_pos, format!("duplicate key_id `{key_id}`")));
    }
    let mut taken: HashSet<String> = state
        .huawei
        .keys
        .iter()
        .map(|k| k.key_alias.clone())
        .collect();
    taken.extend(state.huawei.aliases.iter().map(|a| a.alias.clone()));
    let (key_alias, alias_pos) = f.required("key_alias", "a Huawei key")?;
    if !taken.insert(key_alias.clone()) {
        return Err(At(alias_pos, format!("duplicate alias `{key_alias}`")));
    }
    let default_key = f.one_of("default_key", "false", &["true", "false"])? == "true";
    let creation_date = f.str_or("creation_date", "1704067200000")?;
    let key = HwKey {
        key_id: key_id.clone(),
        key_alias,
        key_description: f.str_or("key_description", "")?,
        key_spec: f.str_or("key_spec", "AES_256")?,
        key_usage: f.one_of(
            "key_usage",
            "ENCRYPT_DECRYPT",
            &["ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC"],
        )?,
        key_state: f.one_of("key_state", "2", &["1", "2", "3", "4", "5"])?,
        default_key,
        scheduled_deletion_date: f.str_or("scheduled_deletion_date", "")?,
        origin: f.one_of("origin", "kms", &["kms", "external"])?,
        creation_date,
    };
    state.huawei.keys.push(key);
    for a in f.seq("aliases")? {
        let af = Fields::of(
            a,
            "a Huawei alias",
            &["alias", "create_time", "update_time"],
        )?;
        let (alias, pos) = af.required("alias", "a Huawei alias")?;
        if !taken.insert(alias.clone()) {
            return Err(At(pos, format!("duplicate alias `{alias}`")));
        }
        let create_time = af.str_or("create_time", "2024-01-01T00:00:00Z")?;
        state.huawei.aliases.push(HwAlias {
            alias,
            key_id: key_id.clone(),
            update_time: af.str_or("update_time", &create_time)?,
            create_time,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = "\
alibaba:
  keys:
    - key_id: k1
      key_state: Disabled
      versions:
        - key_version_id: v1
      aliases: [alias/one, alias/two]
huawei:
  keys:
    - key_id: 0d0466b0-e727-4d9c-b35d-f84bb474a37f
      key_alias: kms/default
      default_key: true
      aliases:
        - alias: hw-one
";

    #[test]
    fn a_seed_file_builds_the_state() {
        let s = parse_seed(SEED, "seed.yaml").expect("valid seed");
        assert_eq!(s.alibaba.keys.len(), 1);
        assert_eq!(s.alibaba.keys[0].key_state, "Disabled");
        assert_eq!(s.alibaba.keys[0].versions.len(), 1);
        assert_eq!(s.alibaba.aliases.len(), 2);
        assert!(s.huawei.keys[0].default_key);
        assert_eq!(s.huawei.aliases[0].alias, "hw-one");
    }

    #[test]
    fn errors_name_the_file_line_and_column() {
        let bad = SEED.replace("key_state: Disabled", "key_stat: Disabled");
        let e = parse_seed(&bad, "seed.yaml")
            .expect_err("unknown field")
            .to_string();
        assert!(
            e.starts_with("seed.yaml:4:7: unknown field `key_stat`"),
            "{e}"
        );
        let bad = SEED.replace("hw-one", "kms/default");
        let e = parse_seed(&bad, "s.yaml")
            .expect_err("duplicate")
            .to_string();
        assert!(e.starts_with("s.yaml:14:"), "{e}");
        let e = parse_seed("alibaba: [", "x.yaml")
            .expect_err("yaml")
            .to_string();
        assert!(e.starts_with("x.yaml:"), "{e}");
        let e = parse_seed(
            "huawei:\n  keys:\n    - key_id: NOPE\n      key_alias: a\n",
            "y.yaml",
        )
        .expect_err("bad id")
        .to_string();
        assert!(e.starts_with("y.yaml:3:15:"), "{e}");
        assert!(parse_seed("", "empty.yaml").is_ok());
    }

    /// Errors of the YAML itself come from the project's reader, with the seed's place.
    #[test]
    fn yaml_errors_name_the_file_line_and_column() {
        let e = parse_seed("alibaba: {}\n---\nhuawei: {}\n", "two.yaml")
            .expect_err("two documents")
            .to_string();
        assert_eq!(e, "two.yaml:2:1: expected a single YAML document");
        let e = parse_seed("alibaba: [\n", "x.yaml")
            .expect_err("syntax")
            .to_string();
        assert!(e.starts_with("x.yaml:2:1: YAML syntax error:"), "{e}");
        let e = parse_seed("alibaba: &k {}\nhuawei: *k\n", "a.yaml")
            .expect_err("anchor")
            .to_string();
        assert!(e.starts_with("a.yaml:1:"), "{e}");
        assert!(e.ends_with("are not supported"), "{e}");
        // Scalars are read as written: `4` and `0017` are the text of the seed.
        let s = parse_seed(
            "huawei:\n  keys:\n    - key_id: 0d0466b0-e727-4d9c-b35d-f84bb474a37f\n      key_alias: a\n      key_state: 4\n      creation_date: 0017\n",
            "s.yaml",
        )
        .expect("valid");
        assert_eq!(s.huawei.keys[0].key_state, "4");
        assert_eq!(s.huawei.keys[0].creation_date, "0017");
    }
}
