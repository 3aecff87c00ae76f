//! Conveniences the tests use and the provider does not, kept out of `src/` so that the
//! product's `src/` holds only what the provider runs.
#![allow(dead_code)]

use std::path::Path;

use terraform_provider_authentik::client::{ApiError, Created, JsonObject};
use terraform_provider_authentik::protocol::PluginListener;

/// Questions the tests ask of an [`ApiError`].
pub trait ApiErrorExt {
    /// Whether this is [`ApiError::NotFound`].
    fn is_not_found(&self) -> bool;
}

impl ApiErrorExt for ApiError {
    fn is_not_found(&self) -> bool {
        matches!(self, ApiError::NotFound { .. })
    }
}

/// The object of a [`Created`], whichever way it was obtained.
pub trait CreatedExt {
    /// The object, for tests that do not care whether it was proven ours.
    fn into_object(self) -> JsonObject;
}

impl CreatedExt for Created {
    fn into_object(self) -> JsonObject {
        match self {
            Created::Answered(o) | Created::FoundByKey { object: o, .. } => o,
        }
    }
}

/// A plugin listener on a unix socket at a path the test owns.
pub trait ListenerExt: Sized {
    /// Listen on a unix socket at `path` (the caller owns its directory).
    fn unix(path: &Path) -> std::io::Result<Self>;
}

impl ListenerExt for PluginListener {
    fn unix(path: &Path) -> std::io::Result<Self> {
        Ok(PluginListener::Unix {
            listener: tokio::net::UnixListener::bind(path)?,
            path: path.to_owned(),
            dir: None,
        })
    }
}
