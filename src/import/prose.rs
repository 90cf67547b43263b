//! The prose constraint parser: turns the sentences of a parameter's description into the
//! constraints the spec format can check ("Valid values: 1 to 100." is a minimum and a maximum),
//! each with the sentence it came from, and keeps sentences that state a rule it cannot check as
//! notes.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::model::{Constraint, ConstraintKind};

/// What one description yields.
#[derive(Debug, Default, PartialEq)]
pub struct Parsed {
    /// The checkable constraints, in the order of the text.
    pub constraints: Vec<Constraint>,
    /// Sentences that state a rule the parser could not turn into a check.
    pub notes: Vec<String>,
}

/// The headings of Huawei's description blocks, which are not sentences.
const HEADINGS: &[&str] = &["Definition", "Constraints", "Range", "Default Value"];

/// Words that make an unparsed sentence a rule worth a note.
const RULE_WORDS: &[&str] = &[
    "must",
    "cannot",
    "can not",
    "only",
    "unique",
    "valid value",
    "range",
    "length",
    "maximum",
    "minimum",
    "at most",
    "at least",
    "should",
    "limit",
    "characters",
    "not allowed",
    "format",
];

/// Parses a description given line by line (indentation kept: a bullet indented four or more
/// spaces is nested under another bullet and describes a part of the value, so it is a note).
/// `ty` is the parameter's type (`integer`, `string`, ...): "1 to 10" bounds an integer's value
/// and, with "characters", a string's length.
pub fn parse(lines: &[String], ty: &str) -> Parsed {
    let mut out = Parsed::default();
    let mut i = 0;
    while i < lines.len() {
        let raw = &lines[i];
        i += 1;
        let (indent, bullet, text) = split_line(raw);
        if text.is_empty() || text == "N/A" {
            continue;
        }
        if text == "Default Value" {
            // Huawei: the value is the next line that has text.
            if let Some(next) = lines[i..].iter().map(|l| l.trim()).find(|l| !l.is_empty())
                && next != "N/A"
                && !HEADINGS.contains(&next)
            {
                push(&mut out, ConstraintKind::Default(typed(next, ty)), next);
                i += lines[i..]
                    .iter()
                    .position(|l| l.trim() == next)
                    .unwrap_or(0)
                    + 1;
            }
            continue;
        }
        if HEADINGS.contains(&text) {
            continue;
        }
        if bullet && indent >= 4 {
            out.notes.push(text.to_string());
            continue;
        }
        // "Valid values:" with the members as the bullets below it.
        if text.ends_with(':') && text.to_lowercase().contains("valid values") {
            let mut members = Vec::new();
            while i < lines.len() {
                let (ind, b, t) = split_line(&lines[i]);
                if t.is_empty() {
                    i += 1;
                    continue;
                }
                if !b || (bullet && ind <= indent) {
                    break;
                }
                i += 1;
                if ind > indent + 2 && !members.is_empty() && bullet {
                    continue;
                }
                let name = t.split(':').next().unwrap_or("").trim();
                if is_member(name) {
                    members.push(name.to_string());
                }
            }
            if bullet {
                // A list inside a list: the values of a part of the parameter.
                out.notes.push(text.to_string());
            } else if !members.is_empty() {
                push(&mut out, ConstraintKind::Enum(members), text);
            }
            continue;
        }
        for sentence in sentences(text) {
            let found = parse_sentence(sentence, ty);
            if found.is_empty() {
                let lower = sentence.to_lowercase();
                if RULE_WORDS.iter().any(|w| lower.contains(w)) {
                    out.notes.push(sentence.to_string());
                }
            }
            for kind in found {
                push(&mut out, kind, sentence);
            }
        }
    }
    out
}

fn push(out: &mut Parsed, kind: ConstraintKind, sentence: &str) {
    // One constraint of a kind: the first sentence that states it wins.
    let same = |c: &Constraint| std::mem::discriminant(&c.kind) == std::mem::discriminant(&kind);
    if !out.constraints.iter().any(same) {
        out.constraints.push(Constraint {
            kind,
            sentence: sentence.to_string(),
        });
    }
}

/// Indentation, whether the line is a bullet, and its text without the bullet.
fn split_line(raw: &str) -> (usize, bool, &str) {
    let indent = raw.len() - raw.trim_start().len();
    let t = raw.trim();
    for b in ["\u{2022}", "- ", "* "] {
        if let Some(rest) = t.strip_prefix(b) {
            return (indent, true, rest.trim());
        }
    }
    (indent, false, t)
}

