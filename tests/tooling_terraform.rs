//! The Terraform harness itself: both real Terraform versions run, the
//! dev_overrides path works without `terraform init`, and the release-like
//! filesystem-mirror path inits and applies offline with HashiCorp's Go null
//! provider. Everything here fails (never skips) when `scripts/install-terraform`
//! has not been run.

mod support;

use support::terraform::{null_provider_binary, MirrorProvider, Terraform, TfVersion, Workdir};

const NULL_CONFIG: &str = r#"
terraform {
  required_providers {
    null = {
      source  = "hashicorp/null"
      version = "2.1.2"
    }
  }
}

resource "null_resource" "a" {
  triggers = {
    greeting = "hello world"
  }
}
"#;

#[test]
fn each_version_reports_its_version() {
    for v in TfVersion::all() {
        let tf = Terraform::find(v);
        let wd = Workdir::with_cli_config(&tf, "");
        let out = wd.run_ok(&["version", "-json"]);
        let json = out.json();
        assert_eq!(
            json["terraform_version"].as_str(),
            Some(v.as_str()),
            "wrong version\n{out}"
        );
        let out = wd.run_ok(&["version"]);
        assert!(
            out.stdout.starts_with(&format!("Terraform v{v}\n")),
            "wrong version line\n{out}"
        );
    }
}

