//! GenerateResourceConfig: the configuration Terraform writes for an imported or listed stage
//! (`terraform query -generate-config-out`, `plan -generate-config-out`). Minimal: an
//! attribute appears only where the stage differs from what leaving it out means (the server's
//! default), so the generated block plans clean and reads like a hand-written one.
//!
//! Secrets ([`Field::is_secret`](super::field::Field::is_secret)) are never written:
//! Terraform writes every sensitive attribute of a generated block as `null # sensitive`,
//! whatever value it is given, listed objects carry none, and secrets authentik never returns
//! are not in the state at all. Nothing is lost by that: a secret the configuration leaves out
//! is not managed for a stage that already exists (the plan keeps authentik's value and sends
//! nothing), which is exactly what leaving it out of the generated block should mean. That
//! holds for secrets required only to create (SMS `auth`, Duo `client_secret`) as for optional
//! ones (SMS `auth_password`, the email stage's `password`, Duo `admin_secret_key`). The
//! protocol has no room for a comment in the generated block, so the adoption guide and the
//! attributes' descriptions say which secrets are not managed until set.

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
            // Left out, a secret of an existing object keeps its value: nothing to write.
            _ if f.is_secret() => false,
            Mode::RequiredToCreate | Mode::Required | Mode::Nullable => true,
            Mode::ReadOnly => false,
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
        // A secret, even one that differs from its default: left out, it keeps its value.
        assert!(config.get("password").is_null());
    }

    #[test]
    fn secrets_are_never_handed_back() {
        let state = obj(&[
            ("name", s("sms")),
            ("auth", s("token")),
            ("auth_password", s("pw")),
            ("sms_provider", s("twilio")),
        ]);
        let (config, _) = generate(&SMS, &state);
        assert!(config.get("auth").is_null());
        assert!(config.get("auth_password").is_null());
        assert!(
            config.get("sms_provider").is_null(),
            "equal to the default it plans anyway"
        );
        assert_eq!(config.get("name"), &s("sms"));
    }
}
