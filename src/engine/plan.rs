//! PlanResourceChange: the configuration is the truth. Attributes left out are planned as the
//! server's defaults, so a minimal configuration plans empty after apply and removing an
//! attribute resets it on the server. The exception is a secret ([`Field::is_secret`]): left
//! out (with its write-only twin) for an existing object it keeps its state value and nothing
//! is sent; a create leaves it to the server's default, or, for one required to create
//! ([`Mode::RequiredToCreate`]), is refused.

use super::convert::{default_value, same};
use super::field::{wo_name, wo_version_name, Field, Mode, ResourceDef};
use super::private::Private;
use crate::protocol::{PlanRequest, PlanResponse, Value};
use std::collections::BTreeMap;

/// Plan one resource change.
pub fn plan(def: &ResourceDef, req: &PlanRequest) -> PlanResponse {
    if req.config.is_null() || req.proposed_new_state.is_null() {
        // Destroy: nothing to plan.
        return PlanResponse {
            planned_state: Value::Null,
            ..Default::default()
        };
    }
    plan_values(def, &req.prior_state, &req.config, &req.prior_private)
}

/// Plan from the prior state and the configuration: all a plan depends on (Terraform's
/// proposal adds nothing here). `prior` is null for a create.
pub fn plan_values(
    def: &ResourceDef,
    prior: &Value,
    config: &Value,
    prior_private: &[u8],
) -> PlanResponse {
    let private = Private::decode(prior_private);
    let mut out = BTreeMap::new();
    // `id` follows the field it is (a flow's slug): a change of it plans a new `id`.
    let id_moves = def.id_field().is_some_and(|f| {
        let c = config.get(f.name);
        c.is_unknown() || !same(f, prior.get(f.name), c)
    });
    out.insert(
        "id".to_string(),
        if prior.is_null() || id_moves {
            Value::Unknown
        } else {
            prior.get("id").clone()
        },
    );
    for f in def.fields {
        out.insert(f.name.to_string(), plan_field(f, prior, config));
        if f.write_only_twin {
            // Write-only values never appear in plan or state.
            out.insert(wo_name(f), Value::Null);
            out.insert(wo_version_name(f), config.get(&wo_version_name(f)).clone());
        }
    }
    let diagnostics = missing_to_create(def, prior, config);
    PlanResponse {
        planned_state: Value::Object(out),
        planned_private: private.encode(),
        diagnostics,
        ..Default::default()
    }
}

/// Errors for [`Mode::RequiredToCreate`] fields a create leaves out (with their write-only
/// twin). Only the plan knows whether the object exists, so this is not a validation.
fn missing_to_create(
    def: &ResourceDef,
    prior: &Value,
    config: &Value,
) -> Vec<crate::protocol::Diagnostic> {
    if !prior.is_null() {
        return Vec::new();
    }
    def.fields
        .iter()
        .filter(|f| f.mode == Mode::RequiredToCreate && config.get(f.name).is_null())
        .filter(|f| !f.write_only_twin || config.get(&wo_name(f)).is_null())
        .map(|f| {
            let set = if f.write_only_twin {
                format!(
                    "set `{}` or, on Terraform 1.11 and later, `{}`",
                    f.name,
                    wo_name(f)
                )
            } else {
                format!("set `{}`", f.name)
            };
            crate::protocol::Diagnostic::error(
                format!("Missing `{}`", f.name),
                format!(
                    "Creating the {} needs `{}`: {set}. Only one that already exists in authentik (imported, or adopted with generated configuration) may leave it out; its value is then left as authentik has it.",
                    def.title, f.name
                ),
            )
            .at(crate::protocol::AttributePath::attr(f.name))
        })
        .collect()
}

fn plan_field(f: &Field, prior: &Value, config: &Value) -> Value {
    if f.mode == Mode::ReadOnly {
        // Known once the object exists; never changes (it is the `pk`).
        return if prior.is_null() {
            Value::Unknown
        } else {
            prior.get(f.name).clone()
        };
    }
    let c = config.get(f.name);
    if c.is_unknown() {
        return Value::Unknown;
    }
    let uses_wo = f.write_only_twin && !config.get(&wo_name(f)).is_null();
    if f.is_secret() && c.is_null() && !uses_wo && !prior.is_null() {
        // A secret left out for an existing object is not managed: it stays as state has it
        // (the server's value where the server returns it, null where it never does or the
        // twin kept it out of state) and nothing is sent. Resetting it instead would erase
        // what the server holds, unseen (plans hide secrets, generated configuration cannot
        // hold them); `= ""` clears it.
        return prior.get(f.name).clone();
    }
    let planned = match f.mode {
        Mode::Required | Mode::Nullable => return c.clone(),
        Mode::RequiredToCreate if !c.is_null() => return c.clone(),
        // Through the write-only twin, or a create without it (refused by `missing_to_create`).
        Mode::RequiredToCreate if uses_wo || prior.is_null() => return Value::Null,
        Mode::RequiredToCreate => return prior.get(f.name).clone(),
        Mode::Default(_) | Mode::Versioned(_) if !c.is_null() => c.clone(),
        Mode::Default(_) if uses_wo => Value::Null,
        Mode::Default(d) => default_value(f, d),
        Mode::Versioned(_) if prior.is_null() => return Value::Unknown,
        Mode::Versioned(_) if prior.get(f.name).is_null() => return Value::Null,
        Mode::Versioned(d) => default_value(f, d),
        Mode::ReadOnly => return prior.get(f.name).clone(),
    };
    // For computed attributes, keep the prior spelling when it means the same (UUID case, set order).
    let before = prior.get(f.name);
    if !before.is_null() && same(f, before, &planned) {
        before.clone()
    } else {
        planned
    }
}
