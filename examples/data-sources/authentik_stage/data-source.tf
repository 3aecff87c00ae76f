# authentik's built-in validation stage of the default authentication flow.
data "authentik_stage" "mfa_validation" {
  name = "default-authentication-mfa-validation"
}

output "mfa_validation_stage_id" {
  value = data.authentik_stage.mfa_validation.id
}
