resource "authentik_stage_authenticator_static" "recovery" {
  name          = "recovery-codes-setup"
  friendly_name = "Recovery codes"
  token_count   = 10
  token_length  = 16
}
