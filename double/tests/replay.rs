//! Replays the exchanges recorded on real authentik servers (`double/tests/recordings/`, kept
//! copies of `../shared/authentik/recordings/`, refreshed by `scripts/refresh-recordings`)
//! against the double started at the recorded release, and compares every status and body.
//!
//! The recordings replace server-generated UUIDs by placeholders (`<uuid:n>`, see the
//! recordings' README). Replaying binds each placeholder to the double's id at the same place
//! of the same response the first time it shows, substitutes bound placeholders into later
//! requests, and rewrites the double's responses the way the recorder rewrote the server's
//! (ids → placeholders, set-valued fields in canonical order, `num_pk` → `<int:n>`, file tokens).
//! Every remaining difference fails the test, naming the step, the request, the place in the
//! body and both values, unless one entry of [`EXCEPTIONS`] names it with its reason.
//!
//! `hand-2026.2.2.jsonl` is our own: exchanges found by hand on a real 2026.2.2 (see
//! `server-behaviour-more.md`, last section) that the recorder's sequences do not cover,
//! written in the same format.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use common::double::Double;
use serde_json::{Map, Value};

/// The recordings kept in the repository (copied from `../shared/authentik/recordings/`).
const SHARED_FILES: [&str; 4] = [
    "flows-2025.12.4.jsonl",
    "flows-2026.2.2.jsonl",
    "stages-2025.12.4.jsonl",
    "stages-2026.2.2.jsonl",
];

/// UUIDs the recorder keeps verbatim (made-up ids and fixed WebAuthn AAGUIDs).
const KEEP: [&str; 7] = [
    "00000000-0000-4000-8000-000000000001",
    "00000000-0000-4000-8000-000000000002",
    "00000000-0000-4000-8000-0000000000ff",
    "00000000-0000-0000-0000-000000000000",
    "cb69481e-8ff7-4039-93ec-0a2729a154a8",
    "fa2b99dc-9e39-4257-8f92-4a30d23c4118",
    "00000000-0000-4000-8000-0000000000aa",
];

/// Lists of ids the server returns in no defined order: sorted by placeholder number.
const UUID_SETS: [&str; 8] = [
    "stages",
    "policies",
    "fields",
    "validation_policies",
    "sources",
    "configuration_stages",
    "webauthn_allowed_device_types",
    "device_type_restrictions",
];

/// Lists of objects the server returns in no defined order: sorted by these keys.
const OBJ_SETS: [(&str, &[&str]); 4] = [
    ("flow_set", &["slug", "pk"]),
    ("prompt_stages_obj", &["name"]),
    ("webauthn_allowed_device_types_obj", &["aaguid"]),
    ("device_type_restrictions_obj", &["aaguid"]),
];

/// Placeholder numbers from here on stand for ids of the double not bound yet.
const FRESH: u64 = 1_000_000;

/// A deliberate difference: the places it excuses and why.
struct Exception {
    /// Recording file names it applies to start with this (`"flows-"`, `"stages-2026"`).
    recording: &'static str,
    /// Steps it applies to (inclusive).
    steps: (u64, u64),
    /// Places in the response (`/results[0]/expression`) it excuses: those starting with this.
    /// `""` excuses the whole step, status included.
    place: &'static str,
    /// Why the double differs there.
    reason: &'static str,
}

/// Every deliberate difference, one entry each. None today: the double answers every recorded
/// step as the real server did. An entry that excuses nothing fails the test, so stale ones go.
const EXCEPTIONS: &[Exception] = &[];

#[derive(Debug, Clone)]
struct Step {
    step: u64,
    method: String,
    path: String,
    body: Value,
    status: u16,
    response: Value,
}

fn kept_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/recordings")
}

/// `../shared/authentik/recordings/` beside the repository.
fn shared_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let beside = manifest.parent().and_then(Path::parent).unwrap_or(manifest);
    beside.join("shared/authentik/recordings")
}

