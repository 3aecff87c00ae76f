//! Shared set-up for the end-to-end tests: real Terraform, the real provider binary, the API
//! double.
#![allow(dead_code)]

pub mod server;

use crate::support::double::Double;
use crate::support::terraform::{Terraform, TfVersion, Workdir};
use serde_json::{json, Value};
use server::ServerFacts;
use std::cell::OnceCell;
use std::sync::atomic::{AtomicU32, Ordering};

/// The `terraform {}` and `provider {}` header every test configuration starts with.
pub const HEADER: &str = r#"
terraform {
  required_providers {
    authentik = {
      source = "goauthentik/authentik"
    }
  }
}

provider "authentik" {}
"#;

/// Which server an acceptance test talks to.
#[derive(Clone, Copy, Debug)]
pub enum Server {
    /// The real authentik named by `AUTHENTIK_URL` and `AUTHENTIK_TOKEN` when both are set, else
    /// a fresh double started with `AUTHENTIK_DOUBLE_ARGS` (see [`Double::from_env_or_start`]).
    FromEnv,
    /// Always a fresh double with these arguments, whatever the environment says.
    Double(&'static [&'static str]),
}

/// One Terraform working directory wired to one API double (or, for the acceptance suite, to a
/// real authentik).
pub struct Ctx {
    pub wd: Workdir,
    pub dbl: Double,
    /// Appended to every name an acceptance test creates, unique to the test; empty for the
    /// other tests (a fresh double each, nothing to tell apart).
    pub sfx: String,
    /// The server's release and fields, read on first use.
    facts: OnceCell<ServerFacts>,
}

/// The unique suffix of one acceptance test: process id, a per-process sequence number and the
/// clock, in a fixed-width form so that no suffix is the beginning of another.
fn unique_suffix() -> String {
    static SEQ: AtomicU32 = AtomicU32::new(0);
    let seq = SEQ.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("-tfacc-{}-{seq}-{nanos:08x}", std::process::id())
}

impl Ctx {
    /// For acceptance tests: a real authentik when `AUTHENTIK_URL` and `AUTHENTIK_TOKEN` are set,
    /// else a fresh API double (see [`Server::FromEnv`]). Every name gets the test's unique
    /// suffix, and whatever carries it is deleted when the `Ctx` is dropped, also when the test
    /// fails.
    pub fn acceptance(v: TfVersion) -> Ctx {
        Ctx::acceptance_on(v, Server::FromEnv)
    }

    /// [`Ctx::acceptance`] on the server `server` names.
    pub fn acceptance_on(v: TfVersion, server: Server) -> Ctx {
        let dbl = match server {
            Server::FromEnv => Double::from_env_or_start(),
            Server::Double(args) => Double::start(args),
        };
        Ctx::with(v, dbl, unique_suffix())
    }

    /// [`Ctx::acceptance`] on the server `dbl` talks to (for a test of the clean-up itself: a
    /// [`Double::remote`] handle to a double the test keeps running).
    pub fn acceptance_at(v: TfVersion, dbl: Double) -> Ctx {
        Ctx::with(v, dbl, unique_suffix())
    }

    fn with(v: TfVersion, dbl: Double, sfx: String) -> Ctx {
        let tf = Terraform::find(v);
        let mut wd = Workdir::new(&tf, None);
        wd.env("AUTHENTIK_URL", &dbl.url)
            .env("AUTHENTIK_TOKEN", &dbl.token);
        Ctx {
            wd,
            dbl,
            sfx,
            facts: OnceCell::new(),
        }
    }

    /// The server's release and whether it has the 2026.5 fields (read once, asserted against
    /// each other; see [`ServerFacts::read`]).
    pub fn server(&self) -> &ServerFacts {
        self.facts
            .get_or_init(|| ServerFacts::read(&self.dbl, &self.sfx))
    }

    /// The server's WebAuthn device types, `(aaguid, description)`.
    pub fn device_types(&self) -> Vec<(String, String)> {
        server::device_types(&self.dbl)
    }

    /// Terraform `v` against a double started with `double_args`.
    pub fn new(v: TfVersion, double_args: &[&str]) -> Ctx {
        Ctx::with(v, Double::start(double_args), String::new())
    }

    /// Write main.tf: the header plus `body`, which must hold no `{{PLACEHOLDER}}` left
    /// unexpanded (a name with one would miss the test's suffix).
    #[track_caller]
    pub fn config(&self, body: &str) {
        assert!(
            !body.contains("{{"),
            "configuration with a placeholder left unexpanded:\n{body}"
        );
        self.wd.write("main.tf", &format!("{HEADER}\n{body}\n"));
    }

