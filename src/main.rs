//! The provider binary: started by Terraform, speaks the plugin protocol and serves the
//! authentik stage resources.

use std::process::ExitCode;
use std::sync::Arc;
use terraform_provider_authentik::protocol;
use terraform_provider_authentik::provider::AuthentikProvider;
use terraform_provider_authentik::resources;

fn main() -> ExitCode {
    protocol::serve(Arc::new(
        AuthentikProvider::new(resources::ALL).with_data_sources(resources::DATA_SOURCES),
    ))
}
