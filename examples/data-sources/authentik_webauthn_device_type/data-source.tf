# By description (must match exactly one device type)...
data "authentik_webauthn_device_type" "one_password" {
  description = "1Password"
}

# ...or by AAGUID, where a description is shared (several rows are called "Windows Hello").
data "authentik_webauthn_device_type" "unknown" {
  aaguid = "00000000-0000-0000-0000-000000000000"
}

resource "authentik_stage_authenticator_webauthn" "passkeys" {
  name = "passkey-setup"
  device_type_restrictions = [
    data.authentik_webauthn_device_type.one_password.aaguid,
  ]
}
