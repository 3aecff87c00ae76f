//! The declarative attribute table: one [`Field`] per Terraform attribute, with its API name,
//! kind, how it is planned, how it is checked and how it is documented.

/// The Terraform and JSON shape of a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `string` ↔ JSON string.
    String,
    /// `bool` ↔ JSON bool.
    Bool,
    /// `number` ↔ JSON integer (32-bit on the server).
    Int,
    /// `number` ↔ JSON number.
    Float,
    /// `set(string)` ↔ JSON array of strings (order means nothing).
    StringSet,
    /// `list(string)` ↔ JSON array of strings (order and duplicates mean something).
    StringList,
}

impl Kind {
    /// A collection of strings (set or list).
    pub const fn is_collection(self) -> bool {
        matches!(self, Kind::StringSet | Kind::StringList)
    }
}

/// A default value, equal to the server's own default.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Dflt {
    /// A string.
    Str(&'static str),
    /// A bool.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A set of strings.
    Strs(&'static [&'static str]),
}

/// How a field is planned when the configuration leaves it out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    /// Must be configured (the API requires it on create).
    Required,
    /// Required to create, optional to manage: a create without it fails at plan, naming it;
    /// for an object that already exists (imported or adopted) it follows the rule for
    /// secrets left out (see [`Field::is_secret`]). For secrets the server needs once but not
    /// to change other fields (a PATCH without them keeps them).
    RequiredToCreate,
    /// Optional; when left out it is planned as the server's default, so removing it from the
    /// configuration resets the server value. A secret ([`Field::is_secret`]) is the
    /// exception: left out, only a create gets the default.
    Default(Dflt),
    /// Optional and nullable on the server (a reference); left out means `null`.
    Nullable,
    /// Only newer servers have it: optional and computed, sent only when configured, read back
    /// when the server has it. Left out, it is planned as the default once the server has shown
    /// that it knows the field.
    Versioned(Dflt),
    /// Read-only: computed from the server's answer (e.g. a flow's `uuid` when its `id` is the
    /// slug), never configured, never sent.
    ReadOnly,
}

/// A value check applied at plan time (to a string, or to each element of a set).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Check {
    /// Anything.
    Any,
    /// Not empty and not only whitespace.
    NonBlank,
    /// One of a fixed list.
    OneOf(&'static [&'static str]),
    /// A UUID (any case, with or without hyphens, as the server accepts).
    Uuid,
    /// authentik's duration grammar (`hours=1;minutes=30`).
    Duration,
    /// An email address of at most 254 characters.
    Email,
    /// A slug: letters, digits, `_` and `-` only (Django's slug rule), not empty.
    Slug,
    /// authentik's file field (a flow's `background`): blank, a URL (`http:`, `https://`), an
    /// `fa://` icon, a `/static` path, or a relative file name of `[a-zA-Z0-9._/-]` (and the
    /// placeholder `%(theme)s`) without `..`, `//` or a leading `.` or `/`, at most 1024
    /// characters and 255 per path component.
    MediaPath,
    /// An integer in `min..=max`; `why` explains the bound.
    IntRange {
        /// Lowest allowed.
        min: i64,
        /// Highest allowed.
        max: i64,
        /// Why, for the error message.
        why: &'static str,
    },
    /// A number `>= min`.
    AtLeast(f64),
}

/// One attribute of a resource.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// Terraform attribute name.
    pub name: &'static str,
    /// JSON key in the API.
    pub api: &'static str,
    /// Shape.
    pub kind: Kind,
    /// Planning rule.
    pub mode: Mode,
    /// Value check.
    pub check: Check,
    /// A set or list that must not be empty.
    pub non_empty: bool,
    /// Hidden in plans and logs.
    pub sensitive: bool,
    /// Also offer `<name>_wo` (write-only, Terraform 1.11+) and `<name>_wo_version`.
    pub write_only_twin: bool,
    /// Values are UUIDs, compared case- and hyphen-insensitively.
    pub uuid_semantics: bool,
    /// The default is the server's own (false: the server has none and requires a value; the
    /// default is the official provider's, sent on create).
    pub server_default: bool,
    /// The server never returns the value (a write-only secret): it is kept from the
    /// configuration and state, and drift on it cannot be seen.
    pub never_returned: bool,
    /// Markdown description (schema, docs).
    pub doc: &'static str,
}

