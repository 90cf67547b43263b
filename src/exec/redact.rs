//! Redaction of everything recorded: secrets, signatures, tokens and access key ids.

/// Replaces known secret values and signature material in recorded text.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    secrets: Vec<String>,
    key_ids: Vec<String>,
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
];

/// Query parameters whose values are never recorded.
const SECRET_PARAMS: &[&str] = &["Signature", "SecurityToken"];

impl Redactor {
    /// A redactor for these secret values and access key ids.
    pub fn new(secrets: Vec<String>, key_ids: Vec<String>) -> Self {
        Redactor {
            secrets: secrets.into_iter().filter(|s| !s.is_empty()).collect(),
            key_ids: key_ids.into_iter().filter(|s| !s.is_empty()).collect(),
        }
    }

    /// Adds a secret value.
    pub fn add_secret(&mut self, s: &str) {
        if !s.is_empty() {
            self.secrets.push(s.to_string());
        }
    }

    /// Adds an access key id, shown only by its last 4 characters.
    pub fn add_key_id(&mut self, s: &str) {
        if !s.is_empty() {
            self.key_ids.push(s.to_string());
        }
    }

    /// Redacts free text: every secret becomes `<redacted>`, every key id `****` + last 4.
    pub fn text(&self, s: &str) -> String {
        let mut out = s.to_string();
        for secret in &self.secrets {
            out = out.replace(secret.as_str(), "<redacted>");
            let encoded = crate::sign::encode::alibaba(secret);
            if encoded != *secret {
                out = out.replace(encoded.as_str(), "<redacted>");
            }
        }
        for id in &self.key_ids {
            out = out.replace(id.as_str(), &mask_key_id(id));
        }
        out
    }

    /// Redacts a header value by name.
    pub fn header(&self, name: &str, value: &str) -> String {
        if SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            "<redacted>".to_string()
        } else {
            self.text(value)
        }
    }

    /// Redacts a URL: secret query parameters, then free text.
    pub fn url(&self, url: &str) -> String {
        let Some((base, query)) = url.split_once('?') else {
            return self.text(url);
        };
        let parts: Vec<String> = query
            .split('&')
            .map(|pair| {
                let name = pair.split('=').next().unwrap_or("");
                if SECRET_PARAMS.contains(&name) {
                    format!("{name}=<redacted>")
                } else {
                    pair.to_string()
                }
            })
            .collect();
        self.text(&format!("{base}?{}", parts.join("&")))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_signatures_are_removed() {
        let r = Redactor::new(vec!["s3cr3t/+=".into()], vec!["LTAIabcdefgh".into()]);
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
}
