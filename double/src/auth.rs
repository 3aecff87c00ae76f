//! Token authentication as authentik does it: `Authorization: Bearer <token>`, and a 403 (never
//! a 401) with `{"detail": ...}` when it is missing or wrong.

use crate::errors::ApiError;

/// Checks the `Authorization` header against the one accepted token.
pub fn check(header: Option<&str>, token: &str) -> Result<(), ApiError> {
    let header = header.unwrap_or("").trim();
    if header.is_empty() || !header.contains(' ') {
        return Err(ApiError::forbidden(
            "Authentication credentials were not provided.",
        ));
    }
    let (scheme, credentials) = header.split_once(' ').unwrap_or((header, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::forbidden("Unsupported authentication type"));
    }
    if credentials.is_empty() {
        return Err(ApiError::forbidden("Malformed header"));
    }
    if credentials != token {
        return Err(ApiError::forbidden("Token invalid/expired"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_only() {
        assert!(check(Some("Bearer s3cret"), "s3cret").is_ok());
        assert!(check(Some("bearer s3cret"), "s3cret").is_ok());
        for bad in [
            None,
            Some(""),
            Some("Bearer"),
            Some("Bearer wrong"),
            Some("Basic czNjcmV0"),
            Some("s3cret"),
        ] {
            let error = check(bad, "s3cret").expect_err("rejected");
            assert_eq!(error.status, 403, "{bad:?}");
        }
    }
}
