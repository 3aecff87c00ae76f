//! The official provider's acceptance configurations, run against this provider: for each of
//! its `TestAcc…` cases of the seven authenticator stages, the flow types (flow, flow-stage
//! binding, identification, password, user login, user logout and deny stages, expression
//! policy, policy binding; resources this provider does not serve are replaced by one it does,
//! as each case says) and the three data sources, a
//! configuration that sets exactly the attributes and values that case sets, followed through
//! the same steps (each applied, then re-planned empty), with the same attribute checks and
//! import verifications. On Terraform 1.0.3 and 1.15.5, against the API double (or a real
//! authentik, like the lifecycle suite).
//!
//! Written in our own words from the cases' settings; nothing is copied from the official
//! provider's sources.

mod e2e;
mod support;

use e2e::Ctx;
use serde_json::Value;
use support::terraform::TfVersion;

/// What a check expects.
enum Want {
    /// The attribute, as Terraform's flat form shows it (`"2"`, `"true"`), equals this.
    Is(&'static str),
    /// Like [`Want::Is`], for a value built at run time.
    Text(String),
    /// The attribute equals another resource's attribute.
    SameAs(&'static str, &'static str),
}

/// One step of a case.
enum Step {
    /// Write this configuration (`{{N}}` is the case's random name), apply, re-plan empty,
    /// then check `(address, attribute path, expectation)`.
    Apply(String, Vec<(&'static str, &'static str, Want)>),
    /// Import `address` by its id into a fresh state and compare every attribute with the state
    /// before, except those listed (secrets authentik never returns).
    ImportVerify(&'static str, &'static [&'static str]),
}

/// A value of a `show -json` object at a flat path (`device_classes.#`, `hints.0`), as the
/// official test framework spells it.
fn flat(values: &Value, path: &str) -> Option<String> {
    let mut v = values;
    let mut parts = path.split('.').peekable();
    while let Some(p) = parts.next() {
        if p == "#" {
            return v.as_array().map(|a| a.len().to_string());
        }
        v = match p.parse::<usize>() {
            Ok(i) => v.get(i)?,
            Err(_) => v.get(p)?,
        };
        if parts.peek().is_none() {
            break;
        }
    }
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(match n.as_f64() {
            Some(f) if f.fract() == 0.0 => format!("{}", f as i64),
            _ => n.to_string(),
        }),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// A name like the official tests' 10-character random ones.
fn random_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut x = nanos ^ u128::from(std::process::id()) << 64;
    let chars: Vec<char> = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        .chars()
        .collect();
    (0..10)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            chars[((x >> 70) % chars.len() as u128) as usize]
        })
        .collect()
}

fn run(v: TfVersion, steps: Vec<Step>) {
    let ctx = Ctx::acceptance(v);
    let name = format!("{}{}", random_name(), ctx.sfx);
    for (i, step) in steps.into_iter().enumerate() {
        match step {
            Step::Apply(config, checks) => {
                ctx.config(&config.replace("{{N}}", &name));
                ctx.wd.apply();
                ctx.assert_empty_plan(&format!("step {}: re-plan after apply", i + 1));
                for (addr, path, want) in checks {
                    let values = ctx.state_values(addr);
                    let got = flat(&values, path);
                    let expected = match want {
                        Want::Is(s) => s.replace("{{N}}", &name),
                        Want::Text(s) => s.replace("{{N}}", &name),
                        Want::SameAs(other, other_path) => {
                            flat(&ctx.state_values(other), other_path)
                                .unwrap_or_else(|| panic!("{other}.{other_path} not set"))
                        }
                    };
                    assert_eq!(
                        got.as_deref(),
                        Some(expected.as_str()),
                        "step {}: {addr}.{path}\n{values:#}",
                        i + 1
                    );
                }
            }
            Step::ImportVerify(addr, ignore) => {
                let before = ctx.state_values(addr);
                let id = before["id"].as_str().expect("id").to_string();
                ctx.wd.run_ok(&["state", "rm", addr]);
                ctx.wd.import(addr, &id);
                let after = ctx.state_values(addr);
                for (k, want) in before.as_object().expect("object") {
                    if ignore.contains(&k.as_str()) {
                        continue;
                    }
                    assert_eq!(
                        &after[k],
                        want,
                        "step {}: import of {addr} differs on {k}",
                        i + 1
                    );
                }
                // What the import could not read, the next apply sends; then nothing is left.
                if !ignore.is_empty() {
                    ctx.wd.apply();
                }
                ctx.assert_empty_plan(&format!("step {}: plan after import", i + 1));
            }
        }
    }
    ctx.wd.destroy();
    if ctx.dbl.is_double() {
        assert!(
            ctx.dbl.stages().is_empty(),
            "stages left: {:#?}",
            ctx.dbl.stages()
        );
    }
}

fn name_check(addr: &'static str) -> Vec<(&'static str, &'static str, Want)> {
    vec![(addr, "name", Want::Is("{{N}}"))]
}

/// `TestAccResourceStageAuthenticatorSms`: no `sms_provider` (the official default `twilio`),
/// then a rename.
fn sms(v: TfVersion) {
    let config = |suffix: &str| {
        format!(
            r#"
resource "authentik_stage_authenticator_sms" "name" {{
  name        = "{{{{N}}}}{suffix}"
  from_number = "1234"
  account_sid = "bar"
  auth        = "baz"
}}"#
        )
    };
    let addr = "authentik_stage_authenticator_sms.name";
    run(
        v,
        vec![
            Step::Apply(
                config(""),
                vec![
                    (addr, "name", Want::Is("{{N}}")),
                    (addr, "sms_provider", Want::Is("twilio")),
                ],
            ),
            Step::Apply(config("test"), vec![(addr, "name", Want::Is("{{N}}test"))]),
        ],
    )
}

/// `TestAccResourceStageAuthenticatorEmail`: name only, a rename, an import verified but for
/// `password`.
fn email(v: TfVersion) {
    let config = |suffix: &str| {
        format!(
            "resource \"authentik_stage_authenticator_email\" \"name\" {{\n  name = \"{{{{N}}}}{suffix}\"\n}}"
        )
    };
    let addr = "authentik_stage_authenticator_email.name";
    run(
        v,
        vec![
            Step::Apply(config(""), name_check(addr)),
            Step::Apply(config("test"), vec![(addr, "name", Want::Is("{{N}}test"))]),
            Step::ImportVerify(addr, &["password"]),
        ],
    )
}

const VALIDATE_FULL: &str = r#"
resource "authentik_stage_authenticator_totp" "name" {
  name = "{{N}}-setup"
}

resource "authentik_stage_authenticator_validate" "name" {
  name                  = "{{N}}"
  device_classes        = ["static"]
  not_configured_action = "{{ACTION}}"
  configuration_stages = [
    authentik_stage_authenticator_totp.name.id,
  ]
  last_auth_threshold          = "minutes=5"
  webauthn_user_verification   = "required"
  webauthn_hints               = ["security-key"]
  email_otp_throttling_factor  = 2
  sms_otp_throttling_factor    = 2
  totp_otp_throttling_factor   = 2
  static_otp_throttling_factor = 2
}"#;

/// `TestAccResourceStageAuthenticatorValidate`: every attribute away from its default, with
/// `not_configured_action` going `skip`, `deny`, `configure`; every attribute checked each time.
fn validate(v: TfVersion) {
    let addr = "authentik_stage_authenticator_validate.name";
    let step = |action: &'static str| {
        Step::Apply(
            VALIDATE_FULL.replace("{{ACTION}}", action),
            vec![
                (addr, "name", Want::Is("{{N}}")),
                (addr, "not_configured_action", Want::Is(action)),
                (addr, "device_classes.#", Want::Is("1")),
                (addr, "device_classes.0", Want::Is("static")),
                (addr, "configuration_stages.#", Want::Is("1")),
                (
                    addr,
                    "configuration_stages.0",
                    Want::SameAs("authentik_stage_authenticator_totp.name", "id"),
                ),
                (addr, "last_auth_threshold", Want::Is("minutes=5")),
                (addr, "webauthn_user_verification", Want::Is("required")),
                (addr, "webauthn_hints.#", Want::Is("1")),
                (addr, "webauthn_hints.0", Want::Is("security-key")),
                (addr, "email_otp_throttling_factor", Want::Is("2")),
                (addr, "sms_otp_throttling_factor", Want::Is("2")),
                (addr, "totp_otp_throttling_factor", Want::Is("2")),
                (addr, "static_otp_throttling_factor", Want::Is("2")),
            ],
        )
    };
    run(v, vec![step("skip"), step("deny"), step("configure")])
}