fn load(file: &str) -> Vec<Step> {
    let path = kept_dir().join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, line)| {
            let v: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{file} line {}: {e}", i + 1));
            Step {
                step: v["step"].as_u64().unwrap_or(i as u64 + 1),
                method: v["method"].as_str().unwrap_or("GET").to_string(),
                path: v["path"].as_str().unwrap_or("").to_string(),
                body: v["body"].clone(),
                status: v["status"].as_u64().unwrap_or(0) as u16,
                response: v["response"].clone(),
            }
        })
        .collect()
}

/// Splits a string into literal text and placeholders (`<uuid:n>`, `<int:n>`).
fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let parsed = after.find('>').and_then(|end| {
            let inner = &after[..end];
            let (kind, number) = inner.split_once(':')?;
            let number: u64 = number.parse().ok()?;
            matches!(kind, "uuid" | "int").then_some((end, kind, number))
        });
        match parsed {
            Some((end, kind, number)) => {
                out.push(Token::Text(&rest[..start]));
                out.push(Token::Placeholder(
                    &rest[start..start + end + 2],
                    kind,
                    number,
                ));
                rest = &after[end + 1..];
            }
            None => {
                out.push(Token::Text(&rest[..start + 1]));
                rest = after;
            }
        }
    }
    out.push(Token::Text(rest));
    out
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token<'a> {
    Text(&'a str),
    Placeholder(&'a str, &'a str, u64),
}

fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// The placeholders of one replay: recorded placeholder ↔ the double's value.
#[derive(Default)]
struct Bindings {
    /// `<uuid:n>` → the double's UUID (lower case); `<int:n>` → the integer as text.
    to_double: HashMap<String, String>,
    /// The double's UUID (lower case) → `<uuid:n>`.
    uuids: HashMap<String, String>,
    /// The double's `num_pk` → `<int:n>`.
    ints: HashMap<i64, String>,
}

/// One rewriting of a response: the bindings known, plus fresh placeholders for new ids.
struct Rewriter<'b> {
    bindings: &'b Bindings,
    fresh_uuids: HashMap<String, String>,
    fresh_ints: HashMap<i64, String>,
}

impl<'b> Rewriter<'b> {
    fn new(bindings: &'b Bindings) -> Self {
        Rewriter {
            bindings,
            fresh_uuids: HashMap::new(),
            fresh_ints: HashMap::new(),
        }
    }

    fn uid(&mut self, raw: &str) -> String {
        let lower = raw.to_ascii_lowercase();
        if KEEP.contains(&lower.as_str()) {
            return lower;
        }
        if let Some(p) = self.bindings.uuids.get(&lower) {
            return p.clone();
        }
        let n = FRESH + self.fresh_uuids.len() as u64;
        self.fresh_uuids
            .entry(lower)
            .or_insert_with(|| format!("<uuid:{n}>"))
            .clone()
    }

