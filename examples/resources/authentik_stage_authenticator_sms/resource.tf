# Twilio
resource "authentik_stage_authenticator_sms" "twilio" {
  name         = "sms-setup"
  sms_provider = "twilio"
  from_number  = "+15005550006"
  account_sid  = "AC0123456789abcdef0123456789abcdef"
  auth         = var.twilio_auth_token
}

# A generic HTTP endpoint with basic auth; on Terraform 1.11+ the password can stay out of state.
resource "authentik_stage_authenticator_sms" "generic" {
  name                     = "sms-setup-generic"
  friendly_name            = "Text message"
  sms_provider             = "generic"
  from_number              = "authentik"
  account_sid              = "https://sms-gateway.example.com/send"
  auth_type                = "basic"
  auth                     = "authentik"
  auth_password_wo         = var.sms_gateway_password
  auth_password_wo_version = 1
  verify_only              = true
}

variable "twilio_auth_token" {
  type      = string
  sensitive = true
}

variable "sms_gateway_password" {
  type      = string
  sensitive = true
  ephemeral = true
}
