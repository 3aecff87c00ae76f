//! Drives real Terraform binaries (1.0.3 and 1.15.5) against providers in
//! throw-away working directories.
//!
//! The binaries come from `scripts/install-terraform` (into `<repo>/.tools/`)
//! or from the env vars `TERRAFORM_1_0_3` / `TERRAFORM_1_15_5`. A missing
//! binary is a loud panic, never a skip: a test that silently does nothing
//! would hide exactly the regressions these tests exist for.
//!
//! Two ways to point Terraform at a provider:
//! - [`Workdir::new`]: `dev_overrides` in a CLI config file, no `terraform init`
//!   (init fails offline with overrides). This is the normal path for our own
//!   provider: it runs straight out of `target/debug/`.
//! - [`Workdir::with_filesystem_mirror`]: a release-like local mirror and a real
//!   offline `terraform init`, for what needs init (`state replace-provider`,
//!   `-generate-config-out`, the Go null provider in benchmarks).
//!
//! Every command gets a clean environment as far as Terraform is concerned:
//! inherited `TF_*` and `CHECKPOINT_*` variables and `RUST_BACKTRACE` are
//! removed (our machines set `TF_CLI_CONFIG_FILE` globally, for instance), then
//! `TF_CLI_CONFIG_FILE`, `CHECKPOINT_DISABLE=1`, `TF_IN_AUTOMATION=1` and
//! `TF_INPUT=0` are set, then whatever the test added with [`Workdir::env`]
//! (e.g. `AUTHENTIK_URL`, `AUTHENTIK_TOKEN`, `TF_LOG`, `TF_LOG_PATH`).
//!
//! Working directories live under cargo's `CARGO_TARGET_TMPDIR` and are
//! removed when the [`Workdir`] is dropped, except when the test is panicking
//! or `TF_TEST_KEEP=1` is set: then the path is printed so you can `cd` there
//! and rerun Terraform by hand (`source ./env.sh` sets up the same env).
#![allow(dead_code)]

use std::ffi::OsStr;
use std::fmt;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// The provider's address as configurations write it.
pub const PROVIDER_SOURCE: &str = "goauthentik/authentik";
/// The provider binary's file name (cargo's bin target).
pub const PROVIDER_BINARY: &str = "terraform-provider-authentik";
/// Default per-command timeout; `TF_TEST_TIMEOUT_SECS` overrides it, and so
/// does [`Workdir::timeout`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// The Terraform versions we support, oldest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TfVersion {
    /// Oldest supported: plugin protocol 6.0 client.
    V1_0_3,
    /// Newest: write-only attributes, import blocks, identity, functions.
    V1_15_5,
}

impl TfVersion {
    pub fn all() -> [TfVersion; 2] {
        [TfVersion::V1_0_3, TfVersion::V1_15_5]
    }

    /// "1.0.3" / "1.15.5".
    pub fn as_str(self) -> &'static str {
        match self {
            TfVersion::V1_0_3 => "1.0.3",
            TfVersion::V1_15_5 => "1.15.5",
        }
    }

    /// The env var that may name this version's binary.
    pub fn env_var(self) -> &'static str {
        match self {
            TfVersion::V1_0_3 => "TERRAFORM_1_0_3",
            TfVersion::V1_15_5 => "TERRAFORM_1_15_5",
        }
    }

    /// (major, minor, patch), for feature gates like `>= (1, 11, 0)`.
    pub fn triple(self) -> (u32, u32, u32) {
        match self {
            TfVersion::V1_0_3 => (1, 0, 3),
            TfVersion::V1_15_5 => (1, 15, 5),
        }
    }

    pub fn at_least(self, major: u32, minor: u32) -> bool {
        let (ma, mi, _) = self.triple();
        (ma, mi) >= (major, minor)
    }
}

impl fmt::Display for TfVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A located Terraform binary.
#[derive(Clone, Debug)]
pub struct Terraform {
    pub version: TfVersion,
    pub path: PathBuf,
}

