resource "authentik_stage_prompt_field" "username" {
  name      = "enrollment-field-username"
  field_key = "username"
  label     = "Username"
  type      = "username"
  order     = 100
}

resource "authentik_stage_prompt_field" "country" {
  name                   = "enrollment-field-country"
  field_key              = "attributes.country"
  label                  = "Country"
  type                   = "dropdown"
  required               = false
  placeholder_expression = true
  placeholder            = <<-EOT
    return ["Germany", "France", "Italy"]
  EOT
  initial_value          = "Germany"
  sub_text               = "Where you live."
  order                  = 200
}
