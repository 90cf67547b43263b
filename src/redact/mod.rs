//! The one redaction layer: everything specgate writes that came from a target or holds a
//! request (findings, recorded exchanges, `sweep`'s messages, `--dry-run`'s requests) passes
//! through a [`Redactor`] that knows every credential of the run, and every text output
//! escapes control characters ([`escape_controls`]). `docs/security.md` says what is removed,
//! in which forms, and where.
//!
//! Where it sits:
//! - `exec` redacts each exchange as it is recorded and each outcome as it is made;
//! - the report's collector redacts every outcome again as it takes it, so nothing reaches the
//!   store (and from there the console, the report files and `--write-baseline`) unredacted,
//!   whoever made the outcome;
//! - `sweep` and `--dry-run` print only through it.

mod controls;
mod forms;
mod json;
mod outcome;

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

pub use controls::{escape_controls, escape_controls_multiline};
pub use json::{PrettyEscaping, needs_json_escape, write_escaped_fragment};

use crate::target::{Auth, Target};

/// What replaces a secret value.
pub const REDACTED: &str = "<redacted>";

/// The shortest credential looked for in free text: shorter ones would match ordinary words.
/// (An endpoint's password is removed from URLs whatever its length.)
const MIN_SEARCHED: usize = 4;

/// The shortest beginning of a credential redacted where a text was cut (`…`, `...`, or the
/// end of the text).
const MIN_CUT_PREFIX: usize = 6;

/// Replaces the credentials of a run, in every written form, in recorded text.
///
/// The default one is inert: it changes nothing (the embedded emulator's runs have no
/// credential and pay nothing). One made by [`Redactor::new`] or [`Redactor::for_targets`]
/// with any credential or endpoint user information also removes, by name, signatures, token
/// headers and the user information of URLs.
#[derive(Clone, Default)]
pub struct Redactor {
    credentials: Vec<Credential>,
    active: bool,
}

/// One credential and how it is shown.
#[derive(Clone)]
struct Credential {
    /// Every form, as one regex.
    pattern: Regex,
    /// The plain forms whose beginnings are looked for at a cut.
    plain: Vec<String>,
    /// What replaces it: `<redacted>`, or `****` and the last four characters of a key id.
    shown: String,
    /// The raw value's length, to apply longer credentials first.
    len: usize,
}

// Never print the credentials or the patterns made of them.
impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} credentials)", self.credentials.len())
    }
}

/// Headers whose values are never recorded.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "x-auth-token",
    "x-security-token",
    "x-acs-security-token",
    "x-subject-token",
    "cookie",
    "set-cookie",
    "proxy-authorization",
];

/// Query parameters whose values are never recorded.
const SECRET_PARAMS: &[&str] = &["Signature", "SecurityToken"];

/// `scheme://user:password@` in any text: the user information is removed.
static USERINFO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^\s/?#@<>\x22'`\\]+@").expect("a valid regex")
});

/// `Signature=…`, `SecurityToken=…` and the token headers written as `name: value` or
/// `name=value` in free text (an echoed request, a canonical request in an error message), with
/// the separator percent-encoded any number of times. A match preceded by a letter is not one
/// (`XSignature=`); [`Redactor::text`] checks that.
static NAMED_SECRETS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)((?:Signature|SecurityToken)(?:=|%(?:25)*3D)",
        r"|(?:x-acs-security-token|x-security-token|x-auth-token|x-subject-token)",
        r"(?:=|%(?:25)*3D|:[ \t]*|%(?:25)*3A(?:%(?:25)*20)*))",
        r"(?:[^\s&\\\x22'<>,;%]|%(?:25)*(?:2B|2F|3D))+",
    ))
    .expect("a valid regex")
});

impl Redactor {
    /// A redactor for these secret values and access key ids.
    pub fn new(secrets: Vec<String>, key_ids: Vec<String>) -> Self {
        let mut r = Redactor {
            active: true,
            ..Redactor::default()
        };
        for s in secrets {
            r.add_secret(&s);
        }
        for id in key_ids {
            r.add_key_id(&id);
        }
        r
    }

