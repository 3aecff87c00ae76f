data "authentik_webauthn_device_type" "yubikey" {
  description = "YubiKey 5 Series"
}

resource "authentik_stage_authenticator_webauthn" "keys" {
  name                     = "security-key-setup"
  friendly_name            = "Security key or passkey"
  user_verification        = "required"
  resident_key_requirement = "preferred"
  authenticator_attachment = "cross-platform"
  device_type_restrictions = [data.authentik_webauthn_device_type.yubikey.aaguid]
  max_attempts             = 5
}