    fn text(&mut self, s: &str) -> String {
        // Every `token=…` (signed file URLs) becomes `token=<token>`.
        let mut s = s.to_string();
        let mut from = 0;
        while let Some(at) = s[from..].find("token=") {
            let start = from + at + "token=".len();
            let end = s[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c)))
                .map_or(s.len(), |e| start + e);
            if end > start {
                s.replace_range(start..end, "<token>");
            }
            from = start;
        }
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        while i < s.len() {
            if i + 36 <= s.len() && s.is_char_boundary(i + 36) && is_uuid(&s[i..i + 36]) {
                out.push_str(&self.uid(&s[i..i + 36]));
                i += 36;
            } else if let Some(c) = s[i..].chars().next() {
                out.push(c);
                i += c.len_utf8();
            } else {
                break;
            }
        }
        out
    }

    fn rank(v: &Value) -> (u8, u64, String) {
        if let Some(Token::Placeholder(_, "uuid", n)) = v.as_str().and_then(|s| {
            let t = tokens(s);
            (t.len() == 3 && t[0] == Token::Text("") && t[2] == Token::Text("")).then(|| t[1])
        }) {
            return (0, n, String::new());
        }
        (1, 0, v.to_string())
    }

    fn walk(&mut self, v: &Value, key: Option<&str>) -> Value {
        match v {
            Value::Object(map) => {
                let mut out = Map::new();
                for (k, x) in map {
                    if let (true, Some(n)) = (k == "num_pk", x.as_i64()) {
                        let p = match self.bindings.ints.get(&n) {
                            Some(p) => p.clone(),
                            None => {
                                let next = FRESH + self.fresh_ints.len() as u64;
                                self.fresh_ints
                                    .entry(n)
                                    .or_insert_with(|| format!("<int:{next}>"))
                                    .clone()
                            }
                        };
                        out.insert(k.clone(), Value::String(p));
                    } else {
                        let k2 = self.text(k);
                        out.insert(k2, self.walk(x, Some(k)));
                    }
                }
                Value::Object(out)
            }
            Value::Array(items) => {
                if let Some((_, keys)) = OBJ_SETS.iter().find(|(name, _)| Some(*name) == key) {
                    if items.iter().all(Value::is_object) {
                        let mut sorted: Vec<&Value> = items.iter().collect();
                        let sort_key = |i: &Value| -> Vec<String> {
                            keys.iter()
                                .map(|k| match i.get(*k) {
                                    Some(Value::String(s)) => s.clone(),
                                    Some(other) => other.to_string(),
                                    None => String::new(),
                                })
                                .collect()
                        };
                        sorted.sort_by_key(|i| sort_key(i));
                        return Value::Array(
                            sorted.into_iter().map(|i| self.walk(i, None)).collect(),
                        );
                    }
                }
                if UUID_SETS.iter().any(|name| Some(*name) == key)
                    && items.iter().all(Value::is_string)
                {
                    let mut out: Vec<Value> = items.iter().map(|i| self.walk(i, None)).collect();
                    out.sort_by_key(Self::rank);
                    return Value::Array(out);
                }
                Value::Array(items.iter().map(|i| self.walk(i, key)).collect())
            }
            Value::String(s) => Value::String(self.text(s)),
            other => other.clone(),
        }
    }

    /// The double's value behind a fresh placeholder.
    fn fresh_value(&self, placeholder: &str) -> Option<String> {
        self.fresh_uuids
            .iter()
            .find(|(_, p)| p.as_str() == placeholder)
            .map(|(u, _)| u.clone())
            .or_else(|| {
                self.fresh_ints
                    .iter()
                    .find(|(_, p)| p.as_str() == placeholder)
                    .map(|(n, _)| n.to_string())
            })
    }
}

/// Walks the recorded and the rewritten response side by side; where the recording has a
/// placeholder not bound yet and the double a fresh one at the same place, pairs them.
fn pair(recorded: &Value, got: &Value, out: &mut Vec<(String, String)>) {
    match (recorded, got) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, x) in a {
                if let Some(y) = b.get(k) {
                    pair(x, y, out);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (x, y) in a.iter().zip(b) {
                pair(x, y, out);
            }
        }
        (Value::String(a), Value::String(b)) if a != b => {
            let (ta, tb) = (tokens(a), tokens(b));
            if ta.len() != tb.len() {
                return;
            }
            let mut pairs = Vec::new();
            for (x, y) in ta.iter().zip(&tb) {
                match (x, y) {
                    (Token::Text(p), Token::Text(q)) if p == q => {}
                    (Token::Placeholder(p, k1, _), Token::Placeholder(q, k2, n)) if k1 == k2 => {
                        if *n >= FRESH {
                            pairs.push((p.to_string(), q.to_string()));
                        }
                    }
                    _ => return,
                }
            }
            out.extend(pairs);
        }
        _ => {}
    }
}

