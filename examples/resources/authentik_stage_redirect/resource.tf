data "authentik_flow" "sign_in" {
  slug = "default-authentication-flow"
}

resource "authentik_stage_redirect" "to_sign_in" {
  name         = "redirect-to-sign-in"
  mode         = "flow"
  target_flow  = data.authentik_flow.sign_in.id
  keep_context = true
}

resource "authentik_stage_redirect" "to_website" {
  name          = "redirect-to-website"
  mode          = "static"
  target_static = "https://www.example.com/welcome"
}
