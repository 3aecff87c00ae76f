//! A small serializer mechanism modelled on Django REST framework's model serializers.
//!
//! Each resource describes its writable fields as a table of [`Field`]s (name, kind, required on
//! create/PUT, default, nullable, validators); [`validate`] turns a request body into stored
//! values or a 400 keyed by field, with authentik's messages.

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::config::ApiVersion;
use crate::errors::{ApiError, FieldErrors, NON_FIELD_ERRORS};
use crate::ids;

/// What a reference field points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A flow, by its pk (`flow_uuid`), not its slug.
    Flow,
    /// A notification webhook property mapping (`pm_uuid`).
    NotificationMapping,
    /// A stage of any type.
    Stage,
    /// A WebAuthn device type (`aaguid`).
    DeviceType,
    /// A flow-stage binding (`fsb_uuid`).
    FlowStageBinding,
    /// A source of any type (`pbm_uuid`).
    Source,
    /// A group (`group_uuid`).
    Group,
    /// A prompt (`prompt_uuid`).
    Prompt,
    /// A policy of any type (`policy_uuid`).
    Policy,
    /// What a policy binding may target (a flow or a flow-stage binding), by its pk or its
    /// `policybindingmodel_ptr_id`.
    PolicyTarget,
}

/// Answers whether a referenced object exists.
pub trait Lookup {
    /// True when an object of that kind has that id.
    fn exists(&self, target: Target, id: &Uuid) -> bool;
}

/// Why a validator rejected a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Invalid {
    /// A 400 message on the field.
    Message(String),
    /// The real server fails with a 500 on this value.
    ServerError,
}

/// A validator run on a converted value; it also sees the raw request body, for rules that
/// look at another key of the same request (authentik's `validate_<field>` hooks).
pub type Validator = fn(&Value, &Map<String, Value>) -> Result<(), Invalid>;

/// The type of a field and its type-specific rules.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A string (numbers are turned into strings, surrounding whitespace is trimmed).
    Text {
        /// `""` accepted.
        allow_blank: bool,
        /// Maximum length in characters.
        max_length: Option<usize>,
    },
    /// A boolean (also `"true"`, `"yes"`, `1`, ...).
    Bool,
    /// An integer within `min..=max` (also `"25"`, `25.0`); see [`INT32`].
    Int {
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
    },
    /// A floating-point number.
    Float,
    /// One of fixed strings.
    Choice(&'static [&'static str]),
    /// A list of fixed strings; errors are reported per index; order and duplicates kept.
    ChoiceList {
        /// Allowed items.
        choices: &'static [&'static str],
        /// `[]` accepted.
        allow_empty: bool,
    },
    /// A reference by pk (UUID) to an existing object.
    Ref(Target),
    /// A set of references by pk (UUID); duplicates dropped, the first bad item is reported.
    RefSet(Target),
    /// A JSON object (Django `JSONField` restricted to dictionaries), stored as sent.
    JsonObject,
}

/// A 32-bit signed integer (Django `IntegerField`).
pub const INT32: Kind = Kind::Int {
    min: i32::MIN as i64,
    max: i32::MAX as i64,
};

/// A non-negative 32-bit integer (Django `PositiveIntegerField`): `0 ..= 2147483647`.
pub const UINT31: Kind = Kind::Int {
    min: 0,
    max: i32::MAX as i64,
};

/// The value a field takes on create when the request omits it.
#[derive(Debug, Clone, Copy)]
pub enum Default {
    /// No default (the field is required, or left absent).
    Absent,
    /// `null`.
    Null,
    /// A string.
    Str(&'static str),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A list of strings.
    List(&'static [&'static str]),
}

impl Default {
    fn to_value(self) -> Option<Value> {
        match self {
            Default::Absent => None,
            Default::Null => Some(Value::Null),
            Default::Str(s) => Some(Value::from(s)),
            Default::Bool(b) => Some(Value::from(b)),
            Default::Int(i) => Some(Value::from(i)),
            Default::Float(f) => Some(Value::from(f)),
            Default::List(items) => Some(Value::from(items.to_vec())),
        }
    }
}

