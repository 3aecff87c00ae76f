//! Installing like any provider, on Terraform 1.0.3 and 1.15.5, with no development override:
//! `scripts/release` packages the provider, lays out a mirror, and `terraform init` installs from
//! it (filesystem mirror and HTTPS network mirror) and locks the archive's hash; a tampered or
//! corrupted archive is refused; and state written by the official provider is picked up through
//! both documented migration paths with nothing to change. Every CLI configuration and command
//! here is the one `docs/index.md` ("Installing") shows, which a test below checks.
//!
//! `scripts/release` packages the debug build this test run already has (`--binary`), once per
//! mirror address: the archive layout, names, hashes and mirror files are the same as for a real
//! release, without a second (LTO) build of the provider.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};

use base64::Engine as _;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use support::double::Double;
use support::terraform::{provider_dir, repo_root, Terraform, TfVersion, Workdir, PROVIDER_BINARY};

/// The official provider's address, which configurations already use.
const OFFICIAL: &str = "registry.terraform.io/goauthentik/authentik";
/// The new address of the second migration path (as `docs/index.md` writes it).
const NEW_ADDRESS: &str = "terraform.example.com/acme/authentik";
/// The mirror directory and network mirror URL `docs/index.md` writes.
const DOCS_MIRROR: &str = "/opt/terraform/providers";
const DOCS_NETWORK_MIRROR: &str = "https://terraform.example.com/providers/";
/// The version the official provider's lock file holds in the migration tests.
const OFFICIAL_VERSION: &str = "2025.10.0";
/// What the official provider (plugin SDK v2) keeps as private data: `{"schema_version":"0"}`.
const SDK_V2_PRIVATE: &str = "eyJzY2hlbWFfdmVyc2lvbiI6IjAifQ==";
/// Terraform's own words for an archive that is not the one locked.
const CHECKSUM_MISMATCH: &str =
    "doesn't match any of the checksums previously recorded in the dependency lock file";

fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The CLI configuration for a filesystem mirror, as the docs show it.
fn filesystem_mirror_config(path: &str, address: &str) -> String {
    format!(
        "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{path}\"\n    include = [\"{address}\"]\n  }}\n  direct {{\n    exclude = [\"{address}\"]\n  }}\n}}\n"
    )
}

/// The CLI configuration for a network mirror, as the docs show it.
fn network_mirror_config(url: &str, address: &str) -> String {
    format!(
        "provider_installation {{\n  network_mirror {{\n    url     = \"{url}\"\n    include = [\"{address}\"]\n  }}\n  direct {{\n    exclude = [\"{address}\"]\n  }}\n}}\n"
    )
}

/// The `terraform` block of a configuration using `source` at `version`.
fn required_providers(source: &str, version: &str) -> String {
    format!(
        "terraform {{\n  required_providers {{\n    authentik = {{\n      source  = \"{source}\"\n      version = \"{version}\"\n    }}\n  }}\n}}\n"
    )
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Terraform's `h1:` hash of a package holding one file (Go's dirhash Hash1: the sha256 of the
/// lines "<sha256 hex>  <name>\n" of every file, base64).
fn h1(name: &str, contents: &[u8]) -> String {
    let summary = format!("{}  {name}\n", hex(&sha256(contents)));
    format!(
        "h1:{}",
        base64::engine::general_purpose::STANDARD.encode(sha256(summary.as_bytes()))
    )
}

/// The provider binary `scripts/release` packages here, and what it is called in the archive.
fn binary() -> PathBuf {
    provider_dir().join(PROVIDER_BINARY)
}

fn member() -> String {
    format!("{PROVIDER_BINARY}_v{}", version())
}

fn zip_name() -> String {
    format!("{PROVIDER_BINARY}_{}_linux_amd64.zip", version())
}

/// Where this test binary keeps its release files (earlier runs' are removed first).
fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("install");
        let _ = std::fs::remove_dir_all(&base);
        let dir = base.join(std::process::id().to_string());
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        dir
    })
}

/// Runs `scripts/release ARGS`; panics with its output unless it succeeds.
fn run_release(args: &[&str]) -> String {
    let script = repo_root().join("scripts/release");
    let out = Command::new(&script)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "scripts/release {args:?} failed:\n{text}"
    );
    text
}