/// The earlier form of `TestAccResourceStageAuthenticatorValidate`: a TOTP stage offered with
/// `skip`, then a rename.
fn validate_rename(v: TfVersion) {
    let config = |suffix: &str| {
        format!(
            r#"
resource "authentik_stage_authenticator_totp" "name" {{
  name = "{{{{N}}}}{suffix}-setup"
}}

resource "authentik_stage_authenticator_validate" "name" {{
  name                  = "{{{{N}}}}{suffix}"
  device_classes        = ["static"]
  not_configured_action = "skip"
  configuration_stages = [
    authentik_stage_authenticator_totp.name.id,
  ]
}}"#
        )
    };
    let addr = "authentik_stage_authenticator_validate.name";
    run(
        v,
        vec![
            Step::Apply(config(""), name_check(addr)),
            Step::Apply(config("test"), vec![(addr, "name", Want::Is("{{N}}test"))]),
        ],
    )
}

/// `TestAccResourceStageAuthenticatorTOTP`: name only (`digits` left to the official default).
fn totp(v: TfVersion) {
    let addr = "authentik_stage_authenticator_totp.name";
    run(
        v,
        vec![Step::Apply(
            "resource \"authentik_stage_authenticator_totp\" \"name\" {\n  name = \"{{N}}\"\n}"
                .into(),
            vec![
                (addr, "name", Want::Is("{{N}}")),
                (addr, "digits", Want::Is("6")),
            ],
        )],
    )
}

