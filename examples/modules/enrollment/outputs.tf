output "flow_uuid" {
  description = "UUID of the enrollment flow (for an identification stage's `enrollment_flow`)."
  value       = authentik_flow.this.uuid
}

output "flow_slug" {
  description = "Slug of the enrollment flow: users enrol at /if/flow/<slug>/."
  value       = authentik_flow.this.slug
}

output "stage_ids" {
  description = "UUIDs of the stages, by role (email is null when verification is off)."
  value = {
    prompt     = authentik_stage_prompt.this.id
    user_write = authentik_stage_user_write.this.id
    email      = one(authentik_stage_email.this[*].id)
    redirect   = authentik_stage_redirect.this.id
  }
}

output "field_ids" {
  description = "UUIDs of the prompt fields, by field."
  value       = { for k, f in authentik_stage_prompt_field.this : k => f.id }
}
