//! Generates the gRPC bindings for the Terraform plugin protocol and go-plugin's services.
//!
//! The `.proto` files are compiled with `protox` (pure Rust), so no system `protoc` is needed.

use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let files = ["proto/tfplugin6.proto", "proto/plugin.proto"];
    for f in files {
        println!("cargo:rerun-if-changed={f}");
    }
    let fds = protox::compile(files, ["proto"])?;
    tonic_prost_build::configure()
        .build_server(true)
        .build_client(true)
        .build_transport(false)
        .compile_fds(fds)?;
    Ok(())
}