/// One writable serializer field.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// JSON key.
    pub name: &'static str,
    /// Type and type rules.
    pub kind: Kind,
    /// Demanded on create and PUT.
    pub required: bool,
    /// Value on create when omitted.
    pub default: Default,
    /// `null` accepted.
    pub nullable: bool,
    /// A secret: with `--secrets-write-only` it is accepted but never returned.
    pub secret: bool,
    /// DRF `write_only`: accepted, stored, never in any API response.
    pub write_only: bool,
    /// A set-like list: `--shuffle` returns it in random order.
    pub unordered: bool,
    /// First release that has the field (older ones neither accept nor return it).
    pub since: ApiVersion,
    /// Choices (of a [`Kind::Choice`] or [`Kind::ChoiceList`]) that a later release added, with
    /// that release: older ones answer them as an invalid choice.
    pub choices_since: &'static [(&'static str, ApiVersion)],
    /// Extra checks on the converted value.
    pub validators: &'static [Validator],
}

impl Field {
    /// An optional, non-null field with no default.
    pub const fn new(name: &'static str, kind: Kind) -> Field {
        Field {
            name,
            kind,
            required: false,
            default: Default::Absent,
            nullable: false,
            secret: false,
            write_only: false,
            unordered: matches!(kind, Kind::RefSet(_)),
            since: ApiVersion::V2025_12,
            choices_since: &[],
            validators: &[],
        }
    }

    /// A string field that must not be blank.
    pub const fn text(name: &'static str) -> Field {
        Field::new(
            name,
            Kind::Text {
                allow_blank: false,
                max_length: None,
            },
        )
    }

    /// A string field that may be blank.
    pub const fn blank_text(name: &'static str) -> Field {
        Field::new(
            name,
            Kind::Text {
                allow_blank: true,
                max_length: None,
            },
        )
    }

    /// Demanded on create and PUT.
    pub const fn required(mut self) -> Field {
        self.required = true;
        self
    }

    /// Sets the default used on create.
    pub const fn default(mut self, default: Default) -> Field {
        self.default = default;
        self
    }

    /// Accepts `null`; the default becomes `null`.
    pub const fn nullable(mut self) -> Field {
        self.nullable = true;
        self.default = Default::Null;
        self
    }

    /// Marks a secret.
    pub const fn secret(mut self) -> Field {
        self.secret = true;
        self
    }

    /// Accepted and stored but never returned (DRF `write_only`).
    pub const fn write_only(mut self) -> Field {
        self.write_only = true;
        self
    }

    /// Marks a set-like list.
    pub const fn unordered(mut self) -> Field {
        self.unordered = true;
        self
    }

    /// Only from this release on.
    pub const fn since(mut self, version: ApiVersion) -> Field {
        self.since = version;
        self
    }

    /// Names choices that exist only from a later release on (see [`Field::offers`]).
    pub const fn choices_since(mut self, choices: &'static [(&'static str, ApiVersion)]) -> Field {
        self.choices_since = choices;
        self
    }

    /// Adds validators.
    pub const fn validators(mut self, validators: &'static [Validator]) -> Field {
        self.validators = validators;
        self
    }

    /// Sets a maximum length on a string field.
    pub const fn max_length(mut self, max: usize) -> Field {
        if let Kind::Text { allow_blank, .. } = self.kind {
            self.kind = Kind::Text {
                allow_blank,
                max_length: Some(max),
            };
        }
        self
    }

    /// True when the release has this field.
    pub fn exists_in(&self, version: ApiVersion) -> bool {
        version >= self.since
    }

    /// True when `choice` is one of this field's choices in the release `version`.
    pub fn offers(&self, choice: &str, version: ApiVersion) -> bool {
        let choices = match self.kind {
            Kind::Choice(choices) | Kind::ChoiceList { choices, .. } => choices,
            _ => &[],
        };
        choices.contains(&choice)
            && self
                .choices_since
                .iter()
                .all(|&(c, since)| c != choice || version >= since)
    }
}

