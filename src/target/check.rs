//! Checking a target profile against the specs before any request: a profile is configuration,
//! and a mistake in it must be an error at its place, never a run that tests less (a misspelt
//! service skips all of its cases) or fails for the wrong reason (an unset variable becomes a
//! `value` finding).
//!
//! Three rules, each reported at file:line:col of the profile:
//! - every service the profile names has a spec (`unknown-service`, with "did you mean");
//! - every variable the profile sets is one its service declares (`vars:` in `service.yaml`) or
//!   one its own endpoint uses (`unknown-variable`, with "did you mean");
//! - every variable the service declares is set, by the profile or by `--var`
//!   (`missing-variable`).

use std::path::Path;

use super::Target;
use crate::diag::{Diagnostic, did_you_mean_or};
use crate::spec::Service;
use crate::suite::Suite;
use crate::vars::Vars;
use crate::yaml::{Node, Pos, SourceFile, parse_file};

/// Checks the profile `target` was read from against the suite's services. `overrides` are the
/// `--var` values, which set a variable the profile leaves out. A target without a file (the
/// embedded emulator) has nothing to check.
pub fn check_target(target: &Target, suite: &Suite, overrides: &Vars) -> Vec<Diagnostic> {
    let Some(path) = &target.file else {
        return Vec::new();
    };
    let diags = match parse_file(path) {
        Ok((source, root)) => check_profile(&source, &root, path, suite, overrides),
        Err(d) => vec![d],
    };
    // A quoted line may hold an endpoint's `user:password@`.
    diags
        .into_iter()
        .map(super::profile::without_userinfo)
        .collect()
}

fn check_profile(
    source: &SourceFile,
    root: &Node,
    path: &Path,
    suite: &Suite,
    overrides: &Vars,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut error = |pos: Pos, class: &'static str, message: String, hint: String| {
        out.push(
            Diagnostic::new(path, pos, message)
                .with_class(class)
                .with_hint(hint)
                .with_source(source),
        );
    };
    let Some(entries) = root.get("services").and_then(Node::as_map) else {
        return Vec::new(); // the profile reader has reported it
    };
    for (key, settings) in entries {
        let Some(name) = key.as_str() else { continue };
        let Some(service) = suite.services.get(name) else {
            let known = suite.services.keys().map(String::as_str);
            let hint = did_you_mean_or(name, known, || {
                format!(
                    "the specs describe: {}",
                    suite
                        .services
                        .keys()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            });
            error(
                word(key.pos, name),
                "unknown-service",
                format!("the specs describe no service `{name}`: none of its cases could run"),
                hint,
            );
            continue;
        };
        let vars = settings.get("vars");
        // A missing variable is reported at the `vars` key (else at the service's name).
        let vars_key = settings
            .as_map()
            .and_then(|m| m.iter().find(|(k, _)| k.as_str() == Some("vars")))
            .map(|(k, _)| word(k.pos, "vars"));
        let endpoint_vars = settings
            .get("endpoint")
            .and_then(Node::as_str)
            .map(crate::spec::path_placeholders)
            .unwrap_or_default();
        let mut set = Vec::new();
        for (vk, _) in vars.and_then(Node::as_map).unwrap_or(&[]) {
            let Some(var) = vk.as_str() else { continue };
            set.push(var.to_string());
            if service.vars.iter().any(|v| v == var) || endpoint_vars.iter().any(|v| v == var) {
                continue;
            }
            let hint = did_you_mean_or(var, service.vars.iter().map(String::as_str), || {
                format!("`{name}` declares: {}", declared(service))
            });
            error(
                word(vk.pos, var),
                "unknown-variable",
                format!("service `{name}` declares no variable `{var}`"),
                hint,
            );
        }
        for var in &service.vars {
            if set.contains(var) || overrides.contains_key(var) {
                continue;
            }
            error(
                vars_key.unwrap_or(word(key.pos, name)),
                "missing-variable",
                format!(
                    "service `{name}` declares the variable `{var}` ({}), which the profile does not set",
                    service.file.display()
                ),
                format!(
                    "add `{var}: ...` (or `{var}: {{ env: NAME }}`) under `vars`, or pass `--var {var}=...`"
                ),
            );
        }
    }
    out
}

/// The position of a key, as wide as the key.
fn word(pos: Pos, text: &str) -> Pos {
    Pos {
        len: text.chars().count().max(1),
        ..pos
    }
}

fn declared(service: &Service) -> String {
    if service.vars.is_empty() {
        "no variables".to_string()
    } else {
        service.vars.join(", ")
    }
}