/// `TestAccResourceStageAuthenticatorStatic`: name only.
fn static_tokens(v: TfVersion) {
    let addr = "authentik_stage_authenticator_static.name";
    run(
        v,
        vec![Step::Apply(
            "resource \"authentik_stage_authenticator_static\" \"name\" {\n  name = \"{{N}}\"\n}"
                .into(),
            vec![
                (addr, "name", Want::Is("{{N}}")),
                (addr, "token_count", Want::Is("6")),
                (addr, "token_length", Want::Is("12")),
            ],
        )],
    )
}

/// `TestAccResourceStageAuthenticatorWebAuthn`: name only, then a rename.
fn webauthn(v: TfVersion) {
    let config = |suffix: &str| {
        format!(
            "resource \"authentik_stage_authenticator_webauthn\" \"name\" {{\n  name = \"{{{{N}}}}{suffix}\"\n}}"
        )
    };
    let addr = "authentik_stage_authenticator_webauthn.name";
    run(
        v,
        vec![
            Step::Apply(config(""), name_check(addr)),
            Step::Apply(config("test"), vec![(addr, "name", Want::Is("{{N}}test"))]),
        ],
    )
}

/// `TestAccResourceStageAuthenticatorDuo`: the required attributes, a rename, an import
/// verified but for the two secrets authentik never returns.
fn duo(v: TfVersion) {
    let config = |suffix: &str| {
        format!(
            r#"
resource "authentik_stage_authenticator_duo" "name" {{
  name          = "{{{{N}}}}{suffix}"
  client_id     = "foo"
  client_secret = "bar"
  api_hostname  = "http://foo.bar.baz"
}}"#
        )
    };
    let addr = "authentik_stage_authenticator_duo.name";
    run(
        v,
        vec![
            Step::Apply(config(""), name_check(addr)),
            Step::Apply(config("test"), vec![(addr, "name", Want::Is("{{N}}test"))]),
            Step::ImportVerify(addr, &["client_secret", "admin_secret_key"]),
        ],
    )
}

/// `TestAccResourceFlow`: every attribute the case sets, then name, title and slug renamed
/// (a slug change renames the flow in place).
fn flow(v: TfVersion) {
    let config = |suffix: &str| {
        format!(
            r#"
resource "authentik_flow" "flow" {{
  name           = "{{{{N}}}}{suffix}"
  title          = "{{{{N}}}}{suffix}"
  slug           = "{{{{N}}}}{suffix}"
  designation    = "authorization"
  authentication = "none"
  background     = "https://goauthentik.io"
  layout         = "stacked"
}}"#
        )
    };
    let addr = "authentik_flow.flow";
    run(
        v,
        vec![
            Step::Apply(config(""), name_check(addr)),
            Step::Apply(
                config("test"),
                vec![
                    (addr, "name", Want::Is("{{N}}test")),
                    (addr, "id", Want::Is("{{N}}test")),
                ],
            ),
        ],
    )
}