impl Field {
    const fn new(name: &'static str, kind: Kind) -> Field {
        Field {
            name,
            api: name,
            kind,
            mode: Mode::Nullable,
            check: Check::Any,
            non_empty: false,
            sensitive: false,
            write_only_twin: false,
            uuid_semantics: false,
            server_default: true,
            never_returned: false,
            doc: "",
        }
    }
    /// A string attribute.
    pub const fn string(name: &'static str) -> Field {
        Field::new(name, Kind::String)
    }
    /// A bool attribute.
    pub const fn bool(name: &'static str) -> Field {
        Field::new(name, Kind::Bool)
    }
    /// An integer attribute.
    pub const fn int(name: &'static str) -> Field {
        Field::new(name, Kind::Int)
    }
    /// A (possibly fractional) number attribute.
    pub const fn float(name: &'static str) -> Field {
        Field::new(name, Kind::Float)
    }
    /// A set of strings.
    pub const fn string_set(name: &'static str) -> Field {
        Field::new(name, Kind::StringSet)
    }
    /// An ordered list of strings (the server keeps order and duplicates).
    pub const fn string_list(name: &'static str) -> Field {
        Field::new(name, Kind::StringList)
    }
    /// A reference to another object by UUID.
    pub const fn uuid(name: &'static str) -> Field {
        Field::string(name).check(Check::Uuid).uuids()
    }
    /// A set of UUID references.
    pub const fn uuid_set(name: &'static str) -> Field {
        Field::string_set(name).check(Check::Uuid).uuids()
    }
    /// The JSON key differs from the attribute name.
    pub const fn api(mut self, api: &'static str) -> Field {
        self.api = api;
        self
    }
    /// Required.
    pub const fn required(mut self) -> Field {
        self.mode = Mode::Required;
        self
    }
    /// Required to create, optional to manage (see [`Mode::RequiredToCreate`]).
    pub const fn required_to_create(mut self) -> Field {
        self.mode = Mode::RequiredToCreate;
        self
    }
    /// Optional with the server's default.
    pub const fn default(mut self, d: Dflt) -> Field {
        self.mode = Mode::Default(d);
        self
    }
    /// Optional with a default the server lacks (it requires the field): the official
    /// provider's default, sent on create when the configuration leaves the field out.
    pub const fn provider_default(mut self, d: Dflt) -> Field {
        self.mode = Mode::Default(d);
        self.server_default = false;
        self
    }
    /// The server never returns this value (write-only on the server).
    pub const fn never_returned(mut self) -> Field {
        self.never_returned = true;
        self
    }
    /// Read-only: computed from the server, never sent.
    pub const fn read_only(mut self) -> Field {
        self.mode = Mode::ReadOnly;
        self
    }
    /// Only on newer servers.
    pub const fn versioned(mut self, d: Dflt) -> Field {
        self.mode = Mode::Versioned(d);
        self
    }
    /// Checked at plan time.
    pub const fn check(mut self, c: Check) -> Field {
        self.check = c;
        self
    }
    /// One of a fixed list of values.
    pub const fn one_of(self, values: &'static [&'static str]) -> Field {
        self.check(Check::OneOf(values))
    }
    /// A set that must not be empty.
    pub const fn non_empty(mut self) -> Field {
        self.non_empty = true;
        self
    }
    /// Sensitive.
    pub const fn sensitive(mut self) -> Field {
        self.sensitive = true;
        self
    }
    /// Sensitive, with a write-only twin (see [`Field::is_secret`]).
    pub const fn secret(mut self) -> Field {
        self.sensitive = true;
        self.write_only_twin = true;
        self
    }
    /// A secret: sensitive, with a write-only twin. One rule holds for every secret, whatever
    /// its [`Mode`]: when the configuration sets neither it nor its twin, it is not managed
    /// for an object that already exists. The plan keeps the value in state (the server's,
    /// where the server returns it, so drift refreshes into state without a diff) and nothing
    /// is sent; a create still gets the server's default (or, for
    /// [`Mode::RequiredToCreate`], is refused). Plans hide secrets and generated
    /// configuration cannot hold them, so leaving one out must never erase it unseen; to
    /// clear one, the configuration says so (`= ""`).
    pub const fn is_secret(&self) -> bool {
        self.sensitive && self.write_only_twin
    }
    /// UUID semantics for comparisons.
    pub const fn uuids(mut self) -> Field {
        self.uuid_semantics = true;
        self
    }
    /// Description.
    pub const fn doc(mut self, doc: &'static str) -> Field {
        self.doc = doc;
        self
    }
}