impl Terraform {
    /// Finds the binary for `version`: env var `TERRAFORM_<v>` if set, else
    /// `<repo>/.tools/terraform-<v>/terraform`. Panics if it is not there.
    pub fn find(version: TfVersion) -> Terraform {
        let (path, from) = match std::env::var_os(version.env_var()) {
            Some(p) if !p.is_empty() => (PathBuf::from(p), format!("${}", version.env_var())),
            _ => (
                repo_root()
                    .join(".tools")
                    .join(format!("terraform-{version}"))
                    .join("terraform"),
                "the default location".to_string(),
            ),
        };
        if !is_executable(&path) {
            panic!(
                "\n\n*** Terraform {version} not found at {} ({from}).\n\
                 *** Run scripts/install-terraform (or scripts/install-terraform --only {version}),\n\
                 *** or point ${} at a Terraform {version} binary. These tests never skip.\n\n",
                path.display(),
                version.env_var(),
            );
        }
        Terraform { version, path }
    }

    /// Every supported version, each [`Terraform::find`]-ed (so: panics if any is missing).
    pub fn all() -> Vec<Terraform> {
        TfVersion::all().into_iter().map(Terraform::find).collect()
    }
}

/// The repository root (the root package's manifest dir).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The directory holding the built `terraform-provider-authentik`
/// (`<target>/debug/`): cargo's `CARGO_BIN_EXE_*` when the test crate has it,
/// else derived from the test executable (`<target>/debug/deps/<test>`).
/// Panics if the binary is not there.
pub fn provider_dir() -> PathBuf {
    let candidate = match option_env!("CARGO_BIN_EXE_terraform-provider-authentik") {
        Some(p) => PathBuf::from(p),
        None => {
            let exe = std::env::current_exe().expect("current_exe");
            let deps = exe.parent().expect("test executable has a parent dir");
            let profile_dir = if deps.file_name() == Some(OsStr::new("deps")) {
                deps.parent().expect("deps has a parent dir")
            } else {
                deps
            };
            profile_dir.join(PROVIDER_BINARY)
        }
    };
    if !is_executable(&candidate) {
        panic!(
            "\n\n*** The provider binary {} is missing.\n\
             *** Build it first: cargo build --bins (cargo test builds it for this package's tests).\n\n",
            candidate.display()
        );
    }
    candidate.parent().unwrap().to_path_buf()
}

/// HashiCorp's Go null provider v2.1.2 from `scripts/install-terraform`
/// (`<repo>/.tools/null-provider/terraform-provider-null_v2.1.2_x4`). Panics if missing.
pub fn null_provider_binary() -> PathBuf {
    let p = repo_root()
        .join(".tools")
        .join("null-provider")
        .join("terraform-provider-null_v2.1.2_x4");
    if !is_executable(&p) {
        panic!(
            "\n\n*** The Go null provider is missing at {}.\n\
             *** Run scripts/install-terraform (or --only null).\n\n",
            p.display()
        );
    }
    p
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// What one Terraform command did.
#[derive(Clone, Debug)]
pub struct Output {
    /// The exit code (128 + signal number if killed by a signal).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// The command line, for messages.
    pub command: String,
    pub elapsed: Duration,
}

impl Output {
    pub fn success(&self) -> bool {
        self.code == 0
    }

    /// Panics, showing the command and its stdout/stderr, unless it exited 0.
    #[track_caller]
    pub fn assert_success(&self) -> &Self {
        self.assert_code(0)
    }

    /// Panics, showing the command and its stdout/stderr, unless it exited non-zero.
    #[track_caller]
    pub fn assert_failure(&self) -> &Self {
        if self.code == 0 {
            panic!("expected failure, got exit 0\n{self}");
        }
        self
    }

    /// Panics, showing the command and its stdout/stderr, unless it exited `code`.
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        if self.code != code {
            panic!("expected exit {code}, got {}\n{self}", self.code);
        }
        self
    }

    /// Panics unless stdout or stderr contains `needle`.
    #[track_caller]
    pub fn assert_contains(&self, needle: &str) -> &Self {
        if !self.stdout.contains(needle) && !self.stderr.contains(needle) {
            panic!("expected the output to contain {needle:?}\n{self}");
        }
        self
    }

    /// stdout followed by stderr.
    pub fn combined(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// [`Output::combined`] with every run of white space one space: Terraform wraps its
    /// messages to the terminal's width, so phrases are looked for in this.
    pub fn folded(&self) -> String {
        self.combined()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// stdout parsed as JSON; panics with the output if it is not JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{self}"))
    }
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "---- command: {} (exit {}, {:.1?})",
            self.command, self.code, self.elapsed
        )?;
        writeln!(f, "---- stdout:\n{}", self.stdout.trim_end())?;
        writeln!(f, "---- stderr:\n{}", self.stderr.trim_end())?;
        write!(f, "---- end")
    }
}

