data "authentik_flow" "totp_setup" {
  slug = "default-authenticator-totp-setup"
}

resource "authentik_stage_authenticator_totp" "app" {
  name           = "totp-setup"
  friendly_name  = "Authenticator app"
  configure_flow = data.authentik_flow.totp_setup.id
  digits         = "6"
}