/// A rule across several fields, checked at plan time.
#[derive(Clone, Copy, Debug)]
pub enum Rule {
    /// Two bools must not both be true.
    NotBothTrue {
        /// First field.
        a: &'static str,
        /// Second field.
        b: &'static str,
        /// Why, for the error message.
        why: &'static str,
    },
    /// When `field` equals `value`, `needs` must be a non-empty set.
    RequiresNonEmpty {
        /// The field to look at.
        field: &'static str,
        /// The value that triggers the rule.
        value: &'static str,
        /// The set that must then be non-empty.
        needs: &'static str,
    },
    /// At least one of these fields must be "set": a bool true, a string or number present, a
    /// collection non-empty. Fields left out count with their default.
    AtLeastOne {
        /// The fields.
        fields: &'static [&'static str],
        /// Why, for the error message.
        why: &'static str,
    },
    /// At most one of these fields may be set (same meaning of "set" as [`Rule::AtLeastOne`]).
    AtMostOne {
        /// The fields.
        fields: &'static [&'static str],
        /// Why, for the error message.
        why: &'static str,
    },
    /// When `field` (left out: its default) equals `value`, `needs` must be set (same meaning
    /// of "set" as [`Rule::AtLeastOne`]): a mode and the target it uses.
    NeedsWhen {
        /// The field to look at.
        field: &'static str,
        /// The value that triggers the rule.
        value: &'static str,
        /// The field that must then be set.
        needs: &'static str,
        /// Why, for the error message.
        why: &'static str,
    },
}

/// The fields that identify an object besides its `pk`, used to resolve an interrupted create
/// (is the object there?) and to name what clashes.
#[derive(Clone, Copy, Debug)]
pub struct NaturalKey {
    /// API names of the fields, together unique (`["name"]` for stages, `["target", "stage",
    /// "order"]` for flow-stage bindings).
    pub fields: &'static [&'static str],
    /// Those of `fields` the list endpoint filters on exactly (`?<field>=<value>`).
    pub filters: &'static [&'static str],
}

/// A resource type: an authentik collection described field by field.
#[derive(Debug)]
pub struct ResourceDef {
    /// Terraform type name.
    pub type_name: &'static str,
    /// API collection path below `/api/v3/`, without slashes at the ends.
    pub api_path: &'static str,
    /// Human name of the object.
    pub title: &'static str,
    /// Markdown description.
    pub doc: &'static str,
    /// Attributes (besides `id`).
    pub fields: &'static [Field],
    /// Cross-field rules.
    pub rules: &'static [Rule],
    /// Fields that the server needs in the same PATCH body: when one is sent, all are.
    pub send_together: &'static [&'static str],
    /// Fields sent in every PATCH, changed or not: the server validates the request body alone
    /// and refuses (or fails on) a body without them.
    pub always_send: &'static [&'static str],
    /// The API key that addresses an object in URLs and becomes `id`: `pk` (a UUID) for most,
    /// `slug` for flows. A change of that field moves the object (the PATCH goes to the old URL
    /// and `id` follows).
    pub id_key: &'static str,
    /// When `id_key` is not `pk`: the list filter that finds an object by its `pk` (import by
    /// UUID). Empty otherwise.
    pub pk_filter: &'static str,
    /// The natural key (interrupted creates).
    pub natural_key: NaturalKey,
    /// The API key shown as an object's display name (messages, `terraform query`); `None`
    /// when objects have no name (bindings), which then show their id.
    pub label_key: Option<&'static str>,
    /// The attributes of a `list` block's `config`, each also an exact query parameter.
    pub list_filters: &'static [Field],
    /// The server checks `name` for uniqueness among objects of this type only, while the
    /// database wants it unique among all stages: a name held by a stage of another type fails
    /// inside authentik (an empty 405). Such a name is looked up in `/stages/all/` before a
    /// create or rename, which is refused naming the holder, and never sent.
    pub name_checked_first: bool,
}

