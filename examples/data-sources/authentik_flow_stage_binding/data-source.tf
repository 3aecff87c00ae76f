# Make the MFA stage of authentik's default sign-in flow conditional: find its binding, and
# bind a policy to it.
data "authentik_flow" "default_sign_in" {
  slug = "default-authentication-flow"
}

data "authentik_stage" "default_mfa" {
  name = "default-authentication-mfa-validation"
}

data "authentik_flow_stage_binding" "default_mfa" {
  target = data.authentik_flow.default_sign_in.id
  stage  = data.authentik_stage.default_mfa.id
}

resource "authentik_policy_expression" "outside_office" {
  name       = "outside-office"
  expression = "return not ak_client_ip in ip_network('10.0.0.0/8')"
}

resource "authentik_policy_binding" "mfa_outside_office" {
  target = data.authentik_flow_stage_binding.default_mfa.id
  policy = authentik_policy_expression.outside_office.id
  order  = 20
}
