# The minimum: the backends to check the password against.
resource "authentik_stage_password" "minimal" {
  name     = "password"
  backends = ["authentik.core.auth.InbuiltBackend"]
}

data "authentik_flow" "password_change" {
  slug = "default-password-change"
}

resource "authentik_stage_password" "full" {
  name = "password-ldap"
  backends = [
    "authentik.core.auth.InbuiltBackend",
    "authentik.sources.ldap.auth.LDAPBackend",
  ]
  configure_flow                = data.authentik_flow.password_change.id
  failed_attempts_before_cancel = 3
  allow_show_password           = true
}
