//! The embedded target: the in-process emulator, reached without credentials.

use std::collections::BTreeMap;

use serde_json::Value;

use super::profile::{Auth, ServiceTarget, Target};
use crate::vars::Vars;

/// The target for an emulator listening at `base_url`, with the emulator's identity as
/// variables.
pub fn embedded_target(base_url: &str, alibaba_vars: Vars, huawei_vars: Vars) -> Target {
    let mut services = BTreeMap::new();
    for (service, vars) in [("alibaba-kms", alibaba_vars), ("huawei-kms", huawei_vars)] {
        services.insert(
            service.to_string(),
            ServiceTarget {
                endpoint: base_url.trim_end_matches('/').to_string(),
                auth: Auth::None,
                vars,
            },
        );
    }
    Target {
        name: "embedded-emulator".to_string(),
        file: None,
        embedded: true,
        disposable: true,
        services,
    }
}

/// Builds a variable map from string pairs.
pub fn vars_of(pairs: &[(&str, &str)]) -> Vars {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
        .collect()
}