/// `TestAccResourceFlowStageBinding`: a stage bound into a new flow at order 0, then renamed
/// and moved to order 1. The official case binds an `authentik_stage_dummy`, which this
/// provider does not serve; a deny stage stands in for it (the binding takes any stage).
fn flow_stage_binding(v: TfVersion) {
    let config = |suffix: &str, order: u8| {
        format!(
            r#"
resource "authentik_stage_deny" "dummy" {{
  name = "{{{{N}}}}{suffix}"
}}

resource "authentik_flow" "flow" {{
  name        = "{{{{N}}}}{suffix}"
  title       = "{{{{N}}}}{suffix}"
  slug        = "{{{{N}}}}{suffix}"
  designation = "authorization"
}}

resource "authentik_flow_stage_binding" "dummy-flow" {{
  target = authentik_flow.flow.uuid
  stage  = authentik_stage_deny.dummy.id
  order  = {order}
}}"#
        )
    };
    let flow = "authentik_flow.flow";
    let binding = "authentik_flow_stage_binding.dummy-flow";
    run(
        v,
        vec![
            Step::Apply(
                config("", 0),
                vec![
                    (flow, "name", Want::Is("{{N}}")),
                    (binding, "target", Want::SameAs(flow, "uuid")),
                ],
            ),
            Step::Apply(
                config("test", 1),
                vec![
                    (flow, "name", Want::Is("{{N}}test")),
                    (binding, "order", Want::Is("1")),
                ],
            ),
            Step::ImportVerify(binding, &[]),
        ],
    )
}

/// `TestAccResourceStageIdentification`: user fields and a password stage on the page. The
/// official case also lists an OAuth source (`authentik_source_oauth`, not served here); the
/// configuration leaves `sources` out.
fn identification(v: TfVersion) {
    let config = |suffix: &str| {
        format!(
            r#"
data "authentik_flow" "default-authorization-flow" {{
  slug = "default-provider-authorization-implicit-consent"
}}

resource "authentik_stage_password" "name" {{
  name     = "{{{{N}}}}{suffix}-pass"
  backends = ["authentik.core.auth.InbuiltBackend"]
}}

resource "authentik_stage_identification" "name" {{
  name           = "{{{{N}}}}{suffix}-ident"
  user_fields    = ["username"]
  password_stage = authentik_stage_password.name.id
}}"#
        )
    };
    let addr = "authentik_stage_identification.name";
    run(
        v,
        vec![
            Step::Apply(config(""), vec![(addr, "name", Want::Is("{{N}}-ident"))]),
            Step::Apply(
                config("test"),
                vec![(addr, "name", Want::Is("{{N}}test-ident"))],
            ),
        ],
    )
}

/// `TestAccResourceStagePassword`, `…UserLogin`, `…UserLogout`, `…Deny` and
/// `TestAccResourcePolicyExpression` in one configuration (one Terraform run serves all five):
/// each case's attributes, then the rename. Stage names are unique across stage types, so each
/// stage's name carries its type.
fn stages_and_expression_policy(v: TfVersion) {
    let config = |suffix: &str| {
        format!(
            r#"
resource "authentik_stage_password" "name" {{
  name     = "{{{{N}}}}{suffix}-password"
  backends = ["authentik.core.auth.InbuiltBackend"]
}}

resource "authentik_stage_user_login" "name" {{
  name             = "{{{{N}}}}{suffix}-login"
  session_duration = "minutes=1"
}}

resource "authentik_stage_user_logout" "name" {{
  name = "{{{{N}}}}{suffix}-logout"
}}

resource "authentik_stage_deny" "name" {{
  name = "{{{{N}}}}{suffix}-deny"
}}

resource "authentik_policy_expression" "name" {{
  name       = "{{{{N}}}}{suffix}"
  expression = "return True"
}}

resource "authentik_policy_expression" "name-eot" {{
  name       = "{{{{N}}}}{suffix}-EOT"
  expression = <<EOT
return True
EOT
}}"#
        )
    };
    let checks = |suffix: &'static str| {
        vec![
            (
                "authentik_stage_password.name",
                "name",
                Want::Is(if suffix.is_empty() {
                    "{{N}}-password"
                } else {
                    "{{N}}test-password"
                }),
            ),
            (
                "authentik_stage_user_login.name",
                "name",
                Want::Is(if suffix.is_empty() {
                    "{{N}}-login"
                } else {
                    "{{N}}test-login"
                }),
            ),
            (
                "authentik_stage_user_login.name",
                "session_duration",
                Want::Is("minutes=1"),
            ),
            (
                "authentik_stage_user_logout.name",
                "name",
                Want::Is(if suffix.is_empty() {
                    "{{N}}-logout"
                } else {
                    "{{N}}test-logout"
                }),
            ),
            (
                "authentik_stage_deny.name",
                "name",
                Want::Is(if suffix.is_empty() {
                    "{{N}}-deny"
                } else {
                    "{{N}}test-deny"
                }),
            ),
            (
                "authentik_policy_expression.name",
                "name",
                Want::Is(if suffix.is_empty() {
                    "{{N}}"
                } else {
                    "{{N}}test"
                }),
            ),
        ]
    };
    run(
        v,
        vec![
            Step::Apply(config(""), checks("")),
            Step::Apply(config("test"), checks("test")),
        ],
    )
}