/// How a body is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// POST: required fields demanded, omitted ones get their default.
    Create,
    /// PUT: required fields demanded, omitted optional ones keep their value.
    Replace,
    /// PATCH: only the keys sent are written.
    Partial,
}

/// The result of [`validate`]: converted values for the keys sent (plus defaults on create),
/// and field errors. Callers add their own errors (uniqueness) before answering.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Converted values, ready to store.
    pub values: Map<String, Value>,
    /// Errors so far.
    pub errors: FieldErrors,
}

/// Validates a request body against a field table.
pub fn validate(
    fields: &[Field],
    version: ApiVersion,
    body: &Value,
    mode: Mode,
    lookup: &dyn Lookup,
) -> Result<Outcome, ApiError> {
    let mut outcome = Outcome::default();
    let Value::Object(body) = body else {
        outcome.errors.add(
            NON_FIELD_ERRORS,
            format!(
                "Invalid data. Expected a dictionary, but got {}.",
                type_name(body)
            ),
        );
        return Err(ApiError::validation(outcome.errors));
    };
    for field in fields.iter().filter(|f| f.exists_in(version)) {
        let Some(raw) = body.get(field.name) else {
            if field.required && mode != Mode::Partial {
                outcome.errors.add(field.name, "This field is required.");
            } else if mode == Mode::Create {
                if let Some(default) = field.default.to_value() {
                    outcome.values.insert(field.name.to_string(), default);
                }
            }
            continue;
        };
        match convert(field, version, raw, lookup) {
            Ok(value) => {
                let mut ok = true;
                for validator in field.validators {
                    match validator(&value, body) {
                        Ok(()) => {}
                        Err(Invalid::Message(message)) => {
                            outcome.errors.add(field.name, message);
                            ok = false;
                        }
                        Err(Invalid::ServerError) => return Err(ApiError::server_error()),
                    }
                }
                if ok {
                    outcome.values.insert(field.name.to_string(), value);
                }
            }
            Err(Failure::Messages(messages)) => {
                for message in messages {
                    outcome.errors.add(field.name, message);
                }
            }
            Err(Failure::Items(items)) => {
                for (index, message) in items {
                    outcome.errors.add_item(field.name, index, message);
                }
            }
        }
    }
    Ok(outcome)
}

enum Failure {
    Messages(Vec<String>),
    Items(Vec<(usize, String)>),
}

fn fail(message: impl Into<String>) -> Failure {
    Failure::Messages(vec![message.into()])
}

const NOT_NULL: &str = "This field may not be null.";

fn convert(
    field: &Field,
    version: ApiVersion,
    raw: &Value,
    lookup: &dyn Lookup,
) -> Result<Value, Failure> {
    let offered = |choice: &str| field.offers(choice, version);
    if raw.is_null() {
        return if field.nullable {
            Ok(Value::Null)
        } else {
            Err(fail(NOT_NULL))
        };
    }
    match field.kind {
        Kind::Text {
            allow_blank,
            max_length,
        } => convert_text(raw, allow_blank, max_length),
        Kind::Bool => convert_bool(raw)
            .map(Value::Bool)
            .ok_or_else(|| fail("Must be a valid boolean.")),
        Kind::Int { min, max } => convert_int(raw, min, max),
        Kind::Float => convert_float(raw),
        Kind::Choice(_) => convert_choice(raw, &offered).map_err(fail),
        Kind::ChoiceList { allow_empty, .. } => convert_choice_list(raw, &offered, allow_empty),
        Kind::Ref(target) => convert_ref(raw, target, lookup)
            .map(Value::String)
            .map_err(fail),
        Kind::RefSet(target) => convert_ref_set(raw, target, lookup),
        Kind::JsonObject => match raw {
            Value::Object(_) => Ok(raw.clone()),
            _ => Err(fail(
                "Value must be a dictionary, and not have any duplicate keys.",
            )),
        },
    }
}

