//! The protocol layer under real Terraform (1.0.3 and 1.15.5, via `dev_overrides`):
//! `validate` and `providers schema -json` against the provider binary, and a full
//! create / no-op plan / update / import / destroy cycle against the toy provider example
//! (`examples/toy_provider.rs`, built by `cargo test`), which has an attribute of every kind.

mod support;

use std::path::PathBuf;
use support::terraform::{Terraform, Workdir};

const PROVIDER_CONFIG: &str = r#"
terraform {
  required_providers {
    authentik = { source = "goauthentik/authentik" }
  }
}

provider "authentik" {
  url      = "https://authentik.example.com/sub/path"
  token    = "not-a-real-token"
  insecure = false
  headers  = { "X-Extra" = "1" }
}
"#;

#[test]
fn validate_and_schema_on_every_terraform() {
    for tf in Terraform::all() {
        let wd = Workdir::new(&tf, None);
        wd.write("main.tf", PROVIDER_CONFIG);
        let out = wd.run_ok(&["validate", "-no-color"]);
        out.assert_contains("The configuration is valid");

        let out = wd.run_ok(&["providers", "schema", "-json"]);
        let json = out.json();
        let provider = &json["provider_schemas"]["registry.terraform.io/goauthentik/authentik"]
            ["provider"]["block"]["attributes"];
        let expect = [
            ("url", serde_json::json!("string"), false),
            ("token", serde_json::json!("string"), true),
            ("insecure", serde_json::json!("bool"), false),
            ("headers", serde_json::json!(["map", "string"]), true),
            ("request_timeout", serde_json::json!("number"), false),
            ("max_retries", serde_json::json!("number"), false),
            ("retry_timeout", serde_json::json!("number"), false),
        ];
        for (name, ty, sensitive) in expect {
            let a = &provider[name];
            assert_eq!(a["type"], ty, "{} {name}: {out}", tf.version);
            assert_eq!(a["optional"], true, "{} {name}", tf.version);
            assert_eq!(
                a["sensitive"].as_bool().unwrap_or(false),
                sensitive,
                "{} {name}",
                tf.version
            );
            assert!(
                a["description"].as_str().is_some_and(|d| !d.is_empty()),
                "{} {name}",
                tf.version
            );
        }
        assert_eq!(
            provider.as_object().map(|o| o.len()),
            Some(7),
            "{}: exactly the seven provider attributes",
            tf.version
        );
        let resources = &json["provider_schemas"]["registry.terraform.io/goauthentik/authentik"]
            ["resource_schemas"];
        for r in [
            "authentik_stage_authenticator_sms",
            "authentik_stage_authenticator_email",
            "authentik_stage_authenticator_validate",
        ] {
            assert!(
                resources[r]["block"]["attributes"]["name"]["required"] == true,
                "{}: {r} missing from the schema",
                tf.version
            );
        }
        let auth_wo =
            &resources["authentik_stage_authenticator_sms"]["block"]["attributes"]["auth_wo"];
        if tf.version.at_least(1, 11) {
            assert_eq!(
                auth_wo["write_only"], true,
                "{}: auth_wo is write-only",
                tf.version
            );
        }
    }
}

/// `<target>/debug/examples/toy_provider`, copied into a fresh directory as
/// `terraform-provider-toy` (the name dev_overrides looks for).
fn toy_provider_dir(tag: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    let profile = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps");
    let toy = profile.join("examples").join("toy_provider");
    assert!(
        toy.is_file(),
        "{} is missing: `cargo test` builds examples; with a filtered run use `cargo build --examples` first",
        toy.display()
    );
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("toy-provider-{tag}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::copy(&toy, dir.join("terraform-provider-toy")).expect("copy toy provider");
    dir
}

const TOY_CONFIG: &str = r#"
terraform {
  required_providers {
    toy = { source = "example/toy" }
  }
}

provider "toy" {
  endpoint = "http://unused"
}

resource "toy_thing" "a" {
  name    = "alpha"
  size    = SIZE
  enabled = true
  tags    = ["x", "y"]
  labels  = ["l1", "l2"]
  meta    = { k = "v" }
  nested  = { a = "s", b = 123456789012345678901234567890 }
  extra   = { q = [1, 2] }
  secret  = "hush"
}

resource "toy_thing" "b" {
  name = toy_thing.a.id
  size = 0.1
  tags = [toy_thing.a.id, "z"]
}
"#;

#[test]
fn full_lifecycle_with_the_toy_provider() {
    for tf in Terraform::all() {
        let dir = toy_provider_dir(tf.version.as_str());
        let wd = Workdir::with_dev_overrides(&tf, &[("example/toy", &dir)]);
        wd.write("main.tf", &TOY_CONFIG.replace("SIZE", "1.5"));

        let out = wd.apply();
        out.assert_contains("Apply complete! Resources: 2 added");
        // The state holds exactly what was configured, numbers included.
        let state: serde_json::Value =
            serde_json::from_str(&wd.read("terraform.tfstate")).expect("state JSON");
        let attrs = &state["resources"][0]["instances"][0]["attributes"];
        assert_eq!(attrs["id"], "toy-alpha", "{}", tf.version);
        assert_eq!(attrs["size"].to_string(), "1.5");
        // serde_json would round the 30-digit number; check the exact digits in the text.
        assert!(wd
            .read("terraform.tfstate")
            .contains("123456789012345678901234567890"));

        // Nothing to do on a second plan: every value survived the round trip exactly.
        assert_eq!(wd.plan_detailed_exitcode(), 0, "{}: no drift", tf.version);

        // An in-place update, then a no-op again.
        wd.write("main.tf", &TOY_CONFIG.replace("SIZE", "2.25"));
        assert_eq!(
            wd.plan_detailed_exitcode(),
            2,
            "{}: size changes",
            tf.version
        );
        wd.apply().assert_contains("1 changed");
        assert_eq!(wd.plan_detailed_exitcode(), 0, "{}", tf.version);

        // Import a new object by ID.
        wd.write(
            "main.tf",
            &format!(
                "{}\nresource \"toy_thing\" \"imp\" {{\n  name = \"imp-1\"\n}}\n",
                TOY_CONFIG.replace("SIZE", "2.25")
            ),
        );
        wd.run_ok(&["import", "-no-color", "toy_thing.imp", "imp-1"])
            .assert_contains("Import successful");
        assert_eq!(
            wd.plan_detailed_exitcode(),
            0,
            "{}: import matches",
            tf.version
        );

        let out = wd.run_ok(&["destroy", "-auto-approve", "-no-color"]);
        out.assert_contains("3 destroyed");
    }
}
