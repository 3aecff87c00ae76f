//! Command-line configuration of the double, parsed by `clap`.

use clap::{Parser, ValueEnum};

use crate::faults::FaultKind;

/// Which authentik release the double imitates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum ApiVersion {
    /// authentik 2025.12: as 2026.2 but for the flow `layout` choices, which lack
    /// `sidebar_left_frame_background` and `sidebar_right_frame_background`.
    #[value(name = "2025.12")]
    V2025_12,
    /// authentik 2026.2: Validate has no `webauthn_hints` nor `*_otp_throttling_factor` fields,
    /// WebAuthn no `hints` nor `prevent_duplicate_devices`.
    #[value(name = "2026.2")]
    V2026_2,
    /// authentik 2026.5: Validate gains `webauthn_hints` and the four throttling factors, WebAuthn
    /// `hints` and `prevent_duplicate_devices` (and loses some list filters).
    #[value(name = "2026.5")]
    V2026_5,
}

impl ApiVersion {
    /// The release number `GET /api/v3/admin/version/` reports (authentik's `__version__`):
    /// the recorded 2025.12.4, the 2026.2.2 release the API facts were cut from, or 2026.5.0.
    pub fn release(self) -> &'static str {
        match self {
            ApiVersion::V2025_12 => "2025.12.4",
            ApiVersion::V2026_2 => "2026.2.2",
            ApiVersion::V2026_5 => "2026.5.0",
        }
    }

    /// Parses `2025.12`, `2026.2` or `2026.5`.
    pub fn parse(text: &str) -> Option<ApiVersion> {
        <ApiVersion as ValueEnum>::from_str(text, false).ok()
    }
}

/// Everything the command line can set.
#[derive(Clone, Debug, Parser)]
#[command(
    name = "authentik-double",
    about = "A stateful stand-in for authentik's REST API (authenticator stages).",
    after_help = "The first stdout line is `listening on http://127.0.0.1:PORT`.",
    // A repeated option takes its last value (the test harness passes `--port 0 --token <random>`
    // first; a test may pass its own `--token` after it).
    args_override_self = true
)]
pub struct Config {
    /// TCP port on 127.0.0.1; 0 picks any free port.
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// The one API token accepted as `Authorization: Bearer <token>`.
    #[arg(long, value_parser = non_empty)]
    pub token: String,
    /// The authentik release imitated.
    #[arg(long, value_enum, default_value = "2026.5")]
    pub version: ApiVersion,
    /// SMS `auth`/`auth_password` are accepted but never returned.
    #[arg(long)]
    pub secrets_write_only: bool,
    /// Fraction (0..=1) of API requests that get a fault.
    #[arg(long, default_value_t = 0.0, value_parser = fraction)]
    pub fault_rate: f64,
    /// Which faults may be drawn (comma-separated); default: all of them.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = FaultKind::ALL)]
    pub fault_kinds: Vec<FaultKind>,
    /// Seed of the deterministic fault sequence.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Set-like lists come back in random order.
    #[arg(long)]
    pub shuffle: bool,
    /// Start empty: none of the flows and stages a fresh authentik creates.
    #[arg(long)]
    pub no_builtins: bool,
    /// A valid enterprise licence is installed (enterprise stages can be created and updated).
    #[arg(long)]
    pub enterprise: bool,
    /// Server time of every API request, in milliseconds (a real authentik: about 55 for a GET).
    #[arg(long, default_value_t = 0.0, value_parser = milliseconds)]
    pub latency_ms: f64,
    /// Extra server time per object in a list answer, in milliseconds (authentik: about 1.65,
    /// so that a page of 100 costs 55 + 165 = 220 ms).
    #[arg(long, default_value_t = 0.0, value_parser = milliseconds)]
    pub latency_item_ms: f64,
    /// Server time of a write (POST, PUT, PATCH, DELETE), in milliseconds, instead of
    /// `--latency-ms` (authentik: about 170 for a create).
    #[arg(long, value_parser = milliseconds)]
    pub write_latency_ms: Option<f64>,
    /// At most this many API requests are served at once; the others wait in line, as on a
    /// server with that many worker threads (authentik's default: 2 workers x 4 threads = 8).
    /// 0: no limit.
    #[arg(long, default_value_t = 0)]
    pub workers: usize,
    /// No WebAuthn device types: a fresh authentik whose background task has not yet filled the
    /// table.
    #[arg(long)]
    pub no_device_types: bool,
    /// Length of an outage in seconds: the double closes its listening socket (connection
    /// refused) and its idle connections, then listens again on the same port with the same
    /// state. Needs `--outage-after-requests` or `--outage-at-secs`.
    #[arg(long, value_parser = outage_seconds, requires = "outage_start")]
    pub outage_secs: Option<f64>,
    /// The outage starts when this many API requests have arrived (the last one is answered).
    #[arg(long, group = "outage_start", requires = "outage_secs", value_parser = clap::value_parser!(u64).range(1..))]
    pub outage_after_requests: Option<u64>,
    /// The outage starts this many seconds after the double started.
    #[arg(long, group = "outage_start", requires = "outage_secs", value_parser = outage_seconds)]
    pub outage_at_secs: Option<f64>,
}