/// A provider to put into a filesystem mirror.
#[derive(Clone, Debug)]
pub struct MirrorProvider {
    /// `HOST/NAMESPACE/TYPE` or `NAMESPACE/TYPE` (host registry.terraform.io).
    pub source: String,
    /// e.g. "2.1.2"; the configuration should pin it (`version = "2.1.2"`).
    pub version: String,
    /// The provider executable; linked (or copied) into the mirror.
    pub binary: PathBuf,
}

impl MirrorProvider {
    pub fn new(source: &str, version: &str, binary: impl Into<PathBuf>) -> MirrorProvider {
        MirrorProvider {
            source: source.to_string(),
            version: version.to_string(),
            binary: binary.into(),
        }
    }

    /// HashiCorp's Go null provider 2.1.2 as `hashicorp/null`.
    pub fn go_null() -> MirrorProvider {
        MirrorProvider::new("hashicorp/null", "2.1.2", null_provider_binary())
    }

    /// Our built provider as `goauthentik/authentik` at `version`. A rebuilt
    /// binary under the same version is fine here: every Workdir starts with
    /// no lock file.
    pub fn authentik(version: &str) -> MirrorProvider {
        MirrorProvider::new(
            PROVIDER_SOURCE,
            version,
            provider_dir().join(PROVIDER_BINARY),
        )
    }

    /// `registry.terraform.io/hashicorp/null` from `hashicorp/null`.
    pub fn full_source(&self) -> String {
        match self.source.split('/').count() {
            2 => format!("registry.terraform.io/{}", self.source),
            3 => self.source.clone(),
            _ => panic!("bad provider source {:?}", self.source),
        }
    }

