//! ValidateResourceConfig: every mistake caught before any API call, with the attribute named
//! and a message that says what is allowed. Unknown values (known after apply) are never
//! rejected.

use super::checks::{check_duration, check_email, normalize_uuid};
use super::field::{wo_name, wo_version_name, Check, Field, Kind, Mode, ResourceDef, Rule};
use crate::protocol::{AttributePath, ClientCapabilities, Diagnostic, Number, Value};

/// Check one resource configuration.
pub fn validate(def: &ResourceDef, config: &Value, caps: ClientCapabilities) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for f in def.fields {
        let v = config.get(f.name);
        check_field(f, v, &mut diags);
        if f.write_only_twin {
            check_secret_pair(def, f, config, caps, &mut diags);
        }
    }
    for rule in def.rules {
        check_rule(def, rule, config, &mut diags);
    }
    diags
}

fn err(path: AttributePath, summary: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
    Diagnostic::error(summary, detail).at(path)
}

/// Check one configured value against its field's kind and check (null and unknown pass).
pub fn check_field(f: &Field, v: &Value, diags: &mut Vec<Diagnostic>) {
    let path = AttributePath::attr(f.name);
    match v {
        Value::Unknown => return,
        // Terraform itself reports missing required attributes; secrets with a write-only
        // twin are checked as a pair below.
        Value::Null => return,
        _ => {}
    }
    match f.kind {
        Kind::String => {
            if let Some(s) = v.as_str() {
                check_string(f, s, path, diags);
            }
        }
        Kind::StringSet | Kind::StringList => {
            let Some(items) = v.as_elements() else { return };
            if f.non_empty && items.is_empty() {
                diags.push(err(
                    path.clone(),
                    format!("Empty `{}`", f.name),
                    format!(
                        "`{}` must not be empty: the server needs at least one element. Leave the attribute out to get the server's default, or list the values you want.",
                        f.name
                    ),
                ));
            }
            for (i, item) in items.iter().enumerate() {
                if let Some(s) = item.as_str() {
                    check_string(f, s, path.clone().index(i as i64), diags);
                }
            }
        }
        Kind::Int => {
            if let Some(n) = v.as_number() {
                check_int(f, n, path, diags);
            }
        }
        Kind::Float => {
            if let (Some(n), Check::AtLeast(min)) = (v.as_number(), f.check) {
                if n.as_f64() < min {
                    diags.push(err(
                        path,
                        format!("`{}` is too small", f.name),
                        format!("`{}` must be at least {min}; got {n}.", f.name),
                    ));
                }
            }
        }
        Kind::Bool => {}
    }
}

fn check_int(f: &Field, n: &Number, path: AttributePath, diags: &mut Vec<Diagnostic>) {
    let Some(i) = n.as_i64() else {
        diags.push(err(
            path,
            format!("`{}` must be a whole number", f.name),
            format!(
                "`{}` takes a whole number (the server stores a 32-bit integer); got {n}.",
                f.name
            ),
        ));
        return;
    };
    let (min, max, why) = match f.check {
        Check::IntRange { min, max, why } => (min, max, why),
        _ => (
            i32::MIN as i64,
            i32::MAX as i64,
            "the server stores a 32-bit integer",
        ),
    };
    if i < min || i > max {
        diags.push(err(
            path,
            format!("`{}` out of range", f.name),
            format!(
                "`{}` must be between {min} and {max} ({why}); got {i}.",
                f.name
            ),
        ));
    }
}

