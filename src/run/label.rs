//! The name a target has in a run's reports when `--var` sets the service variables it runs
//! with: one profile run against several regions or accounts (a CI job matrix over
//! `--var region=…`) gives reports whose matrix columns say which region or account each is, so
//! that `specgate merge` compares them side by side.

use std::collections::{BTreeMap, BTreeSet};

use crate::suite::Suite;
use crate::target::Target;

/// Appends `[name=value,…]` to each target's name for the `--var` overrides that are variables
/// a service of the suite declares (`vars:` in service.yaml: region, account, project id, …),
/// sorted by name. Other overrides (an `endpoint` a profile uses, say) do not name a column: an
/// ephemeral port would make every run's target another one. Values lose any `user:password@`.
pub(super) fn label_targets(targets: &mut [Target], suite: &Suite, overrides: &[(String, String)]) {
    let declared: BTreeSet<&str> = suite
        .services
        .values()
        .flat_map(|s| s.vars.iter().map(String::as_str))
        .collect();
    // By name; the last `--var` of a name wins, as it does for the run.
    let named: BTreeMap<&str, String> = overrides
        .iter()
        .filter(|(k, _)| declared.contains(k.as_str()))
        .map(|(k, v)| (k.as_str(), crate::redact::without_userinfo(v)))
        .collect();
    if named.is_empty() {
        return;
    }
    let label: Vec<String> = named.iter().map(|(k, v)| format!("{k}={v}")).collect();
    for t in targets {
        t.name = format!("{}[{}]", t.name, label.join(","));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn suite() -> Suite {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        Suite::load(&root.join("specs"), &[root.join("cases")]).expect("the shipped suite")
    }

    fn target(name: &str) -> Target {
        let mut t = crate::target::embedded_target(
            "http://127.0.0.1:1",
            Default::default(),
            Default::default(),
        );
        t.name = name.to_string();
        t
    }

    #[test]
    fn declared_variables_name_the_column_and_others_do_not() {
        let suite = suite();
        let vars = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let mut t = vec![target("aliyun")];
        label_targets(
            &mut t,
            &suite,
            &vars(&[
                ("region", "cn-hangzhou"),
                ("endpoint", "http://u:pw@h:1"),
                ("region", "cn-shanghai"),
                ("account", "42"),
            ]),
        );
        assert_eq!(t[0].name, "aliyun[account=42,region=cn-shanghai]");
        let mut t = vec![target("local")];
        label_targets(&mut t, &suite, &vars(&[("endpoint", "http://127.0.0.1:9")]));
        assert_eq!(t[0].name, "local");
    }
}
