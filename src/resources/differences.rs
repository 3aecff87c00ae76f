//! The deliberate differences from the official provider, rendered into `docs/index.md`.

use crate::engine::docs::Difference;

/// Every deliberate difference, one row each.
pub const DIFFERENCES: &[Difference] = &[
    Difference {
        what: "`authentik_stage_authenticator_email`: defaults of `use_global_settings`, `timeout`, `subject`, `template`",
        official: "`true`, `30`, `\"authentik\"`, `\"email/password_reset.html\"` (not authentik's defaults: a known bug)",
        here: "authentik's own defaults: `false`, `10`, `\"authentik Sign-in code\"`, `\"email/email_otp.html\"`, so a minimal configuration means what it means in authentik",
        migrating: "A stage the official provider created with its defaults, whose configuration leaves these out, plans one update to authentik's defaults. To keep the old values, write them in the configuration.",
    },
    Difference {
        what: "`device_classes`, `configuration_stages`, `webauthn_allowed_device_types` (Validate), `device_type_restrictions` (WebAuthn)",
        official: "`list(string)`: authentik answers in no fixed order, so plans diff on order unless wrapped in `sort()`",
        here: "`set(string)`, as authentik stores them: order never diffs, no `sort()` needed",
        migrating: "List literals and `sort(...)` work unchanged; state is converted on the first refresh. Indexing the attribute (`.device_classes[0]`) needs `tolist(...)`.",
    },
    Difference {
        what: "`not_configured_action` (Validate)",
        official: "required",
        here: "optional, default `skip` (authentik's)",
        migrating: "Nothing: configurations that set it work as before.",
    },
    Difference {
        what: "Values authentik would reject or cannot use: ports outside 1–65535, a `timeout` below 1, `use_tls` and `use_ssl` both true, malformed `from_address`, durations outside authentik's grammar (`hours=1;minutes=30`), references that are not UUIDs, `token_length` above 100, `not_configured_action = \"configure\"` without `configuration_stages`, unknown enum values",
        official: "sent as they are: authentik's error (or a stage that silently never works) at apply",
        here: "refused by `terraform plan`, naming the attribute and what is allowed",
        migrating: "A configuration that only ever failed at apply, or produced a broken stage, now fails at plan with the fix in the message.",
    },
    Difference {
        what: "`account_sid` (SMS)",
        official: "sensitive",
        here: "not sensitive: it is the Twilio account identifier, or the URL of a generic gateway; the secret is `auth` (sensitive, with a write-only twin)",
        migrating: "Plans show `account_sid`; an output of it no longer needs `sensitive = true`.",
    },
    Difference {
        what: "Secrets (`auth`, `auth_password`, `password`, `client_secret`, `admin_secret_key`)",
        official: "sensitive, kept in state",
        here: "sensitive, never logged, plus write-only twins `<name>_wo` / `<name>_wo_version` on Terraform 1.11+ that never reach plan or state",
        migrating: "Nothing to change; move a secret to its `_wo` twin whenever convenient.",
    },
    Difference {
        what: "authentik 2026.5 fields: Validate `webauthn_hints` and `*_otp_throttling_factor`, WebAuthn `hints` and `prevent_duplicate_devices`",
        official: "always sent (with its defaults)",
        here: "sent only when configured; read back when the server has them; left out, planned as authentik's default once the server has shown it knows the field",
        migrating: "Works on authentik 2026.2 as well; setting one of them there is a clear error.",
    },
    Difference {
        what: "Updates",
        official: "a full `PUT` of every attribute",
        here: "one `PATCH` with only the changed attributes (Validate's `not_configured_action` and `configuration_stages` together, as authentik requires)",
        migrating: "Nothing; concurrent changes to other attributes are no longer overwritten.",
    },
    Difference {
        what: "Refresh",
        official: "any 404 silently drops the resource; an enum value it does not know fails the refresh",
        here: "a stage deleted outside Terraform is removed from state with a warning naming it; unknown enum values and fields are read without failing",
        migrating: "Nothing.",
    },
    Difference {
        what: "Data sources `authentik_stage`, `authentik_flow`, `authentik_webauthn_device_type`",
        official: "no lookup key, or several matches: takes whichever object authentik lists first; `authentik_flow`'s `authentication` is not a filter",
        here: "at least one lookup key is required; no match or more than one is an error listing what exists; every key set, `authentication` included, must match; `authentik_webauthn_device_type` can also look up by `aaguid` (descriptions are not unique)",
        migrating: "A lookup that silently picked an arbitrary object now fails and says which objects match: add a key (`slug`, `aaguid`) to pick one.",
    },
    Difference {
        what: "Import and adoption (every resource)",
        official: "import by UUID only; no resource identity, no list resources for `terraform query`",
        here: "import by UUID, by name or (Terraform 1.12+) by identity `{ id }`; every resource type is a list resource (Terraform 1.14+), so `terraform query -generate-config-out` adopts a whole authentik with minimal generated blocks (see the adoption guide)",
        migrating: "Nothing: on Terraform 1.12+ the first refresh stores each resource's identity.",
    },
    Difference {
        what: "`authentik_flow_stage_binding`: defaults of `evaluate_on_plan` and `re_evaluate_policies`",
        official: "`true` and `false` (authentik's defaults before 2023.3)",
        here: "authentik's defaults: `false` and `true`; both `false` is refused at plan (authentik refuses it too); a change of either flag sends both, as authentik checks them in the request body together",
        migrating: "A binding whose configuration leaves the flags out plans one update of both flags to authentik's defaults. To keep evaluation on plan, write `evaluate_on_plan = true` and `re_evaluate_policies = false`.",
    },
    Difference {
        what: "`authentik_flow`: defaults of `compatibility_mode` and `background`",
        official: "`true`, and `/static/dist/assets/images/flow_background.jpg` (a blank `background` is never sent, so it cannot be cleared)",
        here: "authentik's defaults: `false`, and `\"\"` (the brand's default background); `background = \"\"` clears it",
        migrating: "A flow whose configuration leaves these out plans one update to `compatibility_mode = false` and `background = \"\"` (the brand's default background, which is the same stock image unless the brand sets another).",
    },
    Difference {
        what: "`authentik_stage_identification`: default of `case_insensitive_matching`; `user_fields`, `sources`",
        official: "`false`; lists sent only as configured (a PATCH-free `PUT`)",
        here: "authentik's default `true`; `user_fields` defaults to `[]`, `sources` is a set, and both go with every update because authentik validates them from the request body alone; neither set is refused at plan",
        migrating: "A stage whose configuration leaves `case_insensitive_matching` out plans one update to `true`. To keep exact matching, write `case_insensitive_matching = false`.",
    },
    Difference {
        what: "`authentik_stage_deny` `deny_message`, `authentik_stage_password` `failed_attempts_before_cancel`",
        official: "a blank message or `0` is never sent: removing it keeps the old value (perpetual diff)",
        here: "sent as configured: removing `deny_message` clears it, `0` is sent",
        migrating: "Nothing, unless a configuration relied on the old value sticking.",
    },
    Difference {
        what: "`authentik_stage_user_login` `network_binding`, `geoip_binding`",
        official: "never read back: no drift detection, imported as null",
        here: "read back like every attribute: drift is shown and repaired",
        migrating: "Nothing.",
    },
    Difference {
        what: "`authentik_policy_binding`: `policy`, `group`, `user`; updates",
        official: "none or several may be set (authentik's error at apply)",
        here: "exactly one, checked at plan; every update sends `target` and the subject too, as authentik validates a binding from the request body alone (a `PATCH` without `target` fails inside authentik)",
        migrating: "A configuration that only ever failed at apply now fails at plan.",
    },
    Difference {
        what: "`authentik_flow`: import and identity",
        official: "import by slug only; a slug changed outside Terraform drops the flow from state",
        here: "import by slug or UUID; the identity is the UUID, which survives slug changes",
        migrating: "Nothing.",
    },
    Difference {
        what: "Defaults of `authentik_stage_prompt_field` `required`, `authentik_stage_user_write` `create_users_as_inactive`, `authentik_stage_consent` `mode`, `authentik_stage_email` `use_global_settings` and `timeout`",
        official: "`false`, `true`, `\"always_require\"`, `true`, `30` (not authentik's defaults)",
        here: "authentik's own defaults: `true`, `false`, `\"expiring\"`, `false`, `10`, so a minimal configuration means what it means in authentik",
        migrating: "An object whose configuration leaves these out plans one update to authentik's default. To keep the old value, write it in the configuration.",
    },
    Difference {
        what: "Values that could never be cleared: prompt field `placeholder`, `initial_value`, `order`; email stage `username`, `activate_user_on_success` (true → false) and the other blank/zero values; redirect `target_static`",
        official: "a blank, `0` or `false` is never sent: removing it keeps the old value (perpetual diff)",
        here: "sent as configured: removing an attribute resets it to authentik's default, `0` and `false` are sent, switching a redirect to a flow clears its URL",
        migrating: "Nothing, unless a configuration relied on the old value sticking.",
    },
    Difference {
        what: "`authentik_stage_prompt` `fields`, `validation_policies`",
        official: "`list(string)`, order-preserving merge (the order never affects the display)",
        here: "`set(string)`, as authentik stores them: the display order comes from each field's `order`, and list order never diffs; `fields` must not be empty (checked at plan)",
        migrating: "List literals work unchanged; indexing the attribute needs `tolist(...)`.",
    },
    Difference {
        what: "`authentik_stage_prompt` name taken by a stage of another type; `authentik_stage_redirect` mode and targets",
        official: "sent as they are: authentik fails with an empty HTTP 405 (the prompt name) or a 400 (a `mode` without its target)",
        here: "the prompt stage's name is looked up among all stages before it is sent, and a clash is an error naming the stage that holds it; the target a redirect `mode` needs is checked at plan, naming the attribute, and `mode`, `target_static` and `target_flow` go together in every update",
        migrating: "A configuration that only ever failed at apply now fails earlier, with the fix in the message.",
    },
    Difference {
        what: "`authentik_stage_email` `password`",
        official: "sensitive; removing it leaves the old password on the server",
        here: "sensitive, with a write-only twin `password_wo`; removing it clears it; kept from state as authentik never returns it",
        migrating: "Nothing.",
    },
];
