//! List endpoints: django-filter style exact filters, DRF `?search=` and `?ordering=`, then
//! [`crate::pagination`].

use std::borrow::{Borrow, Cow};
use std::cmp::Ordering;

use serde_json::Value;

use crate::errors::{ApiError, FieldErrors};
use crate::fields::{Lookup, Target};
use crate::ids;
use crate::pagination;
use crate::query::Query;
use crate::reply::{Body, Reply};

/// How a filter parameter is read.
#[derive(Debug, Clone, Copy)]
pub enum FilterKind {
    /// Exact string match.
    Text,
    /// `true`/`false`/`1`/`0` (anything else: the filter is ignored).
    Bool,
    /// A number.
    Int,
    /// One of fixed strings.
    Choice(&'static [&'static str]),
    /// The object's own pk (UUID, any spelling).
    Pk,
    /// A UUID compared as is (django-filter's `UUIDFilter`): a malformed value is a 400
    /// `“x” is not a valid UUID.`, an unknown one matches nothing.
    Uuid,
    /// A single reference to an existing object.
    Ref(Target),
    /// A set field holding any of the (repeatable) values.
    RefAny(Target),
}

/// One filter parameter and the response field it compares against.
#[derive(Debug, Clone, Copy)]
pub struct Filter {
    /// Query parameter.
    pub param: &'static str,
    /// Field of the rendered object.
    pub field: &'static str,
    /// How to read and compare.
    pub kind: FilterKind,
}

impl Filter {
    /// A filter whose query parameter has the name of the field it compares.
    pub const fn on(field: &'static str, kind: FilterKind) -> Filter {
        Filter {
            param: field,
            field,
            kind,
        }
    }

    /// An exact-text filter on the field of that name.
    pub const fn text(field: &'static str) -> Filter {
        Filter::on(field, FilterKind::Text)
    }

    /// `param` selects by the object's own pk.
    pub const fn pk(param: &'static str) -> Filter {
        Filter {
            param,
            field: "pk",
            kind: FilterKind::Pk,
        }
    }
}

/// What a list endpoint supports.
#[derive(Debug, Clone, Copy)]
pub struct ListSpec {
    /// Exact filters.
    pub filters: &'static [Filter],
    /// Fields `?search=` looks in (case-insensitive substring; every term must match).
    pub search: &'static [&'static str],
    /// Default ordering; empty means none (items stay in the order given, as a database
    /// returns rows without `ORDER BY`).
    pub ordering: &'static [&'static str],
}

const INVALID_CHOICE: &str =
    "Select a valid choice. That choice is not one of the available choices.";

/// Filters, searches, orders and paginates rendered objects, showing each with `present`.
pub fn respond<T: Borrow<Value>>(
    items: Vec<T>,
    query: &Query,
    spec: &ListSpec,
    lookup: &dyn Lookup,
    present: impl Fn(&Value) -> Cow<'_, Value>,
) -> Result<Reply, ApiError> {
    let items = select(items, query, spec, lookup)?;
    let (text, shown) = pagination::paginate_counted(items, query, present)?;
    Ok(Reply {
        status: 200,
        body: Body::JsonText(text),
        retry_after: None,
        items: shown,
    })
}

