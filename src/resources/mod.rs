//! One declarative description per authentik stage.
