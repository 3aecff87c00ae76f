variable "name_prefix" {
  description = "Prefix of every object's name; the flow's slug is \"<name_prefix>-enrollment\" unless `slug` is set."
  type        = string
}

variable "slug" {
  description = "Slug of the enrollment flow (its URL is /if/flow/<slug>/). Null: \"<name_prefix>-enrollment\"."
  type        = string
  default     = null
}

variable "title" {
  description = "Title users see on the enrollment page."
  type        = string
  default     = "Create your account"
}

variable "labels" {
  description = "Labels of the four fields."
  type = object({
    username        = string
    email           = string
    password        = string
    password_repeat = string
  })
  default = {
    username        = "Username"
    email           = "Email address"
    password        = "Password"
    password_repeat = "Password (again)"
  }
}

variable "placeholders" {
  description = "Placeholders of the fields, by field (`username`, `email`, `password`, `password_repeat`); a field left out has none."
  type        = map(string)
  default     = {}
}

variable "sign_in_flow" {
  description = "UUID of the sign-in flow new users are sent to at the end (`authentik_flow.<x>.uuid` or `data.authentik_flow.<x>.id`). Null: they are sent to `redirect_url` instead."
  type        = string
  default     = null
}

variable "redirect_url" {
  description = "URL new users are sent to at the end when `sign_in_flow` is null."
  type        = string
  default     = null
}

variable "verify_email" {
  description = "Create users inactive and mail them a link that activates them."
  type        = bool
  default     = true
}

variable "email_use_global_settings" {
  description = "Send the verification mail with authentik's global email settings (else the SMTP settings below)."
  type        = bool
  default     = true
}

variable "smtp_host" {
  type    = string
  default = "localhost"
}

variable "smtp_port" {
  type    = number
  default = 25
}

variable "smtp_username" {
  type    = string
  default = ""
}

variable "smtp_password" {
  type      = string
  sensitive = true
  default   = ""
}

variable "email_from_address" {
  type    = string
  default = "system@authentik.local"
}

variable "email_subject" {
  type    = string
  default = "Confirm your account"
}

variable "mfa_stages" {
  description = "UUIDs of stages bound after the verification mail, in this order: typically `[module.mfa.validate_stage_id]`, so that new users enrol an authenticator before they finish. A list, so that it may hold UUIDs only known after apply."
  type        = list(string)
  default     = []
}

variable "user_type" {
  description = "Type of the users created: internal or external."
  type        = string
  default     = "external"
}

variable "users_group" {
  description = "UUID of a group new users join. Null: none."
  type        = string
  default     = null
}