fn convert_text(
    raw: &Value,
    allow_blank: bool,
    max_length: Option<usize>,
) -> Result<Value, Failure> {
    let text = match raw {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return Err(fail("Not a valid string.")),
    };
    let text = text.trim().to_string();
    if text.is_empty() {
        return if allow_blank {
            Ok(Value::String(text))
        } else {
            Err(fail("This field may not be blank."))
        };
    }
    let mut messages = Vec::new();
    if let Some(max) = max_length {
        if text.chars().count() > max {
            messages.push(format!(
                "Ensure this field has no more than {max} characters."
            ));
        }
    }
    if text.contains('\0') {
        messages.push("Null characters are not allowed.".to_string());
    }
    if messages.is_empty() {
        Ok(Value::String(text))
    } else {
        Err(Failure::Messages(messages))
    }
}

/// DRF's `BooleanField` accepted spellings.
pub fn convert_bool(raw: &Value) -> Option<bool> {
    match raw {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_f64() {
            Some(1.0) => Some(true),
            Some(0.0) => Some(false),
            _ => None,
        },
        Value::String(s) => parse_bool_text(s),
        _ => None,
    }
}

/// DRF's accepted boolean strings (also used for query filters).
pub fn parse_bool_text(text: &str) -> Option<bool> {
    match text {
        "t" | "T" | "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On"
        | "ON" | "1" => Some(true),
        "f" | "F" | "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off"
        | "Off" | "OFF" | "0" => Some(false),
        _ => None,
    }
}

fn convert_int(raw: &Value, min: i64, max: i64) -> Result<Value, Failure> {
    if let Value::String(s) = raw {
        if s.chars().count() > 1000 {
            return Err(fail("String value too large."));
        }
    }
    // DRF: int(re.sub(r"\.0*\s*$", "", str(data)))
    let text = python_str(raw);
    let stripped = strip_decimal_zeros(&text);
    let Some(number) = python_int(stripped) else {
        return Err(fail("A valid integer is required."));
    };
    if number > i128::from(max) {
        return Err(fail(format!(
            "Ensure this value is less than or equal to {max}."
        )));
    }
    if number < i128::from(min) {
        return Err(fail(format!(
            "Ensure this value is greater than or equal to {min}."
        )));
    }
    Ok(Value::from(number as i64))
}

/// Removes a trailing `.000   ` (DRF's `re_decimal`).
fn strip_decimal_zeros(text: &str) -> &str {
    let trimmed = text.trim_end();
    let without_zeros = trimmed.trim_end_matches('0');
    match without_zeros.strip_suffix('.') {
        Some(rest) => rest,
        None => text,
    }
}

/// Python's `int(str)`: whitespace, sign, digits with single underscores. Saturates far out of
/// range (only the sign matters then).
fn python_int(text: &str) -> Option<i128> {
    let text = text.trim();
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    if !digits.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        return None;
    }
    let digits: String = digits.chars().filter(|c| *c != '_').collect();
    let magnitude = digits.parse::<i128>().unwrap_or(i128::MAX / 2);
    Some(if negative { -magnitude } else { magnitude })
}

fn convert_float(raw: &Value) -> Result<Value, Failure> {
    let invalid = || fail("A valid number is required.");
    let number = match raw {
        Value::Number(n) => n.as_f64().ok_or_else(invalid)?,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::String(s) if s.chars().count() > 1000 => {
            return Err(fail("String value too large."))
        }
        Value::String(s) => crate::duration::python_float(s).ok_or_else(invalid)?,
        _ => return Err(invalid()),
    };
    if !number.is_finite() {
        return Err(invalid());
    }
    serde_json::Number::from_f64(number)
        .map(Value::Number)
        .ok_or_else(invalid)
}

fn convert_choice(raw: &Value, offered: &dyn Fn(&str) -> bool) -> Result<Value, String> {
    let text = python_str(raw);
    if offered(&text) {
        Ok(Value::String(text))
    } else {
        Err(format!("\"{text}\" is not a valid choice."))
    }
}