    /// `TYPE` out of `[HOST/]NAMESPACE/TYPE`.
    pub fn type_name(&self) -> &str {
        self.source.rsplit('/').next().unwrap()
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A temporary Terraform working directory with its own CLI config.
pub struct Workdir {
    pub tf: Terraform,
    root: PathBuf,
    cli_config: PathBuf,
    env: Vec<(String, String)>,
    timeout: Duration,
    keep: bool,
}

impl Workdir {
    /// A workdir whose CLI config dev-overrides `goauthentik/authentik` to
    /// `provider_dir` (default: [`provider_dir()`], i.e. `<target>/debug/`).
    /// No `terraform init`: plan/apply/import/... run directly.
    pub fn new(tf: &Terraform, provider_dir: Option<&Path>) -> Workdir {
        let dir = match provider_dir {
            Some(d) => {
                let bin = d.join(PROVIDER_BINARY);
                if !is_executable(&bin) {
                    panic!(
                        "\n\n*** {} is missing or not executable.\n\n",
                        bin.display()
                    );
                }
                d.to_path_buf()
            }
            None => self::provider_dir(),
        };
        Workdir::with_dev_overrides(tf, &[(PROVIDER_SOURCE, &dir)])
    }

    /// A workdir whose CLI config dev-overrides each `(source, dir)`; `dir`
    /// must hold `terraform-provider-TYPE`.
    pub fn with_dev_overrides(tf: &Terraform, overrides: &[(&str, &Path)]) -> Workdir {
        let mut lines = String::new();
        for (source, dir) in overrides {
            let dir = absolute(dir);
            lines.push_str(&format!("    {} = {}\n", hcl_str(source), hcl_str(&dir)));
        }
        let config = format!(
            "provider_installation {{\n  dev_overrides {{\n{lines}  }}\n  direct {{}}\n}}\n"
        );
        Workdir::with_cli_config(tf, &config)
    }

    /// A workdir with a filesystem mirror holding `providers` in the unpacked
    /// layout `HOST/NAMESPACE/TYPE/VERSION/linux_amd64/terraform-provider-TYPE_vVERSION`,
    /// and a CLI config that installs those addresses only from the mirror
    /// (`direct { exclude = [...] }`), so a real, offline `terraform init` works.
    /// Call [`Workdir::init`] after writing the configuration.
    pub fn with_filesystem_mirror(tf: &Terraform, providers: &[MirrorProvider]) -> Workdir {
        let wd = Workdir::with_cli_config(tf, "");
        let mirror = wd.root.join(".mirror");
        let mut sources = Vec::new();
        for p in providers {
            let full = p.full_source();
            let dir = mirror.join(&full).join(&p.version).join("linux_amd64");
            std::fs::create_dir_all(&dir).unwrap();
            let dest = dir.join(format!(
                "terraform-provider-{}_v{}",
                p.type_name(),
                p.version
            ));
            link_or_copy(&p.binary, &dest);
            sources.push(hcl_str(&full));
        }
        let list = sources.join(", ");
        let config = format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = {}\n    include = [{list}]\n  }}\n  direct {{\n    exclude = [{list}]\n  }}\n}}\n",
            hcl_str(&mirror)
        );
        std::fs::write(&wd.cli_config, config).unwrap();
        wd
    }

    /// A workdir with a CLI config file holding `cli_config` verbatim.
    pub fn with_cli_config(tf: &Terraform, cli_config: &str) -> Workdir {
        let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("tf-work");
        std::fs::create_dir_all(&base)
            .unwrap_or_else(|e| panic!("creating {}: {e}", base.display()));
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let root = base.join(format!(
            "tf{}-{}-{}-{nanos}",
            tf.version.as_str().replace('.', "_"),
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
        ));
        std::fs::create_dir(&root).unwrap_or_else(|e| panic!("creating {}: {e}", root.display()));
        let config_path = root.join(".terraformrc");
        std::fs::write(&config_path, cli_config).unwrap();
        let timeout = std::env::var("TF_TEST_TIMEOUT_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_TIMEOUT);
        Workdir {
            tf: tf.clone(),
            root,
            cli_config: config_path,
            env: Vec::new(),
            timeout,
            keep: keep_requested(),
        }
    }

    /// The working directory (Terraform runs here).
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The CLI config file handed to Terraform as `TF_CLI_CONFIG_FILE`.
    pub fn cli_config_path(&self) -> &Path {
        &self.cli_config
    }

    /// Adds (or replaces) an env var for every later command.
    pub fn env(&mut self, key: &str, value: impl AsRef<OsStr>) -> &mut Self {
        let value = value.as_ref().to_string_lossy().into_owned();
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.to_string(), value));
        self
    }

    /// Sets the per-command timeout (default 300 s or `TF_TEST_TIMEOUT_SECS`).
    pub fn timeout(&mut self, timeout: Duration) -> &mut Self {
        self.timeout = timeout;
        self
    }

    /// Keeps the directory after the test (it is kept anyway on panic).
    pub fn keep(&mut self) -> &mut Self {
        self.keep = true;
        self
    }

    /// Writes `name` (relative to the workdir; parent dirs are created).
    pub fn write(&self, name: &str, contents: &str) -> &Self {
        let p = self.root.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, contents).unwrap_or_else(|e| panic!("writing {}: {e}", p.display()));
        self
    }

    /// Reads `name` (relative to the workdir).
    #[track_caller]
    pub fn read(&self, name: &str) -> String {
        let p = self.root.join(name);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
    }

    /// Removes `name` (relative to the workdir) if it exists.
    pub fn remove(&self, name: &str) -> &Self {
        let p = self.root.join(name);
        if p.is_dir() {
            let _ = std::fs::remove_dir_all(&p);
        } else {
            let _ = std::fs::remove_file(&p);
        }
        self
    }

    /// The full environment changes a command gets: `(key, Some(value))` to
    /// set, `(key, None)` to remove.
    pub fn command_env(&self) -> Vec<(String, Option<String>)> {
        let mut out: Vec<(String, Option<String>)> = std::env::vars_os()
            .map(|(k, _)| k.to_string_lossy().into_owned())
            .filter(|k| k.starts_with("TF_") || k.starts_with("CHECKPOINT_"))
            .map(|k| (k, None))
            .collect();
        out.push(("RUST_BACKTRACE".into(), None));
        out.push((
            "TF_CLI_CONFIG_FILE".into(),
            Some(self.cli_config.to_string_lossy().into_owned()),
        ));
        out.push(("CHECKPOINT_DISABLE".into(), Some("1".into())));
        out.push(("TF_IN_AUTOMATION".into(), Some("1".into())));
        out.push(("TF_INPUT".into(), Some("0".into())));
        for (k, v) in &self.env {
            out.push((k.clone(), Some(v.clone())));
        }
        out
    }

    /// Runs `terraform ARGS` in the workdir with stdin closed; returns what it
    /// did whatever the exit code. Panics (killing Terraform and its provider
    /// processes) if it outlives the timeout.
    #[track_caller]
    pub fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Output {
        self.run_with_stdin(args, None)
    }

    /// [`Workdir::run`] feeding `stdin` to Terraform.
    #[track_caller]
    pub fn run_with_stdin<S: AsRef<OsStr>>(&self, args: &[S], stdin: Option<&str>) -> Output {
        let command = format!(
            "TF {} (terraform {}) in {}",
            self.tf.version,
            args.iter()
                .map(|a| shell_quote(&a.as_ref().to_string_lossy()))
                .collect::<Vec<_>>()
                .join(" "),
            self.root.display()
        );
        let mut cmd = Command::new(&self.tf.path);
        cmd.args(args).current_dir(&self.root);
        for (k, v) in self.command_env() {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        cmd.stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so a timeout kills the provider processes too.
        .process_group(0);

        let start = Instant::now();
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}\n{command}", self.tf.path.display()));
        let pid = child.id();
        let stdin_thread = child.stdin.take().map(|mut w| {
            let data = stdin.unwrap_or_default().to_string();
            std::thread::spawn(move || {
                use std::io::Write;
                let _ = w.write_all(data.as_bytes());
            })
        });
        let out_reader = Reader::spawn(child.stdout.take().unwrap());
        let err_reader = Reader::spawn(child.stderr.take().unwrap());
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait());
        });
        let deadline = start + self.timeout;
        let kill_group = || {
            // The whole group: terraform, the python wrapper, providers, provisioners.
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .stderr(Stdio::null())
                .status();
        };
        let partial = |code: i32| Output {
            code,
            stdout: out_reader.snapshot(),
            stderr: err_reader.snapshot(),
            command: command.clone(),
            elapsed: start.elapsed(),
        };
        let status = match rx.recv_timeout(self.timeout) {
            Ok(status) => status.expect("waiting for terraform"),
            Err(_) => {
                kill_group();
                let _ = rx.recv_timeout(Duration::from_secs(10));
                out_reader.wait_until(Instant::now() + Duration::from_secs(5));
                err_reader.wait_until(Instant::now() + Duration::from_secs(5));
                panic!(
                    "timed out after {:?} (killed its process group)\n{}",
                    self.timeout,
                    partial(-1)
                );
            }
        };
        // Terraform has exited; its output pipes close unless something it
        // started survived it holding them.
        let grace = deadline.max(Instant::now() + Duration::from_secs(10));
        if !out_reader.wait_until(grace) || !err_reader.wait_until(grace) {
            kill_group();
            panic!(
                "terraform exited but a process it started kept its output open (killed the group)\n{}",
                partial(status.code().unwrap_or(-1))
            );
        }
        if let Some(t) = stdin_thread {
            let _ = t.join();
        }
        let stdout = out_reader.snapshot();
        let stderr = err_reader.snapshot();
        use std::os::unix::process::ExitStatusExt;
        let code = status
            .code()
            .unwrap_or_else(|| 128 + status.signal().unwrap_or(0));
        Output {
            code,
            stdout,
            stderr,
            command,
            elapsed: start.elapsed(),
        }
    }

    /// [`Workdir::run`], panicking with the output unless it exited 0.
    #[track_caller]
    pub fn run_ok<S: AsRef<OsStr>>(&self, args: &[S]) -> Output {
        let out = self.run(args);
        out.assert_success();
        out
    }

    /// `terraform init -input=false -no-color` (needed only with a filesystem mirror;
    /// with dev_overrides init fails offline). Panics unless it succeeds.
    #[track_caller]
    pub fn init(&self) -> Output {
        self.run_ok(&["init", "-input=false", "-no-color"])
    }

    /// `terraform apply -auto-approve -input=false -no-color`; panics unless it succeeds.
    #[track_caller]
    pub fn apply(&self) -> Output {
        self.run_ok(&["apply", "-auto-approve", "-input=false", "-no-color"])
    }

    /// `terraform apply ...` expected to fail; returns the output (panics if it succeeded).
    #[track_caller]
    pub fn apply_err(&self) -> Output {
        let out = self.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        out.assert_failure();
        out
    }

    /// `terraform plan -detailed-exitcode`: 0 = no changes, 2 = changes.
    /// Panics with the output on an error (exit 1).
    #[track_caller]
    pub fn plan_detailed_exitcode(&self) -> i32 {
        let out = self.run(&["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
        if out.code != 0 && out.code != 2 {
            panic!("plan -detailed-exitcode failed\n{out}");
        }
        out.code
    }

    /// `terraform plan -out=F` then `terraform show -json F`: the plan as JSON.
    #[track_caller]
    pub fn plan_json(&self) -> serde_json::Value {
        self.run_ok(&["plan", "-input=false", "-no-color", "-out=.test.tfplan"]);
        let json = self.run_ok(&["show", "-json", ".test.tfplan"]).json();
        self.remove(".test.tfplan");
        json
    }

    /// `terraform show -json`: the state as JSON.
    #[track_caller]
    pub fn state_json(&self) -> serde_json::Value {
        self.run_ok(&["show", "-json"]).json()
    }

    /// `terraform import ADDR ID`; panics unless it succeeds.
    #[track_caller]
    pub fn import(&self, addr: &str, id: &str) -> Output {
        self.run_ok(&["import", "-input=false", "-no-color", addr, id])
    }

    /// `terraform destroy -auto-approve`; panics unless it succeeds.
    #[track_caller]
    pub fn destroy(&self) -> Output {
        self.run_ok(&["destroy", "-auto-approve", "-input=false", "-no-color"])
    }

    /// `terraform validate -no-color`; panics unless it succeeds.
    #[track_caller]
    pub fn validate(&self) -> Output {
        self.run_ok(&["validate", "-no-color"])
    }

    /// `terraform validate -json` whatever the outcome (diagnostics as JSON).
    #[track_caller]
    pub fn validate_json(&self) -> serde_json::Value {
        self.run(&["validate", "-json"]).json()
    }

    /// `terraform providers schema -json`.
    #[track_caller]
    pub fn providers_schema_json(&self) -> serde_json::Value {
        self.run_ok(&["providers", "schema", "-json"]).json()
    }

    /// Writes `env.sh` into the workdir: `source` it to rerun commands by hand.
    fn write_env_script(&self) {
        let mut s = String::from("# source me to run terraform by hand like the test did\n");
        for (k, v) in self.command_env() {
            match v {
                Some(v) => s.push_str(&format!("export {k}={}\n", shell_quote(&v))),
                None => s.push_str(&format!("unset {k}\n")),
            }
        }
        s.push_str(&format!(
            "alias terraform={}\n",
            shell_quote(&self.tf.path.to_string_lossy())
        ));
        let _ = std::fs::write(self.root.join("env.sh"), s);
    }
}

impl Drop for Workdir {
    fn drop(&mut self) {
        if self.keep || std::thread::panicking() {
            self.write_env_script();
            eprintln!(
                "terraform workdir kept: {} (source env.sh there to rerun terraform {})",
                self.root.display(),
                self.tf.version
            );
        } else {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }
}

fn keep_requested() -> bool {
    matches!(
        std::env::var("TF_TEST_KEEP").as_deref(),
        Ok("1") | Ok("true")
    )
}

/// Reads a pipe to its end on a thread; the bytes so far are readable at any time.
struct Reader {
    buf: Arc<Mutex<Vec<u8>>>,
    done: mpsc::Receiver<()>,
    finished: std::cell::Cell<bool>,
}

impl Reader {
    fn spawn<R: Read + Send + 'static>(mut r: R) -> Reader {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let (tx, done) = mpsc::channel();
        let b = Arc::clone(&buf);
        std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            loop {
                match r.read(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => b.lock().unwrap().extend_from_slice(&chunk[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
            let _ = tx.send(());
        });
        Reader {
            buf,
            done,
            finished: std::cell::Cell::new(false),
        }
    }

    /// Waits for end of file until `deadline`; true if it came.
    fn wait_until(&self, deadline: Instant) -> bool {
        if !self.finished.get() {
            let left = deadline.saturating_duration_since(Instant::now());
            self.finished.set(self.done.recv_timeout(left).is_ok());
        }
        self.finished.get()
    }

    fn snapshot(&self) -> String {
        String::from_utf8_lossy(&self.buf.lock().unwrap()).into_owned()
    }
}

fn absolute(p: &Path) -> String {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap().join(p)
    };
    p.to_string_lossy().into_owned()
}

/// A string literal for the CLI config file (HCL 1: only `\\` and `"` need escaping).
fn hcl_str(s: impl AsRef<OsStr>) -> String {
    let s = s.as_ref().to_string_lossy();
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Hard-links `src` to `dest` (cheap: the mirror and target/ share a
/// filesystem), copying when linking is impossible.
fn link_or_copy(src: &Path, dest: &Path) {
    if std::fs::hard_link(src, dest).is_err() {
        std::fs::copy(src, dest)
            .unwrap_or_else(|e| panic!("copying {} to {}: {e}", src.display(), dest.display()));
    }
}
