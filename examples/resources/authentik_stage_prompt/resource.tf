resource "authentik_stage_prompt_field" "username" {
  name      = "enrollment-field-username"
  field_key = "username"
  label     = "Username"
  type      = "username"
  order     = 100
}

resource "authentik_stage_prompt_field" "email" {
  name      = "enrollment-field-email"
  field_key = "email"
  label     = "Email"
  type      = "email"
  order     = 110
}

resource "authentik_policy_expression" "email_domain" {
  name       = "enrollment-email-domain"
  expression = <<-EOT
    if not request.context["prompt_data"]["email"].endswith("@example.com"):
        ak_message("Use your example.com address.")
        return False
    return True
  EOT
}

resource "authentik_stage_prompt" "enrollment" {
  name                = "enrollment-prompt"
  fields              = [authentik_stage_prompt_field.username.id, authentik_stage_prompt_field.email.id]
  validation_policies = [authentik_policy_expression.email_domain.id]
}