#[test]
fn harness_scrubs_inherited_terraform_env() {
    let tf = Terraform::find(TfVersion::V1_0_3);
    let mut wd = Workdir::with_cli_config(&tf, "");
    wd.env("TF_LOG", "off");
    let env = wd.command_env();
    let last = |k: &str| {
        env.iter()
            .rev()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(last("CHECKPOINT_DISABLE"), Some(Some("1".into())));
    assert_eq!(last("TF_IN_AUTOMATION"), Some(Some("1".into())));
    assert_eq!(last("TF_INPUT"), Some(Some("0".into())));
    assert_eq!(last("TF_LOG"), Some(Some("off".into())));
    assert_eq!(last("RUST_BACKTRACE"), Some(None));
    assert_eq!(
        last("TF_CLI_CONFIG_FILE"),
        Some(Some(wd.cli_config_path().to_string_lossy().into_owned()))
    );
}

/// fmt, validate, plan and apply of a configuration without providers, no
/// init: what every dev_overrides test relies on Terraform doing.
#[test]
fn runs_without_init_on_both_versions() {
    for tf in Terraform::all() {
        let wd = Workdir::with_cli_config(&tf, "");
        wd.write(
            "main.tf",
            "variable \"v\" {\ntype = string\ndefault = \"a b\"\n}\noutput \"o\" {\n  value = var.v\n}\n",
        );
        let out = wd.run(&["fmt", "-check", "-no-color"]);
        assert_eq!(out.code, 3, "fmt -check should flag main.tf\n{out}");
        wd.run_ok(&["fmt", "-no-color"]);
        assert!(wd.read("main.tf").contains("  type    = string"));
        wd.run_ok(&["fmt", "-check"]);

        // stdin reaches terraform (through the python wrapper for 1.15.5 too).
        let out = wd.run_with_stdin(&["fmt", "-"], Some("output \"x\" {\nvalue = 1\n}\n"));
        out.assert_success();
        assert_eq!(out.stdout, "output \"x\" {\n  value = 1\n}\n", "{out}");

        wd.validate();
        assert_eq!(wd.plan_detailed_exitcode(), 2, "the output is a change");
        let plan = wd.plan_json();
        assert_eq!(plan["planned_values"]["outputs"]["o"]["value"], "a b");
        wd.run_ok(&["apply", "-auto-approve", "-var", "v=two  spaces here"]);
        let out = wd.run_ok(&["output", "-raw", "o"]);
        assert_eq!(out.stdout, "two  spaces here", "{out}");
        assert_eq!(
            wd.state_json()["values"]["outputs"]["o"]["value"],
            "two  spaces here"
        );
        let out = wd.run(&["no-such-command"]);
        assert_ne!(out.code, 0, "{out}");
    }
}

/// The dev_overrides path with a real provider (the Go null provider stands
/// in for ours here): plan/apply/show with no init, on both versions.
#[test]
fn dev_overrides_apply_without_init() {
    let null = null_provider_binary();
    for tf in Terraform::all() {
        let provider_dir = tempdir_with_link(&null, "terraform-provider-null");
        let wd = Workdir::with_dev_overrides(&tf, &[("hashicorp/null", provider_dir.path())]);
        wd.write("main.tf", NULL_CONFIG);
        let out = wd.apply();
        out.assert_contains("Apply complete! Resources: 1 added");
        assert_eq!(wd.plan_detailed_exitcode(), 0, "second plan is clean");
        let state = wd.state_json();
        let res = &state["values"]["root_module"]["resources"][0];
        assert_eq!(res["address"], "null_resource.a");
        assert_eq!(res["values"]["triggers"]["greeting"], "hello world");
        let schema = wd.providers_schema_json();
        assert!(
            schema["provider_schemas"]["registry.terraform.io/hashicorp/null"]["resource_schemas"]
                ["null_resource"]
                .is_object(),
            "{schema}"
        );
        wd.destroy();
        assert_eq!(
            wd.state_json()["values"]["root_module"]["resources"],
            serde_json::Value::Null
        );
        assert!(
            !wd.path().join(".terraform").exists(),
            "dev_overrides must not need init"
        );
    }
}

/// The release-like path: a filesystem mirror and a real offline init.
#[test]
fn filesystem_mirror_inits_and_applies_go_null_provider() {
    for tf in Terraform::all() {
        let wd = Workdir::with_filesystem_mirror(&tf, &[MirrorProvider::go_null()]);
        wd.write("main.tf", NULL_CONFIG);
        let out = wd.init();
        out.assert_contains("hashicorp/null");
        assert!(
            wd.read(".terraform.lock.hcl")
                .contains("registry.terraform.io/hashicorp/null"),
            "init writes a lock file"
        );
        let plan = wd.plan_json();
        assert_eq!(
            plan["resource_changes"][0]["change"]["actions"],
            serde_json::json!(["create"]),
            "{plan}"
        );
        wd.apply();
        assert_eq!(wd.plan_detailed_exitcode(), 0);
        let state = wd.state_json();
        assert_eq!(
            state["terraform_version"].as_str(),
            Some(tf.version.as_str())
        );
        let resources = state["values"]["root_module"]["resources"]
            .as_array()
            .unwrap_or_else(|| panic!("no resources in state: {state}"));
        assert_eq!(resources.len(), 1, "{state}");
        let res = &resources[0];
        assert_eq!(res["address"], "null_resource.a");
        assert_eq!(res["type"], "null_resource");
        assert_eq!(res["provider_name"], "registry.terraform.io/hashicorp/null");
        assert_eq!(res["values"]["triggers"]["greeting"], "hello world");
        assert!(
            res["values"]["id"]
                .as_str()
                .is_some_and(|id| !id.is_empty()),
            "{state}"
        );

        // Changing a trigger replaces the resource.
        wd.write("main.tf", &NULL_CONFIG.replace("hello world", "bye"));
        assert_eq!(wd.plan_detailed_exitcode(), 2);
        wd.apply();
        assert_eq!(
            wd.state_json()["values"]["root_module"]["resources"][0]["values"]["triggers"]
                ["greeting"],
            "bye"
        );
        wd.destroy();
    }
}

/// A scratch directory holding a hard link (or copy) of `bin` named `name`.
fn tempdir_with_link(bin: &std::path::Path, name: &str) -> ScratchDir {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "null-dev-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let dest = dir.join(name);
    if std::fs::hard_link(bin, &dest).is_err() {
        std::fs::copy(bin, &dest).unwrap();
    }
    ScratchDir(dir)
}

struct ScratchDir(std::path::PathBuf);

impl ScratchDir {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `Workdir::new` finds the provider cargo built for this package and writes
/// a CLI config both Terraform versions accept without complaint.
#[test]
fn workdir_new_dev_overrides_the_built_provider() {
    let dir = support::terraform::provider_dir();
    assert!(dir.join("terraform-provider-authentik").is_file());
    for tf in Terraform::all() {
        let wd = Workdir::new(&tf, None);
        let config = wd.read(".terraformrc");
        assert!(
            config.contains(&format!(
                "\"goauthentik/authentik\" = \"{}\"",
                dir.display()
            )),
            "{config}"
        );
        let out = wd.run_ok(&["version"]);
        assert!(
            !out.stderr.contains("problems with the CLI configuration"),
            "{out}"
        );
    }
}

/// A command that outlives its timeout is killed with its whole process
/// group (here a local-exec `sleep` under the null provider) and the test
/// panics instead of hanging.
#[test]
fn timeout_kills_terraform_and_its_children() {
    let null = null_provider_binary();
    for tf in Terraform::all() {
        let provider_dir = tempdir_with_link(&null, "terraform-provider-null");
        let mut wd = Workdir::with_dev_overrides(&tf, &[("hashicorp/null", provider_dir.path())]);
        let marker = format!("tf-timeout-marker-{}-{}", std::process::id(), tf.version);
        wd.write(
            "main.tf",
            &format!(
                r#"resource "null_resource" "slow" {{
  provisioner "local-exec" {{
    command = "sleep 60; echo {marker}"
  }}
}}
"#
            ),
        );
        wd.timeout(std::time::Duration::from_secs(5));
        let start = std::time::Instant::now();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| wd.apply()));
        let err = result.expect_err("apply should have timed out");
        let msg = err.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(msg.contains("timed out"), "{msg}");
        assert!(start.elapsed() < std::time::Duration::from_secs(30));
        std::thread::sleep(std::time::Duration::from_millis(200));
        let ps = std::process::Command::new("pgrep")
            .args(["-f", &marker])
            .output()
            .expect("pgrep");
        assert!(
            ps.stdout.is_empty(),
            "the provisioner's sleep survived the timeout: {}",
            String::from_utf8_lossy(&ps.stdout)
        );
    }
}