/// Seconds of an outage: finite, 0 to one hour.
fn outage_seconds(text: &str) -> Result<f64, String> {
    let secs: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if secs.is_finite() && (0.0..=3600.0).contains(&secs) {
        Ok(secs)
    } else {
        Err(format!("must be within 0..3600 s, got {text}"))
    }
}

fn non_empty(text: &str) -> Result<String, String> {
    if text.is_empty() {
        Err("must not be empty".into())
    } else {
        Ok(text.to_string())
    }
}

fn fraction(text: &str) -> Result<f64, String> {
    let rate: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!("must be within 0..1, got {text}"))
    }
}

/// A duration in milliseconds: finite, 0 to one hour.
fn milliseconds(text: &str) -> Result<f64, String> {
    let ms: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of milliseconds"))?;
    if ms.is_finite() && (0.0..=3_600_000.0).contains(&ms) {
        Ok(ms)
    } else {
        Err(format!("must be within 0..3600000 ms, got {text}"))
    }
}

impl Config {
    /// Parses the arguments after the program name. The error is clap's message (usage
    /// included; `--help` also ends up here).
    pub fn from_args<I: IntoIterator<Item = String>>(args: I) -> Result<Config, clap::Error> {
        Config::try_parse_from(std::iter::once("authentik-double".to_string()).chain(args))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, clap::Error> {
        Config::from_args(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn defaults_and_options() {
        let config = parse(&["--token", "t"]).expect("parses");
        assert_eq!(config.port, 0);
        assert_eq!(config.version, ApiVersion::V2026_5);
        assert!(!config.shuffle && !config.secrets_write_only);
        assert!(!config.no_builtins && !config.enterprise && !config.no_device_types);
        assert_eq!(config.fault_kinds, FaultKind::ALL.to_vec());
        assert_eq!(config.latency_ms, 0.0);
        assert_eq!(config.latency_item_ms, 0.0);
        assert_eq!(config.write_latency_ms, None);
        assert_eq!(config.workers, 0);
        assert_eq!(config.outage_secs, None);
        let config = parse(&[
            "--port=8080",
            "--token",
            "t",
            "--version",
            "2026.2",
            "--fault-rate",
            "0.25",
            "--fault-kinds",
            "drop_after,slow",
            "--seed",
            "7",
            "--shuffle",
            "--secrets-write-only",
            "--no-builtins",
            "--enterprise",
            "--latency-ms",
            "55",
            "--latency-item-ms=1.65",
            "--write-latency-ms",
            "170",
            "--workers",
            "8",
            "--no-device-types",
        ])
        .expect("parses");
        assert_eq!(config.port, 8080);
        assert_eq!(config.version, ApiVersion::V2026_2);
        assert_eq!(config.fault_rate, 0.25);
        assert_eq!(
            config.fault_kinds,
            vec![FaultKind::DropAfter, FaultKind::Slow]
        );
        assert_eq!(config.seed, 7);
        assert!(config.shuffle && config.secrets_write_only);
        assert_eq!(config.latency_ms, 55.0);
        assert_eq!(config.latency_item_ms, 1.65);
        assert_eq!(config.write_latency_ms, Some(170.0));
        assert_eq!(config.workers, 8);
        assert!(config.no_builtins && config.enterprise && config.no_device_types);
    }

    #[test]
    fn outage_options() {
        let config = parse(&[
            "--token",
            "t",
            "--outage-secs",
            "20",
            "--outage-after-requests",
            "50",
        ])
        .expect("parses");
        assert_eq!(config.outage_secs, Some(20.0));
        assert_eq!(config.outage_after_requests, Some(50));
        let plan = crate::faults::OutagePlan::from_config(&config).expect("planned");
        assert_eq!(plan.length, std::time::Duration::from_secs(20));
        let config =
            parse(&["--token", "t", "--outage-secs=1.5", "--outage-at-secs", "3"]).expect("parses");
        assert_eq!(config.outage_at_secs, Some(3.0));
        assert!(
            parse(&["--token", "t", "--outage-secs", "20"]).is_err(),
            "needs a start"
        );
        assert!(parse(&["--token", "t", "--outage-after-requests", "5"]).is_err());
        assert!(parse(&[
            "--token",
            "t",
            "--outage-secs",
            "-1",
            "--outage-at-secs",
            "1"
        ])
        .is_err());
        assert!(parse(&[
            "--token",
            "t",
            "--outage-secs",
            "1",
            "--outage-after-requests",
            "0"
        ])
        .is_err());
    }

    #[test]
    fn a_repeated_option_takes_its_last_value() {
        let config = parse(&[
            "--port", "0", "--token", "first", "--token", "second", "--port", "9",
        ])
        .expect("parses");
        assert_eq!((config.token.as_str(), config.port), ("second", 9));
        let config = parse(&["--token", "t", "--shuffle", "--shuffle"]).expect("parses");
        assert!(config.shuffle);
    }

    #[test]
    fn rejects_bad_input() {
        assert!(parse(&[]).is_err(), "token is required");
        assert!(parse(&["--token", ""]).is_err(), "token must not be empty");
        assert!(parse(&["--token", "t", "--version", "2025.1"]).is_err());
        assert!(parse(&["--token", "t", "--fault-rate", "2"]).is_err());
        assert!(parse(&["--token", "t", "--fault-kinds", "meteor"]).is_err());
        assert!(parse(&["--token", "t", "--bogus"]).is_err());
        assert!(parse(&["--token", "t", "--latency-ms", "-1"]).is_err());
        assert!(parse(&["--token", "t", "--latency-item-ms", "NaN"]).is_err());
        assert!(parse(&["--token", "t", "--write-latency-ms", "fast"]).is_err());
        assert!(parse(&["--token", "t", "--workers", "-2"]).is_err());
    }

    #[test]
    fn version_names() {
        assert_eq!(ApiVersion::parse("2025.12"), Some(ApiVersion::V2025_12));
        assert_eq!(ApiVersion::parse("2026.2"), Some(ApiVersion::V2026_2));
        assert_eq!(ApiVersion::parse("2026.5"), Some(ApiVersion::V2026_5));
        assert_eq!(ApiVersion::parse("2025.1"), None);
        assert_eq!(ApiVersion::V2025_12.release(), "2025.12.4");
        assert_eq!(ApiVersion::V2026_2.release(), "2026.2.2");
        assert_eq!(ApiVersion::V2026_5.release(), "2026.5.0");
    }
}
