//! The lifecycle cases of the enrollment and consent types: prompt fields, prompt, user write,
//! email, consent and redirect stages. Besides what every case checks, the `minimal` steps clear
//! the values the official provider can never clear (placeholder, order, target_static,
//! activate_user_on_success true → false, username, the prompt's validation policies).

use super::Case;
use serde_json::json;

pub fn prompt_field() -> Case {
    Case {
        ty: "authentik_stage_prompt_field",
        api: "stages/prompt/prompts",
        full: r#"
resource "authentik_stage_prompt_field" "t" {
  name                     = "pf-full{{SFX}}"
  field_key                = "attributes.country"
  label                    = "Country"
  type                     = "dropdown"
  required                 = false
  placeholder_expression   = true
  placeholder              = <<-EOT
    try:
      return ["de", "fr"]
    except:
      return []
  EOT
  initial_value            = "de"
  initial_value_expression = true
  order                    = 5
  sub_text                 = "Where you live."
}"#,
        update: &[(
            r#"label                    = "Country""#,
            r#"label                    = "Country of residence""#,
        )],
        patch: json!({"label": "Country of residence"}),
        minimal: r#"
resource "authentik_stage_prompt_field" "t" {
  name      = "pf-full{{SFX}}"
  field_key = "attributes.country"
  label     = "Country"
  type      = "text"
}"#,
        defaults: json!({"required": true, "placeholder": "", "placeholder_expression": false,
            "initial_value": "", "initial_value_expression": false, "order": 0, "sub_text": ""}),
        drift: json!({"placeholder": "changed", "order": 9, "required": true}),
        name: "pf-full",
        ..Case::default()
    }
}

const PROMPT_EXTRA: &str = r#"
resource "authentik_stage_prompt_field" "a" {
  name      = "pfa{{SFX}}"
  field_key = "username"
  label     = "Username"
  type      = "username"
  order     = 1
}
resource "authentik_stage_prompt_field" "b" {
  name      = "pfb{{SFX}}"
  field_key = "email"
  label     = "Email"
  type      = "email"
  order     = 2
}
resource "authentik_policy_expression" "p" {
  name       = "pol{{SFX}}"
  expression = "return True"
}"#;

pub fn prompt() -> Case {
    Case {
        ty: "authentik_stage_prompt",
        api: "stages/prompt/stages",
        extra: PROMPT_EXTRA,
        // The fields listed against their display order: list order must never diff.
        full: r#"
resource "authentik_stage_prompt" "t" {
  name                = "prompt-full{{SFX}}"
  fields              = [authentik_stage_prompt_field.b.id, authentik_stage_prompt_field.a.id]
  validation_policies = [authentik_policy_expression.p.id]
}"#,
        update: &[(
            "validation_policies = [authentik_policy_expression.p.id]",
            "validation_policies = []",
        )],
        patch: json!({"validation_policies": []}),
        minimal: r#"
resource "authentik_stage_prompt" "t" {
  name   = "prompt-full{{SFX}}"
  fields = [authentik_stage_prompt_field.a.id, authentik_stage_prompt_field.b.id]
}"#,
        defaults: json!({"validation_policies": []}),
        drift: json!({"validation_policies": []}),
        name: "prompt-full",
        ..Case::default()
    }
}

pub fn user_write() -> Case {
    Case {
        ty: "authentik_stage_user_write",
        api: "stages/user_write",
        full: r#"
resource "authentik_stage_user_write" "t" {
  name                     = "uw-full{{SFX}}"
  user_creation_mode       = "always_create"
  create_users_as_inactive = true
  create_users_group       = "{{GROUP}}"
  user_type                = "internal"
  user_path_template       = "users/enrolled"
}"#,
        update: &[(
            r#"user_path_template       = "users/enrolled""#,
            r#"user_path_template       = "users/other""#,
        )],
        patch: json!({"user_path_template": "users/other"}),
        minimal: r#"
resource "authentik_stage_user_write" "t" {
  name = "uw-full{{SFX}}"
}"#,
        defaults: json!({"user_creation_mode": "create_when_required", "create_users_as_inactive": false,
            "create_users_group": null, "user_type": "external", "user_path_template": ""}),
        drift: json!({"create_users_as_inactive": false, "user_type": "external"}),
        name: "uw-full",
        ..Case::default()
    }
}

