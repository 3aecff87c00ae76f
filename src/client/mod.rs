//! authentik REST API client.
