//! Token authentication as authentik does it: `Authorization: Bearer <token>`, and a 403 (never
//! a 401) with `{"detail": ...}` when it is missing or wrong. Without credentials a collection
//! route says they were not provided, while a route to one object says permission is missing
//! (the object-level permission check answers first there), as a real authentik 2025.12.4 does.

use crate::errors::ApiError;

/// Checks the `Authorization` header against the one accepted token; `detail` is true for a
/// route to one object.
pub fn check(header: Option<&str>, token: &str, detail: bool) -> Result<(), ApiError> {
    let header = header.unwrap_or("").trim();
    if header.is_empty() || !header.contains(' ') {
        return Err(ApiError::forbidden(if detail {
            "You do not have permission to perform this action."
        } else {
            "Authentication credentials were not provided."
        }));
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
        assert!(check(Some("Bearer s3cret"), "s3cret", false).is_ok());
        assert!(check(Some("bearer s3cret"), "s3cret", true).is_ok());
        for bad in [
            None,
            Some(""),
            Some("Bearer"),
            Some("Bearer wrong"),
            Some("Basic czNjcmV0"),
            Some("s3cret"),
        ] {
            for detail in [false, true] {
                let error = check(bad, "s3cret", detail).expect_err("rejected");
                assert_eq!(error.status, 403, "{bad:?}");
            }
        }
    }

    #[test]
    fn missing_credentials_text_depends_on_the_route() {
        let text = |detail| format!("{:?}", check(None, "t", detail).expect_err("rejected"));
        assert!(text(false).contains("Authentication credentials were not provided."));
        assert!(text(true).contains("You do not have permission to perform this action."));
        let wrong = |detail| {
            format!(
                "{:?}",
                check(Some("Bearer x"), "t", detail).expect_err("rejected")
            )
        };
        assert!(wrong(false).contains("Token invalid/expired"));
        assert!(wrong(true).contains("Token invalid/expired"));
    }
}