pub fn email_stage() -> Case {
    Case {
        ty: "authentik_stage_email",
        api: "stages/email",
        full: r#"
resource "authentik_stage_email" "t" {
  name                     = "mail-full{{SFX}}"
  use_global_settings      = true
  host                     = "smtp.example.com"
  port                     = 587
  username                 = "mailer"
  password                 = "smtp-pass"
  use_tls                  = true
  use_ssl                  = false
  timeout                  = 5
  from_address             = "auth@example.com"
  token_expiry             = "hours=1"
  subject                  = "Verify"
  template                 = "email/account_confirmation.html"
  activate_user_on_success = true
  recovery_max_attempts    = 3
  recovery_cache_timeout   = "minutes=10"
}"#,
        update: &[(
            r#"subject                  = "Verify""#,
            r#"subject                  = "Verify your address""#,
        )],
        patch: json!({"subject": "Verify your address"}),
        minimal: r#"
resource "authentik_stage_email" "t" {
  name = "mail-full{{SFX}}"
}"#,
        defaults: json!({"use_global_settings": false, "host": "localhost", "port": 25, "username": "",
            "use_tls": false, "use_ssl": false, "timeout": 10, "from_address": "system@authentik.local",
            "token_expiry": "minutes=30", "subject": "authentik", "template": "email/password_reset.html",
            "activate_user_on_success": false, "recovery_max_attempts": 5,
            "recovery_cache_timeout": "minutes=5"}),
        drift: json!({"host": "mail.other.example", "activate_user_on_success": false}),
        name: "mail-full",
        import_sends: &["password"],
        kept_secrets: json!({"password": "smtp-pass"}),
        ..Case::default()
    }
}

pub fn consent() -> Case {
    Case {
        ty: "authentik_stage_consent",
        api: "stages/consent",
        full: r#"
resource "authentik_stage_consent" "t" {
  name              = "consent-full{{SFX}}"
  mode              = "permanent"
  consent_expire_in = "days=1;hours=12"
}"#,
        update: &[(
            r#"consent_expire_in = "days=1;hours=12""#,
            r#"consent_expire_in = "days=2""#,
        )],
        patch: json!({"consent_expire_in": "days=2"}),
        minimal: r#"
resource "authentik_stage_consent" "t" {
  name = "consent-full{{SFX}}"
}"#,
        defaults: json!({"mode": "expiring", "consent_expire_in": "weeks=4"}),
        drift: json!({"mode": "always_require"}),
        name: "consent-full",
        ..Case::default()
    }
}

pub fn redirect() -> Case {
    Case {
        ty: "authentik_stage_redirect",
        api: "stages/redirect",
        full: r#"
resource "authentik_stage_redirect" "t" {
  name          = "redirect-full{{SFX}}"
  mode          = "static"
  target_static = "https://example.com/welcome"
  target_flow   = "{{FLOW_UPPER}}"
  keep_context  = false
}"#,
        update: &[("keep_context  = false", "keep_context  = true")],
        patch: json!({"keep_context": true}),
        // Switches to the default mode `flow`: the URL is cleared.
        minimal: r#"
resource "authentik_stage_redirect" "t" {
  name        = "redirect-full{{SFX}}"
  target_flow = "{{FLOW}}"
}"#,
        defaults: json!({"mode": "flow", "target_static": "", "keep_context": true}),
        drift: json!({"keep_context": true, "target_static": "https://evil.example/"}),
        name: "redirect-full",
        ..Case::default()
    }
}

/// All six, for one shared run.
pub fn all() -> Vec<Case> {
    vec![
        prompt_field(),
        prompt(),
        user_write(),
        email_stage(),
        consent(),
        redirect(),
    ]
}