fn check_string(f: &Field, s: &str, path: AttributePath, diags: &mut Vec<Diagnostic>) {
    let name = f.name;
    // The server trims surrounding whitespace of text before it validates (not of UUIDs).
    let s = if f.uuid_semantics { s } else { s.trim() };
    match f.check {
        Check::Any | Check::IntRange { .. } | Check::AtLeast(_) => {}
        Check::NonBlank => {
            if s.trim().is_empty() {
                diags.push(err(
                    path,
                    format!("`{name}` must not be blank"),
                    format!("The server rejects an empty or whitespace-only `{name}`. Give it a value, or leave the attribute out where it is optional."),
                ));
            }
        }
        Check::OneOf(values) => {
            if !values.contains(&s) {
                let list = values
                    .iter()
                    .map(|v| format!("{v:?}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                diags.push(err(
                    path,
                    format!("Invalid value for `{name}`"),
                    format!("{s:?} is not allowed here. Use one of: {list}."),
                ));
            }
        }
        Check::Slug => {
            if s.is_empty()
                || !s
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                diags.push(err(
                    path,
                    format!("Invalid `{name}`"),
                    format!("{s:?} is not a slug: use only letters (a-z, A-Z), digits, underscores and hyphens, at least one character (e.g. \"my-sign-in\")."),
                ));
            }
        }
        Check::MediaPath => {
            if let Some(why) = media_path_problem(s) {
                diags.push(err(
                    path,
                    format!("Invalid `{name}`"),
                    format!("{s:?} is not a value authentik accepts here: {why}. Use a URL (`https://…`), an `fa://` icon, a `/static/…` path, a relative file name such as `flows/background.jpg`, or leave it blank for the default."),
                ));
            }
        }
        Check::Uuid => {
            if normalize_uuid(s).is_none() {
                diags.push(err(
                    path,
                    format!("`{name}` must be a UUID"),
                    format!(
                        "{s:?} is not a UUID. `{name}` takes the UUID (pk) of the object, e.g. `authentik_flow.example.uuid` or a literal like \"9d2a3e6c-7a43-4f5e-9a1b-0c1d2e3f4a5b\" — not a name or slug."
                    ),
                ));
            }
        }
        Check::Duration => match check_duration(s) {
            Ok(report) => {
                for key in report.skipped_keys {
                    diags.push(
                        Diagnostic::warning(
                            format!("`{name}` has a key the server will ignore"),
                            format!(
                                "In {s:?}, the key {key:?} is not one the server knows (microseconds, milliseconds, seconds, minutes, hours, days, weeks; no spaces before a key), so authentik silently skips it. Write e.g. \"hours=1;minutes=30\"."
                            ),
                        )
                        .at(path.clone()),
                    );
                }
            }
            Err(msg) => diags.push(err(path, format!("Invalid duration in `{name}`"), msg)),
        },
        Check::Email => {
            if let Err(msg) = check_email(s) {
                diags.push(err(
                    path,
                    format!("Invalid email address in `{name}`"),
                    format!("`{name}` {msg}"),
                ));
            }
        }
    }
}

fn check_secret_pair(
    def: &ResourceDef,
    f: &Field,
    config: &Value,
    caps: ClientCapabilities,
    diags: &mut Vec<Diagnostic>,
) {
    let plain = config.get(f.name);
    let wo = wo_name(f);
    let wo_v = config.get(&wo);
    let version = wo_version_name(f);
    if !wo_v.is_null() && !caps.write_only_attributes_allowed {
        diags.push(err(
            AttributePath::attr(wo.clone()),
            format!("`{wo}` needs Terraform 1.11 or later"),
            format!(
                "Write-only attributes need Terraform 1.11 or later; this Terraform would store `{wo}` in plan and state as a plain value. Upgrade Terraform, or use the sensitive attribute `{}` instead.",
                f.name
            ),
        ));
        return;
    }
    if !plain.is_null() && !wo_v.is_null() {
        diags.push(err(
            AttributePath::attr(wo.clone()),
            format!("Both `{}` and `{wo}` are set", f.name),
            format!("Set only one of `{}` (kept in state, sensitive) and `{wo}` (write-only, never in state).", f.name),
        ));
    }
    // A secret required even for an existing object (a required-to-create one is checked by
    // the plan, which knows whether the object exists).
    if f.mode == Mode::Required && plain.is_null() && wo_v.is_null() {
        diags.push(err(
            AttributePath::attr(f.name),
            format!("Missing `{}`", f.name),
            format!(
                "The {} needs `{}`: set `{}` or, on Terraform 1.11 and later, `{wo}`.",
                def.title, f.name, f.name
            ),
        ));
    }
    if !config.get(&version).is_null() && wo_v.is_null() && !config.get(&version).is_unknown() {
        diags.push(
            Diagnostic::warning(
                format!("`{version}` without `{wo}`"),
                format!("`{version}` only has an effect together with `{wo}`."),
            )
            .at(AttributePath::attr(version)),
        );
    }
}

/// Why authentik's file field would refuse `s` (see [`Check::MediaPath`]), if it would.
fn media_path_problem(s: &str) -> Option<&'static str> {
    if s.is_empty()
        || s.starts_with("http:")
        || s.starts_with("https://")
        || s.starts_with("fa://")
        || s.starts_with("/static")
    {
        return None;
    }
    let plain = s.replace("%(theme)s", "");
    if !plain
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'))
    {
        return Some("a file name may only contain letters, digits, `.`, `_`, `-`, `/` and the placeholder `%(theme)s`");
    }
    if s.contains("..") {
        return Some("parent directory references (`..`) are not allowed");
    }
    if s.starts_with('/') {
        return Some("absolute paths are not allowed");
    }
    if s.starts_with('.') {
        return Some("paths cannot start with `.`");
    }
    if s.contains("//") {
        return Some("empty path components (`//`) are not allowed");
    }
    if s.len() > 1024 || s.split('/').any(|c| c.len() > 255) {
        return Some("at most 1024 characters, 255 per path component");
    }
    None
}

