resource "authentik_stage_user_write" "minimal" {
  name = "user-write"
}

variable "new_users_group" {
  description = "UUID of the group new users join."
  type        = string
}

resource "authentik_stage_user_write" "enrollment" {
  name                     = "enrollment-user-write"
  user_creation_mode       = "always_create"
  create_users_as_inactive = true
  create_users_group       = var.new_users_group
  user_type                = "internal"
  user_path_template       = "users/enrolled"
}
