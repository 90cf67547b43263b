//! Huawei Cloud token auth: an IAM token in the `X-Auth-Token` header.

use super::{AuthError, SignableRequest};

/// The header that carries the token.
pub const HEADER: &str = "X-Auth-Token";

/// Sets the `X-Auth-Token` header.
pub fn sign(req: &mut SignableRequest, token: &str) {
    req.set_header(HEADER, token);
}

/// Accepts the request when it carries a non-empty token that `accept` approves.
pub fn verify(req: &SignableRequest, accept: impl Fn(&str) -> bool) -> Result<(), AuthError> {
    let token = req
        .header(HEADER)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(AuthError::Missing(HEADER))?;
    if accept(token) {
        Ok(())
    } else {
        Err(AuthError::InvalidToken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_sets_the_header_and_verify_checks_it() {
        let mut req = SignableRequest::new("GET", "/v1.0/p/kms/aliases");
        assert_eq!(
            verify(&req, |_| true),
            Err(AuthError::Missing("X-Auth-Token"))
        );
        sign(&mut req, "tok-1");
        sign(&mut req, "tok-2");
        assert_eq!(req.headers, vec![("X-Auth-Token".into(), "tok-2".into())]);
        assert_eq!(verify(&req, |t| t == "tok-2"), Ok(()));
        assert_eq!(verify(&req, |t| t == "tok-1"), Err(AuthError::InvalidToken));
        sign(&mut req, " ");
        assert_eq!(
            verify(&req, |_| true),
            Err(AuthError::Missing("X-Auth-Token"))
        );
    }
}