    /// A redactor that knows every credential of the targets: secret keys, security and IAM
    /// tokens, access key ids (shown by their last four characters) and the passwords of
    /// endpoints' `user:password@`.
    pub fn for_targets(targets: &[Target]) -> Self {
        let mut r = Redactor::default();
        for t in targets {
            for st in t.services.values() {
                for s in st.auth.secrets() {
                    r.add_secret(&s);
                }
                if let Auth::AlibabaV1(c) | Auth::AlibabaV3(c) | Auth::HuaweiAksk(c) = &st.auth {
                    r.add_key_id(c.access_key_id());
                }
                if !matches!(st.auth, Auth::None) {
                    r.active = true;
                }
                if let Ok(u) = url::Url::parse(&st.endpoint)
                    && (!u.username().is_empty() || u.password().is_some())
                {
                    r.active = true;
                    if let Some(pw) = u.password() {
                        let raw = percent_encoding::percent_decode_str(pw).decode_utf8_lossy();
                        r.add_secret(&raw);
                    }
                }
            }
        }
        r
    }

    /// Adds a secret value: replaced by `<redacted>`.
    pub fn add_secret(&mut self, s: &str) {
        self.add(s, REDACTED.to_string());
    }

    /// Adds an access key id, shown only by its last 4 characters.
    pub fn add_key_id(&mut self, s: &str) {
        self.add(s, mask_key_id(s));
    }

    fn add(&mut self, value: &str, shown: String) {
        self.active = true;
        if value.chars().count() < MIN_SEARCHED
            || self
                .credentials
                .iter()
                .any(|c| c.plain.contains(&value.to_string()))
        {
            return;
        }
        let Ok(pattern) = regex::RegexBuilder::new(&forms::pattern(value))
            .size_limit(64 << 20)
            .build()
        else {
            // Cannot happen for any value (every character is escaped); a plain match is
            // still better than none.
            let fallback = Regex::new(&regex::escape(value)).expect("an escaped literal");
            self.push(value, fallback, shown);
            return;
        };
        self.push(value, pattern, shown);
    }

    fn push(&mut self, value: &str, pattern: Regex, shown: String) {
        self.credentials.push(Credential {
            pattern,
            plain: forms::plain_forms(value),
            shown,
            len: value.len(),
        });
        // Longer credentials first, so one that contains another is replaced whole.
        self.credentials.sort_by_key(|c| std::cmp::Reverse(c.len));
    }

    /// True when it changes nothing: no credential, no endpoint user information.
    pub fn is_inert(&self) -> bool {
        !self.active
    }

    /// Redacts free text: user information in URLs, named secrets (`Signature=`, token
    /// headers), then every credential in every form; a credential's beginning left where the
    /// text was cut is redacted too.
    pub fn text(&self, s: &str) -> String {
        if !self.active {
            return s.to_string();
        }
        let mut out = if s.contains('@') {
            USERINFO.replace_all(s, "$1").into_owned()
        } else {
            s.to_string()
        };
        out = named_secrets(&out);
        for c in &self.credentials {
            if let std::borrow::Cow::Owned(o) = c.pattern.replace_all(&out, c.shown.as_str()) {
                out = o;
            }
        }
        self.cut_prefixes(out)
    }

