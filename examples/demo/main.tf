# The README demo, against authentik (the API double unless AUTHENTIK_URL and AUTHENTIK_TOKEN
# point at a real server): a sign-in flow with conditional MFA, built from scratch.
# - The mfa module makes the authenticator setup stages (every method enabled), a setup flow of
#   its own for TOTP, WebAuthn and recovery codes with each stage bound into it, and a validation
#   stage offering them. Security keys are allowed by family: every device type called
#   "YubiKey 5 Series" (three on a real authentik) and "1Password".
# - The sign-in flow: identification with the password on the same page, the validation stage,
#   then login. The validation stage runs only for sign-ins from outside the office network (an
#   expression policy bound to its binding).

terraform {
  required_providers {
    authentik = {
      source = "goauthentik/authentik"
    }
  }
}

provider "authentik" {}

variable "name_prefix" {
  description = "Prefix of every stage name (scripts/demo makes it unique per run, so it can find and remove whatever a failed run left behind)."
  type        = string
  default     = "demo"
}

variable "sms_auth" {
  type      = string
  sensitive = true
  default   = "demo-twilio-token"
}

module "mfa" {
  source = "../modules/mfa"

  name_prefix     = var.name_prefix
  own_setup_flows = true
  enable = {
    totp     = true
    webauthn = true
    static   = true
    email    = true
    sms      = true
  }
  extra_configuration_stages = ["default-authenticator-static-setup"]
  webauthn_device_types      = ["YubiKey 5 Series", "1Password"]
  sms_provider               = "twilio"
  sms_from_number            = "+15005550006"
  sms_account_sid            = "AC0123456789abcdef0123456789abcdef"
  sms_auth                   = var.sms_auth
  smtp_host                  = "smtp.example.com"
  smtp_port                  = 587
  smtp_use_tls               = true
  email_from_address         = "authentik@example.com"
  email_token_expiry         = "minutes=15"
}

# The sign-in flow.
resource "authentik_flow" "sign_in" {
  name        = "${var.name_prefix} sign-in"
  title       = "Welcome"
  slug        = "${var.name_prefix}-sign-in"
  designation = "authentication"
}

resource "authentik_stage_password" "password" {
  name     = "${var.name_prefix}-password"
  backends = ["authentik.core.auth.InbuiltBackend"]
}

resource "authentik_stage_identification" "identify" {
  name           = "${var.name_prefix}-identification"
  user_fields    = ["username", "email"]
  password_stage = authentik_stage_password.password.id
}

resource "authentik_stage_user_login" "login" {
  name             = "${var.name_prefix}-login"
  session_duration = "hours=12"
}

resource "authentik_flow_stage_binding" "identify" {
  target = authentik_flow.sign_in.uuid
  stage  = authentik_stage_identification.identify.id
  order  = 10
}

resource "authentik_flow_stage_binding" "mfa" {
  target = authentik_flow.sign_in.uuid
  stage  = module.mfa.validate_stage_id
  order  = 20
}

resource "authentik_flow_stage_binding" "login" {
  target = authentik_flow.sign_in.uuid
  stage  = authentik_stage_user_login.login.id
  order  = 100
}

# MFA only from outside the office network: the policy decides whether the MFA binding runs.
resource "authentik_policy_expression" "outside_office" {
  name       = "${var.name_prefix}-outside-office"
  expression = <<-EOT
    return not ak_client_ip in ip_network("10.0.0.0/8")
  EOT
}

resource "authentik_policy_binding" "mfa_outside_office" {
  target = authentik_flow_stage_binding.mfa.id
  policy = authentik_policy_expression.outside_office.id
  order  = 0
}

# authentik's own validation stage of the default authentication flow.
data "authentik_stage" "default_validation" {
  name = "default-authentication-mfa-validation"
}

output "stage_ids" {
  value = {
    totp               = module.mfa.totp_stage_id
    webauthn           = module.mfa.webauthn_stage_id
    static             = module.mfa.static_stage_id
    sms                = module.mfa.sms_stage_id
    email              = module.mfa.email_stage_id
    validate           = module.mfa.validate_stage_id
    default_validation = data.authentik_stage.default_validation.id
  }
}

output "sign_in_flow" {
  description = "Slug of the sign-in flow (its URL is <authentik>/if/flow/<slug>/)."
  value       = authentik_flow.sign_in.id
}

output "setup_flows" {
  description = "UUIDs of the setup flows (each running its setup stage), by method."
  value       = module.mfa.setup_flow_ids
}

output "allowed_security_keys" {
  description = "AAGUIDs of the WebAuthn device types the WebAuthn stages allow."
  value       = module.mfa.webauthn_device_types
}