/// (the release directory, the mirror directory), made once.
type Made = Arc<OnceLock<(PathBuf, PathBuf)>>;

/// A release of the test build plus a mirror for `address`, made once per address:
/// (the release directory, the mirror directory).
fn release(address: &str) -> (PathBuf, PathBuf) {
    static MADE: OnceLock<Mutex<BTreeMap<String, Made>>> = OnceLock::new();
    let slot = {
        let mut made = MADE
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        made.entry(address.to_string()).or_default().clone()
    };
    slot.get_or_init(|| {
        let name = address.replace(['/', '.'], "_");
        let dist = scratch().join(format!("dist-{name}"));
        let mirror = scratch().join(format!("mirror-{name}"));
        let binary = binary();
        let output = run_release(&[
            "--binary",
            &binary.to_string_lossy(),
            "--out",
            &dist.to_string_lossy(),
            "--mirror",
            &mirror.to_string_lossy(),
            "--address",
            address,
        ]);
        assert!(output.contains("built linux_amd64"), "{output}");
        (dist, mirror)
    })
    .clone()
}

/// The directory of `address` in a mirror.
fn in_mirror(mirror: &Path, address: &str) -> PathBuf {
    mirror.join(address)
}

/// The `version` and `hashes` of `address` in a lock file.
fn locked(lock: &str, address: &str) -> Option<(String, Vec<String>)> {
    let start = lock.find(&format!("provider \"{address}\" {{"))?;
    let block = &lock[start..];
    let block = &block[..block.find("\n}").unwrap_or(block.len())];
    let version = block
        .lines()
        .find_map(|l| l.trim().strip_prefix("version"))
        .map(|v| {
            v.trim()
                .trim_start_matches('=')
                .trim()
                .trim_matches('"')
                .to_string()
        })?;
    let hashes = block
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("\"h1:") || l.starts_with("\"zh:"))
        .map(|l| l.trim_end_matches(',').trim_matches('"').to_string())
        .collect();
    Some((version, hashes))
}

/// Asserts the lock file pins `address` at our version with the archive's hashes only.
#[track_caller]
fn assert_locked_to_the_archive(wd: &Workdir, address: &str, zip: &Path) {
    let lock = wd.read(".terraform.lock.hcl");
    let (locked_version, hashes) =
        locked(&lock, address).unwrap_or_else(|| panic!("{address} not in the lock file:\n{lock}"));
    assert_eq!(locked_version, version(), "{lock}");
    let h1 = h1(&member(), &read(&binary()));
    let zh = format!("zh:{}", hex(&sha256(&read(zip))));
    assert!(
        hashes.contains(&h1),
        "lock lacks the archive's {h1}:\n{lock}"
    );
    for hash in &hashes {
        assert!(
            *hash == h1 || *hash == zh,
            "lock holds {hash}, which is neither the archive's {h1} nor {zh}:\n{lock}"
        );
    }
}

/// What `terraform init` installed, byte for byte the binary we packaged.
#[track_caller]
fn assert_installed(wd: &Workdir, address: &str) {
    let installed = wd
        .path()
        .join(".terraform/providers")
        .join(address)
        .join(version())
        .join("linux_amd64")
        .join(member());
    assert!(
        read(&installed) == read(&binary()),
        "{} is not the packaged binary",
        installed.display()
    );
}

/// Panics unless the output says `phrase` (Terraform wraps its messages, so line breaks and
/// runs of spaces count as one space).
#[track_caller]
fn assert_says(out: &support::terraform::Output, phrase: &str) {
    let flat = out
        .combined()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains(phrase),
        "expected Terraform to say {phrase:?}\n{out}"
    );
}

#[track_caller]
fn assert_no_override_warning(out: &support::terraform::Output) {
    assert!(
        !out.combined()
            .to_lowercase()
            .contains("development overrides"),
        "Terraform warned about development overrides:\n{out}"
    );
}

