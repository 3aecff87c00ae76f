//! Schemas: what a provider block or resource accepts, as Terraform sees it.

use super::value::Type;
use std::collections::BTreeMap;

/// Text format of a description.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum StringKind {
    /// Plain text.
    #[default]
    Plain,
    /// Markdown.
    Markdown,
}

/// One attribute of a block.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Attribute {
    /// Attribute name.
    pub name: String,
    /// Its type.
    pub ty: Option<Type>,
    /// Description (markdown).
    pub description: String,
    /// Must be set in configuration.
    pub required: bool,
    /// May be set in configuration.
    pub optional: bool,
    /// The provider may set it.
    pub computed: bool,
    /// Hidden in plan output.
    pub sensitive: bool,
    /// Only in configuration, never in plan or state (protocol 6.8+, Terraform 1.11+).
    pub write_only: bool,
    /// Deprecated.
    pub deprecated: bool,
}

/// A block: attributes (nested blocks are not used by this provider).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Block {
    /// Attributes, in display order.
    pub attributes: Vec<Attribute>,
    /// Description of the block (markdown).
    pub description: String,
    /// Deprecated.
    pub deprecated: bool,
}

impl Block {
    /// The object type of values conforming to this block.
    pub fn object_type(&self) -> Type {
        Type::Object(
            self.attributes
                .iter()
                .map(|a| (a.name.clone(), a.ty.clone().unwrap_or(Type::Dynamic)))
                .collect::<BTreeMap<_, _>>(),
        )
    }
}

/// A versioned schema.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Schema {
    /// State schema version (for UpgradeResourceState).
    pub version: i64,
    /// The top-level block.
    pub block: Block,
}

/// One attribute of a resource identity (protocol 6.9+).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityAttribute {
    /// Attribute name.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// Description (markdown).
    pub description: String,
    /// Must be given in an `import` block's `identity`.
    pub required_for_import: bool,
    /// May be given in an `import` block's `identity` (the provider can find it otherwise).
    pub optional_for_import: bool,
}

/// The identity of a managed resource type: the few values that name one remote object for
/// good (protocol 6.9+, Terraform 1.12 and later). Versioned apart from the state schema.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct IdentitySchema {
    /// Identity schema version (for UpgradeResourceIdentity).
    pub version: i64,
    /// The identity's attributes.
    pub attributes: Vec<IdentityAttribute>,
}

impl IdentitySchema {
    /// The object type of identity values.
    pub fn object_type(&self) -> Type {
        Type::Object(
            self.attributes
                .iter()
                .map(|a| (a.name.clone(), a.ty.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    }
}
