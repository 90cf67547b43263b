//! The written forms of a credential: one regular expression per credential that matches it
//! however a server or a log may have written it.
//!
//! Every character that is not an ASCII letter or digit may appear as itself or as any of its
//! encodings, independently of its neighbours (encoders differ in what they leave alone):
//!
//! - percent-encoded any number of times, hex digits in either case (`/`, `%2F`, `%2f`,
//!   `%252F`, `%25252f`, …);
//! - JSON-escaped (`\/`, `\"`, `\\`, `\u002F`, with any number of backslashes when escaped
//!   twice);
//! - an HTML character reference (`&#47;`, `&#x2F;`, `&amp;`, …);
//! - form-decoded: a `+` read as a space (`%20` too), a space written as `+`.
//!
//! The base64 of the credential (standard and URL-safe alphabets) is matched at each of the
//! three offsets it can have inside a longer base64 text, by the characters that do not depend
//! on its neighbours.

use base64::Engine;

/// The shortest base64 fragment matched: shorter ones could occur in ordinary text.
const MIN_BASE64_FRAGMENT: usize = 8;

/// The regular expression (source) that matches every written form of `value`.
pub(super) fn pattern(value: &str) -> String {
    let mut literal = String::new();
    for c in value.chars() {
        literal.push_str(&char_forms(c));
    }
    let mut alternatives = vec![literal];
    alternatives.extend(base64_fragments(value).iter().map(|f| regex::escape(f)));
    alternatives.join("|")
}

/// A regex matching one character in any of its forms.
fn char_forms(c: char) -> String {
    if c.is_ascii_alphanumeric() {
        return c.to_string();
    }
    let mut alts = vec![regex::escape(&c.to_string())];
    // Percent-encoded, once or many times: `%` then any number of `25`, then the byte.
    let mut utf8 = [0u8; 4];
    let percent: String = c
        .encode_utf8(&mut utf8)
        .bytes()
        .map(|b| format!("%(?:25)*{}", hex_any_case(b as u32, 2)))
        .collect();
    alts.push(percent);
    // JSON `\uXXXX` (BMP only; others are written raw by every JSON writer we know).
    if (c as u32) <= 0xffff {
        alts.push(format!(r"\\+u{}", hex_any_case(c as u32, 4)));
    }
    // HTML character references.
    alts.push(format!("&#0*{};", c as u32));
    alts.push(format!("&#[xX]0*{};", hex_any_case(c as u32, 1)));
    match c {
        '/' => alts.push(r"\\+/".into()),
        '"' => {
            alts.push(r#"\\+""#.into());
            alts.push("&quot;".into());
        }
        '\\' => alts.push(r"\\+".into()),
        '&' => alts.push("&amp;".into()),
        '<' => alts.push("&lt;".into()),
        '>' => alts.push("&gt;".into()),
        '\'' => alts.push("&apos;".into()),
        // A form decoder reads `+` as a space; the space may then be encoded again.
        '+' => {
            alts.push(" ".into());
            alts.push("%(?:25)*20".into());
        }
        ' ' => {
            alts.push(r"\+".into());
            alts.push("%(?:25)*2[bB]".into());
        }
        _ => {}
    }
    format!("(?:{})", alts.join("|"))
}

/// `n` in hex, at least `width` digits, each letter digit matching either case.
fn hex_any_case(n: u32, width: usize) -> String {
    format!("{n:0width$X}")
        .chars()
        .map(|d| {
            if d.is_ascii_alphabetic() {
                format!("[{}{}]", d, d.to_ascii_lowercase())
            } else {
                d.to_string()
            }
        })
        .collect()
}

/// The parts of the base64 of `value` that are the same wherever it sits in a longer text:
/// for each offset (0, 1 or 2 bytes into a 3-byte group) and both alphabets.
pub(super) fn base64_fragments(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let engines = [
        base64::engine::general_purpose::STANDARD_NO_PAD,
        base64::engine::general_purpose::URL_SAFE_NO_PAD,
    ];
    for shift in 0..3usize {
        let mut bytes = vec![0u8; shift];
        bytes.extend_from_slice(value.as_bytes());
        for engine in &engines {
            let encoded = engine.encode(&bytes);
            // Character i covers bits [6i, 6i + 6); it depends on `value` alone when those
            // bits lie within [8 * shift, 8 * (shift + len)).
            let first = (8 * shift).div_ceil(6);
            let last = 8 * (shift + value.len()) / 6;
            let fragment: String = encoded
                .chars()
                .skip(first)
                .take(last.saturating_sub(first))
                .collect();
            if fragment.len() >= MIN_BASE64_FRAGMENT && !out.contains(&fragment) {
                out.push(fragment);
            }
        }
    }
    out
}

/// The plain forms of `value` whose beginnings are looked for where a text was cut: raw,
/// percent-encoded once and twice (upper and lower case), JSON-escaped, form-decoded, and its
/// base64 fragments.
pub(super) fn plain_forms(value: &str) -> Vec<String> {
    let once_upper = percent(value, false);
    let once_lower = percent(value, true);
    let mut out = vec![
        value.to_string(),
        percent(&once_upper, false),
        percent(&once_lower, true),
        once_upper,
        once_lower,
        value.replace('/', "\\/"),
        value.replace('+', " "),
    ];
    out.extend(base64_fragments(value));
    out.sort();
    out.dedup();
    out
}

/// Percent-encodes every byte outside RFC 3986's unreserved characters.
fn percent(s: &str, lower: bool) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else if lower {
            out.push_str(&format!("%{b:02x}"));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(value: &str, text: &str) -> bool {
        regex::Regex::new(&pattern(value)).unwrap().is_match(text)
    }

    #[test]
    fn every_encoding_of_a_character_matches() {
        let v = "a/b+c=d";
        for text in [
            "a/b+c=d",
            "a%2Fb%2Bc%3Dd",
            "a%2fb%2bc%3dd",
            "a%252Fb%252Bc%253Dd",
            "a%25252fb%2bc=d",
            r"a\/b+c=d",
            r"a\\\/b+c=d",
            r"a\u002fb\u002Bc\u003dd",
            "a&#47;b&#x2B;c&#61;d",
            "a/b c=d",
            "a/b%20c=d",
        ] {
            assert!(matches(v, text), "{text}");
        }
        assert!(!matches(v, "a/b+c=e"));
        assert!(!matches(v, "A/b+c=d"), "letters keep their case");
    }

    #[test]
    fn base64_fragments_are_found_at_any_offset() {
        let v = "secret-value+/=";
        let std = base64::engine::general_purpose::STANDARD;
        for prefix in ["", "x", "xy", "xyz:"] {
            let encoded = std.encode(format!("{prefix}{v}tail"));
            assert!(matches(v, &encoded), "{prefix}: {encoded}");
        }
        assert!(base64_fragments("pw").is_empty(), "too short to look for");
    }

    #[test]
    fn plain_forms_include_double_encoding() {
        let forms = plain_forms("a/b");
        for f in ["a/b", "a%2Fb", "a%2fb", "a%252Fb", "a%252fb", "a\\/b"] {
            assert!(forms.contains(&f.to_string()), "{f}");
        }
    }
}
