//! Request bodies: exactly what the configuration means. A create sends every planned value; an
//! update sends only what changed (plus fields the server needs together), with explicit `null`,
//! `""`, `false` and `[]` when those are what the configuration says.

use super::convert::{same, to_json};
use super::field::{wo_name, wo_version_name, Field, Mode, ResourceDef};
use super::private::Private;
use crate::client::JsonObject;
use crate::protocol::{AttributePath, Diagnostic, Value};

/// A request body plus the private data that results from sending it.
#[derive(Debug, Default)]
pub struct Body {
    /// JSON keys to send.
    pub json: JsonObject,
    /// Names of the attributes included (Terraform names), for logs.
    pub attributes: Vec<&'static str>,
    /// Private data after this request.
    pub private: Private,
}

fn put(body: &mut Body, f: &'static Field, v: &Value) -> Result<(), Diagnostic> {
    let json = to_json(f, v).ok_or_else(|| {
        Diagnostic::error(
            format!("Cannot send `{}`", f.name),
            format!(
                "The value of `{}` cannot be sent to authentik (not a value the API can hold).",
                f.name
            ),
        )
        .at(AttributePath::attr(f.name))
    })?;
    body.json.insert(f.api.to_string(), json);
    if !body.attributes.contains(&f.name) {
        body.attributes.push(f.name);
    }
    Ok(())
}

/// The POST body for a create.
pub fn create_body(def: &ResourceDef, planned: &Value, config: &Value) -> Result<Body, Diagnostic> {
    let mut body = Body::default();
    for f in def.fields {
        let wo = if f.write_only_twin {
            config.get(&wo_name(f))
        } else {
            &Value::Null
        };
        if !wo.is_null() {
            put(&mut body, f, wo)?;
            body.private.write_only.push(f.name.to_string());
            continue;
        }
        let v = planned.get(f.name);
        let send = match f.mode {
            Mode::ReadOnly => false,
            // Newer-server fields only when configured; nothing else is null-worthy on create.
            Mode::Versioned(_) => !config.get(f.name).is_null(),
            _ => !v.is_null(),
        };
        if send && !v.is_unknown() {
            put(&mut body, f, v)?;
        }
    }
    Ok(body)
}

/// The PATCH body for an update: only the changed attributes.
pub fn update_body(
    def: &ResourceDef,
    prior: &Value,
    planned: &Value,
    config: &Value,
    prior_private: &Private,
) -> Result<Body, Diagnostic> {
    let mut body = Body::default();
    for f in def.fields {
        if f.mode == Mode::ReadOnly {
            continue;
        }
        if f.write_only_twin {
            let wo = config.get(&wo_name(f));
            if !wo.is_null() {
                body.private.write_only.push(f.name.to_string());
                let version_changed =
                    prior.get(&wo_version_name(f)) != planned.get(&wo_version_name(f));
                if version_changed || !prior_private.is_write_only(f.name) {
                    put(&mut body, f, wo)?;
                }
                continue;
            }
            if prior_private.is_write_only(f.name) {
                // Back from write-only to a plain value: send it even if state had none.
                let v = planned.get(f.name);
                if !v.is_null() && !v.is_unknown() {
                    put(&mut body, f, v)?;
                } else if v.is_null() && f.is_secret() {
                    // Neither set: no longer managed (nothing sent), and the secret stays
                    // out of state.
                    body.private.write_only.push(f.name.to_string());
                }
                continue;
            }
        }
        let (before, after) = (prior.get(f.name), planned.get(f.name));
        if after.is_unknown() || same(f, before, after) {
            continue;
        }
        if matches!(f.mode, Mode::Versioned(_)) && after.is_null() {
            continue;
        }
        put(&mut body, f, after)?;
    }
    // Fields the server's validation reads from the body alone go with every PATCH.
    if !body.json.is_empty() {
        for name in def.always_send {
            if let Some(f) = def.field(name) {
                let v = planned.get(f.name);
                if !body.json.contains_key(f.api) && !v.is_unknown() {
                    put(&mut body, f, v)?;
                }
            }
        }
    }
    if def
        .send_together
        .iter()
        .any(|n| def.field(n).is_some_and(|f| body.json.contains_key(f.api)))
    {
        for name in def.send_together {
            if let Some(f) = def.field(name) {
                let v = planned.get(f.name);
                if !body.json.contains_key(f.api) && !v.is_unknown() {
                    put(&mut body, f, v)?;
                }
            }
        }
    }
    Ok(body)
}