    /// `terraform plan -detailed-exitcode` must find nothing to do; shows the plan otherwise.
    #[track_caller]
    pub fn assert_empty_plan(&self, why: &str) {
        let out = self
            .wd
            .run(&["plan", "-detailed-exitcode", "-no-color", "-input=false"]);
        assert_eq!(out.code, 0, "{why}: expected an empty plan\n{out}");
    }

    /// Applies, then the plan must be empty (`why` names the step): the step every scenario
    /// repeats.
    pub fn apply_settled(&self, why: &str) {
        self.wd.apply();
        self.assert_empty_plan(why);
    }

    /// Writes `body` as the configuration; the plan must fail: its output, folded (see
    /// [`Output::folded`](crate::support::terraform::Output::folded)).
    pub fn plan_error(&self, body: &str) -> String {
        self.config(body);
        let out = self.wd.run(&["plan", "-no-color", "-input=false"]);
        assert!(!out.success(), "plan should fail for\n{body}\n{out}");
        out.folded()
    }

    /// `terraform plan -refresh-only -detailed-exitcode` must find no drift.
    ///
    /// Terraform before 1.1.3 stores a resource's `dependencies` in random order
    /// (hashicorp/terraform#30226), so its refresh-only plan may exit 2 while printing "No
    /// changes" whenever a resource depends on two or more others. There exit 2 is accepted only
    /// if the output says no changes and an `apply -refresh-only` leaves every stored object
    /// identical but for the order of `dependencies`.
    ///
    /// Newer Terraform (seen on 1.15.5, with HashiCorp's own null provider too) exits 2 from a
    /// refresh-only plan whenever the configuration has a data source, while printing "No
    /// changes" (hashicorp/terraform#36403). There the same evidence is demanded: the output says
    /// no changes and an `apply -refresh-only` leaves every stored object identical.
    #[track_caller]
    pub fn assert_refresh_only_clean(&self) {
        let out = self.wd.run(&[
            "plan",
            "-refresh-only",
            "-detailed-exitcode",
            "-no-color",
            "-input=false",
        ]);
        if out.code == 0 {
            return;
        }
        let unordered_dependencies = self.wd.tf.version.triple() < (1, 1, 3);
        let has_data_sources = self
            .stored_objects()
            .as_array()
            .is_some_and(|rs| rs.iter().any(|r| r["mode"] == "data"));
        assert!(
            out.code == 2 && (unordered_dependencies || has_data_sources),
            "expected a refresh-only plan without drift\n{out}"
        );
        assert!(
            out.stdout.contains("No changes.") && !out.stdout.contains("changed outside of"),
            "refresh-only plan reported drift\n{out}"
        );
        let before = self.stored_objects();
        self.wd.run_ok(&[
            "apply",
            "-refresh-only",
            "-auto-approve",
            "-no-color",
            "-input=false",
        ]);
        let after = self.stored_objects();
        assert_eq!(
            before, after,
            "a refresh changed more than the order of dependencies"
        );
        eprintln!(
            "note: Terraform {} refresh-only plan exited 2 without changes \
             (hashicorp/terraform#30226 or #36403)",
            self.wd.tf.version
        );
    }

    /// Every resource instance in terraform.tfstate, with `dependencies` sorted.
    fn stored_objects(&self) -> Value {
        let state: Value = serde_json::from_str(&self.wd.read("terraform.tfstate"))
            .unwrap_or_else(|e| panic!("terraform.tfstate is not JSON: {e}"));
        let mut resources = state["resources"].clone();
        for resource in resources.as_array_mut().into_iter().flatten() {
            for instance in resource["instances"].as_array_mut().into_iter().flatten() {
                if let Some(deps) = instance["dependencies"].as_array_mut() {
                    deps.sort_by_key(|d| d.to_string());
                }
            }
        }
        resources
    }

    /// API writes (POST/PUT/PATCH/DELETE under /api/v3) since the log was last cleared.
    pub fn writes(&self) -> Vec<Value> {
        self.dbl
            .requests()
            .into_iter()
            .filter(|r| {
                r["method"] != "GET"
                    && r["path"]
                        .as_str()
                        .is_some_and(|p| p.starts_with("/api/v3/"))
            })
            .collect()
    }

    /// Applies; against the double, whose log tells, also the writes that apply sent (see
    /// [`Ctx::writes`]); `None` against a real server.
    pub fn apply_logged(&self) -> Option<Vec<Value>> {
        let double = self.dbl.is_double();
        if double {
            self.dbl.clear_requests();
        }
        self.wd.apply();
        double.then(|| self.writes())
    }

    /// The values of `addr` in Terraform's state.
    pub fn state_values(&self, addr: &str) -> Value {
        let state = self.wd.state_json();
        find_resource(&state["values"]["root_module"], addr)
            .unwrap_or_else(|| panic!("{addr} not in state: {state:#}"))
    }

