resource "authentik_stage_deny" "minimal" {
  name = "deny"
}

resource "authentik_stage_deny" "with_message" {
  name         = "deny-outside-office"
  deny_message = "Sign-in is only possible from the office network."
}