/// The list filters of stages: exact `name` and authentik's `search`.
pub const NAME_FILTERS: &[Field] = &[
    Field::string("name")
        .check(Check::NonBlank)
        .doc("Only the stage with exactly this name (case included; authentik's `?name=` filter). Stage names are unique across all stage types, so this finds at most one."),
    Field::string("search")
        .doc("Only stages whose name contains this text, ignoring case (authentik's `?search=`; several words separated by spaces must each match)."),
];

/// Everything of a [`ResourceDef`] that an ordinary stage shares: addressed by `pk`, unique by
/// `name`, listed by `name`/`search`. Write `..STAGE_DEFAULTS` after a stage's own fields.
pub const STAGE_DEFAULTS: ResourceDef = ResourceDef {
    type_name: "",
    api_path: "",
    title: "",
    doc: "",
    fields: &[],
    rules: &[],
    send_together: &[],
    always_send: &[],
    id_key: "pk",
    pk_filter: "",
    natural_key: NaturalKey {
        fields: &["name"],
        filters: &["name"],
    },
    label_key: Some("name"),
    list_filters: NAME_FILTERS,
    name_checked_first: false,
};

impl ResourceDef {
    /// Whether objects of this type are stages, listed in `/stages/all/` with every other stage
    /// type and sharing one name space with them: a collection under `stages/` whose objects are
    /// called stages (a prompt field, also under `stages/`, is not one).
    pub fn is_stage(&self) -> bool {
        self.api_path.starts_with("stages/") && self.title.ends_with("stage")
    }
    /// The field with this Terraform name.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
    /// The field with this API name.
    pub fn field_by_api(&self, api: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.api == api)
    }
    /// The Terraform attribute that holds the object's UUID (`pk`): `id`, unless `id` is
    /// another key (a flow's slug) and a read-only field carries the `pk`.
    pub fn uuid_attr(&self) -> &'static str {
        if self.id_key == "pk" {
            return "id";
        }
        self.field_by_api("pk").map_or("id", |f| f.name)
    }
    /// The field whose value is the `id` (a flow's `slug`), when `id` is not the `pk`.
    pub fn id_field(&self) -> Option<&'static Field> {
        (self.id_key != "pk")
            .then(|| self.field_by_api(self.id_key))
            .flatten()
    }
    /// The object's display name in an API answer: its label, else its id.
    pub fn label_of<'a>(&self, obj: &'a crate::client::JsonObject) -> Option<&'a str> {
        self.label_key
            .and_then(|k| obj.get(k))
            .or_else(|| obj.get(self.id_key))
            .and_then(|v| v.as_str())
    }
    /// The display name of a state (for messages): its label attribute, else its `id`.
    pub fn label_in_state<'a>(&self, state: &'a crate::protocol::Value) -> &'a str {
        self.label_key
            .and_then(|k| self.field_by_api(k))
            .and_then(|f| state.get(f.name).as_str())
            .or_else(|| state.get("id").as_str())
            .unwrap_or("?")
    }
}

/// Name of the write-only twin of a secret.
pub fn wo_name(f: &Field) -> String {
    format!("{}_wo", f.name)
}

/// Name of the version attribute of a write-only twin.
pub fn wo_version_name(f: &Field) -> String {
    format!("{}_wo_version", f.name)
}

