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
        what: "Data source `authentik_webauthn_device_types` (not in the official provider)",
        official: "no way to get every AAGUID of a description: `authentik_webauthn_device_type` with `description = \"YubiKey 5 Series\"` takes the first of the three rows a real authentik has, restricting a stage to one model",
        here: "returns the `aaguids` (and `device_types`) of every device type with a `description` or matching a `search`; no match is an error, never an empty set (an empty restriction list allows every authenticator)",
        migrating: "Nothing; to allow a whole family, replace a single lookup by description with this one (`aaguids` is a set).",
    },
    Difference {
        what: "Import and adoption (every resource)",
        official: "import by UUID only; no resource identity, no list resources for `terraform query`",
        here: "import by UUID, by name or (Terraform 1.12+) by identity `{ id }`; every resource type is a list resource (Terraform 1.14+), so `terraform query -generate-config-out` adopts a whole authentik with minimal generated blocks (see the adoption guide)",
        migrating: "Nothing: on Terraform 1.12+ the first refresh stores each resource's identity.",
    },
];
