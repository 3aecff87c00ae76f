//! The objects a fresh authentik 2026.2.2 has once its default blueprints ran: the default
//! flows, the stages bound into them (with their bindings, so `flow_set` is filled), and the
//! built-in authenticator setup and validation stages. `--no-builtins` starts without them.
//!
//! Each object goes through the same field tables as an API create, so unlisted fields get the
//! model defaults, as the blueprints leave them.

use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::fields::{self, Mode};
use crate::flows;
use crate::stages::{self, StageKind};
use crate::store::{Collection, Record, Store};
use crate::{directory, prompts};

/// The default flows: slug, name, designation, title, authentication.
pub const FLOWS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "default-password-change",
        "Change Password",
        "stage_configuration",
        "Change password",
        "require_authenticated",
    ),
    (
        "default-authentication-flow",
        "Welcome to authentik!",
        "authentication",
        "Welcome to authentik!",
        "none",
    ),
    (
        "default-authenticator-static-setup",
        "default-authenticator-static-setup",
        "stage_configuration",
        "Setup Static OTP Tokens",
        "require_authenticated",
    ),
    (
        "default-authenticator-totp-setup",
        "default-authenticator-totp-setup",
        "stage_configuration",
        "Set up Two-Factor authentication",
        "require_authenticated",
    ),
    (
        "default-authenticator-webauthn-setup",
        "default-authenticator-webauthn-setup",
        "stage_configuration",
        "Setup WebAuthn",
        "require_authenticated",
    ),
    (
        "default-invalidation-flow",
        "Logout",
        "invalidation",
        "Default Invalidation Flow",
        "none",
    ),
    (
        "default-provider-authorization-explicit-consent",
        "Authorize Application",
        "authorization",
        "Redirecting to %(app)s",
        "require_authenticated",
    ),
    (
        "default-provider-authorization-implicit-consent",
        "Authorize Application",
        "authorization",
        "Redirecting to %(app)s",
        "require_authenticated",
    ),
    (
        "default-provider-invalidation-flow",
        "Logout",
        "invalidation",
        "You've logged out of %(app)s.",
        "none",
    ),
    (
        "default-source-authentication",
        "Welcome to authentik!",
        "authentication",
        "Welcome to authentik!",
        "require_unauthenticated",
    ),
    (
        "default-source-enrollment",
        "Welcome to authentik! Please select a username.",
        "enrollment",
        "Welcome to authentik! Please select a username.",
        "none",
    ),
    (
        "default-source-pre-authentication",
        "Pre-Authentication",
        "stage_configuration",
        "Pre-authentication",
        "none",
    ),
    (
        "default-user-settings-flow",
        "User settings",
        "stage_configuration",
        "Update your info",
        "require_authenticated",
    ),
    // The blueprint sets no `authentication`; a policy raises it the first time the flow runs.
    (
        "initial-setup",
        "default-oobe-setup",
        "stage_configuration",
        "Welcome to authentik!",
        "none",
    ),
];

/// A built-in stage: name, type label, attributes (a flow slug in `configure_flow` is turned
/// into its pk), and the bindings (flow slug, order).
struct BuiltinStage {
    name: &'static str,
    kind: &'static str,
    attrs: fn() -> Value,
    bindings: &'static [(&'static str, i64)],
}

const fn stage(
    name: &'static str,
    kind: &'static str,
    bindings: &'static [(&'static str, i64)],
) -> BuiltinStage {
    BuiltinStage {
        name,
        kind,
        attrs: no_attrs,
        bindings,
    }
}

fn no_attrs() -> Value {
    json!({})
}

