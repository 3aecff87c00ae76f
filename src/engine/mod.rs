//! The engine between Terraform and authentik.
