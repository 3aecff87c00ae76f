//! Bad input, faults and secrets, end to end with real Terraform against the API double:
//! every invalid configuration fails at plan before any API write, with its attribute and an
//! actionable message; 50 stages apply through 20% injected faults with nothing lost or
//! duplicated; no secret ever reaches a log or a diagnostic.

mod e2e;
mod support;

use e2e::{Ctx, HEADER};
use support::terraform::TfVersion;

/// (resource body, attribute that must be named, a phrase of the actionable message)
type Bad = (&'static str, &'static str, &'static str);

const SMS_BASE: &str = r#"name = "sms"
  sms_provider = "twilio"
  from_number = "+1555"
  account_sid = "AC1"
  auth = "tok""#;

fn sms(extra: &str) -> String {
    let mut lines: Vec<String> = SMS_BASE.lines().map(str::to_string).collect();
    for e in extra.lines() {
        let key = e.split('=').next().unwrap_or("").trim();
        lines.retain(|l| l.split('=').next().unwrap_or("").trim() != key);
        lines.push(e.to_string());
    }
    format!(
        "resource \"authentik_stage_authenticator_sms\" \"t\" {{\n  {}\n}}",
        lines.join("\n  ")
    )
}

fn email(extra: &str) -> String {
    format!("resource \"authentik_stage_authenticator_email\" \"t\" {{\n  name = \"mail\"\n  {extra}\n}}")
}

fn validate(extra: &str) -> String {
    let name = if extra.starts_with("name") {
        ""
    } else {
        "name = \"v\"\n  "
    };
    format!("resource \"authentik_stage_authenticator_validate\" \"t\" {{\n  {name}{extra}\n}}")
}

fn stage(ty: &str, required: &str, extra: &str) -> String {
    let mut lines: Vec<String> = required.lines().map(str::to_string).collect();
    for e in extra.lines() {
        let key = e.split('=').next().unwrap_or("").trim();
        lines.retain(|l| l.split('=').next().unwrap_or("").trim() != key);
        lines.push(e.to_string());
    }
    format!(
        "resource \"authentik_stage_authenticator_{ty}\" \"t\" {{\n  {}\n}}",
        lines.join("\n  ")
    )
}

const DUO_BASE: &str = "name = \"duo\"\nclient_id = \"DI1\"\nclient_secret = \"s\"\napi_hostname = \"api-1.duosecurity.com\"";

fn catalogue() -> Vec<(String, &'static str, &'static str)> {
    let sms_cases: &[Bad] = &[
        ("sms_provider = \"nexmo\"", "sms_provider", "Use one of"),
        ("auth_type = \"digest\"", "auth_type", "Use one of"),
        (
            "configure_flow = \"my-flow\"",
            "configure_flow",
            "not a UUID",
        ),
        ("mapping = \"not-a-uuid\"", "mapping", "not a UUID"),
        ("name = \"\"", "name", "must not be blank"),
        ("name = \"   \"", "name", "must not be blank"),
        ("from_number = \"\"", "from_number", "must not be blank"),
        ("account_sid = \"\"", "account_sid", "must not be blank"),
        ("auth = \"\"", "auth", "must not be blank"),
        ("auth = null", "auth", "set `auth`"),
        ("auth_wo = \"x\"", "auth_wo", "Terraform 1.11"),
        (
            "auth_password_wo = \"x\"",
            "auth_password_wo",
            "Terraform 1.11",
        ),
    ];
    let email_cases: &[Bad] = &[
        ("port = 0", "port", "between 1 and 65535"),
        ("port = 70000", "port", "between 1 and 65535"),
        ("port = -25", "port", "between 1 and 65535"),
        ("port = 25.5", "port", "whole number"),
        ("timeout = 0", "timeout", "positive"),
        ("timeout = -5", "timeout", "positive"),
        ("from_address = \"nobody\"", "from_address", "email"),
        ("from_address = \"a@b\"", "from_address", "email"),
        (
            "from_address = \"${join(\"\", [for i in range(250) : \"a\"])}@example.com\"",
            "from_address",
            "254",
        ),
        (
            "token_expiry = \"hours=1,minutes=2\"",
            "token_expiry",
            "not `,`",
        ),
        (
            "token_expiry = \"hours=1;\"",
            "token_expiry",
            "trailing `;`",
        ),
        (
            "token_expiry = \"fortnights=2\"",
            "token_expiry",
            "no known duration key",
        ),
        ("token_expiry = \"1h\"", "token_expiry", "hours=3;minutes=1"),
        (
            "token_expiry = \"hours=abc\"",
            "token_expiry",
            "must be a number",
        ),
        ("use_tls = true\n  use_ssl = true", "use_ssl", "at most one"),
        ("host = \"\"", "host", "must not be blank"),
        ("subject = \" \"", "subject", "must not be blank"),
        ("template = \"\"", "template", "must not be blank"),
        (
            "configure_flow = \"default-authenticator-email-setup\"",
            "configure_flow",
            "not a UUID",
        ),
        ("password_wo = \"x\"", "password_wo", "Terraform 1.11"),
    ];
    let validate_cases: &[Bad] = &[
        (
            "not_configured_action = \"ignore\"",
            "not_configured_action",
            "Use one of",
        ),
        (
            "not_configured_action = \"configure\"",
            "configuration_stages",
            "at least one stage",
        ),
        (
            "not_configured_action = \"configure\"\n  configuration_stages = []",
            "configuration_stages",
            "at least one stage",
        ),
        ("device_classes = []", "device_classes", "must not be empty"),
        (
            "device_classes = [\"sms\", \"carrier-pigeon\"]",
            "device_classes",
            "Use one of",
        ),
        (
            "configuration_stages = [\"email-setup\"]",
            "configuration_stages",
            "not a UUID",
        ),
        (
            "last_auth_threshold = \"hours=1;\"",
            "last_auth_threshold",
            "trailing `;`",
        ),
        (
            "last_auth_threshold = \"minutes=5,seconds=3\"",
            "last_auth_threshold",
            "not `,`",
        ),
        (
            "webauthn_user_verification = \"always\"",
            "webauthn_user_verification",
            "Use one of",
        ),
        (
            "webauthn_allowed_device_types = [\"yubikey\"]",
            "webauthn_allowed_device_types",
            "not a UUID",
        ),
        ("webauthn_hints = [\"usb\"]", "webauthn_hints", "Use one of"),
        (
            "email_otp_throttling_factor = -1",
            "email_otp_throttling_factor",
            "at least 0",
        ),
        ("name = \"\"", "name", "must not be blank"),
    ];
    let new_stage_cases: &[(&str, &str, &str, &str)] = &[
        ("totp", "digits = \"7\"", "digits", "Use one of"),
        ("totp", "digits = 10", "digits", "Use one of"),
        (
            "totp",
            "configure_flow = \"default-authenticator-totp-setup\"",
            "configure_flow",
            "not a UUID",
        ),
        ("totp", "name = \" \"", "name", "must not be blank"),
        (
            "static",
            "token_length = 101",
            "token_length",
            "at most 100",
        ),
        ("static", "token_count = -1", "token_count", "between 0 and"),
        ("static", "token_count = 2.5", "token_count", "whole number"),
        (
            "webauthn",
            "user_verification = \"always\"",
            "user_verification",
            "Use one of",
        ),
        (
            "webauthn",
            "resident_key_requirement = \"maybe\"",
            "resident_key_requirement",
            "Use one of",
        ),
        (
            "webauthn",
            "authenticator_attachment = \"\"",
            "authenticator_attachment",
            "Use one of",
        ),
        (
            "webauthn",
            "authenticator_attachment = \"usb\"",
            "authenticator_attachment",
            "Use one of",
        ),
        (
            "webauthn",
            "device_type_restrictions = [\"yubikey\"]",
            "device_type_restrictions",
            "not a UUID",
        ),
        (
            "webauthn",
            "max_attempts = -1",
            "max_attempts",
            "0 means unlimited",
        ),
        ("webauthn", "hints = [\"usb\"]", "hints", "Use one of"),
        (
            "duo",
            "client_secret = null",
            "client_secret",
            "set `client_secret`",
        ),
        (
            "duo",
            "client_secret = \"\"",
            "client_secret",
            "must not be blank",
        ),
        (
            "duo",
            "api_hostname = \"\"",
            "api_hostname",
            "must not be blank",
        ),
        (
            "duo",
            "client_id = \"  \"",
            "client_id",
            "must not be blank",
        ),
        (
            "duo",
            "admin_secret_key_wo = \"x\"",
            "admin_secret_key_wo",
            "Terraform 1.11",
        ),
    ];
    let mut all: Vec<(String, &str, &str)> = Vec::new();
    for (ty, extra, attr, msg) in new_stage_cases {
        let base = if *ty == "duo" {
            DUO_BASE
        } else {
            "name = \"s\""
        };
        all.push((stage(ty, base, extra), attr, msg));
    }
    for (body, attr, msg) in [
        (
            "data \"authentik_stage\" \"s\" {}",
            "name",
            "Set at least one of",
        ),
        (
            "data \"authentik_flow\" \"f\" {\n  slug = \"\"\n}",
            "slug",
            "must not be blank",
        ),
        (
            "data \"authentik_webauthn_device_type\" \"t\" {\n  aaguid = \"yubikey\"\n}",
            "aaguid",
            "not a UUID",
        ),
        (
            "data \"authentik_webauthn_device_types\" \"t\" {}",
            "`description`, `search`",
            "never returns them all",
        ),
        (
            "data \"authentik_webauthn_device_types\" \"t\" {\n  search = \" \"\n}",
            "search",
            "must not be blank",
        ),
    ] {
        all.push((body.to_string(), attr, msg));
    }
    all.extend(sms_cases.iter().map(|(b, a, m)| (sms(b), *a, *m)));
    all.extend(email_cases.iter().map(|(b, a, m)| (email(b), *a, *m)));
    all.extend(validate_cases.iter().map(|(b, a, m)| (validate(b), *a, *m)));
    // Provider block mistakes.
    for (block, attr, msg) in [
        ("url = \"authentik.example.com\"", "url", "http(s) URL"),
        (
            "request_timeout = 0",
            "request_timeout",
            "whole number from 1",
        ),
        ("max_retries = -1", "max_retries", "whole number from 0"),
        (
            "retry_timeout = 1.5",
            "retry_timeout",
            "whole number from 0",
        ),
    ] {
        all.push((
            format!("provider \"authentik\" {{\n  {block}\n}}\n{}", email("")),
            attr,
            msg,
        ));
    }
    all
}

/// At least 40 invalid configurations, each rejected by `terraform plan` before any API write,
/// naming its attribute and saying what is allowed. Terraform 1.0.3: the oldest supported
/// client, where write-only attributes must be refused.
#[test]
fn invalid_configurations_fail_at_plan() {
    let cases = catalogue();
    assert!(
        cases.len() >= 40,
        "catalogue has only {} cases",
        cases.len()
    );
    let ctx = Ctx::new(TfVersion::V1_0_3, &[]);
    let mut failures = Vec::new();
    for (i, (body, attr, msg)) in cases.iter().enumerate() {
        let header = if body.starts_with("provider") {
            HEADER.replace("provider \"authentik\" {}", "")
        } else {
            HEADER.to_string()
        };
        ctx.wd.write("main.tf", &format!("{header}\n{body}\n"));
        ctx.dbl.clear_requests();
        let out = ctx.wd.run(&["plan", "-no-color", "-input=false"]);
        // Terraform wraps long lines: compare with whitespace folded.
        let text = out
            .combined()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let writes = ctx.writes();
        if out.success() {
            failures.push(format!("case {i} ({attr}): plan succeeded\n{body}"));
        } else if !text.contains(attr) || !text.contains(msg) {
            failures.push(format!(
                "case {i}: expected `{attr}` and {msg:?} in the error\n{body}\n{text}"
            ));
        } else if !writes.is_empty() {
            failures.push(format!(
                "case {i} ({attr}): API writes happened: {writes:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases wrong:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Keys the server silently skips are a warning, not an error.
#[test]
fn skipped_duration_keys_warn() {
    let ctx = Ctx::new(TfVersion::V1_15_5, &[]);
    ctx.config(&email("token_expiry = \"hours=1; minutes=3\""));
    let out = ctx.wd.run_ok(&["plan", "-no-color", "-input=false"]);
    assert!(
        out.combined().contains("Warning") && out.combined().contains("\" minutes\""),
        "{out}"
    );
}

/// 50 stages through a server that fails 20% of requests (503, 429, dropped connections, slow
/// answers): one apply succeeds, exactly 50 stages exist, the plan is empty.
fn fifty_stages_through_faults(v: TfVersion) {
    let ctx = Ctx::new(v, &["--fault-rate", "0.2", "--seed", "7"]);
    ctx.config(
        r#"
resource "authentik_stage_authenticator_email" "many" {
  count   = 50
  name    = "fault-${count.index}"
  subject = "Code ${count.index}"
}"#,
    );
    ctx.wd.apply();
    let stages = ctx.dbl.stages();
    assert_eq!(
        stages.len(),
        50,
        "exactly the 50 expected stages, no duplicates"
    );
    let mut names: Vec<String> = stages
        .iter()
        .filter_map(|s| s["name"].as_str().map(str::to_string))
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 50);
    assert_eq!(
        ctx.wd.plan_detailed_exitcode(),
        0,
        "plan after the faulty apply must be empty"
    );
    // Refreshes are served from list pages now, so the run makes few more requests than the 50
    // creates: about 20% of ~55 get a fault (slow answers included).
    let requests = ctx.dbl.requests();
    let faults = requests.iter().filter(|r| r["fault"].is_string()).count();
    let failed = requests
        .iter()
        .filter(|r| r["status"].as_u64().is_none_or(|s| s >= 429))
        .count();
    assert!(
        faults >= 5 && failed >= 3,
        "the double should have injected faults: {faults} of {} requests, {failed} failed",
        requests.len()
    );
}

const SECRETS: [&str; 8] = [
    "tok-SECRET-api-token",
    "sms-SECRET-auth",
    "sms-SECRET-password",
    "mail-SECRET-password",
    "hdr-SECRET-value",
    "wo-SECRET-value",
    "duo-SECRET-client",
    "duo-SECRET-admin",
];

/// apply, plan, import and destroy at TF_LOG=trace: no secret, token or header value in the log
/// file or in any output.
fn no_secrets_in_logs(v: TfVersion) {
    let tf = support::terraform::Terraform::find(v);
    let dbl = support::double::Double::start(&["--token", SECRETS[0]]);
    let mut wd = support::terraform::Workdir::new(&tf, None);
    let log = wd.path().join("trace.log");
    wd.env("AUTHENTIK_URL", &dbl.url)
        .env("AUTHENTIK_TOKEN", SECRETS[0])
        .env("TF_LOG", "trace")
        .env("TF_LOG_PATH", &log);
    let wo = if v.at_least(1, 11) {
        format!(
            "auth_password_wo = \"{}\"\n  auth_password_wo_version = 1",
            SECRETS[5]
        )
    } else {
        format!("auth_password = \"{}\"", SECRETS[5])
    };
    let config = format!(
        r#"
terraform {{
  required_providers {{
    authentik = {{ source = "goauthentik/authentik" }}
  }}
}}
provider "authentik" {{
  headers = {{ "X-Proxy-Secret" = "{hdr}" }}
}}
resource "authentik_stage_authenticator_sms" "t" {{
  name          = "sms"
  sms_provider  = "generic"
  from_number   = "+1555"
  account_sid   = "https://sms.example.com/send"
  auth          = "{auth}"
  {wo}
}}
resource "authentik_stage_authenticator_sms" "u" {{
  name          = "sms2"
  sms_provider  = "generic"
  from_number   = "+1555"
  account_sid   = "https://sms.example.com/send"
  auth          = "x"
  auth_password = "{pw}"
}}
resource "authentik_stage_authenticator_email" "t" {{
  name     = "mail"
  password = "{mail}"
}}
resource "authentik_stage_authenticator_duo" "t" {{
  name             = "duo"
  client_id        = "DI1"
  client_secret    = "{duo}"
  api_hostname     = "api-1.duosecurity.com"
  admin_secret_key = "{duo_admin}"
}}
"#,
        duo = SECRETS[6],
        duo_admin = SECRETS[7],
        hdr = SECRETS[4],
        auth = SECRETS[1],
        pw = SECRETS[2],
        mail = SECRETS[3],
    );
    wd.write("main.tf", &config);
    let mut outputs = vec![wd.apply(), wd.run(&["plan", "-no-color", "-input=false"])];
    outputs.push(wd.run_ok(&["state", "rm", "authentik_stage_authenticator_email.t"]));
    outputs.push(wd.import("authentik_stage_authenticator_email.t", "name:mail"));
    // Duo's secrets cannot be imported: the apply after the import sends them again.
    outputs.push(wd.run_ok(&["state", "rm", "authentik_stage_authenticator_duo.t"]));
    outputs.push(wd.import("authentik_stage_authenticator_duo.t", "name:duo"));
    outputs.push(wd.apply());
    // A failing call too: its diagnostics must not echo secrets either.
    wd.write("extra.tf", "resource \"authentik_stage_authenticator_email\" \"clash\" {\n  name = \"sms\"\n  password = \"mail-SECRET-password\"\n}\n");
    outputs.push(wd.run(&["apply", "-auto-approve", "-no-color", "-input=false"]));
    wd.remove("extra.tf");
    outputs.push(wd.destroy());
    let log_text = std::fs::read_to_string(&log).expect("TF_LOG_PATH log written");
    assert!(
        log_text.contains("terraform-provider-authentik"),
        "the log should include the provider's lines"
    );
    for secret in SECRETS {
        let n = log_text.matches(secret).count();
        assert_eq!(n, 0, "{secret} appears {n} times in the trace log");
        for o in &outputs {
            assert!(
                !o.combined().contains(secret),
                "{secret} appears in command output:\n{o}"
            );
        }
    }
}

per_version!(fifty_stages_through_faults, no_secrets_in_logs);
