# The minimum: what users may identify with.
resource "authentik_stage_identification" "minimal" {
  name        = "identification"
  user_fields = ["username"]
}

# User name or email, with the password on the same page.
resource "authentik_stage_password" "password" {
  name     = "sign-in-password"
  backends = ["authentik.core.auth.InbuiltBackend"]
}

resource "authentik_stage_identification" "with_password" {
  name                      = "sign-in-identification"
  user_fields               = ["username", "email"]
  password_stage            = authentik_stage_password.password.id
  case_insensitive_matching = true
  pretend_user_exists       = true
  enable_remember_me        = true
}