const STAGES: &[BuiltinStage] = &[
    BuiltinStage {
        attrs: || json!({"fields": ["default-password-change-field-password", "default-password-change-field-password-repeat"]}),
        ..stage(
            "default-password-change-prompt",
            "prompt",
            &[("default-password-change", 0)],
        )
    },
    BuiltinStage {
        attrs: || json!({"user_creation_mode": "never_create"}),
        ..stage(
            "default-password-change-write",
            "user_write",
            &[("default-password-change", 1), ("initial-setup", 20)],
        )
    },
    BuiltinStage {
        attrs: || json!({"user_fields": ["email", "username"]}),
        ..stage(
            "default-authentication-identification",
            "identification",
            &[("default-authentication-flow", 10)],
        )
    },
    BuiltinStage {
        attrs: || {
            json!({
                "configure_flow": "default-password-change",
                "backends": [
                    "authentik.core.auth.InbuiltBackend",
                    "authentik.sources.kerberos.auth.KerberosBackend",
                    "authentik.sources.ldap.auth.LDAPBackend",
                    "authentik.core.auth.TokenBackend",
                ],
            })
        },
        ..stage(
            "default-authentication-password",
            "password",
            &[("default-authentication-flow", 20)],
        )
    },
    // No attrs: every Validate default.
    stage(
        "default-authentication-mfa-validation",
        "validate",
        &[("default-authentication-flow", 30)],
    ),
    stage(
        "default-authentication-login",
        "user_login",
        &[("default-authentication-flow", 100), ("initial-setup", 100)],
    ),
    BuiltinStage {
        attrs: || json!({"configure_flow": "default-authenticator-static-setup", "token_count": 6, "friendly_name": "Static tokens"}),
        ..stage(
            "default-authenticator-static-setup",
            "static",
            &[("default-authenticator-static-setup", 0)],
        )
    },
    BuiltinStage {
        attrs: || json!({"configure_flow": "default-authenticator-totp-setup", "digits": 6, "friendly_name": "TOTP Device"}),
        ..stage(
            "default-authenticator-totp-setup",
            "totp",
            &[("default-authenticator-totp-setup", 0)],
        )
    },
    BuiltinStage {
        attrs: || json!({"configure_flow": "default-authenticator-webauthn-setup", "friendly_name": "WebAuthn device"}),
        ..stage(
            "default-authenticator-webauthn-setup",
            "webauthn",
            &[("default-authenticator-webauthn-setup", 0)],
        )
    },
    stage(
        "default-invalidation-logout",
        "user_logout",
        &[("default-invalidation-flow", 0)],
    ),
    stage(
        "default-provider-authorization-consent",
        "consent",
        &[("default-provider-authorization-explicit-consent", 0)],
    ),
    stage(
        "default-source-authentication-login",
        "user_login",
        &[("default-source-authentication", 0)],
    ),
    BuiltinStage {
        attrs: || json!({"fields": ["default-source-enrollment-field-username"]}),
        ..stage(
            "default-source-enrollment-prompt",
            "prompt",
            &[("default-source-enrollment", 0)],
        )
    },
    BuiltinStage {
        attrs: || json!({"user_creation_mode": "always_create"}),
        ..stage(
            "default-source-enrollment-write",
            "user_write",
            &[("default-source-enrollment", 1)],
        )
    },
    stage(
        "default-source-enrollment-login",
        "user_login",
        &[("default-source-enrollment", 2)],
    ),
    BuiltinStage {
        attrs: || {
            json!({"fields": [
                "default-user-settings-field-username",
                "default-user-settings-field-name",
                "default-user-settings-field-email",
                "default-user-settings-field-locale",
            ]})
        },
        ..stage(
            "default-user-settings",
            "prompt",
            &[("default-user-settings-flow", 20)],
        )
    },
    stage(
        "default-user-settings-write",
        "user_write",
        &[("default-user-settings-flow", 100)],
    ),
    BuiltinStage {
        attrs: || {
            json!({"fields": [
                "initial-setup-field-header",
                "initial-setup-field-email",
                "initial-setup-field-password",
                "initial-setup-field-password-repeat",
            ]})
        },
        ..stage(
            "stage-default-oobe-password",
            "prompt",
            &[("initial-setup", 10)],
        )
    },
];

/// The built-in prompts: name, field_key, label, type, order.
const PROMPTS: &[(&str, &str, &str, &str, i64)] = &[
    (
        "default-user-settings-field-username",
        "username",
        "Username",
        "text",
        200,
    ),
    (
        "default-user-settings-field-name",
        "name",
        "Name",
        "text",
        201,
    ),
    (
        "default-user-settings-field-email",
        "email",
        "Email",
        "email",
        202,
    ),
    (
        "default-user-settings-field-locale",
        "attributes.settings.locale",
        "Locale",
        "ak-locale",
        203,
    ),
    (
        "default-password-change-field-password",
        "password",
        "Password",
        "password",
        300,
    ),
    (
        "default-password-change-field-password-repeat",
        "password_repeat",
        "Password (repeat)",
        "password",
        301,
    ),
    (
        "initial-setup-field-header",
        "oobe-header-text",
        "oobe-header-text",
        "static",
        100,
    ),
    ("initial-setup-field-email", "email", "Email", "email", 101),
    (
        "initial-setup-field-password",
        "password",
        "Password",
        "password",
        300,
    ),
    (
        "initial-setup-field-password-repeat",
        "password_repeat",
        "Password (repeat)",
        "password",
        301,
    ),
    (
        "default-source-enrollment-field-username",
        "username",
        "Username",
        "text",
        100,
    ),
];

