# The README demo: the mfa module against authentik (the API double unless AUTHENTIK_URL and
# AUTHENTIK_TOKEN point at a real server), with every authenticator enabled. Security keys are
# allowed by family: every device type called "YubiKey 5 Series" (three on a real authentik)
# and "1Password".

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

  name_prefix = var.name_prefix
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

output "allowed_security_keys" {
  description = "AAGUIDs of the WebAuthn device types the WebAuthn stages allow."
  value       = module.mfa.webauthn_device_types
}
