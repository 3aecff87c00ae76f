resource "authentik_stage_user_logout" "logout" {
  name = "logout"
}

resource "authentik_flow" "sign_out" {
  name        = "Sign out"
  title       = "Sign out"
  slug        = "sign-out"
  designation = "invalidation"
}

resource "authentik_flow_stage_binding" "logout" {
  target = authentik_flow.sign_out.uuid
  stage  = authentik_stage_user_logout.logout.id
  order  = 0
}
