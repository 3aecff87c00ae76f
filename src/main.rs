//! The provider binary: started by Terraform, speaks the plugin protocol.
fn main() {}