/// Differences between the recorded and the rewritten response: (place, recorded, double's).
fn differences(a: &Value, b: &Value, place: &str, out: &mut Vec<(String, String, String)>) {
    let short = |v: &Value| {
        let s = v.to_string();
        if s.chars().count() > 160 {
            format!("{}…", s.chars().take(160).collect::<String>())
        } else {
            s
        }
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let p = format!("{place}/{k}");
                match (x.get(k), y.get(k)) {
                    (Some(v), Some(w)) => differences(v, w, &p, out),
                    (Some(v), None) => out.push((p, short(v), "(missing)".into())),
                    (None, Some(w)) => out.push((p, "(missing)".into(), short(w))),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                differences(v, w, &format!("{place}[{i}]"), out);
            }
        }
        (Value::Array(x), Value::Array(y)) => out.push((
            place.to_string(),
            format!("{} items {}", x.len(), short(a)),
            format!("{} items {}", y.len(), short(b)),
        )),
        _ if a == b => {}
        _ => out.push((
            if place.is_empty() {
                "/".into()
            } else {
                place.to_string()
            },
            short(a),
            short(b),
        )),
    }
}

/// Puts bound placeholders into a recorded request string; `None` when one is not bound.
fn substitute(text: &str, bindings: &Bindings) -> Option<String> {
    let mut out = String::new();
    for token in tokens(text) {
        match token {
            Token::Text(t) => out.push_str(t),
            Token::Placeholder(p, _, _) => out.push_str(bindings.to_double.get(p)?),
        }
    }
    Some(out)
}

fn substitute_value(v: &Value, bindings: &Bindings) -> Option<Value> {
    Some(match v {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, x) in map {
                out.insert(substitute(k, bindings)?, substitute_value(x, bindings)?);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| substitute_value(i, bindings))
                .collect::<Option<_>>()?,
        ),
        Value::String(s) => {
            let t = tokens(s);
            // A whole-value `<int:n>` goes back as a number.
            if let [Token::Text(""), Token::Placeholder(p, "int", _), Token::Text("")] =
                t.as_slice()
            {
                let n: i64 = bindings.to_double.get(*p)?.parse().ok()?;
                return Some(Value::from(n));
            }
            Value::String(substitute(s, bindings)?)
        }
        other => other.clone(),
    })
}

/// The release a recording was made on, as `--version` takes it.
fn version_of(file: &str) -> &'static str {
    if file.contains("-2025.12.") {
        "2025.12"
    } else {
        "2026.2"
    }
}

/// What one replay found.
#[derive(Default)]
struct Outcome {
    compared: usize,
    failures: Vec<String>,
    /// Indexes into [`EXCEPTIONS`] that excused something.
    used: BTreeSet<usize>,
}

fn excused(file: &str, step: u64, place: &str, used: &mut BTreeSet<usize>) -> bool {
    for (i, e) in EXCEPTIONS.iter().enumerate() {
        if file.starts_with(e.recording)
            && (e.steps.0..=e.steps.1).contains(&step)
            && place.starts_with(e.place)
        {
            used.insert(i);
            return true;
        }
    }
    false
}

fn send(double: &Double, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
    let auth = format!("Bearer {}", double.token);
    let text = body.map(Value::to_string);
    let mut headers = vec![
        ("Authorization", auth.as_str()),
        ("Accept", "application/json"),
    ];
    if text.is_some() {
        headers.push(("Content-Type", "application/json"));
    }
    let response = double
        .raw(method, &format!("/api/v3{path}"), &headers, text.as_deref())
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    let ctype = response.header("content-type").unwrap_or("").to_string();
    let parsed = if response.body.is_empty() {
        Value::Null
    } else if ctype.contains("json") {
        serde_json::from_str(&response.body)
            .unwrap_or_else(|e| panic!("{method} {path}: bad JSON ({e}): {}", response.body))
    } else {
        Value::String(format!("<non-json {ctype}>"))
    };
    (response.status, parsed)
}