    /// Redacts the beginning of a credential that ends the text or stands right before a cut
    /// mark (`…` or `...`), as left by a check that quotes the first characters of a message.
    fn cut_prefixes(&self, mut s: String) -> String {
        if self.credentials.is_empty() {
            return s;
        }
        let mut cuts: Vec<usize> = s.match_indices('…').map(|(i, _)| i).collect();
        cuts.extend(s.match_indices("...").map(|(i, _)| i));
        cuts.push(s.len());
        cuts.sort_unstable();
        cuts.dedup();
        // From the last cut backwards, so earlier positions stay valid.
        for &cut in cuts.iter().rev() {
            let before = &s[..cut];
            let mut longest: Option<(usize, &str)> = None;
            for c in &self.credentials {
                for form in &c.plain {
                    let n = longest_prefix_suffix(before, form);
                    if n > 0 && longest.is_none_or(|(m, _)| n > m) {
                        longest = Some((n, c.shown.as_str()));
                    }
                }
            }
            if let Some((n, shown)) = longest {
                let shown = shown.to_string();
                s.replace_range(cut - n..cut, &shown);
            }
        }
        s
    }

    /// Redacts a header value by name: token and authorization headers entirely.
    pub fn header(&self, name: &str, value: &str) -> String {
        if SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            REDACTED.to_string()
        } else {
            self.text(value)
        }
    }

    /// Redacts a URL: user information, secret query parameters, then free text.
    pub fn url(&self, url: &str) -> String {
        if !self.active {
            return url.to_string();
        }
        let url = USERINFO.replace_all(url, "$1");
        let Some((base, query)) = url.split_once('?') else {
            return self.text(&url);
        };
        let parts: Vec<String> = query
            .split('&')
            .map(|pair| {
                let name = pair.split('=').next().unwrap_or("");
                if SECRET_PARAMS.contains(&name) {
                    format!("{name}={REDACTED}")
                } else {
                    pair.to_string()
                }
            })
            .collect();
        self.text(&format!("{base}?{}", parts.join("&")))
    }
}

/// `NAMED_SECRETS` applied where the name does not continue a word.
fn named_secrets(s: &str) -> String {
    let mut out = String::new();
    let mut last = 0;
    for c in NAMED_SECRETS.captures_iter(s) {
        let (Some(whole), Some(name)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let after_letter = s[..whole.start()]
            .chars()
            .next_back()
            .is_some_and(|p| p.is_ascii_alphabetic() || p == '-' || p == '_');
        if after_letter {
            continue;
        }
        out.push_str(&s[last..whole.start()]);
        out.push_str(name.as_str());
        out.push_str(REDACTED);
        last = whole.end();
    }
    if last == 0 {
        return s.to_string();
    }
    out.push_str(&s[last..]);
    out
}

/// The length (at least [`MIN_CUT_PREFIX`] bytes) of the longest beginning of `form` that
/// `text` ends with; 0 when none.
fn longest_prefix_suffix(text: &str, form: &str) -> usize {
    if text.len() < MIN_CUT_PREFIX || !text.is_char_boundary(text.len() - MIN_CUT_PREFIX) {
        return 0;
    }
    // The text's last bytes are the last bytes of the beginning, so they occur in `form`.
    let tail = &text[text.len() - MIN_CUT_PREFIX..];
    form.match_indices(tail)
        .map(|(i, _)| i + MIN_CUT_PREFIX)
        .filter(|&n| text.ends_with(&form[..n]))
        .max()
        .unwrap_or(0)
}

/// Shows an access key id only by its last 4 characters.
pub fn mask_key_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 4 {
        "****".to_string()
    } else {
        format!(
            "****{}",
            chars[chars.len() - 4..].iter().collect::<String>()
        )
    }
}

/// Removes the user information (`user:password@`) of every URL in `s`: for messages about an
/// endpoint, and the profile lines they quote.
pub fn without_userinfo(s: &str) -> String {
    USERINFO.replace_all(s, "$1").into_owned()
}

