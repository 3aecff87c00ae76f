//! `authentik_stage_identification`: asks who the user is.

use super::common::NAME;
use crate::engine::field::{Dflt, Field, ResourceDef, Rule, STAGE_DEFAULTS};

/// The identification stage.
pub const IDENTIFICATION: ResourceDef = ResourceDef {
    type_name: "authentik_stage_identification",
    api_path: "stages/identification",
    title: "identification stage",
    doc: "Manages an authentik identification stage (`/api/v3/stages/identification/`): the first stage of a sign-in flow, where the user enters a user name or email address (and, with `password_stage`, the password on the same page) or picks a source.",
    fields: &[
        NAME,
        Field::string_list("user_fields")
            .provider_default(Dflt::Strs(&[]))
            .one_of(&["email", "username", "upn"])
            .doc("What the user may identify with, in the order the hint lists them. authentik keeps order and duplicates. Empty means sources only, and then `sources` must not be empty."),
        Field::uuid("password_stage").doc("UUID of a password stage whose password field is shown on this page (do not also bind that stage into the flow). authentik sets it to null when that stage is deleted."),
        Field::uuid("captcha_stage").doc("UUID of a captcha stage shown on this page."),
        Field::uuid("webauthn_stage").doc("UUID of an authenticator validation stage offering passkey sign-in on this page."),
        Field::bool("case_insensitive_matching")
            .default(Dflt::Bool(true))
            .doc("Match user names and email addresses ignoring case."),
        Field::bool("show_matched_user")
            .default(Dflt::Bool(true))
            .doc("Show the matched user's name and avatar on the next stage."),
        Field::bool("pretend_user_exists")
            .default(Dflt::Bool(true))
            .doc("Continue to the next stage even when no user matches, so that attackers cannot tell which users exist."),
        Field::bool("show_source_labels").default(Dflt::Bool(false)).doc("Show the sources' names next to their icons."),
        Field::bool("enable_remember_me").default(Dflt::Bool(false)).doc("Offer \"remember me\" on this device."),
        Field::uuid("enrollment_flow").doc("UUID of the flow linked as \"Sign up\". Null when none; authentik sets it to null when the flow is deleted."),
        Field::uuid("recovery_flow").doc("UUID of the flow linked as \"Forgot password\"."),
        Field::uuid("passwordless_flow").doc("UUID of the flow linked for passwordless sign-in."),
        Field::uuid_set("sources")
            .default(Dflt::Strs(&[]))
            .doc("UUIDs of the sources (social logins, SAML, …) offered on this page. Order does not matter."),
    ],
    rules: &[Rule::AtLeastOne {
        fields: &["user_fields", "sources"],
        why: "authentik refuses an identification stage that offers neither (\"When no user fields are selected, at least one source must be selected\").",
    }],
    send_together: &[],
    // The server checks user_fields and sources in the request body alone: a PATCH without them
    // is refused, and a body with sources but no user_fields fails inside authentik.
    always_send: &["user_fields", "sources"],
    ..STAGE_DEFAULTS
};