/// Where a built-in expression policy is bound: a flow, or a flow's binding at an order.
enum BoundTo {
    Flow(&'static str),
    Binding(&'static str, i64),
}

/// The built-in expression policies: name, expression, what they are bound to (order 10,
/// `failure_result` as given). The two on `default-authentication-flow` carry authentik's own
/// text (recorded); the others are shortened.
const POLICIES: &[(&str, &str, BoundTo, bool)] = &[
    (
        "default-authentication-flow-password-stage",
        "flow_plan = request.context.get(\"flow_plan\")\nif not flow_plan:\n    return True\n# If the user does not have a backend attached to it, they haven't\n# been authenticated yet and we need the password stage\nreturn not hasattr(flow_plan.context.get(\"pending_user\"), \"backend\")",
        BoundTo::Binding("default-authentication-flow", 20),
        true,
    ),
    (
        "default-authentication-flow-authenticator-validate-stage",
        "flow_plan = request.context.get(\"flow_plan\")\nif not flow_plan:\n    return True\n# if the authentication method is webauthn (passwordless), then we skip the authenticator\n# validation stage by returning false (true will execute the stage)\nreturn not (flow_plan.context.get(\"auth_method\") == \"auth_webauthn_pwl\")",
        BoundTo::Binding("default-authentication-flow", 30),
        true,
    ),
    (
        "default-source-authentication-if-sso",
        "return ak_is_sso_flow",
        BoundTo::Flow("default-source-authentication"),
        false,
    ),
    (
        "default-source-enrollment-if-sso",
        "return ak_is_sso_flow",
        BoundTo::Flow("default-source-enrollment"),
        false,
    ),
    (
        "default-source-enrollment-if-username",
        "return 'username' not in context.get('prompt_data', {})",
        BoundTo::Binding("default-source-enrollment", 0),
        false,
    ),
    (
        "default-oobe-password-usable",
        "return not request.user.has_usable_password()",
        BoundTo::Flow("initial-setup"),
        false,
    ),
    (
        "default-oobe-prefill-user",
        "return True",
        BoundTo::Binding("initial-setup", 20),
        false,
    ),
    (
        "default-oobe-flow-set-authentication",
        "return True",
        BoundTo::Binding("initial-setup", 100),
        false,
    ),
];

/// Why seeding failed (a table above that does not pass the field rules: a bug).
#[derive(Debug, Clone, PartialEq)]
pub struct SeedError(pub String);

impl std::fmt::Display for SeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "built-in objects: {}", self.0)
    }
}

impl std::error::Error for SeedError {}

/// The names of every built-in stage.
pub fn stage_names() -> impl Iterator<Item = &'static str> {
    STAGES.iter().map(|s| s.name)
}

