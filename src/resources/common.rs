//! Fields that several stages share.

use crate::engine::field::{Check, Dflt, Field};

/// `name`: every stage has one, unique across all stage types.
pub const NAME: Field = Field::string("name").required().check(Check::NonBlank).doc(
    "Name of the stage. Must be unique across **all** authentik stage types (not only this one); it is also an import ID.",
);

/// `friendly_name`: shown to users when they choose an authenticator.
pub const FRIENDLY_NAME: Field = Field::string("friendly_name")
    .default(Dflt::Str(""))
    .doc("Name shown to users when they pick an authenticator. Blank allowed.");

/// `configure_flow`: the flow a user runs to set up this authenticator.
pub const CONFIGURE_FLOW: Field = Field::uuid("configure_flow").doc(
    "UUID (pk, not slug) of the flow an authenticated user runs to configure this authenticator. If empty, users cannot configure it themselves. authentik sets it to null when that flow is deleted.",
);
