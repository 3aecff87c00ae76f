# A sign-in flow; bind stages into it with authentik_flow_stage_binding.
resource "authentik_flow" "sign_in" {
  name        = "Sign in"
  title       = "Welcome"
  slug        = "sign-in"
  designation = "authentication"
}

# The setup flow of an authenticator stage.
resource "authentik_flow" "totp_setup" {
  name               = "TOTP setup"
  title              = "Set up an authenticator app"
  slug               = "totp-setup"
  designation        = "stage_configuration"
  authentication     = "require_authenticated"
  layout             = "sidebar_left"
  background         = "https://example.com/background.jpg"
  denied_action      = "message"
  policy_engine_mode = "all"
}

# References take the UUID, not the slug (`id`).
output "sign_in_uuid" {
  value = authentik_flow.sign_in.uuid
}
