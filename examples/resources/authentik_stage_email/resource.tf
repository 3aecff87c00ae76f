resource "authentik_stage_email" "global" {
  name                     = "enrollment-email-verification"
  use_global_settings      = true
  subject                  = "Confirm your address"
  template                 = "email/account_confirmation.html"
  activate_user_on_success = true
  token_expiry             = "hours=1"
}

variable "smtp_password" {
  type      = string
  sensitive = true
}

resource "authentik_stage_email" "own_server" {
  name         = "recovery-email"
  host         = "smtp.example.com"
  port         = 587
  username     = "authentik"
  password     = var.smtp_password
  use_tls      = true
  from_address = "authentik@example.com"
}