fn convert_choice_list(
    raw: &Value,
    offered: &dyn Fn(&str) -> bool,
    allow_empty: bool,
) -> Result<Value, Failure> {
    let Value::Array(items) = raw else {
        return Err(fail(format!(
            "Expected a list of items but got type \"{}\".",
            type_name(raw)
        )));
    };
    if items.is_empty() && !allow_empty {
        return Err(fail("This list may not be empty."));
    }
    let mut errors = Vec::new();
    let mut values = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        if item.is_null() {
            errors.push((index, NOT_NULL.to_string()));
            continue;
        }
        match convert_choice(item, offered) {
            Ok(value) => values.push(value),
            Err(message) => errors.push((index, message)),
        }
    }
    if errors.is_empty() {
        Ok(Value::Array(values))
    } else {
        Err(Failure::Items(errors))
    }
}

/// Converts a pk reference: like DRF's `PrimaryKeyRelatedField` over a Django `UUIDField`.
fn convert_ref(raw: &Value, target: Target, lookup: &dyn Lookup) -> Result<String, String> {
    let shown = python_str(raw);
    let id = match raw {
        Value::Null => return Err(NOT_NULL.to_string()),
        Value::Bool(_) => {
            return Err("Incorrect type. Expected pk value, received bool.".to_string())
        }
        Value::String(s) => ids::parse_uuid(s),
        Value::Number(n) => n.as_u64().map(|i| Uuid::from_u128(u128::from(i))),
        _ => None,
    };
    let Some(id) = id else {
        return Err(format!("\u{201c}{shown}\u{201d} is not a valid UUID."));
    };
    if lookup.exists(target, &id) {
        Ok(ids::format_uuid(&id))
    } else {
        Err(format!("Invalid pk \"{shown}\" - object does not exist."))
    }
}

fn convert_ref_set(raw: &Value, target: Target, lookup: &dyn Lookup) -> Result<Value, Failure> {
    let items: Vec<Value> = match raw {
        Value::Array(items) => items.clone(),
        // Python iterates a dict's keys.
        Value::Object(map) => map.keys().map(|k| Value::String(k.clone())).collect(),
        other => {
            return Err(fail(format!(
                "Expected a list of items but got type \"{}\".",
                type_name(other)
            )))
        }
    };
    let mut ids: Vec<Value> = Vec::with_capacity(items.len());
    for item in &items {
        let id = convert_ref(item, target, lookup).map_err(fail)?;
        let id = Value::String(id);
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(Value::Array(ids))
}

/// Python's `type(x).__name__` for a JSON value.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// Python's `str(x)` for a JSON value (as it appears in DRF messages).
pub fn python_str(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => python_repr(other),
    }
}

