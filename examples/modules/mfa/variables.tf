variable "name_prefix" {
  description = "Prefix of the three stage names (stage names are unique across all stage types)."
  type        = string
}

variable "sms_provider" {
  description = "twilio or generic."
  type        = string
  default     = "twilio"
}

variable "sms_from_number" {
  description = "Sender number or name."
  type        = string
}

variable "sms_account_sid" {
  description = "Twilio account SID, or the URL of the generic SMS gateway."
  type        = string
}

variable "sms_auth" {
  description = "Twilio auth token, or the generic gateway's bearer token / basic-auth user."
  type        = string
  sensitive   = true
}

variable "sms_auth_type" {
  description = "basic or bearer (generic gateway only)."
  type        = string
  default     = "basic"
}

variable "sms_auth_password" {
  description = "Basic-auth password of the generic gateway."
  type        = string
  sensitive   = true
  default     = ""
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

variable "smtp_use_tls" {
  type    = bool
  default = false
}

variable "email_from_address" {
  type    = string
  default = "system@authentik.local"
}

variable "email_subject" {
  type    = string
  default = "authentik Sign-in code"
}

variable "email_token_expiry" {
  description = "How long an emailed code is valid, e.g. minutes=30 (pairs separated by ;)."
  type        = string
  default     = "minutes=30"
}

variable "device_classes" {
  description = "Device classes the validation stage accepts."
  type        = set(string)
  default     = ["static", "totp", "webauthn", "sms", "email"]
}

variable "last_auth_threshold" {
  description = "Skip validation when a device was used within this time (e.g. hours=12)."
  type        = string
  default     = "seconds=0"
}