fn stage_config(source: &str) -> String {
    format!(
        "{}\nprovider \"authentik\" {{}}\n\nresource \"authentik_stage_authenticator_email\" \"installed\" {{\n  name = \"installed-from-a-mirror\"\n}}\n",
        required_providers(source, version())
    )
}

/// init from the mirror, then apply, re-plan empty and destroy a stage against the double.
fn init_apply_destroy(wd: &mut Workdir, address: &str, zip: &Path) {
    let dbl = Double::start(&[]);
    wd.env("AUTHENTIK_URL", &dbl.url)
        .env("AUTHENTIK_TOKEN", &dbl.token);
    let source = address
        .strip_prefix("registry.terraform.io/")
        .unwrap_or(address);
    wd.write("main.tf", &stage_config(source));
    let init = wd.init();
    assert_no_override_warning(&init);
    init.assert_contains(&format!("Installed {source} v{}", version()));
    assert_locked_to_the_archive(wd, address, zip);
    assert_installed(wd, address);
    let apply = wd.apply();
    assert_no_override_warning(&apply);
    let stages = dbl.stages();
    assert_eq!(stages.len(), 1, "{stages:?}");
    assert_eq!(stages[0]["name"], "installed-from-a-mirror");
    assert_eq!(wd.plan_detailed_exitcode(), 0, "re-plan after apply");
    wd.destroy();
    assert!(dbl.stages().is_empty(), "destroy left {:?}", dbl.stages());
}

// ---------------------------------------------------------------- the release itself

#[test]
fn release_files_are_in_the_registry_layout() {
    let (dist, mirror) = release(OFFICIAL);
    let prefix = format!("{PROVIDER_BINARY}_{}", version());
    let mut names: Vec<String> = std::fs::read_dir(&dist)
        .expect("dist")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            format!("{prefix}_SHA256SUMS"),
            format!("{prefix}_linux_amd64.zip"),
            format!("{prefix}_manifest.json"),
        ]
    );
    let manifest: Value =
        serde_json::from_slice(&read(&dist.join(format!("{prefix}_manifest.json")))).expect("json");
    assert_eq!(
        manifest,
        json!({"version": 1, "metadata": {"protocol_versions": ["6.0"]}})
    );
    let sums = String::from_utf8(read(&dist.join(format!("{prefix}_SHA256SUMS")))).expect("utf-8");
    let mut expected = String::new();
    for name in [zip_name(), format!("{prefix}_manifest.json")] {
        expected.push_str(&format!(
            "{}  {name}\n",
            hex(&sha256(&read(&dist.join(&name))))
        ));
    }
    assert_eq!(sums, expected);

    // The mirror: the same archive in the packed layout, and the network mirror's JSON.
    let dir = in_mirror(&mirror, OFFICIAL);
    assert_eq!(read(&dir.join(zip_name())), read(&dist.join(zip_name())));
    let index: Value = serde_json::from_slice(&read(&dir.join("index.json"))).expect("json");
    assert_eq!(index, json!({"versions": {version(): {}}}));
    let archives: Value =
        serde_json::from_slice(&read(&dir.join(format!("{}.json", version())))).expect("json");
    assert_eq!(
        archives,
        json!({"archives": {"linux_amd64": {"url": zip_name(), "hashes": [
            h1(&member(), &read(&binary())),
            format!("zh:{}", hex(&sha256(&read(&dist.join(zip_name())))))
        ]}}})
    );
}

#[test]
fn release_refuses_what_terraform_could_not_install() {
    for (args, complaint) in [
        (vec!["1.2"], "is not MAJOR.MINOR.PATCH"),
        (
            vec![
                "--mirror",
                "/nonexistent/m",
                "--address",
                "example.com/acme/other",
            ],
            "the TYPE must be 'authentik'",
        ),
        (vec!["--address", NEW_ADDRESS], "--address needs --mirror"),
    ] {
        let out = Command::new(repo_root().join("scripts/release"))
            .args(&args)
            .output()
            .expect("scripts/release runs");
        let text = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(text.contains(complaint), "{args:?}: {text}");
    }
}

// ---------------------------------------------------------------- installing

