output "sms_stage_id" {
  description = "UUID of the SMS setup stage."
  value       = authentik_stage_authenticator_sms.this.id
}

output "email_stage_id" {
  description = "UUID of the email setup stage."
  value       = authentik_stage_authenticator_email.this.id
}

output "validate_stage_id" {
  description = "UUID of the validation stage."
  value       = authentik_stage_authenticator_validate.this.id
}
