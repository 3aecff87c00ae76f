# One list block per stage type: every stage of that type in authentik, built-in ones included.
# `limit` is the most results Terraform takes from one list block (its default is 100).
# A `config { name = "..." }` or `config { search = "..." }` block narrows a list down.

list "authentik_stage_authenticator_sms" "sms" {
  provider = authentik
  limit    = 10000
}

list "authentik_stage_authenticator_email" "email" {
  provider = authentik
  limit    = 10000
}

list "authentik_stage_authenticator_validate" "validate" {
  provider = authentik
  limit    = 10000
}

list "authentik_stage_authenticator_totp" "totp" {
  provider = authentik
  limit    = 10000
}

list "authentik_stage_authenticator_static" "static" {
  provider = authentik
  limit    = 10000
}

list "authentik_stage_authenticator_webauthn" "webauthn" {
  provider = authentik
  limit    = 10000
}

list "authentik_stage_authenticator_duo" "duo" {
  provider = authentik
  limit    = 10000
}