/// The warning the tests below assert is absent is the one Terraform gives with dev_overrides.
fn dev_overrides_do_warn(v: TfVersion) {
    let wd = Workdir::new(&Terraform::find(v), None);
    wd.write("main.tf", &stage_config("goauthentik/authentik"));
    let out = wd.validate();
    assert!(
        out.combined()
            .to_lowercase()
            .contains("development overrides"),
        "no override warning to look for:\n{out}"
    );
}

fn installs_from_a_filesystem_mirror(v: TfVersion) {
    let (dist, mirror) = release(OFFICIAL);
    let tf = Terraform::find(v);
    let mut wd = Workdir::with_cli_config(
        &tf,
        &filesystem_mirror_config(&mirror.to_string_lossy(), OFFICIAL),
    );
    init_apply_destroy(&mut wd, OFFICIAL, &dist.join(zip_name()));

    // `terraform providers lock` records the same hashes, and init accepts that lock.
    wd.remove(".terraform.lock.hcl").remove(".terraform");
    let mirror_flag = format!("-fs-mirror={}", mirror.display());
    wd.run_ok(&[
        "providers",
        "lock",
        "-no-color",
        &mirror_flag,
        "-platform=linux_amd64",
    ]);
    assert_locked_to_the_archive(&wd, OFFICIAL, &dist.join(zip_name()));
    let init = wd.init();
    assert_no_override_warning(&init);
    assert_installed(&wd, OFFICIAL);
}

fn installs_from_a_network_mirror(v: TfVersion) {
    let (dist, mirror) = release(OFFICIAL);
    let server = https::serve(&mirror);
    let tf = Terraform::find(v);
    let mut wd = Workdir::with_cli_config(&tf, &network_mirror_config(&server.url, OFFICIAL));
    wd.env("SSL_CERT_FILE", &server.ca_file);
    init_apply_destroy(&mut wd, OFFICIAL, &dist.join(zip_name()));
    let fetched = server.fetched();
    let dir = format!("/{OFFICIAL}/");
    for file in [
        "index.json".to_string(),
        format!("{}.json", version()),
        zip_name(),
    ] {
        assert!(
            fetched.contains(&format!("{dir}{file}")),
            "Terraform never fetched {file} from the network mirror: {fetched:?}"
        );
    }
}

/// An archive replaced after the lock was written is refused with Terraform's checksum error,
/// and so is a damaged one; neither is installed.
fn a_tampered_archive_is_refused(v: TfVersion) {
    let (_, shared) = release(OFFICIAL);
    let tf = Terraform::find(v);
    let wd = Workdir::with_cli_config(&tf, "");
    // A mirror of its own, to tamper with.
    let mirror = wd.path().join("mirror");
    let dir = in_mirror(&mirror, OFFICIAL);
    std::fs::create_dir_all(&dir).expect("mirror dir");
    for entry in std::fs::read_dir(in_mirror(&shared, OFFICIAL)).expect("shared mirror") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy");
    }
    wd.write(
        ".terraformrc",
        &filesystem_mirror_config(&mirror.to_string_lossy(), OFFICIAL),
    );
    wd.write(
        "main.tf",
        &required_providers("goauthentik/authentik", version()),
    );
    wd.init();
    let lock = wd.read(".terraform.lock.hcl");

    // Someone swaps the archive for another provider binary under the same name.
    let other = wd.path().join("terraform-provider-authentik-other");
    let mut bytes = read(&binary());
    bytes.extend_from_slice(b"tampered");
    std::fs::write(&other, bytes).expect("write");
    run_release(&[
        "--binary",
        &other.to_string_lossy(),
        "--out",
        &wd.path().join("dist-tampered").to_string_lossy(),
        "--mirror",
        &mirror.to_string_lossy(),
    ]);
    let installed = wd.path().join(".terraform/providers").join(OFFICIAL);
    wd.remove(".terraform");
    let out = wd.run(&["init", "-input=false", "-no-color"]);
    out.assert_failure();
    assert_says(&out, CHECKSUM_MISMATCH);
    assert!(!installed.exists(), "the tampered provider was installed");
    assert_eq!(
        wd.read(".terraform.lock.hcl"),
        lock,
        "init changed the lock"
    );

    // A damaged archive (one byte flipped) is refused too.
    let zip = dir.join(zip_name());
    std::fs::copy(in_mirror(&shared, OFFICIAL).join(zip_name()), &zip).expect("copy");
    let mut bytes = read(&zip);
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&zip, bytes).expect("write");
    let out = wd.run(&["init", "-input=false", "-no-color"]);
    out.assert_failure();
    assert_says(&out, "checksum");
    assert!(!installed.exists(), "the damaged provider was installed");
}

