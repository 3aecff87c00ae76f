variable "name_prefix" {
  description = "Prefix of the stage names (stage names are unique across all stage types)."
  type        = string
}

variable "enable" {
  description = "Which authenticators to set up and offer."
  type = object({
    totp     = bool
    webauthn = bool
    static   = bool
    email    = bool
    sms      = bool
  })
  default = {
    totp     = true
    webauthn = true
    static   = true
    email    = false
    sms      = false
  }
}

variable "use_builtin_setup_flows" {
  description = "Point the TOTP, WebAuthn and static stages' configure_flow at authentik's built-in default-authenticator-*-setup flows, so users can enrol from their settings."
  type        = bool
  default     = true
}

variable "own_setup_flows" {
  description = "Create a setup flow per enabled TOTP, WebAuthn and static method (`<name_prefix>-<method>-setup`, designation stage_configuration) with its setup stage bound into it, and point the stage's configure_flow at it (instead of authentik's built-in flows)."
  type        = bool
  default     = false
}

variable "extra_configuration_stages" {
  description = "Names of existing stages (e.g. authentik's built-in default-authenticator-totp-setup) to offer as well."
  type        = list(string)
  default     = []
}

variable "device_classes" {
  description = "Device classes the validation stage accepts; null means the enabled ones."
  type        = set(string)
  default     = null
}

variable "not_configured_fallback" {
  description = "not_configured_action when no setup stage is enabled (skip or deny)."
  type        = string
  default     = "skip"
}

variable "last_auth_threshold" {
  description = "Skip validation when a device was used within this time (e.g. hours=12)."
  type        = string
  default     = "seconds=0"
}

variable "totp_digits" {
  description = "Digits of a TOTP code: \"6\" or \"8\"."
  type        = string
  default     = "6"
}

variable "webauthn_user_verification" {
  description = "required, preferred or discouraged."
  type        = string
  default     = "preferred"
}

variable "webauthn_resident_key_requirement" {
  description = "required (passkeys), preferred or discouraged."
  type        = string
  default     = "preferred"
}

variable "webauthn_device_types" {
  description = "Descriptions of the WebAuthn device types allowed, e.g. [\"YubiKey 5 Series\", \"1Password\"]: every device type (AAGUID) with one of these descriptions is allowed, and each must match at least one. Empty allows any."
  type        = list(string)
  default     = []
}

variable "recovery_code_count" {
  description = "How many static recovery codes a user gets."
  type        = number
  default     = 6
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

variable "sms_provider" {
  description = "twilio or generic."
  type        = string
  default     = "twilio"
}

variable "sms_from_number" {
  description = "Sender number or name (needed when SMS is enabled)."
  type        = string
  default     = null
}

variable "sms_account_sid" {
  description = "Twilio account SID, or the URL of the generic SMS gateway (needed when SMS is enabled)."
  type        = string
  default     = null
}

variable "sms_auth" {
  description = "Twilio auth token, or the generic gateway's bearer token / basic-auth user (needed when SMS is enabled)."
  type        = string
  sensitive   = true
  default     = null
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