/// Creates every built-in flow, stage and binding in `store`.
pub fn seed(store: &mut Store) -> Result<(), SeedError> {
    let version = store.version();
    for (slug, name, designation, title, authentication) in FLOWS {
        let body = json!({"slug": slug, "name": name, "designation": designation, "title": title, "authentication": authentication});
        let outcome = fields::validate(flows::FIELDS, version, &body, Mode::Create, &*store)
            .map_err(|e| SeedError(format!("flow {slug}: {e:?}")))?;
        if !outcome.errors.is_empty() {
            return Err(SeedError(format!(
                "flow {slug}: {}",
                outcome.errors.into_value()
            )));
        }
        store.put_flow(flows::new_record(outcome.values));
    }
    store.put_record(Collection::Sources, directory::builtin_source());
    for (name, field_key, label, kind, order) in PROMPTS {
        let body = json!({"name": name, "field_key": field_key, "label": label, "type": kind, "order": order});
        let values = prompts::validated(store, version, &body, Mode::Create, None)
            .map_err(|e| SeedError(format!("prompt {name}: {e:?}")))?;
        store.put_record(Collection::Prompts, Record::new(values));
    }
    for builtin in STAGES {
        let kind: &'static StageKind = stages::kind_by_type(builtin.kind)
            .ok_or_else(|| SeedError(format!("no stage type {}", builtin.kind)))?;
        let mut body = (builtin.attrs)();
        body["name"] = Value::from(builtin.name);
        if let Some(slug) = body.get("configure_flow").and_then(Value::as_str) {
            let flow = flow_pk(store, slug)?;
            body["configure_flow"] = Value::String(flow.to_string());
        }
        if let Some(names) = body.get("fields").and_then(Value::as_array).cloned() {
            let pks = names
                .iter()
                .map(|name| {
                    let name = name.as_str().unwrap_or("");
                    store
                        .records(Collection::Prompts)
                        .iter()
                        .find(|p| p.text("name") == name)
                        .map(|p| Value::String(p.pk.to_string()))
                        .ok_or_else(|| SeedError(format!("no prompt {name}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            body["fields"] = Value::Array(pks);
        }
        let outcome = fields::validate(kind.fields, version, &body, Mode::Create, &*store)
            .map_err(|e| SeedError(format!("stage {}: {e:?}", builtin.name)))?;
        if !outcome.errors.is_empty() {
            return Err(SeedError(format!(
                "stage {}: {}",
                builtin.name,
                outcome.errors.into_value()
            )));
        }
        let pk = Uuid::new_v4();
        store.put_stage(
            kind,
            Record {
                pk,
                values: outcome.values,
            },
        );
        for (slug, order) in builtin.bindings {
            let flow = flow_pk(store, slug)?;
            store
                .bind(flow, pk, *order)
                .ok_or_else(|| SeedError(format!("binding {} to {slug}", builtin.name)))?;
        }
    }
    // `initial-setup` evaluates its password prompt and its login on plan only.
    let setup = flow_pk(store, "initial-setup")?;
    let planned: Vec<_> = store
        .bindings()
        .iter()
        .filter(|b| b.flow == setup && matches!(b.order, 10 | 100))
        .cloned()
        .collect();
    for mut binding in planned {
        binding
            .values
            .insert("evaluate_on_plan".into(), Value::Bool(true));
        binding
            .values
            .insert("re_evaluate_policies".into(), Value::Bool(false));
        store.put_binding(binding);
    }
    for (name, expression, bound_to, failure_result) in POLICIES {
        let mut values = Map::new();
        values.insert("name".into(), Value::from(*name));
        values.insert("execution_logging".into(), Value::Bool(false));
        values.insert("expression".into(), Value::from(*expression));
        let policy = Uuid::new_v4();
        store.put_record(Collection::Policies, Record { pk: policy, values });
        let target = match bound_to {
            BoundTo::Flow(slug) => flow_pk(store, slug)?,
            BoundTo::Binding(slug, order) => {
                let flow = flow_pk(store, slug)?;
                store
                    .bindings()
                    .iter()
                    .find(|b| b.flow == flow && b.order == *order)
                    .map(|b| b.pk)
                    .ok_or_else(|| SeedError(format!("no binding {slug} #{order}")))?
            }
        };
        let binding = json!({
            "policy": policy.to_string(),
            "group": null,
            "user": null,
            "target": target.to_string(),
            "negate": false,
            "enabled": true,
            "order": 10,
            "timeout": 30,
            "failure_result": failure_result,
        });
        let Value::Object(values) = binding else {
            continue;
        };
        store.put_record(Collection::PolicyBindings, Record::new(values));
    }
    Ok(())
}

fn flow_pk(store: &Store, slug: &str) -> Result<Uuid, SeedError> {
    store
        .flow_by_slug(slug)
        .map(|f| f.pk)
        .ok_or_else(|| SeedError(format!("no flow {slug}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ApiVersion;

    #[test]
    fn seeds_every_table_row() {
        for version in [ApiVersion::V2026_2, ApiVersion::V2026_5] {
            let mut store = Store::new(version);
            seed(&mut store).expect("the tables pass the field rules");
            assert_eq!(store.flows().count(), FLOWS.len());
            assert_eq!(store.stages().count(), STAGES.len());
            let bindings: usize = STAGES.iter().map(|s| s.bindings.len()).sum();
            assert_eq!(store.bindings().len(), bindings);
            let names: Vec<&str> = stage_names().collect();
            for stage in store.stages() {
                assert!(names.contains(&stage.record.text("name")));
            }
        }
    }
}
