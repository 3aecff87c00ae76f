output "totp_stage_id" {
  description = "UUID of the TOTP setup stage (null when disabled)."
  value       = one(authentik_stage_authenticator_totp.this[*].id)
}

output "webauthn_stage_id" {
  description = "UUID of the WebAuthn setup stage (null when disabled)."
  value       = one(authentik_stage_authenticator_webauthn.this[*].id)
}

output "static_stage_id" {
  description = "UUID of the static recovery code setup stage (null when disabled)."
  value       = one(authentik_stage_authenticator_static.this[*].id)
}

output "email_stage_id" {
  description = "UUID of the email setup stage (null when disabled)."
  value       = one(authentik_stage_authenticator_email.this[*].id)
}

output "sms_stage_id" {
  description = "UUID of the SMS setup stage (null when disabled)."
  value       = one(authentik_stage_authenticator_sms.this[*].id)
}

output "validate_stage_id" {
  description = "UUID of the validation stage."
  value       = authentik_stage_authenticator_validate.this.id
}

output "webauthn_device_types" {
  description = "The AAGUIDs of every WebAuthn device type allowed (all those with one of the descriptions in var.webauthn_device_types), sorted."
  value       = local.device_types
}

output "setup_flow_ids" {
  description = "Flow UUID each enrollable method's configure_flow points at, by method (totp, webauthn, static): the module's own flows with own_setup_flows, else authentik's built-in ones (empty when neither)."
  value       = local.setup_flow
}