// ---------------------------------------------------------------- migrating

/// Stages as the official provider made them, and its state, lock file and configuration.
struct Official {
    dbl: Double,
    wd: Workdir,
}

impl Official {
    /// A workdir holding what a user of the official provider has after `terraform init` and
    /// `apply`: its configuration (pinned to an official version), its lock file, its package in
    /// `.terraform` and its state (schema version 0, lists for sets), for stages on the double.
    fn new(v: TfVersion, cli_config: &str) -> Official {
        let dbl = Double::start(&[]);
        let mut wd = Workdir::with_cli_config(&Terraform::find(v), cli_config);
        wd.env("AUTHENTIK_URL", &dbl.url)
            .env("AUTHENTIK_TOKEN", &dbl.token);
        let created = |path: &str, body: Value| {
            let (status, stage) = dbl.post(path, body.clone());
            assert_eq!(status, 201, "POST {path} {body}: {stage}");
            stage["pk"].as_str().expect("pk").to_string()
        };
        let sms = created(
            "/api/v3/stages/authenticator/sms/",
            json!({"name": "legacy-sms", "provider": "twilio", "from_number": "+1555", "account_sid": "AC1", "auth": "tok"}),
        );
        let email = created(
            "/api/v3/stages/authenticator/email/",
            json!({"name": "legacy-email", "use_global_settings": true}),
        );
        let validate = created(
            "/api/v3/stages/authenticator/validate/",
            json!({"name": "legacy-validate", "not_configured_action": "configure",
                   "device_classes": ["totp", "sms", "email"], "configuration_stages": [sms, email]}),
        );
        let resource = |kind: &str, name: &str, attributes: Value| {
            json!({
                "mode": "managed", "type": kind, "name": name,
                "provider": format!("provider[\"{OFFICIAL}\"]"),
                "instances": [{"schema_version": 0, "attributes": attributes, "sensitive_attributes": [], "private": SDK_V2_PRIVATE}]
            })
        };
        let state = json!({
            "version": 4, "terraform_version": v.as_str(), "serial": 3,
            "lineage": "1d7c0b54-5a38-4f4e-9b3e-2f1f3c6a9e10", "outputs": {},
            "resources": [
                resource("authentik_stage_authenticator_sms", "sms", json!({
                    "id": sms, "name": "legacy-sms", "sms_provider": "twilio", "from_number": "+1555",
                    "account_sid": "AC1", "auth": "tok", "auth_type": "basic", "auth_password": "",
                    "configure_flow": "", "friendly_name": "", "mapping": "", "verify_only": false
                })),
                resource("authentik_stage_authenticator_email", "email", json!({
                    "id": email, "name": "legacy-email", "use_global_settings": true,
                    "configure_flow": "", "friendly_name": "", "host": "localhost", "port": 25,
                    "username": "", "password": "", "use_tls": false, "use_ssl": false, "timeout": 10,
                    "from_address": "system@authentik.local", "subject": "authentik Sign-in code",
                    "token_expiry": "minutes=15", "template": "email/email_otp.html"
                })),
                // Lists in the official provider's order, where this provider has sets.
                resource("authentik_stage_authenticator_validate", "validate", json!({
                    "id": validate, "name": "legacy-validate", "not_configured_action": "configure",
                    "device_classes": ["email", "totp", "sms"], "configuration_stages": [email, sms],
                    "last_auth_threshold": "seconds=0", "webauthn_user_verification": "preferred",
                    "webauthn_allowed_device_types": []
                })),
            ]
        });
        wd.write(
            "terraform.tfstate",
            &serde_json::to_string_pretty(&state).expect("json"),
        );
        // What `terraform init` left of the official provider: its package in .terraform (a
        // stand-in that fails loudly if it is ever run) and its entry in the lock file.
        let member = format!("{PROVIDER_BINARY}_v{OFFICIAL_VERSION}");
        let stand_in =
            b"#!/bin/sh\necho 'the official provider stand-in must not run' >&2\nexit 1\n";
        let cached =
            format!(".terraform/providers/{OFFICIAL}/{OFFICIAL_VERSION}/linux_amd64/{member}");
        wd.write(&cached, std::str::from_utf8(stand_in).expect("utf-8"));
        {
            use std::os::unix::fs::PermissionsExt;
            let path = wd.path().join(&cached);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        }
        wd.write(
            ".terraform.lock.hcl",
            &format!(
                "# This file is maintained automatically by \"terraform init\".\n# Manual edits may be lost in future updates.\n\n\
                 provider \"{OFFICIAL}\" {{\n  version     = \"{OFFICIAL_VERSION}\"\n  constraints = \"{OFFICIAL_VERSION}\"\n  hashes = [\n    \"{}\",\n  ]\n}}\n",
                h1(&member, stand_in)
            ),
        );
        let official = Official { dbl, wd };
        official.configure("goauthentik/authentik", OFFICIAL_VERSION);
        official
    }