fn replay(file: &str) -> Outcome {
    let steps = load(file);
    let double = Double::start(&["--version", version_of(file)]);
    let mut bindings = Bindings::default();
    let mut outcome = Outcome::default();
    for s in &steps {
        let request = format!("step {} {} {}", s.step, s.method, s.path);
        let (Some(path), Some(body)) = (
            substitute(&s.path, &bindings),
            substitute_value(&s.body, &bindings),
        ) else {
            // Every placeholder of a request shows in an earlier answer; the double's did not.
            outcome.failures.push(format!(
                "{file} {request}: a placeholder of the request was never bound (an earlier answer of the double lacked it)"
            ));
            continue;
        };
        let body = (!s.body.is_null()).then_some(body);
        let (status, raw) = send(&double, &s.method, &path, body.as_ref());
        // Bind what shows for the first time, then rewrite with the bindings.
        let mut rewriter = Rewriter::new(&bindings);
        let first = rewriter.walk(&raw, None);
        let mut pairs = Vec::new();
        pair(&s.response, &first, &mut pairs);
        let mut fresh = Vec::new();
        for (recorded, got) in pairs {
            if bindings.to_double.contains_key(&recorded) {
                continue;
            }
            if let Some(value) = rewriter.fresh_value(&got) {
                fresh.push((recorded, value));
            }
        }
        for (recorded, value) in fresh {
            if recorded.starts_with("<int:") {
                if let Ok(n) = value.parse::<i64>() {
                    bindings.ints.insert(n, recorded.clone());
                }
            } else {
                bindings.uuids.insert(value.clone(), recorded.clone());
            }
            bindings.to_double.insert(recorded, value);
        }
        let got = Rewriter::new(&bindings).walk(&raw, None);
        outcome.compared += 1;
        let mut found = Vec::new();
        if status != s.status {
            found.push((
                "(status)".to_string(),
                s.status.to_string(),
                status.to_string(),
            ));
        }
        differences(&s.response, &got, "", &mut found);
        for (place, recorded, double) in found {
            let place_key = if place == "(status)" { "" } else { &place };
            if excused(file, s.step, place_key, &mut outcome.used) {
                continue;
            }
            outcome.failures.push(format!(
                "{file} {request} (sent {path}): at {place}: recorded {recorded}, double {double}"
            ));
        }
    }
    outcome
}

fn check(files: &[&str]) {
    let mut failures = Vec::new();
    let mut used = BTreeSet::new();
    for file in files {
        let outcome = replay(file);
        let _ = writeln!(
            std::io::stderr(),
            "{file}: {} steps compared, {} differences",
            outcome.compared,
            outcome.failures.len()
        );
        failures.extend(outcome.failures);
        used.extend(outcome.used);
    }
    for (i, e) in EXCEPTIONS.iter().enumerate() {
        if !used.contains(&i) && files.iter().any(|f| f.starts_with(e.recording)) {
            failures.push(format!(
                "exception {:?} steps {:?} at {:?} ({}) excuses nothing any more: remove it",
                e.recording, e.steps, e.place, e.reason
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences from the recordings:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn replays_the_stages_recordings() {
    check(&["stages-2025.12.4.jsonl", "stages-2026.2.2.jsonl"]);
}

#[test]
fn replays_the_flows_recordings() {
    check(&["flows-2025.12.4.jsonl", "flows-2026.2.2.jsonl"]);
}

#[test]
fn replays_the_exchanges_found_by_hand() {
    check(&["hand-2026.2.2.jsonl"]);
}

/// The kept copies against `../shared/authentik/recordings/`, when that is there.
#[test]
fn kept_recordings_match_the_shared_copy() {
    let shared = shared_dir();
    if !shared.is_dir() {
        let _ = writeln!(
            std::io::stderr(),
            "recordings check skipped: {} is not there (the kept copies in double/tests/recordings/ are used as they are)",
            shared.display()
        );
        return;
    }
    let mut stale = Vec::new();
    for file in SHARED_FILES {
        let kept = std::fs::read(kept_dir().join(file)).unwrap_or_default();
        match std::fs::read(shared.join(file)) {
            Ok(theirs) if theirs == kept => {}
            Ok(_) => stale.push(format!("{file} differs from the shared copy")),
            Err(e) => stale.push(format!("{file}: cannot read the shared copy: {e}")),
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nrun scripts/refresh-recordings to take the shared copies",
        stale.join("\n")
    );
}