    /// A stage as the server has it.
    pub fn server_stage(&self, api_path: &str, id: &str) -> Value {
        let (status, body) = self.dbl.get(&format!("/api/v3/{api_path}/{id}/"));
        assert_eq!(status, 200, "GET {api_path}/{id}: {body}");
        body
    }

    /// Create a flow for `configure_flow`; returns its pk.
    pub fn flow(&self, slug: &str) -> String {
        let (status, body) = self.dbl.post(
            "/api/v3/flows/instances/",
            json!({"name": slug, "slug": slug, "title": slug, "designation": "stage_configuration"}),
        );
        assert_eq!(status, 201, "{body}");
        body["pk"].as_str().expect("flow pk").to_string()
    }

    /// Create a notification webhook mapping; returns its pk.
    pub fn mapping(&self, name: &str) -> String {
        let (status, body) = self.dbl.post(
            "/api/v3/propertymappings/notification/",
            json!({"name": name, "expression": "return {}"}),
        );
        assert_eq!(status, 201, "{body}");
        body["pk"].as_str().expect("mapping pk").to_string()
    }
}

impl Drop for Ctx {
    /// An acceptance test's clean-up: every stage, flow and notification mapping whose name
    /// carries the test's suffix is deleted through the API, whether the test passed or not, and
    /// nothing may be left. On the double, every stage the test made must carry the suffix too.
    fn drop(&mut self) {
        if self.sfx.is_empty() {
            return;
        }
        // Read without panicking: this may run while a failed test unwinds.
        let unsuffixed: Vec<String> = match self.dbl.is_double() {
            true => self
                .dbl
                .raw("GET", "/_double/stages", &[], None)
                .map(|r| r.json())
                .unwrap_or_default()
                .as_array()
                .into_iter()
                .flatten()
                .filter(|s| {
                    !s["pk"]
                        .as_str()
                        .is_some_and(|pk| self.dbl.builtin_stages().iter().any(|b| b == pk))
                })
                .filter_map(|s| s["name"].as_str())
                .filter(|n| !n.contains(&self.sfx))
                .map(|n| format!("stage {n} was created without the suffix {}", self.sfx))
                .collect(),
            false => Vec::new(),
        };
        let sweep = server::sweep(&self.dbl, &self.sfx);
        if !sweep.deleted.is_empty() {
            eprintln!(
                "clean-up: deleted what this test left on {}: {}",
                self.dbl.url,
                sweep.deleted.join(", ")
            );
        }
        let problems: Vec<String> = unsuffixed.into_iter().chain(sweep.problems).collect();
        if problems.is_empty() {
            return;
        }
        let text = format!(
            "clean-up of {} on {}: {}",
            self.sfx,
            self.dbl.url,
            problems.join("; ")
        );
        if std::thread::panicking() {
            eprintln!("{text}");
        } else {
            panic!("{text}");
        }
    }
}

/// Find a resource by address in a `show -json` module value (recursing into child modules).
pub fn find_resource(module: &Value, addr: &str) -> Option<Value> {
    if let Some(rs) = module["resources"].as_array() {
        for r in rs {
            if r["address"] == addr {
                return Some(r["values"].clone());
            }
        }
    }
    module["child_modules"]
        .as_array()?
        .iter()
        .find_map(|m| find_resource(m, addr))
}

/// The actions planned for `addr` in a `show -json` plan.
pub fn planned_actions(plan: &Value, addr: &str) -> Vec<String> {
    plan["resource_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["address"] == addr)
        .flat_map(|c| {
            c["change"]["actions"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect()
}

/// The body of the only write in `writes`, which must be a PATCH (`what` names the step).
pub fn only_patch<'a>(writes: &'a [Value], what: &str) -> &'a Value {
    assert_eq!(writes.len(), 1, "exactly one write {what}: {writes:#?}");
    assert_eq!(writes[0]["method"], "PATCH", "{what}");
    &writes[0]["body"]
}

/// Expand `{{KEY}}` placeholders.
pub fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut s = template.to_string();
    for (k, v) in vars {
        s = s.replace(&format!("{{{{{k}}}}}"), v);
    }
    s
}

/// Generate one `#[test]` per Terraform version for each scenario function `fn(TfVersion)`, or,
/// written `name => |v| body`, for each row of a table: the scenario function is made from the
/// row, so a new case is one line.
#[macro_export]
macro_rules! per_version {
    ($($name:ident => |$v:ident| $body:expr),* $(,)?) => {
        $( fn $name($v: $crate::support::terraform::TfVersion) { $body } )*
        $crate::per_version!($($name),*);
    };
    ($($name:ident),* $(,)?) => {
        mod tf_1_0_3 {
            $( #[test] fn $name() { super::$name($crate::support::terraform::TfVersion::V1_0_3) } )*
        }
        mod tf_1_15_5 {
            $( #[test] fn $name() { super::$name($crate::support::terraform::TfVersion::V1_15_5) } )*
        }
    };
}
