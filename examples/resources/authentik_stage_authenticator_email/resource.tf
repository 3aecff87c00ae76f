# The minimum: every other attribute takes the server's default.
resource "authentik_stage_authenticator_email" "minimal" {
  name = "email-setup"
}

resource "authentik_stage_authenticator_email" "smtp" {
  name          = "email-setup-smtp"
  friendly_name = "Email code"
  host          = "smtp.example.com"
  port          = 587
  username      = "authentik"
  password      = var.smtp_password
  use_tls       = true
  timeout       = 15
  from_address  = "authentik@example.com"
  subject       = "Your sign-in code"
  token_expiry  = "minutes=15"
}

variable "smtp_password" {
  type      = string
  sensitive = true
}
