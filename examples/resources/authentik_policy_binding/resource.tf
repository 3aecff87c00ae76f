resource "authentik_flow" "sign_in" {
  name        = "Sign in"
  title       = "Welcome"
  slug        = "sign-in"
  designation = "authentication"
}

resource "authentik_stage_authenticator_validate" "mfa" {
  name = "sign-in-mfa"
}

resource "authentik_flow_stage_binding" "mfa" {
  target = authentik_flow.sign_in.uuid
  stage  = authentik_stage_authenticator_validate.mfa.id
  order  = 30
}

resource "authentik_policy_expression" "outside_office" {
  name       = "outside-office"
  expression = "return not ak_client_ip in ip_network('10.0.0.0/8')"
}

# MFA only outside the office: the policy is bound to the stage's binding.
resource "authentik_policy_binding" "mfa_outside_office" {
  target = authentik_flow_stage_binding.mfa.id
  policy = authentik_policy_expression.outside_office.id
  order  = 0
}

# A group binding on the flow itself: only its members may run it.
resource "authentik_policy_binding" "staff_only" {
  target = authentik_flow.sign_in.uuid
  group  = "0f3c5a4e-1b2c-4d5e-8f90-112233445566"
  order  = 10
}
