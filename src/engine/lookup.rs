//! Data sources from their attribute table: schema, validation and the read, which finds exactly
//! one object by the attributes set (or, for a data source with [`Many`], every matching object).
//! No match, or more than one where one is wanted, is an error that says what was looked for and,
//! for a near miss, what exists.

use super::checks::normalize_uuid;
use super::convert::{from_json, same, tf_type};
use super::errors::lookup_error;
use super::field::{DataAttr, DataSourceDef, Field, Lookup, Many};
use super::validate::check_field;
use crate::client::{Client, JsonObject};
use crate::protocol::{
    Attribute, AttributePath, Block, Diagnostic, ReadDataSourceResponse, Schema, Type, Value,
};
use std::collections::BTreeMap;

/// How many near misses or ambiguous matches an error lists.
const SHOWN: usize = 5;

/// The Terraform schema of a data source.
pub fn data_source_schema(def: &DataSourceDef) -> Schema {
    let keys = key_list(def);
    let id_doc = match &def.many {
        None => format!(
            "The {}'s identifier (authentik's `{}`).",
            def.title, def.id_key
        ),
        Some(many) => format!("The `{}` found, sorted and joined by commas.", many.ids),
    };
    let mut attributes = vec![Attribute {
        name: "id".into(),
        ty: Some(Type::String),
        description: id_doc,
        computed: true,
        ..Default::default()
    }];
    for a in def.attributes {
        let mut description = a.field.doc.to_string();
        match (a.lookup, &def.many) {
            (Lookup::Server | Lookup::Client, None) => description.push_str(&format!(
                " A lookup key: set at least one of {keys}; the {} must match every key set exactly.",
                def.title
            )),
            (Lookup::Server | Lookup::Client, Some(_)) => description.push_str(&format!(
                " A lookup key: set at least one of {keys}; every {} with exactly this value (case included) is returned.",
                def.title
            )),
            (Lookup::Search, _) => {
                description.push_str(&format!(" A lookup key: set at least one of {keys}."))
            }
            (Lookup::Output, _) => {}
        }
        attributes.push(Attribute {
            name: a.field.name.to_string(),
            ty: Some(tf_type(a.field.kind)),
            description,
            optional: a.is_key(),
            computed: true,
            ..Default::default()
        });
    }
    if let Some(many) = &def.many {
        attributes.push(Attribute {
            name: many.ids.to_string(),
            ty: Some(Type::set(Type::String)),
            description: many.ids_doc.to_string(),
            computed: true,
            ..Default::default()
        });
        attributes.push(Attribute {
            name: many.objects.to_string(),
            ty: Some(Type::list(object_type(many))),
            description: many.objects_doc.to_string(),
            computed: true,
            ..Default::default()
        });
    }
    Schema {
        version: 0,
        block: Block {
            attributes,
            description: def.doc.to_string(),
            deprecated: false,
        },
    }
}

/// The type of one object in a [`Many`] data source's list.
fn object_type(many: &Many) -> Type {
    Type::Object(
        many.fields
            .iter()
            .map(|f| (f.name.to_string(), tf_type(f.kind)))
            .collect(),
    )
}