/// `TestAccResourcePolicyBinding` (the policy case): a policy bound at order 0, then order 1.
/// The official case binds an `authentik_policy_dummy` to an application, neither served here;
/// an expression policy bound to a flow stands in (the binding takes any policy and any
/// bindable target).
fn policy_binding(v: TfVersion) {
    let config = |order: u8| {
        format!(
            r#"
resource "authentik_policy_expression" "policy" {{
  name       = "{{{{N}}}}"
  expression = "return True"
}}

resource "authentik_flow" "flow" {{
  name        = "{{{{N}}}}-policy"
  title       = "{{{{N}}}}-policy"
  slug        = "{{{{N}}}}-policy"
  designation = "authorization"
}}

resource "authentik_policy_binding" "dummy-flow" {{
  target = authentik_flow.flow.uuid
  policy = authentik_policy_expression.policy.id
  order  = {order}
}}"#
        )
    };
    let policy = "authentik_policy_expression.policy";
    let binding = "authentik_policy_binding.dummy-flow";
    run(
        v,
        vec![
            Step::Apply(config(0), name_check(policy)),
            Step::Apply(
                config(1),
                vec![
                    (policy, "name", Want::Is("{{N}}")),
                    (binding, "order", Want::Is("1")),
                ],
            ),
            Step::ImportVerify(binding, &[]),
        ],
    )
}

/// `TestAccDataSourceStage`: a built-in stage by name.
fn data_stage(v: TfVersion) {
    let addr = "data.authentik_stage.default-authentication-identification";
    run(
        v,
        vec![Step::Apply(
            "data \"authentik_stage\" \"default-authentication-identification\" {\n  name = \"default-authentication-identification\"\n}".into(),
            vec![(addr, "name", Want::Is("default-authentication-identification"))],
        )],
    )
}

/// `TestAccDataSourceFlow`: a built-in flow by slug. The official case also expects
/// `authentication = "none"`, but authentik's own blueprint for this flow sets
/// `require_authenticated` (a real authentik answers that too), so the check here is the
/// server's value.
fn data_flow(v: TfVersion) {
    let addr = "data.authentik_flow.default-authorization-flow";
    run(
        v,
        vec![Step::Apply(
            "data \"authentik_flow\" \"default-authorization-flow\" {\n  slug = \"default-provider-authorization-implicit-consent\"\n}".into(),
            vec![
                (addr, "slug", Want::Is("default-provider-authorization-implicit-consent")),
                (addr, "designation", Want::Is("authorization")),
                (addr, "authentication", Want::Is("require_authenticated")),
            ],
        )],
    )
}

/// `TestAccDataSourceWebAuthnDeviceType`: a device type by description.
fn data_webauthn_device_type(v: TfVersion) {
    let addr = "data.authentik_webauthn_device_type.op";
    run(
        v,
        vec![Step::Apply(
            "data \"authentik_webauthn_device_type\" \"op\" {\n  description = \"1Password\"\n}"
                .into(),
            vec![
                (addr, "description", Want::Is("1Password")),
                (
                    addr,
                    "aaguid",
                    Want::Is("bada5566-a7aa-401f-bd96-45619a55120d"),
                ),
            ],
        )],
    )
}