    /// The official provider's configuration of those stages, with `source` and `version`.
    fn configure(&self, source: &str, version: &str) {
        self.wd.write(
            "main.tf",
            &format!(
                "{}\nprovider \"authentik\" {{}}\n{}",
                required_providers(source, version),
                r#"
resource "authentik_stage_authenticator_sms" "sms" {
  name         = "legacy-sms"
  sms_provider = "twilio"
  from_number  = "+1555"
  account_sid  = "AC1"
  auth         = "tok"
}

resource "authentik_stage_authenticator_email" "email" {
  name                = "legacy-email"
  use_global_settings = true
}

resource "authentik_stage_authenticator_validate" "validate" {
  name                  = "legacy-validate"
  not_configured_action = "configure"
  device_classes        = ["email", "totp", "sms"]
  configuration_stages  = [
    authentik_stage_authenticator_email.email.id,
    authentik_stage_authenticator_sms.sms.id,
  ]
}
"#
            ),
        );
    }

    /// Nothing to change, nothing written to the server, and the state is ours now.
    #[track_caller]
    fn assert_picked_up(&self, address: &str) {
        self.dbl.clear_requests();
        let out = self
            .wd
            .run(&["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
        assert_eq!(out.code, 0, "the migrated state must plan no change\n{out}");
        assert_no_override_warning(&out);
        let writes: Vec<Value> = self
            .dbl
            .requests()
            .into_iter()
            .filter(|r| r["method"] != "GET")
            .collect();
        assert!(
            writes.is_empty(),
            "planning wrote to the server: {writes:?}"
        );
        let state: Value =
            serde_json::from_str(&self.wd.read("terraform.tfstate")).expect("state is JSON");
        for resource in state["resources"].as_array().expect("resources") {
            assert_eq!(
                resource["provider"],
                format!("provider[\"{address}\"]"),
                "{resource}"
            );
        }
        let shown = self.wd.state_json();
        let validate = shown["values"]["root_module"]["resources"]
            .as_array()
            .expect("resources")
            .iter()
            .find(|r| r["address"] == "authentik_stage_authenticator_validate.validate")
            .expect("validate in state")
            .clone();
        let mut classes: Vec<String> = validate["values"]["device_classes"]
            .as_array()
            .expect("device_classes")
            .iter()
            .filter_map(|c| c.as_str().map(str::to_string))
            .collect();
        classes.sort();
        assert_eq!(classes, ["email", "sms", "totp"], "{validate}");
        assert_eq!(
            validate["values"]["configuration_stages"]
                .as_array()
                .map(Vec::len),
            Some(2),
            "{validate}"
        );
    }
}

/// Path 1: keep `goauthentik/authentik`; the mirror decides what it means on this machine.
fn migrates_keeping_the_official_address(v: TfVersion) {
    let (dist, mirror) = release(OFFICIAL);
    let official = Official::new(
        v,
        &filesystem_mirror_config(&mirror.to_string_lossy(), OFFICIAL),
    );
    let wd = &official.wd;
    official.configure("goauthentik/authentik", version());
    // The lock file still holds the official provider: only -upgrade may replace it.
    let out = wd.run(&["init", "-input=false", "-no-color"]);
    out.assert_failure();
    assert_says(&out, "terraform init -upgrade");
    let init = wd.run_ok(&["init", "-upgrade", "-input=false", "-no-color"]);
    assert_no_override_warning(&init);
    assert_locked_to_the_archive(wd, OFFICIAL, &dist.join(zip_name()));
    official.assert_picked_up(OFFICIAL);
}

/// Path 2: a new address, and `terraform state replace-provider`.
fn migrates_to_a_new_address(v: TfVersion) {
    let (dist, mirror) = release(NEW_ADDRESS);
    let official = Official::new(
        v,
        &filesystem_mirror_config(&mirror.to_string_lossy(), NEW_ADDRESS),
    );
    let wd = &official.wd;
    official.configure(NEW_ADDRESS, version());
    wd.run_ok(&[
        "state",
        "replace-provider",
        "-auto-approve",
        OFFICIAL,
        NEW_ADDRESS,
    ]);
    let init = wd.init();
    assert_no_override_warning(&init);
    assert_locked_to_the_archive(wd, NEW_ADDRESS, &dist.join(zip_name()));
    // Terraform 1.0 keeps the official provider's entry (unused, so nothing installs it);
    // newer versions drop it.
    let lock = wd.read(".terraform.lock.hcl");
    assert!(
        v == TfVersion::V1_0_3 || locked(&lock, OFFICIAL).is_none(),
        "the official provider stayed in the lock file:\n{lock}"
    );
    official.assert_picked_up(NEW_ADDRESS);
}

mod tf_1_0_3 {
    use super::*;
    #[test]
    fn dev_overrides_do_warn() {
        super::dev_overrides_do_warn(TfVersion::V1_0_3)
    }
    #[test]
    fn installs_from_a_filesystem_mirror() {
        super::installs_from_a_filesystem_mirror(TfVersion::V1_0_3)
    }
    #[test]
    fn installs_from_a_network_mirror() {
        super::installs_from_a_network_mirror(TfVersion::V1_0_3)
    }
    #[test]
    fn a_tampered_archive_is_refused() {
        super::a_tampered_archive_is_refused(TfVersion::V1_0_3)
    }
    #[test]
    fn migrates_keeping_the_official_address() {
        super::migrates_keeping_the_official_address(TfVersion::V1_0_3)
    }
    #[test]
    fn migrates_to_a_new_address() {
        super::migrates_to_a_new_address(TfVersion::V1_0_3)
    }
}

mod tf_1_15_5 {
    use super::*;
    #[test]
    fn dev_overrides_do_warn() {
        super::dev_overrides_do_warn(TfVersion::V1_15_5)
    }
    #[test]
    fn installs_from_a_filesystem_mirror() {
        super::installs_from_a_filesystem_mirror(TfVersion::V1_15_5)
    }
    #[test]
    fn installs_from_a_network_mirror() {
        super::installs_from_a_network_mirror(TfVersion::V1_15_5)
    }
    #[test]
    fn a_tampered_archive_is_refused() {
        super::a_tampered_archive_is_refused(TfVersion::V1_15_5)
    }
    #[test]
    fn migrates_keeping_the_official_address() {
        super::migrates_keeping_the_official_address(TfVersion::V1_15_5)
    }
    #[test]
    fn migrates_to_a_new_address() {
        super::migrates_to_a_new_address(TfVersion::V1_15_5)
    }
}

// ---------------------------------------------------------------- the docs

#[test]
fn the_docs_show_what_these_tests_run() {
    let root = repo_root();
    let index = String::from_utf8(read(&root.join("docs/index.md"))).expect("utf-8");
    let readme = String::from_utf8(read(&root.join("README.md"))).expect("utf-8");
    let section = terraform_provider_authentik::engine::docs::INSTALLING;
    assert!(
        index.contains(section),
        "docs/index.md lacks the Installing section"
    );
    assert!(
        readme.contains(section),
        "README.md lacks the Installing section of docs/index.md"
    );
    for snippet in [
        filesystem_mirror_config(DOCS_MIRROR, OFFICIAL),
        network_mirror_config(DOCS_NETWORK_MIRROR, OFFICIAL),
        filesystem_mirror_config(DOCS_MIRROR, NEW_ADDRESS),
        required_providers("goauthentik/authentik", version()),
        required_providers(NEW_ADDRESS, version()),
        format!("terraform state replace-provider {OFFICIAL} {NEW_ADDRESS}"),
        format!("scripts/release --mirror {DOCS_MIRROR} --address {NEW_ADDRESS}"),
        format!("scripts/release --mirror {DOCS_MIRROR}\n"),
        format!("terraform providers lock -fs-mirror={DOCS_MIRROR} -platform=linux_amd64"),
        "terraform init -upgrade".to_string(),
    ] {
        assert!(
            section.contains(&snippet),
            "the Installing section does not show what the tests run:\n{snippet}"
        );
    }
}

/// A static HTTPS server over a directory, with a self-signed certificate for 127.0.0.1 that
/// Terraform trusts through `SSL_CERT_FILE`: a network mirror.
mod https {
    use std::convert::Infallible;
    use std::path::{Path, PathBuf};
    use std::sync::{Arc, Mutex};

    use http_body_util::Full;
    use hyper::body::{Bytes, Incoming};
    use hyper::header::{HeaderValue, CONTENT_TYPE};
    use hyper::{Request, Response, StatusCode};
    use hyper_util::rt::TokioIo;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    use tokio_rustls::rustls::{crypto, ServerConfig};
    use tokio_rustls::TlsAcceptor;

    pub struct Server {
        /// `https://127.0.0.1:PORT/`.
        pub url: String,
        /// The certificate, for `SSL_CERT_FILE`.
        pub ca_file: PathBuf,
        fetched: Arc<Mutex<Vec<String>>>,
        _runtime: tokio::runtime::Runtime,
    }

    impl Server {
        /// Every path requested so far.
        pub fn fetched(&self) -> Vec<String> {
            self.fetched
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone()
        }
    }

    pub fn serve(root: &Path) -> Server {
        let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()])
            .expect("self-signed certificate");
        let ca_file = root.with_file_name(format!(
            "mirror-cert-{}.pem",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        std::fs::write(&ca_file, certified.cert.pem()).expect("write certificate");
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
            certified.signing_key.serialize_der(),
        ));
        let cert = CertificateDer::from(certified.cert.der().to_vec());
        let config =
            ServerConfig::builder_with_provider(Arc::new(crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .expect("protocol versions")
                .with_no_client_auth()
                .with_single_cert(vec![cert], key)
                .expect("server config");
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let fetched = Arc::new(Mutex::new(Vec::new()));
        let root = root.to_path_buf();
        let log = fetched.clone();
        runtime.spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (acceptor, root, log) = (acceptor.clone(), root.clone(), log.clone());
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(socket).await else {
                        return;
                    };
                    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                        let (root, log) = (root.clone(), log.clone());
                        async move { Ok::<_, Infallible>(answer(&root, &log, request.uri().path())) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(tls), service)
                        .await;
                });
            }
        });
        Server {
            url: format!("https://127.0.0.1:{port}/"),
            ca_file,
            fetched,
            _runtime: runtime,
        }
    }

    fn answer(root: &Path, log: &Mutex<Vec<String>>, path: &str) -> Response<Full<Bytes>> {
        log.lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(path.to_string());
        let file = root.join(path.trim_start_matches('/'));
        let body = (!path.split('/').any(|part| part == ".."))
            .then(|| std::fs::read(&file).ok())
            .flatten();
        let mut response = Response::new(Full::new(Bytes::from(body.clone().unwrap_or_default())));
        if body.is_none() {
            *response.status_mut() = StatusCode::NOT_FOUND;
        }
        // Terraform insists on JSON's media type for the mirror's index files.
        let kind = match file.extension().and_then(|e| e.to_str()) {
            Some("json") => "application/json",
            Some("zip") => "application/zip",
            _ => "application/octet-stream",
        };
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(kind));
        response
    }
}