fn key_list(def: &DataSourceDef) -> String {
    def.attributes
        .iter()
        .filter(|a| a.is_key())
        .map(|a| format!("`{}`", a.field.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// ValidateDataResourceConfig: at least one lookup key, each value well-formed.
pub fn validate(def: &DataSourceDef, config: &Value) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut any_key = false;
    for a in def.attributes.iter().filter(|a| a.is_key()) {
        let v = config.get(a.field.name);
        any_key |= !v.is_null();
        check_field(&a.field, v, &mut diags);
    }
    if !any_key {
        let detail = match def.many {
            None => format!(
                "Set at least one of {} to say which {} this is. (Without one the official provider takes whichever {} authentik lists first; this provider refuses to guess.)",
                key_list(def),
                def.title,
                def.title
            ),
            Some(_) => format!(
                "Set at least one of {} to say which {} to return (this data source never returns them all).",
                key_list(def),
                def.plural
            ),
        };
        diags.push(Diagnostic::error(
            format!(
                "Nothing to look the {} up by",
                if def.many.is_some() {
                    def.plural
                } else {
                    def.title
                }
            ),
            detail,
        ));
    }
    diags
}

/// One lookup key that is set, with its configured value.
struct Key<'a> {
    attr: &'static DataAttr,
    value: &'a Value,
    text: String,
}

impl Key<'_> {
    /// True when the object has the key's value (a search key is the server's to match).
    fn matches(&self, obj: &JsonObject) -> bool {
        if !self.attr.is_compared() {
            return true;
        }
        let f = &self.attr.field;
        obj.get(f.api)
            .and_then(|j| from_json(f, j))
            .is_some_and(|v| same(f, self.value, &v))
    }
    fn describe(&self) -> String {
        if self.attr.is_compared() {
            format!("{} {:?}", self.attr.field.name, self.text)
        } else {
            format!("text matching {} {:?}", self.attr.field.name, self.text)
        }
    }
}

