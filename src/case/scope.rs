//! Which `${variables}` are set at each point of a case, for lint errors.

use std::collections::BTreeSet;

use crate::diag::did_you_mean;
use crate::vars;
use crate::yaml::{Node, Pos, Reader};

/// Tracks which variables are set at each point of a case.
pub(crate) struct Scope {
    /// Captured by an earlier step.
    pub(crate) captured: BTreeSet<String>,
    /// Captured by some step of the case (to tell "too early" from "never").
    pub(crate) captured_later: BTreeSet<String>,
}

/// Reports a `${var}` that is not set at this point.
pub(crate) fn check_var(
    r: &mut Reader<'_>,
    pos: Pos,
    var: &str,
    known: &BTreeSet<String>,
    scope: &Scope,
) {
    if known.contains(var) {
        return;
    }
    if scope.captured_later.contains(var) {
        r.error_hint(
            pos,
            "capture-before-set",
            format!("`${{{var}}}` is used before the step that captures it"),
            "move the step that captures it before this one",
        );
    } else {
        let hint = match did_you_mean(var, known.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!(
                "capture it in an earlier step, or use one of: {}",
                known
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        r.error_hint(
            pos,
            "unknown-variable",
            format!("`${{{var}}}` is never set"),
            hint,
        );
    }
}

/// Checks every `${var}` inside a value node.
pub(crate) fn check_vars_in(
    r: &mut Reader<'_>,
    node: &Node,
    known: &BTreeSet<String>,
    scope: &Scope,
) {
    for var in vars::value_references(&node.to_json()) {
        check_var(r, node.pos, &var, known, scope);
    }
}
