resource "authentik_stage_authenticator_validate" "mfa" {
  name                  = "mfa-validate"
  device_classes        = ["totp", "webauthn", "sms", "email"]
  not_configured_action = "configure"
  configuration_stages = [
    authentik_stage_authenticator_email.minimal.id,
  ]
  last_auth_threshold        = "hours=12"
  webauthn_user_verification = "required"
}
