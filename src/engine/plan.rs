//! PlanResourceChange: the configuration is the truth. Attributes left out are planned as the
//! server's defaults, so a minimal configuration plans empty after apply and removing an
//! attribute resets it on the server.

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
        // A secret authentik never returns, with no value in state while the stage exists
        // (it was imported): nobody knows what the server holds.
        let unknown_secret = f.never_returned
            && !prior.is_null()
            && prior.get(f.name).is_null()
            && !private.is_write_only(f.name);
        out.insert(
            f.name.to_string(),
            plan_field(f, prior, config, unknown_secret),
        );
        if f.write_only_twin {
            // Write-only values never appear in plan or state.
            out.insert(wo_name(f), Value::Null);
            out.insert(wo_version_name(f), config.get(&wo_version_name(f)).clone());
        }
    }
    let diagnostics = secret_resets(def, prior, config, &out);
    PlanResponse {
        planned_state: Value::Object(out),
        planned_private: private.encode(),
        diagnostics,
        ..Default::default()
    }
}

/// Warnings for secrets the plan resets to their default because the configuration leaves
/// them out while the server holds another value. Plans hide secrets, so without this nobody
/// would see that one is about to be erased (typically after adopting a stage with generated
/// configuration, where Terraform writes secrets as `null # sensitive`).
fn secret_resets(
    def: &ResourceDef,
    prior: &Value,
    config: &Value,
    planned: &BTreeMap<String, Value>,
) -> Vec<crate::protocol::Diagnostic> {
    if prior.is_null() {
        return Vec::new();
    }
    def.fields
        .iter()
        .filter(|f| f.sensitive && matches!(f.mode, Mode::Default(_)))
        .filter(|f| config.get(f.name).is_null())
        .filter(|f| !f.write_only_twin || config.get(&wo_name(f)).is_null())
        .filter(|f| {
            let (before, after) = (prior.get(f.name), planned.get(f.name).unwrap_or(&Value::Null));
            !before.is_null() && !after.is_null() && !same(f, before, after)
        })
        .map(|f| {
            let wo = if f.write_only_twin {
                format!(" (or `{}`)", wo_name(f))
            } else {
                String::new()
            };
            crate::protocol::Diagnostic::warning(
                format!("`{}` will be reset to its default", f.name),
                format!(
                    "The configuration leaves out `{}`, so this plan sets it to its default, replacing the value authentik holds now (plans hide secrets, so this is not visible above). To keep the current value, set `{}`{wo} to it.",
                    f.name, f.name
                ),
            )
            .at(crate::protocol::AttributePath::attr(f.name))
        })
        .collect()
}

fn plan_field(f: &Field, prior: &Value, config: &Value, unknown_secret: bool) -> Value {
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
    let planned = match f.mode {
        Mode::Required | Mode::Nullable => return c.clone(),
        Mode::Default(_) | Mode::Versioned(_) if !c.is_null() => c.clone(),
        Mode::Default(_) if uses_wo => Value::Null,
        // Left out, a secret of unknown value is left alone rather than reset to its default
        // (which would erase what the server holds, unseen): it stays unknown until the
        // configuration sets it.
        Mode::Default(_) if unknown_secret => return Value::Null,
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
