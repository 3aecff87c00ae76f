# Every AAGUID of a family of security keys: "YubiKey 5 Series" names three device types on a
# real authentik (where the single authentik_webauthn_device_type refuses to guess).
data "authentik_webauthn_device_types" "yubikey_5" {
  description = "YubiKey 5 Series"
}

# Several families: one data source each, united with setunion.
data "authentik_webauthn_device_types" "one_password" {
  description = "1Password"
}

# Or by authentik's search (each word in the description or AAGUID, any case): every YubiKey.
data "authentik_webauthn_device_types" "any_yubikey" {
  search = "yubikey"
}

resource "authentik_stage_authenticator_webauthn" "keys" {
  name = "security-key-setup"
  device_type_restrictions = setunion(
    data.authentik_webauthn_device_types.yubikey_5.aaguids,
    data.authentik_webauthn_device_types.one_password.aaguids,
  )
}

output "yubikeys" {
  # [{ aaguid = "...", description = "..." }, ...]
  value = data.authentik_webauthn_device_types.any_yubikey.device_types
}
