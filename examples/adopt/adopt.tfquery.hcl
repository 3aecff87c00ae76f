# One list block per resource type: every object of that type in authentik, built-in ones included.
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

list "authentik_flow" "flows" {
  provider = authentik
  limit    = 10000
}

list "authentik_flow_stage_binding" "flow_stage_bindings" {
  provider = authentik
  limit    = 10000
}

list "authentik_stage_identification" "identification" {
  provider = authentik
  limit    = 10000
}

list "authentik_stage_password" "password" {
  provider = authentik
  limit    = 10000
}

list "authentik_stage_user_login" "user_login" {
  provider = authentik
  limit    = 10000
}

list "authentik_stage_user_logout" "user_logout" {
  provider = authentik
  limit    = 10000
}

list "authentik_stage_deny" "deny" {
  provider = authentik
  limit    = 10000
}

list "authentik_policy_expression" "expression_policies" {
  provider = authentik
  limit    = 10000
}

list "authentik_policy_binding" "policy_bindings" {
  provider = authentik
  limit    = 10000
}

list "authentik_stage_prompt_field" "prompt_fields" {
  provider = authentik
  limit    = 10000
}

list "authentik_stage_prompt" "prompt" {
  provider = authentik
  limit    = 10000
}

list "authentik_stage_user_write" "user_write" {
  provider = authentik
  limit    = 10000
}

list "authentik_stage_email" "email_stages" {
  provider = authentik
  limit    = 10000
}

list "authentik_stage_consent" "consent" {
  provider = authentik
  limit    = 10000
}

list "authentik_stage_redirect" "redirect" {
  provider = authentik
  limit    = 10000
}