/// How a data source attribute takes part in the lookup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// Optional and computed: when set, the server filters on it (`?<api>=<value>`), and only
    /// objects whose value is exactly this count.
    Server,
    /// Optional and computed: when set, only objects with exactly this value count (the API
    /// cannot filter on it, so the provider compares).
    Client,
    /// Optional and computed: when set, sent as the server's free-text filter (`?<api>=<value>`,
    /// authentik's `search`); what matches is the server's decision (case-insensitive, in
    /// several fields), so the provider does not compare it. For data sources that return every
    /// match ([`Many`]).
    Search,
    /// Computed: read from the object found.
    Output,
}

/// One attribute of a data source.
#[derive(Clone, Copy, Debug)]
pub struct DataAttr {
    /// Name, API key, type, check and description.
    pub field: Field,
    /// Its part in the lookup.
    pub lookup: Lookup,
}

impl DataAttr {
    /// A lookup key the server filters on.
    pub const fn server(field: Field) -> DataAttr {
        DataAttr {
            field,
            lookup: Lookup::Server,
        }
    }
    /// A lookup key the provider compares itself.
    pub const fn client(field: Field) -> DataAttr {
        DataAttr {
            field,
            lookup: Lookup::Client,
        }
    }
    /// A free-text lookup key the server interprets.
    pub const fn search(field: Field) -> DataAttr {
        DataAttr {
            field,
            lookup: Lookup::Search,
        }
    }
    /// A value read from the object found.
    pub const fn output(field: Field) -> DataAttr {
        DataAttr {
            field,
            lookup: Lookup::Output,
        }
    }
    /// True for the attributes one can look an object up by.
    pub fn is_key(&self) -> bool {
        self.lookup != Lookup::Output
    }
    /// True for the keys sent to the server as query parameters.
    pub fn is_sent(&self) -> bool {
        matches!(self.lookup, Lookup::Server | Lookup::Search)
    }
    /// True for the keys an object must match exactly (the provider compares them).
    pub fn is_compared(&self) -> bool {
        matches!(self.lookup, Lookup::Server | Lookup::Client)
    }
}

/// What a data source that returns every matching object (not exactly one) holds besides its
/// lookup keys: the set of the objects' identifiers and the list of the objects.
#[derive(Debug)]
pub struct Many {
    /// Name of the set of the identifiers (`id_key`) of every object found (`aaguids`).
    pub ids: &'static str,
    /// Its description.
    pub ids_doc: &'static str,
    /// Name of the list of the objects found (`device_types`), ordered by the first field,
    /// then the identifier.
    pub objects: &'static str,
    /// Its description.
    pub objects_doc: &'static str,
    /// The attributes of each object in that list (string attributes).
    pub fields: &'static [Field],
}

/// A data source: exactly one object of an authentik collection (or, with `many`, every one)
/// found by the attributes set.
#[derive(Debug)]
pub struct DataSourceDef {
    /// Terraform type name.
    pub type_name: &'static str,
    /// API collection path below `/api/v3/`, without slashes at the ends.
    pub api_path: &'static str,
    /// Human name of one object ("flow"), for messages.
    pub title: &'static str,
    /// Human name of several ("flows").
    pub plural: &'static str,
    /// Markdown description.
    pub doc: &'static str,
    /// The object's identifier in the API, which becomes `id`.
    pub id_key: &'static str,
    /// Attributes (besides `id`).
    pub attributes: &'static [DataAttr],
    /// Query parameters sent with every list (a stable ordering, say).
    pub query: &'static [(&'static str, &'static str)],
    /// `None`: exactly one object is found. `Some`: every object matching the keys is, and at
    /// least one must be.
    pub many: Option<Many>,
    /// For a single lookup, the data source that returns every match instead (named in the error
    /// when several match).
    pub every: Option<&'static str>,
}

impl DataSourceDef {
    /// The attribute with this Terraform name.
    pub fn attribute(&self, name: &str) -> Option<&'static DataAttr> {
        self.attributes.iter().find(|a| a.field.name == name)
    }
    /// The attribute with this API name.
    pub fn attribute_by_api(&self, api: &str) -> Option<&'static DataAttr> {
        self.attributes.iter().find(|a| a.field.api == api)
    }
}
