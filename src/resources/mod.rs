//! One declarative description per authentik stage. Adding a stage is one small file here and
//! one line in [`ALL`].

mod common;
pub mod duo;
pub mod email;
pub mod sms;
pub mod static_tokens;
pub mod totp;
pub mod validate;
pub mod webauthn;

use crate::engine::field::ResourceDef;

/// Every resource this provider serves.
pub const ALL: &[&ResourceDef] = &[
    &sms::SMS,
    &email::EMAIL,
    &validate::VALIDATE,
    &totp::TOTP,
    &static_tokens::STATIC,
    &webauthn::WEBAUTHN,
    &duo::DUO,
];
