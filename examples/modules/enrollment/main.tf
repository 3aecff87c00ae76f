# An enrollment flow: username, email and password (twice) on one page, the user written
# (inactive until the address is verified), a verification mail, optionally an authenticator
# enrolled through the mfa module's validation stage, and a redirect to the sign-in flow (or to
# a URL). Every object is named "<name_prefix>-…".

terraform {
  required_providers {
    authentik = {
      source = "goauthentik/authentik"
    }
  }
}

locals {
  fields = {
    username        = { key = "username", type = "username", order = 100 }
    email           = { key = "email", type = "email", order = 110 }
    password        = { key = "password", type = "password", order = 120 }
    password_repeat = { key = "password_repeat", type = "password", order = 121 }
  }
}

resource "authentik_stage_prompt_field" "this" {
  for_each    = local.fields
  name        = "${var.name_prefix}-field-${each.key}"
  field_key   = each.value.key
  label       = var.labels[each.key]
  type        = each.value.type
  placeholder = lookup(var.placeholders, each.key, "")
  order       = each.value.order
}

# authentik checks that the two password fields match.
resource "authentik_stage_prompt" "this" {
  name   = "${var.name_prefix}-prompt"
  fields = [for f in authentik_stage_prompt_field.this : f.id]
}

resource "authentik_stage_user_write" "this" {
  name                     = "${var.name_prefix}-user-write"
  user_creation_mode       = "always_create"
  create_users_as_inactive = var.verify_email
  create_users_group       = var.users_group
  user_type                = var.user_type
}

resource "authentik_stage_email" "this" {
  count                    = var.verify_email ? 1 : 0
  name                     = "${var.name_prefix}-email-verification"
  use_global_settings      = var.email_use_global_settings
  host                     = var.smtp_host
  port                     = var.smtp_port
  username                 = var.smtp_username
  password                 = var.smtp_password
  from_address             = var.email_from_address
  subject                  = var.email_subject
  template                 = "email/account_confirmation.html"
  activate_user_on_success = true
}

resource "authentik_stage_redirect" "this" {
  name          = "${var.name_prefix}-redirect"
  mode          = var.sign_in_flow != null ? "flow" : "static"
  target_flow   = var.sign_in_flow
  target_static = var.sign_in_flow != null ? "" : var.redirect_url
}

resource "authentik_flow" "this" {
  name           = "${var.name_prefix} enrollment"
  slug           = coalesce(var.slug, "${var.name_prefix}-enrollment")
  title          = var.title
  designation    = "enrollment"
  authentication = "require_unauthenticated"
}

locals {
  stages = merge(
    {
      "10-prompt"     = authentik_stage_prompt.this.id
      "20-user-write" = authentik_stage_user_write.this.id
      "100-redirect"  = authentik_stage_redirect.this.id
    },
    var.verify_email ? { "30-email" = authentik_stage_email.this[0].id } : {},
  )
}

resource "authentik_flow_stage_binding" "this" {
  for_each = local.stages
  target   = authentik_flow.this.uuid
  stage    = each.value
  order    = tonumber(split("-", each.key)[0])
}

# The mfa module's validation stage (and any other) after the verification mail.
resource "authentik_flow_stage_binding" "mfa" {
  count  = length(var.mfa_stages)
  target = authentik_flow.this.uuid
  stage  = var.mfa_stages[count.index]
  order  = 40 + count.index
}