/// `TestAccResourceStagePrompt` (with its prompt field), `TestAccResourceStageUserWrite`,
/// `TestAccResourceStageEmail`, `TestAccResourceStageConsent` and `TestAccResourceStageRedirect`,
/// replayed together in one configuration (stage names are unique across all types, so each
/// stage adds a short tag to the case's name): every value as the official cases set it, then
/// the rename of their second step; each step applied, re-planned empty and checked.
fn enrollment_types(v: TfVersion) {
    let config = |suffix: &str| {
        format!(
            r#"
resource "authentik_stage_prompt_field" "field" {{
  name      = "{{{{N}}}}{suffix}"
  field_key = "{{{{N}}}}{suffix}-test-field"
  label     = "a label"
  type      = "text"
  placeholder = <<-EOT
  try:
    return user.username
  except:
    return ''
  EOT
}}

resource "authentik_stage_prompt" "name" {{
  name   = "{{{{N}}}}{suffix}-prompt"
  fields = [authentik_stage_prompt_field.field.id]
}}

resource "authentik_stage_user_write" "name" {{
  name                     = "{{{{N}}}}{suffix}-write"
  create_users_as_inactive = false
}}

resource "authentik_stage_email" "name" {{
  name = "{{{{N}}}}{suffix}-email"
}}

resource "authentik_stage_consent" "name" {{
  name = "{{{{N}}}}{suffix}-consent"
}}

resource "authentik_stage_redirect" "name" {{
  name          = "{{{{N}}}}{suffix}-redirect"
  mode          = "static"
  target_static = "https://goauthentik.io"
}}"#
        )
    };
    let checks = |s: &'static str| -> Vec<(&'static str, &'static str, Want)> {
        let n = |tag: &str| Want::Text(format!("{{{{N}}}}{s}{tag}"));
        vec![
            ("authentik_stage_prompt_field.field", "name", n("")),
            (
                "authentik_stage_prompt_field.field",
                "placeholder",
                Want::Is("try:\n  return user.username\nexcept:\n  return ''\n"),
            ),
            ("authentik_stage_prompt.name", "name", n("-prompt")),
            (
                "authentik_stage_prompt.name",
                "fields.0",
                Want::SameAs("authentik_stage_prompt_field.field", "id"),
            ),
            ("authentik_stage_user_write.name", "name", n("-write")),
            (
                "authentik_stage_user_write.name",
                "create_users_as_inactive",
                Want::Is("false"),
            ),
            ("authentik_stage_email.name", "name", n("-email")),
            ("authentik_stage_consent.name", "name", n("-consent")),
            ("authentik_stage_redirect.name", "name", n("-redirect")),
            (
                "authentik_stage_redirect.name",
                "target_static",
                Want::Is("https://goauthentik.io"),
            ),
        ]
    };
    run(
        v,
        vec![
            Step::Apply(config(""), checks("")),
            Step::Apply(config("test"), checks("test")),
        ],
    )
}

per_version!(
    flow,
    flow_stage_binding,
    identification,
    stages_and_expression_policy,
    policy_binding,
    sms,
    email,
    validate,
    validate_rename,
    totp,
    static_tokens,
    webauthn,
    duo,
    data_stage,
    data_flow,
    data_webauthn_device_type,
    enrollment_types,
);

#[test]
fn flat_paths_read_like_the_official_framework() {
    let v = serde_json::json!({"a": "x", "n": 2, "f": 2.5, "b": true, "l": ["p", "q"], "z": null});
    assert_eq!(flat(&v, "a").as_deref(), Some("x"));
    assert_eq!(flat(&v, "n").as_deref(), Some("2"));
    assert_eq!(flat(&v, "f").as_deref(), Some("2.5"));
    assert_eq!(flat(&v, "b").as_deref(), Some("true"));
    assert_eq!(flat(&v, "l.#").as_deref(), Some("2"));
    assert_eq!(flat(&v, "l.1").as_deref(), Some("q"));
    assert_eq!(flat(&v, "z"), None);
    assert_eq!(flat(&v, "missing"), None);
    assert_ne!(random_name(), random_name());
}
