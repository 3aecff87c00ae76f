resource "authentik_policy_expression" "always" {
  name       = "always"
  expression = "return True"
}

# A heredoc's trailing newline never shows as a change.
resource "authentik_policy_expression" "has_mfa" {
  name              = "user-has-mfa"
  execution_logging = true
  expression        = <<-EOT
    from authentik.stages.authenticator import devices_for_user
    return any(devices_for_user(request.user))
  EOT
}
