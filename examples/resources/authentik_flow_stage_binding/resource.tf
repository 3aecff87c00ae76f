resource "authentik_flow" "sign_in" {
  name        = "Sign in"
  title       = "Welcome"
  slug        = "sign-in"
  designation = "authentication"
}

resource "authentik_stage_identification" "identify" {
  name        = "sign-in-identification"
  user_fields = ["username", "email"]
}

# The minimum: target (the flow's UUID), stage and order.
resource "authentik_flow_stage_binding" "identify" {
  target = authentik_flow.sign_in.uuid
  stage  = authentik_stage_identification.identify.id
  order  = 10
}

# A built-in stage, evaluated when the flow is planned.
data "authentik_stage" "login" {
  name = "default-authentication-login"
}

resource "authentik_flow_stage_binding" "login" {
  target                  = authentik_flow.sign_in.uuid
  stage                   = data.authentik_stage.login.id
  order                   = 100
  evaluate_on_plan        = true
  re_evaluate_policies    = false
  invalid_response_action = "restart"
}