/// Filters, searches and orders.
pub fn select<T: Borrow<Value>>(
    items: Vec<T>,
    query: &Query,
    spec: &ListSpec,
    lookup: &dyn Lookup,
) -> Result<Vec<T>, ApiError> {
    let mut errors = FieldErrors::new();
    let mut tests: Vec<(&'static str, Test)> = Vec::new();
    for filter in spec.filters {
        let values: Vec<&str> = query
            .get_all(filter.param)
            .into_iter()
            .filter(|v| !v.is_empty())
            .collect();
        let Some(last) = values.last().copied() else {
            continue;
        };
        match read_filter(filter.kind, last, &values, lookup) {
            Ok(Some(test)) => tests.push((filter.field, test)),
            Ok(None) => {}
            Err(message) => errors.add(filter.param, message),
        }
    }
    errors.into_result()?;
    let terms: Vec<String> = query
        .get("search")
        .unwrap_or("")
        .replace('\0', "")
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut items: Vec<T> = items
        .into_iter()
        .filter(|item| {
            tests
                .iter()
                .all(|(field, test)| test.matches(&item.borrow()[*field]))
        })
        .filter(|item| {
            terms.iter().all(|term| {
                spec.search.iter().any(|field| {
                    item.borrow()[*field]
                        .as_str()
                        .is_some_and(|s| s.to_lowercase().contains(term))
                })
            })
        })
        .collect();
    let ordering = ordering_keys(query, spec, items.first().map(Borrow::borrow));
    if ordering.is_empty() {
        return Ok(items);
    }
    items.sort_by(|a, b| {
        let (a, b) = (a.borrow(), b.borrow());
        for (field, descending) in &ordering {
            let order = compare(&a[field.as_str()], &b[field.as_str()]);
            let order = if *descending { order.reverse() } else { order };
            if order != Ordering::Equal {
                return order;
            }
        }
        compare(&a["pk"], &b["pk"])
    });
    Ok(items)
}

enum Test {
    Equals(Value),
    ContainsAny(Vec<Value>),
}

impl Test {
    fn matches(&self, value: &Value) -> bool {
        match self {
            Test::Equals(expected) => match (expected, value) {
                (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
                _ => expected == value,
            },
            Test::ContainsAny(ids) => value
                .as_array()
                .is_some_and(|members| members.iter().any(|m| ids.contains(m))),
        }
    }
}

fn read_filter(
    kind: FilterKind,
    last: &str,
    all: &[&str],
    lookup: &dyn Lookup,
) -> Result<Option<Test>, String> {
    let reference = |text: &str, target: Target| -> Result<Value, String> {
        match ids::parse_uuid(text) {
            Some(id) if lookup.exists(target, &id) => Ok(Value::String(ids::format_uuid(&id))),
            _ => Err(INVALID_CHOICE.to_string()),
        }
    };
    Ok(Some(match kind {
        FilterKind::Text => Test::Equals(Value::from(last)),
        FilterKind::Bool => match last {
            "true" | "True" | "1" => Test::Equals(Value::Bool(true)),
            "false" | "False" | "0" => Test::Equals(Value::Bool(false)),
            _ => return Ok(None),
        },
        FilterKind::Int => match last.trim().parse::<f64>() {
            Ok(n) => Test::Equals(Value::from(n)),
            Err(_) => return Err("Enter a number.".to_string()),
        },
        FilterKind::Choice(choices) => {
            if !choices.contains(&last) {
                return Err(format!(
                    "Select a valid choice. {last} is not one of the available choices."
                ));
            }
            Test::Equals(Value::from(last))
        }
        FilterKind::Pk => match ids::normalize(last) {
            Some(id) => Test::Equals(Value::String(id)),
            None => return Err("Enter a valid UUID.".to_string()),
        },
        FilterKind::Uuid => match ids::normalize(last) {
            Some(id) => Test::Equals(Value::String(id)),
            None => return Err(format!("\u{201c}{last}\u{201d} is not a valid UUID.")),
        },
        FilterKind::Ref(target) => Test::Equals(reference(last, target)?),
        FilterKind::RefAny(target) => Test::ContainsAny(
            all.iter()
                .map(|v| reference(v, target))
                .collect::<Result<Vec<_>, _>>()?,
        ),
    }))
}

fn ordering_keys(query: &Query, spec: &ListSpec, sample: Option<&Value>) -> Vec<(String, bool)> {
    let requested: Vec<(String, bool)> = query
        .get("ordering")
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|term| !term.is_empty())
        .map(|term| match term.strip_prefix('-') {
            Some(field) => (field.to_string(), true),
            None => (term.to_string(), false),
        })
        // Unknown or non-scalar fields are ignored, like DRF's OrderingFilter.
        .filter(|(field, _)| {
            sample.is_none_or(|s| {
                s.get(field)
                    .is_some_and(|v| !v.is_array() && !v.is_object())
            })
        })
        .collect();
    if requested.is_empty() {
        spec.ordering
            .iter()
            .map(|f| (f.to_string(), false))
            .collect()
    } else {
        requested
    }
}

/// Orders JSON scalars; `null` sorts last (PostgreSQL's default).
fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Greater,
        (_, Value::Null) => Ordering::Less,
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => a.to_string().cmp(&b.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use uuid::Uuid;

    struct All;
    impl Lookup for All {
        fn exists(&self, _target: Target, _id: &Uuid) -> bool {
            true
        }
    }

    const SPEC: ListSpec = ListSpec {
        filters: &[Filter::text("name"), Filter::on("flag", FilterKind::Bool)],
        search: &["name"],
        ordering: &["name"],
    };

    fn names(items: &[Value]) -> Vec<&str> {
        items.iter().filter_map(|i| i["name"].as_str()).collect()
    }

    #[test]
    fn filters_search_order() {
        let items = vec![
            json!({"pk": "1", "name": "beta", "flag": true}),
            json!({"pk": "2", "name": "Alpha", "flag": false}),
            json!({"pk": "3", "name": "alphabet", "flag": true}),
        ];
        let run = |q: &str| select(items.clone(), &Query::parse(Some(q)), &SPEC, &All).expect("ok");
        assert_eq!(names(&run("")), vec!["Alpha", "alphabet", "beta"]);
        assert_eq!(names(&run("name=beta")), vec!["beta"]);
        assert_eq!(names(&run("name=")), vec!["Alpha", "alphabet", "beta"]);
        assert_eq!(names(&run("search=ALPHA")), vec!["Alpha", "alphabet"]);
        assert_eq!(names(&run("search=alpha+bet")), vec!["alphabet"]);
        assert_eq!(
            names(&run("flag=true&ordering=-name")),
            vec!["beta", "alphabet"]
        );
        assert_eq!(
            names(&run("ordering=bogus")),
            vec!["Alpha", "alphabet", "beta"]
        );
        let unordered = ListSpec {
            ordering: &[],
            ..SPEC
        };
        let run =
            |q: &str| select(items.clone(), &Query::parse(Some(q)), &unordered, &All).expect("ok");
        assert_eq!(
            names(&run("")),
            vec!["beta", "Alpha", "alphabet"],
            "no default ordering: as given"
        );
        assert_eq!(
            names(&run("ordering=name")),
            vec!["Alpha", "alphabet", "beta"]
        );
    }
}
