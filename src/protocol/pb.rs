//! Generated protobuf and gRPC bindings (built by `build.rs` from `proto/`).

/// Terraform plugin protocol 6 (`tfplugin6`).
#[allow(
    missing_docs,
    clippy::all,
    clippy::pedantic,
    clippy::doc_lazy_continuation,
    clippy::large_enum_variant,
    rustdoc::all
)]
pub mod tfplugin6 {
    include!(concat!(env!("OUT_DIR"), "/tfplugin6.rs"));
}

/// go-plugin's side services (`plugin`).
#[allow(missing_docs, clippy::all, clippy::pedantic, rustdoc::all)]
pub mod plugin {
    include!(concat!(env!("OUT_DIR"), "/plugin.rs"));
}
