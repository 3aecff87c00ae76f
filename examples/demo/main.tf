# The README demo: the mfa module against authentik (the API double unless AUTHENTIK_URL and
# AUTHENTIK_TOKEN point at a real server).

terraform {
  required_providers {
    authentik = {
      source = "goauthentik/authentik"
    }
  }
}

provider "authentik" {}

variable "sms_auth" {
  type      = string
  sensitive = true
  default   = "demo-twilio-token"
}

module "mfa" {
  source = "../modules/mfa"

  name_prefix        = "demo"
  sms_provider       = "twilio"
  sms_from_number    = "+15005550006"
  sms_account_sid    = "AC0123456789abcdef0123456789abcdef"
  sms_auth           = var.sms_auth
  smtp_host          = "smtp.example.com"
  smtp_port          = 587
  smtp_use_tls       = true
  email_from_address = "authentik@example.com"
  email_token_expiry = "minutes=15"
}

output "stage_ids" {
  value = {
    sms      = module.mfa.sms_stage_id
    email    = module.mfa.email_stage_id
    validate = module.mfa.validate_stage_id
  }
}
