# MFA building blocks: an SMS and an email setup stage, and a validation stage that offers
# them to users who have no authenticator yet.

terraform {
  required_providers {
    authentik = {
      source = "goauthentik/authentik"
    }
  }
}

resource "authentik_stage_authenticator_sms" "this" {
  name          = "${var.name_prefix}-sms-setup"
  friendly_name = "Text message"
  sms_provider  = var.sms_provider
  from_number   = var.sms_from_number
  account_sid   = var.sms_account_sid
  auth          = var.sms_auth
  auth_type     = var.sms_auth_type
  auth_password = var.sms_auth_password
}

resource "authentik_stage_authenticator_email" "this" {
  name          = "${var.name_prefix}-email-setup"
  friendly_name = "Email code"
  host          = var.smtp_host
  port          = var.smtp_port
  username      = var.smtp_username
  password      = var.smtp_password
  use_tls       = var.smtp_use_tls
  from_address  = var.email_from_address
  subject       = var.email_subject
  token_expiry  = var.email_token_expiry
}

resource "authentik_stage_authenticator_validate" "this" {
  name                  = "${var.name_prefix}-validate"
  device_classes        = var.device_classes
  not_configured_action = "configure"
  configuration_stages = [
    authentik_stage_authenticator_sms.this.id,
    authentik_stage_authenticator_email.this.id,
  ]
  last_auth_threshold = var.last_auth_threshold
}
