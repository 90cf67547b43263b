//! The match check: each addressed value matches a regex (`expect.match`).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use regex::Regex;
use serde_json::Value;

use crate::finding::{Finding, kinds};
use crate::pointer::{PointerPath, scalar_text};
use crate::vars::{Vars, substitute_with};

use super::{brief, type_name};

/// The largest compiled regex accepted, in bytes (the crate's default is 10 MiB too).
const REGEX_SIZE_LIMIT: usize = 10 * 1024 * 1024;

/// Checks `expect.match` for one pointer: `${vars}` in `template` are replaced by their values,
/// regex-escaped, and every value the pointer selects must match the result (`pattern`).
/// Strings are matched as they are, numbers and booleans as their JSON text; other values fail.
/// A pointer that selects nothing is `missing`; an unknown variable is a `value` finding.
pub fn check_match(
    pointer: &PointerPath,
    template: &str,
    vars: &Vars,
    body: &Value,
) -> Vec<Finding> {
    let at = pointer.as_str();
    let pattern = match substitute_with(template, vars, regex::escape) {
        Ok(p) => p,
        Err(crate::vars::UnsetVar { name }) => {
            return vec![
                Finding::new(
                    kinds::VALUE,
                    format!("the regex for {pointer} uses ${{{name}}}, which has no value"),
                )
                .at(at)
                .values(template, Value::Null),
            ];
        }
    };
    let checked = with_compiled(&pattern, |regex| {
        let found = pointer.find(body);
        if found.is_empty() {
            return vec![missing(pointer)];
        }
        found
            .iter()
            .filter_map(|f| mismatch(regex, &pattern, || pointer.at(f), f.value))
            .collect()
    });
    match checked {
        Ok(found) => found,
        Err(e) => vec![
            Finding::new(
                kinds::PATTERN,
                format!("the regex for {pointer} does not compile: {e}"),
            )
            .at(at)
            .values(pattern, Value::Null),
        ],
    }
}

/// The most compiled regexes kept per thread; the cache is emptied when it is full.
const CACHE_LIMIT: usize = 256;

thread_local! {
    /// Compiled regexes by pattern: a case's templates give the same few patterns on every
    /// request, and compiling one costs far more than matching it.
    static COMPILED: RefCell<HashMap<String, Regex>> = RefCell::new(HashMap::new());
}

/// Calls `f` with the pattern compiled (with the size limit), from this thread's cache when it
/// was compiled before; a pattern that does not compile is not cached. The regex is lent, not
/// cloned: a clone would start with an empty matching cache of its own.
fn with_compiled<R>(pattern: &str, f: impl FnOnce(&Regex) -> R) -> Result<R, regex::Error> {
    COMPILED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(regex) = cache.get(pattern) {
            return Ok(f(regex));
        }
        let regex = regex::RegexBuilder::new(pattern)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()?;
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        Ok(f(cache.entry(pattern.to_string()).or_insert(regex)))
    })
}

/// The finding for one selected value that does not match, if it does not; `at` gives its
/// concrete pointer.
fn mismatch(
    regex: &Regex,
    pattern: &str,
    at: impl FnOnce() -> String,
    v: &Value,
) -> Option<Finding> {
    let text = match v {
        Value::String(s) => Cow::Borrowed(s.as_str()),
        Value::Number(_) | Value::Bool(_) => Cow::Owned(scalar_text(v)),
        other => {
            return Some(
                Finding::new(
                    kinds::PATTERN,
                    format!(
                        "expected a string matching the regex, got {}",
                        type_name(other)
                    ),
                )
                .at(at())
                .values(pattern, brief(other)),
            );
        }
    };
    if regex.is_match(&text) {
        return None;
    }
    Some(
        Finding::new(kinds::PATTERN, "the value does not match the regex")
            .at(at())
            .values(pattern, brief(v)),
    )
}

/// The finding for an expectation whose pointer selects nothing.
pub(crate) fn missing(pointer: &PointerPath) -> Finding {
    Finding::new(kinds::MISSING, format!("nothing at {pointer}")).at(pointer.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testutil::*;
    use serde_json::json;

    const ARN: &str = r"^acs:kms:${region}:\d+:key/${key_id}$";

    fn body() -> Value {
        json!({"Keys": {"Key": [
            {"KeyId": "k-1", "KeyArn": "acs:kms:cn-hangzhou:123:key/k-1"},
            {"KeyId": "k-2", "KeyArn": "acs:kms:cn-hangzhou:123:key/k-9"}
        ]}, "TotalCount": 2})
    }

    #[test]
    fn every_selected_value_must_match() {
        let mut v = vars();
        v.insert("key_id".into(), json!("k-1"));
        assert!(check_match(&ptr("/Keys/Key/0/KeyArn"), ARN, &v, &body()).is_empty());
        let found = check_match(
            &ptr("/Keys/Key/*/KeyArn"),
            r"^acs:kms:${region}:\d+:key/.+$",
            &v,
            &body(),
        );
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn an_arn_not_embedding_the_key_id_is_a_pattern_finding() {
        let mut v = vars();
        v.insert("key_id".into(), json!("k-2"));
        let found = check_match(&ptr("/Keys/Key/1/KeyArn"), ARN, &v, &body());
        assert_eq!(kinds_of(&found), [kinds::PATTERN]);
        assert_eq!(found[0].pointer, "/Keys/Key/1/KeyArn");
        assert_eq!(
            found[0].expected,
            json!(r"^acs:kms:cn\-hangzhou:\d+:key/k\-2$")
        );
        assert_eq!(found[0].actual, json!("acs:kms:cn-hangzhou:123:key/k-9"));
    }

    #[test]
    fn variable_values_are_escaped() {
        let mut v = vars();
        v.insert("key_id".into(), json!("k.1"));
        let b = json!({"KeyArn": "acs:kms:cn-hangzhou:1:key/kx1"});
        let found = check_match(&ptr("/KeyArn"), ARN, &v, &b);
        assert_eq!(kinds_of(&found), [kinds::PATTERN]);
    }

    #[test]
    fn numbers_are_matched_as_text_and_objects_fail() {
        let v = vars();
        assert!(check_match(&ptr("/TotalCount"), r"^\d+$", &v, &body()).is_empty());
        let found = check_match(&ptr("/Keys"), ".*", &v, &body());
        assert_eq!(kinds_of(&found), [kinds::PATTERN]);
        assert!(found[0].message.contains("object"));
    }

    #[test]
    fn nothing_selected_is_missing() {
        let found = check_match(&ptr("/Keys/Key/5/KeyArn"), ".*", &vars(), &body());
        assert_eq!(kinds_of(&found), [kinds::MISSING]);
        assert_eq!(found[0].pointer, "/Keys/Key/5/KeyArn");
    }

    #[test]
    fn an_unknown_variable_is_a_value_finding_naming_it() {
        let found = check_match(&ptr("/TotalCount"), "${nope}", &vars(), &body());
        assert_eq!(kinds_of(&found), [kinds::VALUE]);
        assert!(found[0].message.contains("${nope}"), "{}", found[0].message);
    }

    #[test]
    fn a_regex_that_does_not_compile_is_reported() {
        let found = check_match(&ptr("/TotalCount"), "(", &vars(), &body());
        assert_eq!(kinds_of(&found), [kinds::PATTERN]);
        assert!(found[0].message.contains("does not compile"));
    }
}
