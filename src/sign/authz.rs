//! Parsing of `Authorization: <ALGORITHM> Key=value, Key=value` headers.

use super::{AuthError, SignableRequest};

/// The three fields both SHA-256 schemes carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuthorizationFields {
    /// The access key id (`Credential=` for Alibaba, `Access=` for Huawei).
    pub access_key_id: String,
    /// The header names listed in `SignedHeaders=`.
    pub signed_headers: Vec<String>,
    /// The hex signature.
    pub signature: String,
}

/// The `Authorization` header of `req`, parsed as [`parse`] does: the first step of every
/// SHA-256 scheme's verifier.
pub(crate) fn from_request(
    req: &SignableRequest,
    algorithm: &str,
    id_key: &str,
) -> Result<AuthorizationFields, AuthError> {
    let header = req
        .header("authorization")
        .ok_or(AuthError::Missing("Authorization"))?;
    parse(header, algorithm, id_key)
}

/// The value of the header `name` a scheme signs its time with (`X-Sdk-Date`, `X-Amz-Date`),
/// or a malformed-authorization error naming it.
pub(crate) fn date_header<'r>(req: &'r SignableRequest, name: &str) -> Result<&'r str, AuthError> {
    req.header(name)
        .ok_or_else(|| AuthError::Malformed(format!("{name} is missing")))
}

/// Parses `value` as `<algorithm> <id_key>=..,SignedHeaders=..,Signature=..` (spaces after commas optional).
pub(crate) fn parse(
    value: &str,
    algorithm: &str,
    id_key: &str,
) -> Result<AuthorizationFields, AuthError> {
    let rest = value
        .trim()
        .strip_prefix(algorithm)
        .filter(|r| r.starts_with([' ', '\t']))
        .ok_or_else(|| AuthError::Malformed(format!("expected the {algorithm} scheme")))?;
    let (mut id, mut headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (key, val) = part
            .trim()
            .split_once('=')
            .ok_or_else(|| AuthError::Malformed(format!("expected key=value, got {part:?}")))?;
        let slot = match key {
            k if k == id_key => &mut id,
            "SignedHeaders" => &mut headers,
            "Signature" => &mut signature,
            other => return Err(AuthError::Malformed(format!("unexpected field {other:?}"))),
        };
        if slot.replace(val.trim().to_string()).is_some() {
            return Err(AuthError::Malformed(format!("repeated field {key:?}")));
        }
    }
    let need = |field: Option<String>, name: &str| {
        field
            .filter(|v| !v.is_empty())
            .ok_or_else(|| AuthError::Malformed(format!("{name} is missing or empty")))
    };
    Ok(AuthorizationFields {
        access_key_id: need(id, id_key)?,
        signed_headers: need(headers, "SignedHeaders")?
            .split(';')
            .map(str::to_string)
            .collect(),
        signature: need(signature, "Signature")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_separator_styles() {
        let want = AuthorizationFields {
            access_key_id: "ak".into(),
            signed_headers: vec!["host".into(), "x-sdk-date".into()],
            signature: "ab12".into(),
        };
        let huawei = "SDK-HMAC-SHA256 Access=ak, SignedHeaders=host;x-sdk-date, Signature=ab12";
        assert_eq!(parse(huawei, "SDK-HMAC-SHA256", "Access"), Ok(want.clone()));
        let alibaba = "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;x-sdk-date,Signature=ab12";
        assert_eq!(parse(alibaba, "ACS3-HMAC-SHA256", "Credential"), Ok(want));
    }

    #[test]
    fn rejects_other_schemes_and_broken_fields() {
        let bad = [
            "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=ab",
            "SDK-HMAC-SHA256Access=ak, SignedHeaders=host, Signature=ab",
            "SDK-HMAC-SHA256 Access=ak, SignedHeaders=host",
            "SDK-HMAC-SHA256 Access=ak, SignedHeaders=, Signature=ab",
            "SDK-HMAC-SHA256 Access=ak, SignedHeaders=host, Signature=ab, Extra=1",
            "SDK-HMAC-SHA256 Access=ak, Access=ak2, SignedHeaders=host, Signature=ab",
            "SDK-HMAC-SHA256 Access=ak, SignedHeaders=host, garbage",
            "",
        ];
        for value in bad {
            assert!(
                matches!(
                    parse(value, "SDK-HMAC-SHA256", "Access"),
                    Err(AuthError::Malformed(_))
                ),
                "{value}"
            );
        }
    }
}
