//! Logs as go-plugin expects them: one JSON object per line on stderr, in hclog's shape
//! (`@level`, `@message`, `@module`, `@timestamp`, then the event's fields). Terraform re-logs
//! such lines at their level under the provider's name, so `TF_LOG_PROVIDER=debug` shows them.
//!
//! The level comes from `TF_LOG_PROVIDER`, else `TF_LOG` (`trace`, `debug`, `info`, `warn`,
//! `error`; `json` means trace). Unset or unrecognised: no subscriber is installed at all, so
//! logging costs nothing. Never log attribute values: they may be secrets.

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// The `@module` of every line.
pub const MODULE: &str = concat!("provider.", env!("CARGO_PKG_NAME"));

/// The level asked for by the environment, if any.
pub fn level_from_env() -> Option<Level> {
    ["TF_LOG_PROVIDER", "TF_LOG"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.trim().is_empty()))
        .and_then(|v| parse_level(&v))
}

/// Parse a Terraform log level name (case-insensitive). `off` and unknown names give `None`.
pub fn parse_level(v: &str) -> Option<Level> {
    match v.trim().to_ascii_lowercase().as_str() {
        "trace" | "json" => Some(Level::TRACE),
        "debug" => Some(Level::DEBUG),
        "info" => Some(Level::INFO),
        "warn" => Some(Level::WARN),
        "error" => Some(Level::ERROR),
        _ => None,
    }
}

/// Install the stderr JSON subscriber if the environment asks for logs. Safe to call more than
/// once (later calls do nothing).
pub fn init_from_env() {
    if let Some(level) = level_from_env() {
        let subscriber = tracing_subscriber::registry()
            .with(HclogLayer::new(std::io::stderr).with_filter(filter_for(level)));
        let _ = tracing::subscriber::set_global_default(subscriber);
    }
}

/// This crate's events at `level`; the libraries underneath (HTTP/2 frames, TLS internals)
/// only from warnings up, or Terraform's debug log drowns in them.
pub fn filter_for(level: Level) -> Targets {
    let ours = LevelFilter::from_level(level);
    Targets::new()
        .with_default(ours.min(LevelFilter::WARN))
        .with_target(env!("CARGO_CRATE_NAME"), ours)
}

/// A `tracing` layer writing hclog-style JSON lines to a writer.
pub struct HclogLayer<W> {
    make_writer: W,
}

impl<W, O> HclogLayer<W>
where
    W: Fn() -> O + Send + Sync + 'static,
    O: std::io::Write,
{
    /// A layer writing each line to a fresh `make_writer()`.
    pub fn new(make_writer: W) -> Self {
        HclogLayer { make_writer }
    }
}

impl<S, W, O> Layer<S> for HclogLayer<W>
where
    S: Subscriber,
    W: Fn() -> O + Send + Sync + 'static,
    O: std::io::Write,
{
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let line = format_event(event, SystemTime::now());
        let mut w = (self.make_writer)();
        // A failed write to stderr has nowhere to be reported.
        let _ = w.write_all(line.as_bytes());
    }
}

fn level_name(level: &Level) -> &'static str {
    match *level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    }
}

/// One event as a JSON line (with the trailing newline).
pub fn format_event(event: &Event<'_>, now: SystemTime) -> String {
    let mut fields = FieldCollector::default();
    event.record(&mut fields);
    let mut obj = serde_json::Map::new();
    obj.insert("@level".into(), level_name(event.metadata().level()).into());
    obj.insert("@message".into(), fields.message.unwrap_or_default().into());
    obj.insert("@module".into(), MODULE.into());
    obj.insert("@timestamp".into(), timestamp(now).into());
    for (k, v) in fields.fields {
        if !k.starts_with('@') {
            obj.insert(k, v);
        }
    }
    let mut line = serde_json::Value::Object(obj).to_string();
    line.push('\n');
    line
}

#[derive(Default)]
struct FieldCollector {
    message: Option<String>,
    fields: Vec<(String, serde_json::Value)>,
}

impl Visit for FieldCollector {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = Some(value.to_owned());
        } else {
            self.fields.push((field.name().into(), value.into()));
        }
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.fields.push((field.name().into(), value.into()));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.fields.push((field.name().into(), value.into()));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.fields.push((field.name().into(), value.into()));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.fields.push((field.name().into(), value.into()));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let text = format!("{value:?}");
        if field.name() == "message" {
            self.message = Some(text);
        } else {
            self.fields.push((field.name().into(), text.into()));
        }
    }
}

/// RFC 3339 UTC with microseconds, as hclog writes it: `2026-11-23T10:00:00.000000Z`.
pub fn timestamp(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, day) = civil_from_days(days);
    let mut s = String::with_capacity(27);
    let _ = write!(
        s,
        "{y:04}-{m:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60,
        d.subsec_micros()
    );
    s
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (Howard Hinnant's method).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    #[test]
    fn timestamps() {
        assert_eq!(timestamp(UNIX_EPOCH), "1970-01-01T00:00:00.000000Z");
        let t = UNIX_EPOCH + Duration::from_micros(1_795_428_000_123_456);
        assert_eq!(timestamp(t), "2026-11-23T10:00:00.123456Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(timestamp(leap), "2000-02-29T00:00:00.000000Z");
    }

    #[test]
    fn levels() {
        assert_eq!(parse_level("DEBUG"), Some(Level::DEBUG));
        assert_eq!(parse_level("json"), Some(Level::TRACE));
        assert_eq!(parse_level("off"), None);
        assert_eq!(parse_level("nonsense"), None);
    }

    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| std::io::Error::other("poisoned"))?
                .extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_are_hclog_json() {
        let buf = Buf::default();
        let w = buf.clone();
        let subscriber = tracing_subscriber::registry()
            .with(HclogLayer::new(move || w.clone()).with_filter(filter_for(Level::DEBUG)));
        tracing::subscriber::with_default(subscriber, || {
            tracing::debug!(rpc = "ReadResource", duration_us = 12u64, "served RPC");
            tracing::trace!("filtered out");
            tracing::debug!(target: "h2::codec", "library noise, filtered out");
        });
        let out = String::from_utf8(buf.0.lock().map(|b| b.clone()).unwrap_or_default())
            .unwrap_or_default();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1, "{out}");
        let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap_or_default();
        assert_eq!(v["@level"], "debug");
        assert_eq!(v["@message"], "served RPC");
        assert_eq!(v["@module"], MODULE);
        assert_eq!(v["rpc"], "ReadResource");
        assert_eq!(v["duration_us"], 12);
        assert!(v["@timestamp"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z') && t.len() == 27));
    }
}