/// ReadDataSource: the one object matching every key set (every such object, at least one, for
/// a data source with [`Many`]).
pub async fn read(def: &DataSourceDef, client: &Client, config: &Value) -> ReadDataSourceResponse {
    let keys: Vec<Key> = def
        .attributes
        .iter()
        .filter(|a| a.is_key())
        .filter_map(|attr| {
            let value = config.get(attr.field.name);
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            Some(Key { attr, value, text })
        })
        .collect();
    let fail = |diagnostics: Vec<Diagnostic>| ReadDataSourceResponse {
        state: Value::Null,
        diagnostics,
    };
    if keys.is_empty() {
        return fail(validate(def, config));
    }
    let endpoint = client.endpoint(def.api_path);
    let server_values: Vec<String> = keys
        .iter()
        .filter(|k| k.attr.is_sent())
        .map(|k| server_form(k))
        .collect();
    let mut query: Vec<(&str, &str)> = def.query.to_vec();
    for (k, v) in keys.iter().filter(|k| k.attr.is_sent()).zip(&server_values) {
        query.push((k.attr.field.api, v.as_str()));
    }
    let listed = match endpoint.list(&query).await {
        Ok(l) => l,
        Err(e) => return fail(lookup_error(def, &e)),
    };
    // Compare every key here too: a server may ignore a filter or match loosely.
    let server_keys: Vec<&Key> = keys
        .iter()
        .filter(|k| k.attr.lookup == Lookup::Server)
        .collect();
    let by_server: Vec<&JsonObject> = listed
        .iter()
        .filter(|o| server_keys.iter().all(|k| k.matches(o)))
        .collect();
    let found: Vec<&JsonObject> = by_server
        .iter()
        .copied()
        .filter(|o| keys.iter().all(|k| k.matches(o)))
        .collect();
    let wanted = keys
        .iter()
        .map(Key::describe)
        .collect::<Vec<_>>()
        .join(" and ");
    if let (Some(many), false) = (&def.many, found.is_empty()) {
        return ReadDataSourceResponse {
            state: state_of_many(def, many, &found, config),
            diagnostics: Vec::new(),
        };
    }
    match found.as_slice() {
        [one] => ReadDataSourceResponse {
            state: state_of(def, one, config),
            diagnostics: Vec::new(),
        },
        [] => {
            let detail = if !by_server.is_empty() {
                mismatch_detail(def, &keys, &by_server, &wanted)
            } else {
                let near = near_misses(def, client, &keys[0]).await;
                let near_attr = near_attribute(def, &keys[0]);
                let mut d = format!("No {} in authentik has {wanted}.", def.title);
                if !near.is_empty() {
                    d.push_str(&format!(
                        " Did you mean {}? (the closest `{}` values there are)",
                        near.iter()
                            .map(|n| format!("{n:?}"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        near_attr.name
                    ));
                } else {
                    d.push_str(&format!(
                        " Check the spelling (values are compared exactly, case included), or create the {} first.",
                        def.title
                    ));
                }
                d
            };
            fail(vec![Diagnostic::error(
                format!("No {} found", def.title),
                detail,
            )
            .at(AttributePath::attr(keys[0].attr.field.name))])
        }
        many => fail(vec![Diagnostic::error(
            format!("More than one {} matches", def.title),
            ambiguous_detail(def, &keys, many, &wanted),
        )
        .at(AttributePath::attr(keys[0].attr.field.name))]),
    }
}

/// A key's value as sent in the query (UUIDs in the server's spelling).
fn server_form(k: &Key) -> String {
    if k.attr.field.uuid_semantics {
        if let Some(u) = normalize_uuid(&k.text) {
            return u;
        }
    }
    k.text.trim().to_string()
}

fn text_of(obj: &JsonObject, api: &str) -> Option<String> {
    match obj.get(api)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// Objects that match the server-side keys but not the others: say what they have.
fn mismatch_detail(
    def: &DataSourceDef,
    keys: &[Key],
    candidates: &[&JsonObject],
    wanted: &str,
) -> String {
    let others: Vec<&Key> = keys
        .iter()
        .filter(|k| k.attr.lookup != Lookup::Server)
        .collect();
    let shown: Vec<String> = candidates
        .iter()
        .take(SHOWN)
        .map(|o| {
            others
                .iter()
                .map(|k| {
                    format!(
                        "{} {:?}",
                        k.attr.field.name,
                        text_of(o, k.attr.field.api).unwrap_or_else(|| "null".into())
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect();
    let server_part = keys
        .iter()
        .filter(|k| k.attr.lookup == Lookup::Server)
        .map(Key::describe)
        .collect::<Vec<_>>()
        .join(" and ");
    format!(
        "No {} in authentik has {wanted}. The {} with {server_part} {} {}.",
        def.title,
        if candidates.len() == 1 {
            def.title
        } else {
            def.plural
        },
        if candidates.len() == 1 { "has" } else { "have" },
        shown.join("; ")
    )
}

/// Several objects match: list them by the keys that tell them apart.
fn ambiguous_detail(
    def: &DataSourceDef,
    keys: &[Key],
    many: &[&JsonObject],
    wanted: &str,
) -> String {
    let set: Vec<&str> = keys.iter().map(|k| k.attr.field.name).collect();
    let distinguishing: Vec<&DataAttr> = def
        .attributes
        .iter()
        .filter(|a| a.is_key() && !set.contains(&a.field.name))
        .collect();
    let shown: Vec<String> = many
        .iter()
        .take(SHOWN)
        .map(|o| {
            let mut parts: Vec<String> = distinguishing
                .iter()
                .filter_map(|a| {
                    text_of(o, a.field.api).map(|v| format!("{} = {v:?}", a.field.name))
                })
                .collect();
            if parts.is_empty() {
                parts.push(format!(
                    "id {:?}",
                    text_of(o, def.id_key).unwrap_or_default()
                ));
            }
            parts.join(", ")
        })
        .collect();
    let more = if many.len() > SHOWN {
        format!(" and {} more", many.len() - SHOWN)
    } else {
        String::new()
    };
    let mut hint = if distinguishing.is_empty() {
        String::new()
    } else {
        format!(
            " Add {} to say which one.",
            distinguishing
                .iter()
                .map(|a| format!("`{}`", a.field.name))
                .collect::<Vec<_>>()
                .join(" or ")
        )
    };
    if let Some(every) = def.every {
        hint.push_str(&format!(
            " To use all of them, look them up with `data \"{every}\"` instead."
        ));
    }
    format!(
        "{} {} in authentik have {wanted}: {}{more}.{hint} (The official provider silently takes the first; this provider refuses to guess.)",
        many.len(),
        def.plural,
        shown.join("; ")
    )
}

/// The attribute whose values near misses are drawn from: the key's own, or for a search key
/// the first key the provider compares (a `description`, say).
fn near_attribute(def: &DataSourceDef, key: &Key<'_>) -> &'static Field {
    if key.attr.is_compared() {
        return &key.attr.field;
    }
    def.attributes
        .iter()
        .find(|a| a.is_compared())
        .map_or(&key.attr.field, |a| &a.field)
}

/// Values of the key's attribute close to the one looked for: by the server's substring
/// search first, else by edit distance over the whole collection.
async fn near_misses(def: &DataSourceDef, client: &Client, key: &Key<'_>) -> Vec<String> {
    let endpoint = client.endpoint(def.api_path);
    let wanted = key.text.trim().to_lowercase();
    let api = near_attribute(def, key).api;
    let mut query: Vec<(&str, &str)> = def.query.to_vec();
    query.push(("search", wanted.as_str()));
    let mut candidates: Vec<String> = endpoint
        .list(&query)
        .await
        .unwrap_or_default()
        .iter()
        .filter_map(|o| text_of(o, api))
        .collect();
    if candidates.is_empty() {
        candidates = endpoint
            .list(def.query)
            .await
            .unwrap_or_default()
            .iter()
            .filter_map(|o| text_of(o, api))
            .collect();
    }
    let limit = (wanted.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, String)> = candidates
        .into_iter()
        .filter_map(|c| {
            let lower = c.to_lowercase();
            let d = strsim::levenshtein(&wanted, &lower);
            let close = lower.contains(&wanted) || wanted.contains(&lower) || d <= limit;
            (close && !lower.is_empty()).then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(SHOWN).map(|(_, c)| c).collect()
}

/// The data source's state from the object found: configured keys keep their spelling.
fn state_of(def: &DataSourceDef, obj: &JsonObject, config: &Value) -> Value {
    let mut out = BTreeMap::new();
    out.insert(
        "id".to_string(),
        text_of(obj, def.id_key)
            .map(Value::String)
            .unwrap_or(Value::Null),
    );
    for a in def.attributes {
        let f = &a.field;
        let read = obj.get(f.api).and_then(|j| from_json(f, j));
        let configured = config.get(f.name);
        let v = match read {
            Some(v) if !configured.is_null() && same(f, configured, &v) => configured.clone(),
            Some(v) => v,
            None => Value::Null,
        };
        out.insert(f.name.to_string(), v);
    }
    Value::Object(out)
}

/// The state of a [`Many`] data source: the keys as configured, every object found (sorted by
/// its first field, then its identifier) and the set of their identifiers.
fn state_of_many(def: &DataSourceDef, many: &Many, found: &[&JsonObject], config: &Value) -> Value {
    let mut objects: Vec<(Vec<String>, Value)> = found
        .iter()
        .map(|obj| {
            let fields: BTreeMap<String, Value> = many
                .fields
                .iter()
                .map(|f| {
                    let v = obj
                        .get(f.api)
                        .and_then(|j| from_json(f, j))
                        .unwrap_or(Value::Null);
                    (f.name.to_string(), v)
                })
                .collect();
            let order = many
                .fields
                .first()
                .map(|f| text_of(obj, f.api).unwrap_or_default())
                .into_iter()
                .chain([text_of(obj, def.id_key).unwrap_or_default()])
                .collect();
            (order, Value::Object(fields))
        })
        .collect();
    objects.sort_by(|a, b| a.0.cmp(&b.0));
    let mut ids: Vec<String> = found
        .iter()
        .filter_map(|o| text_of(o, def.id_key))
        .collect();
    ids.sort();
    ids.dedup();
    let mut out = BTreeMap::new();
    out.insert("id".to_string(), Value::String(ids.join(",")));
    for a in def.attributes {
        out.insert(a.field.name.to_string(), config.get(a.field.name).clone());
    }
    out.insert(
        many.ids.to_string(),
        Value::Set(ids.into_iter().map(Value::String).collect()),
    );
    out.insert(
        many.objects.to_string(),
        Value::List(objects.into_iter().map(|(_, v)| v).collect()),
    );
    Value::Object(out)
}
