//! GenerateResourceConfig: the configuration Terraform writes for an imported or listed stage
//! (`terraform query -generate-config-out`, `plan -generate-config-out`). Minimal: an
//! attribute appears only where the stage differs from what leaving it out means (the server's
//! default), so the generated block plans clean and reads like a hand-written one.
//!
//! Secrets cannot be carried over: Terraform writes every sensitive attribute of a generated
//! block as `null # sensitive`, whatever value it is given, and secrets authentik never returns
//! are not in the state at all. What that means for each kind of secret:
//! - a required secret (SMS `auth`, Duo `client_secret`): the generated line
//!   `auth = null # sensitive` fails validation with a message saying what to set, so nothing
//!   is planned until the user supplies it;
//! - an optional secret the server returns with a non-default value (say SMS `auth_password`):
//!   after an import (`plan -generate-config-out`) its line is written (as `null # sensitive`),
//!   a placeholder to fill in; listed objects carry no secrets (`terraform query` prints them),
//!   so there it is left out. Either way, left unset, the plan resets the secret to its default
//!   and warns that it does;
//! - an optional secret the server never returns (Duo `admin_secret_key`): unknown after an
//!   import, so it is left out, and the plan leaves it alone until the configuration sets it.

use super::convert::{default_value, same};
use super::field::{Mode, ResourceDef};
use super::schema::null_object;
use crate::protocol::{Diagnostic, Value};

/// The configuration for `state`: every attribute null except those that differ from what
/// leaving them out plans.
pub fn generate(def: &ResourceDef, state: &Value) -> (Value, Vec<Diagnostic>) {
    let mut config = null_object(def);
    for f in def.fields {
        let v = state.get(f.name);
        if v.is_null() || v.is_unknown() {
            continue;
        }
        let keep = match f.mode {
            // Required secrets stay null: the generated `null # sensitive` line and the
            // validation error it causes say what to set.
            Mode::Required if f.sensitive => false,
            Mode::Required | Mode::Nullable => true,
            Mode::ReadOnly => false,
            // A secret that differs is kept too: Terraform writes it as `null # sensitive`, a
            // placeholder for the user to fill in.
            Mode::Default(d) | Mode::Versioned(d) => !same(f, v, &default_value(f, d)),
        };
        if keep {
            config.insert(f.name.to_string(), v.clone());
        }
    }
    (Value::Object(config), Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::{email::EMAIL, sms::SMS};
    use std::collections::BTreeMap;

    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    }
    fn s(v: &str) -> Value {
        Value::String(v.into())
    }

    #[test]
    fn only_what_differs_from_the_defaults() {
        let state = obj(&[
            ("id", s("0f3c5a4e-1b2c-4d5e-8f90-112233445566")),
            ("name", s("mail")),
            ("host", s("localhost")),
            ("port", Value::Number(crate::protocol::Number::Int(587))),
            ("subject", s("")),
            ("friendly_name", s("")),
            ("password", s("hunter2")),
        ]);
        let (config, diags) = generate(&EMAIL, &state);
        assert!(diags.is_empty());
        assert_eq!(config.get("name"), &s("mail"));
        assert_eq!(
            config.get("port"),
            &Value::Number(crate::protocol::Number::Int(587))
        );
        // "" differs from the default subject: it must be written, not dropped.
        assert_eq!(config.get("subject"), &s(""));
        assert!(config.get("host").is_null() && config.get("friendly_name").is_null());
        assert!(config.get("id").is_null(), "computed only");
        // A secret that differs is there for Terraform to mark (`null # sensitive`).
        assert_eq!(config.get("password"), &s("hunter2"));
    }

    #[test]
    fn required_secrets_are_never_handed_back() {
        let state = obj(&[
            ("name", s("sms")),
            ("auth", s("token")),
            ("sms_provider", s("twilio")),
        ]);
        let (config, _) = generate(&SMS, &state);
        assert!(config.get("auth").is_null());
        assert!(
            config.get("sms_provider").is_null(),
            "equal to the default it plans anyway"
        );
        assert_eq!(config.get("name"), &s("sms"));
    }
}