fn python_repr(value: &Value) -> String {
    match value {
        Value::Null => "None".to_string(),
        Value::Bool(true) => "True".to_string(),
        Value::Bool(false) => "False".to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) if f.fract() == 0.0 && f.abs() < 1e16 => format!("{f:.1}"),
            _ => n.to_string(),
        },
        Value::String(s) => format!("'{s}'"),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(python_repr).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("'{k}': {}", python_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Django's `EmailValidator`, simplified: a dot-atom (or quoted) local part, `@`, and a domain
/// of labels ending in a TLD of two or more letters/digits, or `localhost`, or an IP literal.
pub fn is_valid_email(text: &str) -> bool {
    let Some((user, domain)) = text.rsplit_once('@') else {
        return false;
    };
    let atom_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{}|~-".contains(c);
    let user_ok = if user.len() >= 2 && user.starts_with('"') && user.ends_with('"') {
        user[1..user.len() - 1]
            .chars()
            .all(|c| c.is_ascii() && c != '"' && c != '\\' && c != '\r' && c != '\n')
    } else {
        !user.is_empty()
            && user
                .split('.')
                .all(|atom| !atom.is_empty() && atom.chars().all(atom_char))
    };
    if !user_ok {
        return false;
    }
    if domain == "localhost" {
        return true;
    }
    if domain.starts_with('[') && domain.ends_with(']') {
        return domain[1..domain.len() - 1]
            .parse::<std::net::IpAddr>()
            .is_ok()
            || domain[1..domain.len() - 1]
                .strip_prefix("IPv6:")
                .is_some_and(|v6| v6.parse::<std::net::Ipv6Addr>().is_ok());
    }
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let tld = labels[labels.len() - 1];
    labels.iter().all(label_ok) && tld.chars().count() >= 2
}

/// Validator: Django's `EmailValidator` message.
pub fn email_validator(value: &Value, _body: &Map<String, Value>) -> Result<(), Invalid> {
    match value {
        Value::String(s) if !is_valid_email(s) => {
            Err(Invalid::Message("Enter a valid email address.".to_string()))
        }
        _ => Ok(()),
    }
}

/// Validator: authentik's duration grammar.
pub fn duration_validator(value: &Value, _body: &Map<String, Value>) -> Result<(), Invalid> {
    let Value::String(text) = value else {
        return Ok(());
    };
    match crate::duration::parse(text) {
        Ok(_) => Ok(()),
        Err(crate::duration::DurationError::Invalid) => {
            Err(Invalid::Message(crate::duration::error_message(text)))
        }
        Err(crate::duration::DurationError::Overflow) => Err(Invalid::ServerError),
    }
}

/// Validator: DRF's `SlugField` pattern `^[-a-zA-Z0-9_]+$`.
pub fn slug_validator(value: &Value, _body: &Map<String, Value>) -> Result<(), Invalid> {
    match value {
        Value::String(s) if !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') => Err(
            Invalid::Message("Enter a valid \u{201c}slug\u{201d} consisting of letters, numbers, underscores or hyphens.".to_string()),
        ),
        _ => Ok(()),
    }
}

