variable "duo_client_secret" {
  type      = string
  sensitive = true
}

resource "authentik_stage_authenticator_duo" "duo" {
  name          = "duo-setup"
  friendly_name = "Duo Push"
  client_id     = "DIXXXXXXXXXXXXXXXXXX"
  client_secret = var.duo_client_secret
  api_hostname  = "api-1234abcd.duosecurity.com"
}