/// An enum member: one token of letters, digits and `_./-`.
fn is_member(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./-".contains(c))
}

/// Splits a line into sentences: at ". " (or "! ", "? ") before an upper-case letter, so that a
/// regular expression's dots stay inside their sentence.
pub fn sentences(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..b.len() {
        if matches!(b[i], b'.' | b'!' | b'?')
            && b.get(i + 1) == Some(&b' ')
            && b.get(i + 2).is_some_and(|c| c.is_ascii_uppercase())
        {
            out.push(text[start..=i].trim());
            start = i + 2;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// A value written in prose, typed like its parameter.
fn typed(text: &str, ty: &str) -> Value {
    let t = text.trim().trim_end_matches('.').trim();
    match ty {
        "integer" => number(t).map_or_else(|| Value::String(t.to_string()), Value::from),
        "boolean" if t == "true" || t == "false" => Value::Bool(t == "true"),
        _ => Value::String(t.to_string()),
    }
}

/// "1,096" is 1096.
fn number(t: &str) -> Option<i64> {
    t.replace(',', "").parse().ok()
}

macro_rules! re {
    ($name:ident, $re:expr) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| Regex::new($re).expect("a valid regex"));
    };
}

re!(
    RANGE,
    r"(?i)(?:from\s+)?(-?\d[\d,]*)\s+(?:to|-)\s+(-?\d[\d,]*)(\s+(?:characters|bytes))?|between\s+(-?\d[\d,]*)\s+and\s+(-?\d[\d,]*)(\s+(?:characters|bytes))?"
);
re!(DEFAULT, r"(?i)^default(?: value)?(?: is|:)\s*(.+?)\.?$");
// AWS member documentation: "If you do not include a value, it defaults to 50." and "The
// default value is ENCRYPT_DECRYPT." (one word only: "The default value is an empty string" is
// prose, not a value).
re!(
    DEFAULTS_TO,
    r"(?i)(?:\bdefaults to|^the default value is)\s+([A-Za-z0-9_-]+)\.?$"
);
re!(PATTERN, r"\^\S*\$");
re!(
    SUFFIX,
    r"(?i)(?:suffix cannot be|cannot end with|must not end with)\s+(\S+?)\.?$"
);
re!(
    GREATER_EQ,
    r"(?i)(?:greater than or equal to|no less than|at least|not less than)\s+(-?\d[\d,]*)"
);
re!(GREATER, r"(?i)greater than\s+(-?\d[\d,]*)");
re!(
    LESS_EQ,
    r"(?i)(?:less than or equal to|no more than|not greater than|at most|not more than)\s+(-?\d[\d,]*)"
);
re!(LESS, r"(?i)less than\s+(-?\d[\d,]*)");
re!(START, r"(?i)starts? from (?:page |value )?(-?\d[\d,]*)");
re!(
    EXACT_LEN,
    r"(?i)(?:(\d+)[- ]bytes?\b|contains (\d+) characters)"
);
re!(
    MAX_ITEMS,
    r"(?i)(?:a maximum of|up to|at most)\s+(\d[\d,]*)\s+(?:key-value pairs|entries|items|elements|pairs)"
);
re!(
    CAN_BE,
    r"(?i)(?:can be|valid values:|valid values are|must be one of)\s+(.+?)\.?$"
);

/// The constraints one sentence states (none: not a rule this parser knows).
pub fn parse_sentence(s: &str, ty: &str) -> Vec<ConstraintKind> {
    use ConstraintKind::*;
    let mut out = Vec::new();
    if let Some(c) = DEFAULT.captures(s) {
        out.push(Default(typed(&c[1], ty)));
        return out;
    }
    if let Some(c) = DEFAULTS_TO.captures(s) {
        out.push(Default(typed(&c[1], ty)));
        return out;
    }
    if let Some(m) = PATTERN.find(s)
        && Regex::new(m.as_str()).is_ok()
    {
        out.push(Pattern(m.as_str().to_string()));
    }
    if let Some(c) = SUFFIX.captures(s) {
        out.push(NotSuffix(c[1].to_string()));
    }
    if let Some(c) = MAX_ITEMS.captures(s)
        && let Some(n) = number(&c[1])
    {
        out.push(MaxItems(n as u64));
        return out;
    }
    let lengthy = ty == "string";
    // "1 to 255 characters" / "from 7 to 1,096 days" / "Valid values: 0 to 101."
    let s_without_pattern = PATTERN.replace_all(s, "");
    if let Some(c) = RANGE.captures(&s_without_pattern)
        && let (Some(lo), Some(hi)) = (
            number(c.get(1).or(c.get(4)).map_or("", |m| m.as_str())),
            number(c.get(2).or(c.get(5)).map_or("", |m| m.as_str())),
        )
        && lo <= hi
    {
        if c.get(3).or(c.get(6)).is_some() || (lengthy && s.to_lowercase().contains("length")) {
            if lengthy {
                out.push(MinLength(lo.max(0) as u64));
                out.push(MaxLength(hi.max(0) as u64));
            }
        } else if ty == "integer" {
            out.push(Minimum(lo));
            out.push(Maximum(hi));
        }
        return out;
    }
    if lengthy && let Some(c) = EXACT_LEN.captures(&s_without_pattern) {
        let n = c.get(1).or(c.get(2)).and_then(|m| number(m.as_str()));
        if let Some(n) = n {
            out.push(MinLength(n as u64));
            out.push(MaxLength(n as u64));
        }
    }
    if ty == "integer" {
        if let Some(c) = GREATER_EQ.captures(s).and_then(|c| number(&c[1])) {
            out.push(Minimum(c));
        } else if let Some(c) = GREATER.captures(s).and_then(|c| number(&c[1])) {
            out.push(Minimum(c + 1));
        } else if let Some(c) = START.captures(s).and_then(|c| number(&c[1])) {
            out.push(Minimum(c));
        }
        if let Some(c) = LESS_EQ.captures(s).and_then(|c| number(&c[1])) {
            out.push(Maximum(c));
        } else if let Some(c) = LESS.captures(s).and_then(|c| number(&c[1])) {
            out.push(Maximum(c - 1));
        }
    }
    if out.is_empty()
        && ty == "string"
        && let Some(c) = CAN_BE.captures(s)
    {
        let members: Vec<String> = c[1]
            .split([',', ' '])
            .map(str::trim)
            .filter(|t| !t.is_empty() && *t != "or" && *t != "and")
            .filter(|t| !(t.starts_with('(') && t.ends_with(')')))
            .map(str::to_string)
            .collect();
        if !members.is_empty() && members.iter().all(|m| is_member(m)) {
            out.push(Enum(members));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::ConstraintKind::*;
    use super::*;

    fn one(s: &str, ty: &str) -> Vec<ConstraintKind> {
        parse_sentence(s, ty)
    }

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn between_and_inclusive_is_minimum_and_maximum() {
        assert_eq!(
            one(
                "If you include a value, it must be between 1 and 100, inclusive.",
                "integer"
            ),
            vec![Minimum(1), Maximum(100)]
        );
    }

    #[test]
    fn valid_values_range_is_minimum_and_maximum() {
        assert_eq!(
            one("Valid values: 1 to 100.", "integer"),
            vec![Minimum(1), Maximum(100)]
        );
        assert_eq!(
            one("Valid values: 0 to 101.", "integer"),
            vec![Minimum(0), Maximum(101)]
        );
        assert_eq!(one("0 to 101", "integer"), vec![Minimum(0), Maximum(101)]);
    }

    #[test]
    fn default_value_is_typed_like_its_parameter() {
        assert_eq!(
            one("Default value: 10", "integer"),
            vec![Default(Value::from(10))]
        );
        assert_eq!(
            one("Default value: 1.", "integer"),
            vec![Default(Value::from(1))]
        );
        assert_eq!(
            one("Default value: Enabled.", "string"),
            vec![Default(Value::from("Enabled"))]
        );
    }

    #[test]
    fn aws_defaults_are_read_and_prose_is_not_a_value() {
        assert_eq!(
            one(
                "If you do not include a value, it defaults to 50.",
                "integer"
            ),
            vec![Default(Value::from(50))]
        );
        assert_eq!(
            one("The default value is ENCRYPT_DECRYPT.", "string"),
            vec![Default(Value::from("ENCRYPT_DECRYPT"))]
        );
        assert!(
            one(
                "The default value is an empty string (no description).",
                "string"
            )
            .is_empty()
        );
    }

    #[test]
    fn greater_than_is_an_exclusive_minimum() {
        assert_eq!(
            one("It must be an integer that is greater than 0.", "integer"),
            vec![Minimum(1)]
        );
        assert_eq!(
            one("Value range: integers greater than 0.", "integer"),
            vec![Minimum(1)]
        );
        assert_eq!(one("Pages start from page 1.", "integer"), vec![Minimum(1)]);
        assert_eq!(
            one(
                "It must be an integer greater than 0 and no more than 101.",
                "integer"
            ),
            vec![Minimum(1), Maximum(101)]
        );
    }

    #[test]
    fn characters_bound_a_string_length() {
        assert_eq!(
            one("The value is a string of 1 to 255 characters.", "string"),
            vec![MinLength(1), MaxLength(255)]
        );
        assert_eq!(
            one("The value must be a 36-byte ID.", "string"),
            vec![MinLength(36), MaxLength(36)]
        );
        assert_eq!(
            one(
                "The value returned by the IAM API is used, which contains 32 characters.",
                "string"
            ),
            vec![MinLength(32), MaxLength(32)]
        );
    }

    #[test]
    fn a_regular_expression_is_a_pattern() {
        assert_eq!(
            one(
                "The value must match the regular expression ^[a-zA-Z0-9:/_-]{1,255}$.",
                "string"
            ),
            vec![Pattern("^[a-zA-Z0-9:/_-]{1,255}$".into())]
        );
        // The {1,255} inside the regex is not a length sentence of its own.
        assert_eq!(
            one("must match ^[a-z]{2,4}$", "string"),
            vec![Pattern("^[a-z]{2,4}$".into())]
        );
    }

    #[test]
    fn a_forbidden_suffix() {
        assert_eq!(
            one("The suffix cannot be /default.", "string"),
            vec![NotSuffix("/default".into())]
        );
    }

    #[test]
    fn days_with_a_thousands_separator() {
        assert_eq!(
            one("The value ranges from 7 to 1,096 days.", "integer"),
            vec![Minimum(7), Maximum(1096)]
        );
    }

    #[test]
    fn enums_inline_and_as_bullets() {
        assert_eq!(
            one(
                "The value can be Enabled, Disabled, or PendingDeletion.",
                "string"
            ),
            vec![Enum(vec![
                "Enabled".into(),
                "Disabled".into(),
                "PendingDeletion".into()
            ])]
        );
        assert_eq!(
            one(
                "The value can be SOFTWARE (software) or HSM (hardware).",
                "string"
            ),
            vec![Enum(vec!["SOFTWARE".into(), "HSM".into()])]
        );
        let p = parse(
            &lines(
                "The usage.\n\nValid values:\n\n  \u{2022} ENCRYPT/DECRYPT: encryption\n  \u{2022} SIGN/VERIFY: signing",
            ),
            "string",
        );
        assert_eq!(p.constraints.len(), 1);
        assert_eq!(
            p.constraints[0].kind,
            Enum(vec!["ENCRYPT/DECRYPT".into(), "SIGN/VERIFY".into()])
        );
        assert_eq!(p.constraints[0].sentence, "Valid values:");
    }

    #[test]
    fn a_maximum_of_pairs_is_max_items() {
        assert_eq!(
            one("You can specify a maximum of 10 key-value pairs.", "string"),
            vec![MaxItems(10)]
        );
    }

    #[test]
    fn vague_rules_are_notes_and_nested_bullets_are_not_checks() {
        let p = parse(
            &lines(
                "Key alias\n\nThe alias of an account in the same region must be unique.\n\n  \u{2022} Values\n    \u{2022} Length: 0 to 10.",
            ),
            "string",
        );
        assert!(p.constraints.is_empty(), "{:?}", p.constraints);
        assert_eq!(
            p.notes,
            vec![
                "The alias of an account in the same region must be unique.",
                "Length: 0 to 10."
            ]
        );
    }

    #[test]
    fn huawei_blocks_give_the_default_and_skip_headings() {
        let p = parse(
            &lines(
                "Definition\n\nDays.\n\nConstraints\n\nN/A\n\nRange\n\n7 to 1096\n\nDefault Value\n\n30",
            ),
            "integer",
        );
        let kinds: Vec<_> = p.constraints.iter().map(|c| c.kind.clone()).collect();
        assert_eq!(
            kinds,
            vec![Minimum(7), Maximum(1096), Default(Value::from(30))]
        );
        assert_eq!(p.constraints[2].sentence, "30");
    }

    #[test]
    fn sentences_keep_a_regex_whole() {
        assert_eq!(
            sentences("CMK ID. It should match ^[0-9a-z]{8}$. Example: abc"),
            vec!["CMK ID.", "It should match ^[0-9a-z]{8}$.", "Example: abc"]
        );
    }
}
