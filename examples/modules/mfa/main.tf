# MFA building blocks: setup stages for TOTP, WebAuthn, static recovery codes, email and SMS
# (each switchable by a variable), and a validation stage that offers the enabled ones to
# users who have no authenticator yet. authentik's built-in flows and stages are found by data
# source.

terraform {
  required_providers {
    authentik = {
      source = "goauthentik/authentik"
    }
  }
}

locals {
  # The methods a user can enrol from their settings page, through a setup flow.
  enrollable = [for m in ["totp", "webauthn", "static"] : m if var.enable[m]]
}

# authentik's built-in setup flows, so users can enrol from their settings page.
data "authentik_flow" "setup" {
  for_each = var.use_builtin_setup_flows && !var.own_setup_flows ? toset(local.enrollable) : toset([])
  slug     = "default-authenticator-${each.key}-setup"
}

# Or a setup flow of the module's own per method, each running its setup stage (bound below).
resource "authentik_flow" "setup" {
  for_each       = var.own_setup_flows ? toset(local.enrollable) : toset([])
  name           = "${var.name_prefix} ${each.key} setup"
  title          = "Set up ${lookup({ totp = "an authenticator app", webauthn = "a security key or passkey", static = "recovery codes" }, each.key)}"
  slug           = "${var.name_prefix}-${each.key}-setup"
  designation    = "stage_configuration"
  authentication = "require_authenticated"
}

# Built-in stages (or any existing stage) to offer next to the ones made here.
data "authentik_stage" "extra" {
  for_each = toset(var.extra_configuration_stages)
  name     = each.key
}

# Security keys allowed, by the description authentik's FIDO metadata gives them. A description
# names a family: "YubiKey 5 Series" is three device types (AAGUIDs) on a real authentik, and
# every one of them is allowed. A description that matches none fails the plan (with the closest
# ones) rather than leave the list empty, which would allow every authenticator.
data "authentik_webauthn_device_types" "allowed" {
  for_each    = toset(var.webauthn_device_types)
  description = each.key
}

locals {
  setup_flow = merge(
    { for k, f in data.authentik_flow.setup : k => f.id },
    { for k, f in authentik_flow.setup : k => f.uuid },
  )
  device_types = sort(distinct(flatten([for t in data.authentik_webauthn_device_types.allowed : [for a in t.aaguids : a]])))
}

resource "authentik_stage_authenticator_totp" "this" {
  count          = var.enable.totp ? 1 : 0
  name           = "${var.name_prefix}-totp-setup"
  friendly_name  = "Authenticator app"
  configure_flow = lookup(local.setup_flow, "totp", null)
  digits         = var.totp_digits
}

resource "authentik_stage_authenticator_webauthn" "this" {
  count                    = var.enable.webauthn ? 1 : 0
  name                     = "${var.name_prefix}-webauthn-setup"
  friendly_name            = "Security key or passkey"
  configure_flow           = lookup(local.setup_flow, "webauthn", null)
  user_verification        = var.webauthn_user_verification
  resident_key_requirement = var.webauthn_resident_key_requirement
  device_type_restrictions = local.device_types
}

resource "authentik_stage_authenticator_static" "this" {
  count          = var.enable.static ? 1 : 0
  name           = "${var.name_prefix}-recovery-codes-setup"
  friendly_name  = "Recovery codes"
  configure_flow = lookup(local.setup_flow, "static", null)
  token_count    = var.recovery_code_count
}

resource "authentik_stage_authenticator_email" "this" {
  count         = var.enable.email ? 1 : 0
  name          = "${var.name_prefix}-email-setup"
  friendly_name = "Email code"
  host          = var.smtp_host
  port          = var.smtp_port
  username      = var.smtp_username
  password      = var.smtp_password
  use_tls       = var.smtp_use_tls
  from_address  = var.email_from_address
  subject       = var.email_subject
  token_expiry  = var.email_token_expiry
}

resource "authentik_stage_authenticator_sms" "this" {
  count         = var.enable.sms ? 1 : 0
  name          = "${var.name_prefix}-sms-setup"
  friendly_name = "Text message"
  sms_provider  = var.sms_provider
  from_number   = var.sms_from_number
  account_sid   = var.sms_account_sid
  auth          = var.sms_auth
  auth_type     = var.sms_auth_type
  auth_password = var.sms_auth_password
}

locals {
  setup_stages = concat(
    authentik_stage_authenticator_webauthn.this[*].id,
    authentik_stage_authenticator_totp.this[*].id,
    authentik_stage_authenticator_static.this[*].id,
    authentik_stage_authenticator_email.this[*].id,
    authentik_stage_authenticator_sms.this[*].id,
    [for s in data.authentik_stage.extra : s.id],
  )
  enabled_classes = [for c in ["webauthn", "totp", "static", "email", "sms"] : c if var.enable[c]]
}

resource "authentik_stage_authenticator_validate" "this" {
  name                          = "${var.name_prefix}-validate"
  device_classes                = coalesce(var.device_classes, local.enabled_classes)
  not_configured_action         = length(local.setup_stages) > 0 ? "configure" : var.not_configured_fallback
  configuration_stages          = local.setup_stages
  last_auth_threshold           = var.last_auth_threshold
  webauthn_user_verification    = var.webauthn_user_verification
  webauthn_allowed_device_types = local.device_types
}

# Each own setup flow runs its stage.
resource "authentik_flow_stage_binding" "setup" {
  for_each = authentik_flow.setup
  target   = each.value.uuid
  stage = lookup({
    totp     = one(authentik_stage_authenticator_totp.this[*].id)
    webauthn = one(authentik_stage_authenticator_webauthn.this[*].id)
    static   = one(authentik_stage_authenticator_static.this[*].id)
  }, each.key)
  order = 0
}