/// The value a response shows for a field, given the stored values.
pub fn stored_or_default(field: &Field, values: &Map<String, Value>) -> Value {
    values
        .get(field.name)
        .cloned()
        .or_else(|| field.default.to_value())
        .unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Nothing;
    impl Lookup for Nothing {
        fn exists(&self, _target: Target, id: &Uuid) -> bool {
            id.as_u128() == 1
        }
    }

    const FIELDS: &[Field] = &[
        Field::text("name").required(),
        Field::new("port", INT32).default(Default::Int(25)),
        Field::new("small", Kind::Int { min: 0, max: 100 }),
        Field::new("blob", Kind::JsonObject),
        Field::new("flag", Kind::Bool).default(Default::Bool(false)),
        Field::new(
            "classes",
            Kind::ChoiceList {
                choices: &["a", "b"],
                allow_empty: false,
            },
        )
        .default(Default::List(&["a"])),
        Field::new("flow", Kind::Ref(Target::Flow)).nullable(),
        Field::new("stages", Kind::RefSet(Target::Stage)).default(Default::List(&[])),
        Field::blank_text("mail")
            .max_length(5)
            .validators(&[email_validator]),
    ];

    #[test]
    fn a_choice_exists_from_its_release_on() {
        const LATER: &[Field] = &[
            Field::new("kind", Kind::Choice(&["old", "new"]))
                .choices_since(&[("new", ApiVersion::V2026_5)]),
            Field::new(
                "kinds",
                Kind::ChoiceList {
                    choices: &["old", "new"],
                    allow_empty: true,
                },
            )
            .choices_since(&[("new", ApiVersion::V2026_5)]),
        ];
        let body = json!({"kind": "new", "kinds": ["old", "new"]});
        let older = validate(LATER, ApiVersion::V2026_2, &body, Mode::Create, &Nothing)
            .expect("no hard error");
        assert_eq!(
            older.errors.into_value(),
            json!({
                "kind": ["\"new\" is not a valid choice."],
                "kinds": {"1": ["\"new\" is not a valid choice."]}
            })
        );
        let newer = validate(LATER, ApiVersion::V2026_5, &body, Mode::Create, &Nothing)
            .expect("no hard error");
        assert!(newer.errors.is_empty());
        assert_eq!(newer.values["kind"], "new");
        let old = json!({"kind": "old", "kinds": ["old"]});
        let older = validate(LATER, ApiVersion::V2025_12, &old, Mode::Create, &Nothing)
            .expect("no hard error");
        assert!(older.errors.is_empty());
    }

    fn run(body: Value, mode: Mode) -> Outcome {
        validate(FIELDS, ApiVersion::V2026_5, &body, mode, &Nothing).expect("no hard error")
    }

    #[test]
    fn create_fills_defaults_and_requires() {
        let outcome = run(json!({}), Mode::Create);
        assert_eq!(
            outcome.errors.into_value(),
            json!({"name": ["This field is required."]})
        );
        let outcome = run(json!({"name": "  x  "}), Mode::Create);
        assert!(outcome.errors.is_empty());
        assert_eq!(outcome.values["name"], "x", "trimmed");
        assert_eq!(outcome.values["port"], 25);
        assert_eq!(outcome.values["flow"], Value::Null);
        let outcome = run(json!({"port": 1}), Mode::Partial);
        assert!(outcome.errors.is_empty());
        assert_eq!(outcome.values.len(), 1, "partial writes only what was sent");
    }

    #[test]
    fn messages() {
        let outcome = run(
            json!({"name": "", "port": "2147483648", "small": -1, "blob": [1], "flag": "maybe", "classes": ["a", "c", null],
                   "flow": "nope", "stages": ["00000000-0000-0000-0000-000000000002"], "mail": "abcdef"}),
            Mode::Create,
        );
        assert_eq!(
            outcome.errors.into_value(),
            json!({
                "name": ["This field may not be blank."],
                "port": ["Ensure this value is less than or equal to 2147483647."],
                "small": ["Ensure this value is greater than or equal to 0."],
                "blob": ["Value must be a dictionary, and not have any duplicate keys."],
                "flag": ["Must be a valid boolean."],
                "classes": {"1": ["\"c\" is not a valid choice."], "2": ["This field may not be null."]},
                "flow": ["\u{201c}nope\u{201d} is not a valid UUID."],
                "stages": ["Invalid pk \"00000000-0000-0000-0000-000000000002\" - object does not exist."],
                "mail": ["Ensure this field has no more than 5 characters."],
            })
        );
    }

    #[test]
    fn conversions() {
        let outcome = run(
            json!({"name": 5, "port": "25.00", "flag": "yes", "classes": [],
                   "stages": ["00000000000000000000000000000001", "00000000-0000-0000-0000-000000000001"]}),
            Mode::Create,
        );
        assert_eq!(
            outcome.errors.clone().into_value(),
            json!({"classes": ["This list may not be empty."]})
        );
        assert_eq!(outcome.values["name"], "5");
        assert_eq!(outcome.values["port"], 25);
        assert_eq!(outcome.values["flag"], true);
        assert_eq!(
            outcome.values["stages"],
            json!(["00000000-0000-0000-0000-000000000001"])
        );
        let outcome = run(json!({"small": "100", "blob": {"k": [1]}}), Mode::Partial);
        assert!(outcome.errors.is_empty());
        assert_eq!(outcome.values["small"], 100);
        assert_eq!(outcome.values["blob"], json!({"k": [1]}));
        let outcome = run(json!({"small": 101}), Mode::Partial);
        assert_eq!(
            outcome.errors.into_value(),
            json!({"small": ["Ensure this value is less than or equal to 100."]})
        );
        let outcome = run(json!({"port": 2.5, "stages": "x"}), Mode::Partial);
        assert_eq!(
            outcome.errors.into_value(),
            json!({"port": ["A valid integer is required."], "stages": ["Expected a list of items but got type \"str\"."]})
        );
    }

    #[test]
    fn emails() {
        for good in [
            "system@authentik.local",
            "a.b+c@example.com",
            "x@localhost",
            "x@[127.0.0.1]",
        ] {
            assert!(is_valid_email(good), "{good}");
        }
        for bad in [
            "",
            "x",
            "@example.com",
            "x@",
            "x@example",
            "x@-a.com",
            "a..b@example.com",
            "x y@example.com",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }
}
