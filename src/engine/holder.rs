//! Who holds a stage name or UUID across every stage type (`/stages/all/`), for messages.
//!
//! Stage names are unique across all stage types, so a create can clash with, and an import can
//! miss, a stage of another type. These lookups turn "already exists" and "not found" into a
//! message that names the stage that is there. They are best effort: when the lookup fails the
//! message is simply left without that detail.

use crate::client::{Client, JsonObject};

/// Every stage of every type (base fields only).
const ALL_STAGES: &str = "stages/all";

/// A stage found in `/stages/all/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    /// Its name.
    pub name: String,
    /// Its UUID.
    pub id: String,
    /// Its type as authentik names it (`verbose_name`, else `meta_model_name`).
    pub kind: String,
}

impl Holder {
    fn from_object(o: &JsonObject) -> Option<Holder> {
        let text = |k: &str| o.get(k).and_then(|v| v.as_str()).map(str::to_string);
        Some(Holder {
            name: text("name")?,
            id: text("pk")?,
            kind: text("verbose_name")
                .or_else(|| text("meta_model_name"))
                .unwrap_or_else(|| "stage".into()),
        })
    }

    /// A stage read from a typed endpoint, whose type we know.
    pub fn of_type(o: &JsonObject, kind: &str) -> Option<Holder> {
        Holder::from_object(o).map(|h| Holder {
            kind: kind.to_string(),
            ..h
        })
    }

    /// `the TOTP Authenticator Setup Stage "x" (id …)`
    pub fn describe(&self) -> String {
        format!("the {} {:?} (id {})", self.kind, self.name, self.id)
    }
}

/// The stage of any type named exactly `name`, if the lookup succeeds and finds one.
pub async fn by_name(client: &Client, name: &str) -> Option<Holder> {
    match client.endpoint(ALL_STAGES).find_by_name(name).await {
        Ok(Some(o)) => Holder::from_object(&o),
        _ => None,
    }
}

/// The stage of any type with this UUID, if the lookup succeeds and finds one.
pub async fn by_id(client: &Client, id: &str) -> Option<Holder> {
    match client.endpoint(ALL_STAGES).retrieve(id).await {
        Ok(o) => Holder::from_object(&o),
        _ => None,
    }
}
