//! `authentik_stage_prompt_field`: one field of a prompt stage (`/stages/prompt/prompts/`).

use crate::engine::field::{Check, Dflt, Field, ResourceDef, STAGE_DEFAULTS};

/// Every field type authentik accepts (the `alert_*` ones from 2026.5 on). Types a newer
/// server adds are read without failing; only configuring one is checked.
pub const TYPES: &[&str] = &[
    "text",
    "text_area",
    "text_read_only",
    "text_area_read_only",
    "username",
    "email",
    "password",
    "number",
    "checkbox",
    "radio-button-group",
    "dropdown",
    "date",
    "date-time",
    "file",
    "separator",
    "hidden",
    "static",
    "ak-locale",
    "alert_info",
    "alert_warning",
    "alert_danger",
];

/// `list "authentik_stage_prompt_field"` filters.
const FILTERS: &[Field] = &[
    Field::string("name")
        .check(Check::NonBlank)
        .doc("Only the prompt field with exactly this name (case included). Names are unique, so this finds at most one."),
    Field::string("field_key")
        .check(Check::NonBlank)
        .doc("Only prompt fields with exactly this key (several fields may share one)."),
    Field::string("type").one_of(TYPES).doc("Only prompt fields of this type."),
    Field::string("search").doc(
        "Only prompt fields whose name, key, label, type or placeholder contains this text, ignoring case (authentik's `?search=`).",
    ),
];

/// The prompt field.
pub const PROMPT_FIELD: ResourceDef = ResourceDef {
    type_name: "authentik_stage_prompt_field",
    api_path: "stages/prompt/prompts",
    title: "prompt field",
    doc: "Manages an authentik prompt field (`/api/v3/stages/prompt/prompts/`): one input (or text, or alert) that `authentik_stage_prompt` stages show. Every default is authentik's, and removing an attribute from the configuration resets it. Text is compared as authentik stores it, without surrounding whitespace, so a heredoc's trailing newline never shows as a change.",
    fields: &[
        Field::string("name")
            .required()
            .check(Check::NonBlank)
            .doc("Name of the prompt field, unique among prompt fields; also an import ID."),
        Field::string("field_key").required().check(Check::NonBlank).doc(
            "Key the value is stored under in the flow context (`prompt_data`). A `username`, `email` or `password` key is what `authentik_stage_user_write` writes to the user; `attributes.<x>` writes a user attribute. Several fields may share a key.",
        ),
        Field::string("label").required().check(Check::NonBlank).doc("Label shown next to the input."),
        Field::string("type").required().one_of(TYPES).doc(
            "Kind of input. `alert_info`, `alert_warning` and `alert_danger` need authentik 2026.5 or later (older servers reject them). A type a newer authentik adds is read without failing.",
        ),
        Field::bool("required")
            .default(Dflt::Bool(true))
            .doc("The user must fill the field in. authentik's default, `true` (the official provider defaults to `false`)."),
        Field::string("placeholder").default(Dflt::Str("")).doc(
            "Placeholder text, or, with `placeholder_expression`, a Python expression returning it (for `dropdown` and `radio-button-group`, the list of choices). Blank for none; removing it clears it.",
        ),
        Field::bool("placeholder_expression")
            .default(Dflt::Bool(false))
            .doc("Evaluate `placeholder` as a Python expression."),
        Field::string("initial_value").default(Dflt::Str("")).doc(
            "Value the field starts with, or, with `initial_value_expression`, a Python expression returning it. Blank for none.",
        ),
        Field::bool("initial_value_expression")
            .default(Dflt::Bool(false))
            .doc("Evaluate `initial_value` as a Python expression."),
        Field::int("order")
            .default(Dflt::Int(0))
            .check(Check::IntRange {
                min: i32::MIN as i64,
                max: i32::MAX as i64,
                why: "authentik stores a 32-bit integer",
            })
            .doc("Position of the field in every prompt stage that shows it (lower first). It belongs to the field, not to the stage: a field shared by two stages has the same position in both. `0`, the default, can be set again."),
        Field::string("sub_text").default(Dflt::Str("")).doc("Help text shown below the input. Blank for none."),
    ],
    list_filters: FILTERS,
    ..STAGE_DEFAULTS
};