/// A source line with everything from column `col` (1-based) on replaced by `<redacted>`: for
/// a diagnostic that points at a secret written in a file.
pub fn hide_from_column(line: &str, col: usize) -> String {
    let kept: String = line.chars().take(col.saturating_sub(1)).collect();
    format!("{kept}{REDACTED}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor() -> Redactor {
        Redactor::new(
            vec!["s3cr3t/+=".into(), "CAIS+tok/en=".into()],
            vec!["LTAIabcdefgh".into()],
        )
    }

    #[test]
    fn secrets_and_signatures_are_removed() {
        let r = redactor();
        let url = r.url("http://h/?AccessKeyId=LTAIabcdefgh&Signature=abc%3D&X=s3cr3t%2F%2B%3D");
        assert_eq!(
            url,
            "http://h/?AccessKeyId=****efgh&Signature=<redacted>&X=<redacted>"
        );
        assert_eq!(r.header("Authorization", "x"), "<redacted>");
        assert_eq!(
            r.header("X-Other", "has s3cr3t/+= inside"),
            "has <redacted> inside"
        );
    }

    #[test]
    fn every_form_is_removed() {
        let r = redactor();
        for text in [
            "CAIS+tok/en=",
            "CAIS%2Btok%2Fen%3D",
            "CAIS%2btok%2fen%3d",
            "CAIS%252Btok%252Fen%253D",
            "CAIS%252btok%252fen%253d",
            r"CAIS+tok\/en=",
            "CAIS tok/en=",
        ] {
            assert_eq!(r.text(&format!("[{text}]")), "[<redacted>]", "{text}");
        }
        assert_eq!(
            r.text("GET&%2F&AccessKeyId%3DLTAIabcdefgh%26"),
            "GET&%2F&AccessKeyId%3D****efgh%26"
        );
    }

    #[test]
    fn the_beginning_of_a_credential_at_a_cut_is_removed() {
        let r = redactor();
        assert_eq!(r.text("id LTAIabcd..."), "id ****efgh...");
        assert_eq!(r.text("token CAIS%2Btok…"), "token <redacted>…");
        assert_eq!(r.text("ends with CAIS+t"), "ends with <redacted>");
        assert_eq!(
            r.text("short CAIS..."),
            "short CAIS...",
            "too short to tell"
        );
        // A Basic header quoted up to a cut: the base64 of the secret's beginning.
        let basic =
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, "user:s3cr3t/+=");
        let cut = &basic[..basic.len() - 4];
        assert_eq!(
            r.text(&format!("Basic {cut}...")),
            "Basic dXNlcjp<redacted>..."
        );
    }

    #[test]
    fn user_information_and_named_secrets_are_removed_from_free_text() {
        let r = Redactor::new(vec![], vec![]);
        assert_eq!(
            r.text("see http://user:pw@host:8/x and https://h/y"),
            "see http://host:8/x and https://h/y"
        );
        assert_eq!(
            r.text(r"x-acs-security-token:abc\ndate: 1"),
            r"x-acs-security-token:<redacted>\ndate: 1"
        );
        assert_eq!(
            r.text("a?SecurityToken=x%2By&Signature=q%3D&b=1"),
            "a?SecurityToken=<redacted>&Signature=<redacted>&b=1"
        );
        assert_eq!(
            r.text("SecurityToken%3DCAIS%252Bx%26SignatureMethod%3DHMAC"),
            "SecurityToken%3D<redacted>%26SignatureMethod%3DHMAC"
        );
        assert_eq!(
            r.text("SignatureMethod=HMAC-SHA1"),
            "SignatureMethod=HMAC-SHA1"
        );
    }

    #[test]
    fn the_default_redactor_changes_nothing() {
        let r = Redactor::default();
        assert!(r.is_inert());
        let s = "http://u:p@h/?Signature=x";
        assert_eq!((r.text(s), r.url(s)), (s.to_string(), s.to_string()));
    }

    #[test]
    fn redaction_is_idempotent() {
        let r = redactor();
        let once = r.text("k=LTAIabcdefgh&t=CAIS+tok/en=&u=http://a:b@h&Signature=1");
        assert_eq!(r.text(&once), once);
    }

    #[test]
    fn debug_shows_no_credential() {
        let shown = format!("{:?}", redactor());
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("LTAI"),
            "{shown}"
        );
    }
}
