//! Command-line configuration of the double.

/// Which authentik release the double imitates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ApiVersion {
    /// authentik 2026.2: Validate has no `webauthn_hints` nor `*_otp_throttling_factor` fields.
    V2026_2,
    /// authentik 2026.5: Validate gains `webauthn_hints` and the four throttling factors.
    V2026_5,
}

impl ApiVersion {
    /// Parses `2026.2` or `2026.5`.
    pub fn parse(text: &str) -> Option<ApiVersion> {
        match text {
            "2026.2" => Some(ApiVersion::V2026_2),
            "2026.5" => Some(ApiVersion::V2026_5),
            _ => None,
        }
    }
}

/// Everything the command line can set.
#[derive(Clone, Debug)]
pub struct Config {
    /// TCP port on 127.0.0.1; 0 picks any free port.
    pub port: u16,
    /// The one API token accepted as `Authorization: Bearer <token>`.
    pub token: String,
    /// The authentik release imitated.
    pub version: ApiVersion,
    /// SMS `auth`/`auth_password` are accepted but never returned.
    pub secrets_write_only: bool,
    /// Fraction (0..=1) of API requests that get a fault.
    pub fault_rate: f64,
    /// Seed of the fault sequence.
    pub seed: u64,
    /// Set-like lists come back in random order.
    pub shuffle: bool,
}

/// The `--help` text.
pub const USAGE: &str = "\
usage: authentik-double --token TOKEN [--port PORT] [--version 2026.2|2026.5]
                        [--secrets-write-only] [--fault-rate F] [--seed N] [--shuffle]

  --port PORT           port on 127.0.0.1 (default 0: any free port)
  --token TOKEN         the API token clients send as `Authorization: Bearer TOKEN` (required)
  --version V           authentik release to imitate: 2026.2 or 2026.5 (default 2026.5)
  --secrets-write-only  SMS auth/auth_password are accepted but never returned
  --fault-rate F        fraction 0..1 of API requests that get a fault (503, 429, dropped
                        connection, slow answer); default 0
  --seed N              seed of the deterministic fault sequence (default 0)
  --shuffle             set-like lists come back in random order

The first stdout line is `listening on http://127.0.0.1:PORT`.";

impl Config {
    /// Parses the arguments after the program name.
    pub fn from_args<I: IntoIterator<Item = String>>(args: I) -> Result<Config, String> {
        let mut config = Config {
            port: 0,
            token: String::new(),
            version: ApiVersion::V2026_5,
            secrets_write_only: false,
            fault_rate: 0.0,
            seed: 0,
            shuffle: false,
        };
        let mut token = None;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            // Accept both `--opt value` and `--opt=value`.
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => {
                    (flag.to_string(), Some(value.to_string()))
                }
                _ => (arg.clone(), None),
            };
            let mut value = |name: &str| -> Result<String, String> {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            match flag.as_str() {
                "--port" => {
                    let text = value("--port")?;
                    config.port = text.parse().map_err(|_| format!("bad --port: {text}"))?;
                }
                "--token" => token = Some(value("--token")?),
                "--version" => {
                    let text = value("--version")?;
                    config.version = ApiVersion::parse(&text).ok_or_else(|| {
                        format!("bad --version {text}: expected 2026.2 or 2026.5")
                    })?;
                }
                "--secrets-write-only" => config.secrets_write_only = true,
                "--fault-rate" => {
                    let text = value("--fault-rate")?;
                    let rate: f64 = text
                        .parse()
                        .map_err(|_| format!("bad --fault-rate: {text}"))?;
                    if !(0.0..=1.0).contains(&rate) {
                        return Err(format!("--fault-rate must be within 0..1, got {text}"));
                    }
                    config.fault_rate = rate;
                }
                "--seed" => {
                    let text = value("--seed")?;
                    config.seed = text.parse().map_err(|_| format!("bad --seed: {text}"))?;
                }
                "--shuffle" => config.shuffle = true,
                "-h" | "--help" => return Err(USAGE.to_string()),
                other => return Err(format!("unknown argument {other}\n{USAGE}")),
            }
        }
        config.token = match token {
            Some(token) if !token.is_empty() => token,
            _ => return Err(format!("--token is required\n{USAGE}")),
        };
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, String> {
        Config::from_args(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn defaults_and_options() {
        let config = parse(&["--token", "t"]).expect("parses");
        assert_eq!(config.port, 0);
        assert_eq!(config.version, ApiVersion::V2026_5);
        assert!(!config.shuffle && !config.secrets_write_only);
        let config = parse(&[
            "--port=8080",
            "--token",
            "t",
            "--version",
            "2026.2",
            "--fault-rate",
            "0.25",
            "--seed",
            "7",
            "--shuffle",
            "--secrets-write-only",
        ])
        .expect("parses");
        assert_eq!(config.port, 8080);
        assert_eq!(config.version, ApiVersion::V2026_2);
        assert_eq!(config.fault_rate, 0.25);
        assert_eq!(config.seed, 7);
        assert!(config.shuffle && config.secrets_write_only);
    }

    #[test]
    fn rejects_bad_input() {
        assert!(parse(&[]).is_err(), "token is required");
        assert!(parse(&["--token", "t", "--version", "2025.1"]).is_err());
        assert!(parse(&["--token", "t", "--fault-rate", "2"]).is_err());
        assert!(parse(&["--token", "t", "--bogus"]).is_err());
    }
}
