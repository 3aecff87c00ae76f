data "authentik_flow" "totp_setup" {
  slug = "default-authenticator-totp-setup"
}

resource "authentik_stage_authenticator_totp" "app" {
  name           = "totp-setup"
  configure_flow = data.authentik_flow.totp_setup.id
}