/// Whether a field counts as set for [`Rule::AtLeastOne`] and [`Rule::AtMostOne`]: a bool
/// true, any other value present, a collection non-empty. A field left out counts with its
/// default. `None` while unknown (decided after apply).
fn is_set(def: &ResourceDef, name: &str, config: &Value) -> Option<bool> {
    let mut v = config.get(name).clone();
    if v.is_null() {
        if let Some(Mode::Default(d)) = def.field(name).map(|f| f.mode) {
            v = super::convert::default_value(def.field(name)?, d);
        }
    }
    match &v {
        Value::Unknown => None,
        Value::Null => Some(false),
        Value::Bool(b) => Some(*b),
        Value::String(s) => Some(!s.trim().is_empty()),
        other => match other.as_elements() {
            Some(e) => Some(!e.is_empty()),
            None => Some(true),
        },
    }
}

fn list_names(fields: &[&str]) -> String {
    let quoted: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

fn check_rule(def: &ResourceDef, rule: &Rule, config: &Value, diags: &mut Vec<Diagnostic>) {
    match *rule {
        Rule::AtLeastOne { fields, why } => {
            let states: Vec<Option<bool>> = fields.iter().map(|f| is_set(def, f, config)).collect();
            if states.iter().all(|s| *s == Some(false)) {
                let Some(first) = fields.first() else { return };
                diags.push(err(
                    AttributePath::attr(*first),
                    format!("None of {} is set", list_names(fields)),
                    format!(
                        "The {} needs at least one of {} set (true, or not empty): {why}",
                        def.title,
                        list_names(fields)
                    ),
                ));
            }
        }
        Rule::AtMostOne { fields, why } => {
            let set: Vec<&str> = fields
                .iter()
                .zip(fields.iter().map(|f| is_set(def, f, config)))
                .filter(|(_, s)| *s == Some(true))
                .map(|(f, _)| *f)
                .collect();
            if set.len() > 1 {
                diags.push(err(
                    AttributePath::attr(set[1]),
                    format!("Only one of {} may be set", list_names(fields)),
                    format!(
                        "{} are all set; keep exactly one: {why}",
                        list_names(&set).replace(" or ", " and ")
                    ),
                ));
            }
        }
        Rule::NeedsWhen {
            field,
            value,
            needs,
            why,
        } => {
            let mut current = config.get(field).clone();
            if current.is_null() {
                if let Some(f) = def.field(field) {
                    if let Mode::Default(d) = f.mode {
                        current = super::convert::default_value(f, d);
                    }
                }
            }
            if current.as_str() == Some(value) && is_set(def, needs, config) == Some(false) {
                diags.push(err(
                    AttributePath::attr(needs),
                    format!("`{field} = \"{value}\"` needs `{needs}`"),
                    format!(
                        "With `{field} = \"{value}\"` the {} needs `{needs}` set (not empty): {why} Set `{needs}`, or choose another `{field}`.",
                        def.title
                    ),
                ));
            }
        }
        Rule::NotBothTrue { a, b, why } => {
            if config.get(a).as_bool() == Some(true) && config.get(b).as_bool() == Some(true) {
                diags.push(err(
                    AttributePath::attr(b),
                    format!("`{a}` and `{b}` are both true"),
                    format!("Set at most one of `{a}` and `{b}` to true: {why}"),
                ));
            }
        }
        Rule::RequiresNonEmpty {
            field,
            value,
            needs,
        } => {
            if config.get(field).as_str() != Some(value) {
                return;
            }
            let set = config.get(needs);
            let empty = match set {
                Value::Unknown => false,
                Value::Null => true,
                v => v.as_elements().is_some_and(|e| e.is_empty()),
            };
            if empty {
                diags.push(err(
                    AttributePath::attr(needs),
                    format!("`{field} = \"{value}\"` needs `{needs}`"),
                    format!(
                        "With `{field} = \"{value}\"` the {} must list at least one stage in `{needs}` (the stages a user without a device is sent to). Add them, or choose another `{field}`.",
                        def.title
                    ),
                ));
            }
        }
    }
}
