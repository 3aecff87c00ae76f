//! The one reader: every read of an object by id (refresh, import by UUID) or by name (import by
//! name) goes through it. It serves many reads of one collection in one provider process from
//! list pages (`page_size=100`) instead of one `GET` each, when that pays off, with exactly the
//! objects a `GET` would return (authentik's list and detail answers are the same serializer).
//!
//! # When a list pays off
//!
//! Terraform refreshes each resource in its own `ReadResource` call, up to `-parallelism` (10) at
//! once, and never says how many there are. The reader keeps, per collection, the reads it has
//! seen, the reads served without a request of their own (*hits*) and the pages it has asked for,
//! and lets a page go out only when the pages can never cost more than one request per read plus
//! one:
//!
//! - a collection starts *cold*: the first read opens a short coalescing window (20 ms) in
//!   which concurrent reads of the same collection gather. As soon as
//!   [`ReaderSettings::min_reads`] reads are waiting (or when the window closes, if that many have
//!   been seen), page 1 is fetched (the one "plus one"); otherwise every read is a plain `GET`,
//!   so 3 managed stages cost 3 `GET`s whatever the server holds. Page 1 goes alone: a page 2
//!   sent with it, paid for by a waiting read, costs a request more whenever that read's object
//!   lies on a later page that cannot be paid for (4 stages among 1000: 4 pages + 2 `GET`s), and
//!   before page 1 lands nothing tells the two cases apart (docs/benchmarks.md, issue 24);
//! - page 1 tells how many objects the server has (`pagination.count`), so how many pages remain.
//!   All of them are fetched at once (concurrently) when `pages asked + remaining <= hits + waiting
//!   reads + 1`: every waiting read is then either found in a page or confirmed absent, so the
//!   pages never outnumber the reads they serve plus one;
//! - otherwise pages already paid for by hits (`pages asked <= hits`) may be fetched one credit at
//!   a time, and a read that no page can serve is a plain `GET`.
//!
//! So N reads of a collection never cost more than N + 1 requests (plus one `GET` per object
//! deleted outside Terraform, which a page cannot confirm, and the fallback `GET`s after a page
//! that failed), and a refresh of everything on a server holding M objects costs about ⌈M/100⌉
//! requests. The rule counts requests, not server time: when N is just above the number of pages
//! (10 stages among 1000) the pages cost as many requests as the `GET`s would, but a page costs
//! authentik about four `GET`s of time.
//!
//! # Same results as a `GET`
//!
//! - An object absent from the pages is confirmed with one `GET` before anyone calls it gone
//!   (objects move between pages when others are created or renamed meanwhile): a 404 there is
//!   the 404 a `GET` would have given.
//! - A page that fails (after the client's own retries) is never taken as "absent": every read
//!   it should have served falls back to its own `GET`, and listing stops until the cache is
//!   renewed.
//! - A write through this process ([`Reader::begin_write`]) drops every cached object, and reads
//!   made while a write is in flight bypass the cache; a page that was in flight when the write
//!   began is discarded when it lands. Cached objects also expire after
//!   [`ReaderSettings::max_age`].
//! - Setting `AUTHENTIK_READ_BATCHING=off` turns all of this off: every read is a `GET`, as in
//!   every other Terraform provider.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::checks::normalize_uuid;
use crate::client::{ApiError, Client, JsonObject, Page, Pages};

/// How the reader batches.
#[derive(Debug, Clone)]
pub struct ReaderSettings {
    /// Serve reads from list pages at all (else every read is a `GET`).
    pub batching: bool,
    /// How long the first read of a cold collection waits for others to join it.
    pub window: Duration,
    /// Reads of a collection seen before a first page is worth asking for.
    pub min_reads: u64,
    /// How long a cached object may be served.
    pub max_age: Duration,
    /// Objects per list page (authentik's maximum is 100).
    pub page_size: u32,
}

/// Name of the environment variable that turns batching off (`off`, `false`, `0`, `no`).
pub const BATCHING_ENV: &str = "AUTHENTIK_READ_BATCHING";

impl Default for ReaderSettings {
    fn default() -> Self {
        ReaderSettings {
            batching: true,
            window: Duration::from_millis(20),
            min_reads: 4,
            max_age: Duration::from_secs(60),
            page_size: crate::client::PAGE_SIZE,
        }
    }
}

impl ReaderSettings {
    /// The defaults, with batching turned off when [`BATCHING_ENV`] says so.
    pub fn from_env() -> Self {
        let off = std::env::var(BATCHING_ENV).is_ok_and(|v| {
            matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "off" | "false" | "0" | "no"
            )
        });
        ReaderSettings {
            batching: !off,
            ..ReaderSettings::default()
        }
    }
}

/// What the reader did, per collection (for tests and logs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadStats {
    /// Reads asked for.
    pub reads: u64,
    /// Reads served from cached objects (no request of their own).
    pub hits: u64,
    /// List pages requested.
    pub pages: u64,
    /// Single-object requests (`GET` by id, or `?name=` lookups).
    pub gets: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PageState {
    InFlight,
    Done,
    Failed,
}

/// The pages of one collection fetched since the cache was last renewed.
#[derive(Debug)]
struct Snapshot {
    /// Identifies this snapshot to the page fetches it started.
    id: u64,
    taken: Instant,
    /// Known once a page has landed.
    total_pages: Option<u64>,
    pages: BTreeMap<u64, PageState>,
    failed: bool,
}

impl Snapshot {
    fn in_flight(&self) -> bool {
        self.pages.values().any(|p| *p == PageState::InFlight)
    }

    fn complete(&self) -> bool {
        self.total_pages
            .is_some_and(|n| (1..=n).all(|p| self.pages.get(&p) == Some(&PageState::Done)))
    }

    /// Pages not asked for yet, in order.
    fn unrequested(&self) -> Vec<u64> {
        match self.total_pages {
            Some(n) => (1..=n).filter(|p| !self.pages.contains_key(p)).collect(),
            None => Vec::new(),
        }
    }
}

/// One cached object, kept as its compact JSON text (about a quarter of the memory of a parsed
/// [`JsonObject`], whose every key and value is an allocation of its own): a plan of 1000 stages
/// holds 1000 of them until the cache is renewed, and parsing one back costs microseconds.
#[derive(Debug)]
struct Cached {
    json: Box<str>,
    /// Its `name`, for [`Reader::find_by_name`].
    name: Option<Box<str>>,
    at: Instant,
}

impl Cached {
    /// `None` if the object cannot be serialized (it came from JSON, so it always can).
    fn new(object: &JsonObject, at: Instant) -> Option<Cached> {
        let json = serde_json::to_string(object).ok()?.into_boxed_str();
        let name = object.get("name").and_then(|n| n.as_str()).map(Box::from);
        Some(Cached { json, name, at })
    }

    /// The object again (`None` only if the text were not an object, which it always is).
    fn object(&self) -> Option<JsonObject> {
        serde_json::from_str(&self.json).ok()
    }
}

#[derive(Debug, Default)]
struct Collection {
    stats: ReadStats,
    /// Reads currently waiting for a decision (not yet served, not yet sent as a `GET`).
    waiting: u64,
    snapshot: Option<Snapshot>,
    /// The coalescing window of the current cold phase, once opened.
    window_until: Option<Instant>,
    /// By normalized UUID (or by the exact value of `key_field`).
    objects: HashMap<String, Cached>,
    /// The field objects are read by: `pk` (a UUID, any spelling) unless a read named another
    /// (a flow's `slug`, exact).
    key_field: Option<&'static str>,
}

impl Collection {
    fn reset_cache(&mut self) {
        self.snapshot = None;
        self.window_until = None;
        self.objects.clear();
    }
}

#[derive(Debug, Default)]
struct State {
    /// Bumped when a write begins and when it ends.
    epoch: u64,
    writes_in_flight: u64,
    next_snapshot: u64,
    collections: HashMap<&'static str, Collection>,
}

impl State {
    fn drop_caches(&mut self) {
        for c in self.collections.values_mut() {
            c.reset_cache();
        }
    }
}

/// What a read does next.
enum Step {
    Hit(JsonObject),
    /// Wait for a page to land (or for the window to close, if a deadline is given).
    Wait(Option<Instant>),
    /// Fetch these pages of this snapshot, then look again.
    Fetch {
        snapshot: u64,
        pages: Vec<u64>,
    },
    /// A `GET` of its own (`cache`: the answer may be cached).
    Get {
        cache: bool,
    },
}

/// The reader of one configured provider (one API client). Cheap to share: hold it in an `Arc`.
#[derive(Debug)]
pub struct Reader {
    client: Client,
    settings: ReaderSettings,
    state: Mutex<State>,
    changed: Notify,
}

/// Held while a write is in flight; see [`Reader::begin_write`].
#[must_use = "the write counts as in flight only while the guard lives"]
#[derive(Debug)]
pub struct WriteGuard {
    reader: Arc<Reader>,
}

impl Drop for WriteGuard {
    fn drop(&mut self) {
        {
            let mut st = self.reader.lock();
            st.writes_in_flight = st.writes_in_flight.saturating_sub(1);
            st.epoch += 1;
            st.drop_caches();
        }
        self.reader.changed.notify_waiters();
    }
}

/// Counts a read as waiting until it is decided (also if its future is dropped).
struct Waiting<'a> {
    reader: &'a Reader,
    collection: &'static str,
    done: bool,
}

impl Waiting<'_> {
    fn finish(&mut self, st: &mut State) {
        if !self.done {
            self.done = true;
            if let Some(c) = st.collections.get_mut(self.collection) {
                c.waiting = c.waiting.saturating_sub(1);
            }
        }
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if !self.done {
            let mut st = self.reader.lock();
            self.finish(&mut st);
        }
    }
}

impl Reader {
    /// A reader over `client` with `settings`.
    pub fn new(client: Client, settings: ReaderSettings) -> Arc<Reader> {
        Arc::new(Reader {
            client,
            settings,
            state: Mutex::new(State::default()),
            changed: Notify::new(),
        })
    }

    /// The API client reads go to.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The objects of `collection` matching `query`, page by page as authentik answers, for
    /// listing (`terraform query`). Neither cached nor counted in [`Reader::stats`]: a listing
    /// runs in its own command, and what follows it (import, plan) runs in another provider
    /// process, so nothing would ever be served from them.
    pub fn pages(&self, collection: &'static str, query: &[(&str, &str)]) -> Pages {
        self.client.endpoint(collection).pages(query)
    }

    /// What the reader did for `collection` so far.
    pub fn stats(&self, collection: &str) -> ReadStats {
        self.lock()
            .collections
            .get(collection)
            .map(|c| c.stats)
            .unwrap_or_default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Marks a write (create, update, delete) as in flight until the guard is dropped: every
    /// cached object is dropped now and again at the end, and reads in between bypass the cache.
    pub fn begin_write(self: &Arc<Self>) -> WriteGuard {
        {
            let mut st = self.lock();
            st.writes_in_flight += 1;
            st.epoch += 1;
            st.drop_caches();
        }
        self.changed.notify_waiters();
        WriteGuard {
            reader: Arc::clone(self),
        }
    }

    /// The object of `collection` with this id, as `GET <collection>/<id>/` would return it
    /// (any UUID spelling). [`ApiError::NotFound`] if it does not exist.
    pub async fn get(
        self: &Arc<Self>,
        collection: &'static str,
        id: &str,
    ) -> Result<JsonObject, ApiError> {
        self.get_by(collection, "pk", id).await
    }

    /// [`Reader::get`] for a collection whose objects are addressed by another field than
    /// `pk` (`GET <collection>/<value>/`, a flow by its `slug`): the value is compared exactly,
    /// and list pages are indexed by that field.
    pub async fn get_by(
        self: &Arc<Self>,
        collection: &'static str,
        key_field: &'static str,
        id: &str,
    ) -> Result<JsonObject, ApiError> {
        let endpoint = self.client.endpoint(collection);
        let key = if key_field == "pk" {
            normalize_uuid(id)
        } else {
            (!id.is_empty()).then(|| id.to_string())
        };
        if key.is_some() {
            self.lock()
                .collections
                .entry(collection)
                .or_default()
                .key_field = Some(key_field);
        }
        let Some(key) = key.filter(|_| self.settings.batching) else {
            // Not a UUID (the server answers 404 or the client refuses it), or batching off.
            {
                let mut st = self.lock();
                let stats = &mut st.collections.entry(collection).or_default().stats;
                stats.reads += 1;
                stats.gets += 1;
            }
            return endpoint.retrieve(id).await;
        };
        let mut waiting = {
            let mut st = self.lock();
            let c = st.collections.entry(collection).or_default();
            c.stats.reads += 1;
            c.waiting += 1;
            Waiting {
                reader: self,
                collection,
                done: false,
            }
        };
        loop {
            // Created before looking, so a change made after the look wakes us.
            let changed = self.changed.notified();
            let (step, epoch) = {
                let mut st = self.lock();
                let step = self.decide(&mut st, collection, &key);
                if matches!(step, Step::Hit(_) | Step::Get { .. }) {
                    waiting.finish(&mut st);
                }
                (step, st.epoch)
            };
            match step {
                Step::Hit(object) => return Ok(object),
                Step::Wait(deadline) => match deadline {
                    Some(at) => {
                        tokio::select! {
                            _ = changed => {}
                            _ = tokio::time::sleep_until(at.into()) => {}
                        }
                    }
                    None => changed.await,
                },
                Step::Fetch { snapshot, pages } => {
                    for page in pages {
                        self.spawn_fetch(collection, snapshot, epoch, page);
                    }
                }
                Step::Get { cache } => {
                    let started = Instant::now();
                    let result = endpoint.retrieve(id).await;
                    if let (true, Ok(object)) = (cache, &result) {
                        self.remember(collection, epoch, &key, object, started);
                    }
                    return result;
                }
            }
        }
    }

    /// The object of `collection` whose `name` is exactly `name`, if any: from the cache when
    /// a complete, fresh set of pages holds it, else one `?name=` lookup.
    pub async fn find_by_name(
        self: &Arc<Self>,
        collection: &'static str,
        name: &str,
    ) -> Result<Option<JsonObject>, ApiError> {
        let epoch = {
            let mut st = self.lock();
            let writing = st.writes_in_flight > 0;
            let epoch = st.epoch;
            let max_age = self.settings.max_age;
            let c = st.collections.entry(collection).or_default();
            c.stats.reads += 1;
            let complete = c
                .snapshot
                .as_ref()
                .is_some_and(|s| s.complete() && s.taken.elapsed() < max_age);
            if self.settings.batching && !writing && complete {
                let found = c
                    .objects
                    .values()
                    .filter(|o| o.at.elapsed() < max_age)
                    .find(|o| o.name.as_deref() == Some(name))
                    .and_then(Cached::object);
                if let Some(object) = found {
                    c.stats.hits += 1;
                    return Ok(Some(object));
                }
            }
            c.stats.gets += 1;
            epoch
        };
        let started = Instant::now();
        let found = self.client.endpoint(collection).find_by_name(name).await?;
        if let Some(object) = &found {
            let field = self
                .lock()
                .collections
                .get(collection)
                .and_then(|c| c.key_field)
                .unwrap_or("pk");
            if let Some(key) = object_key(field, object) {
                self.remember(collection, epoch, &key, object, started);
            }
        }
        Ok(found)
    }

    /// Caches an object fetched on its own, unless a write began since.
    fn remember(
        &self,
        collection: &'static str,
        epoch: u64,
        key: &str,
        object: &JsonObject,
        at: Instant,
    ) {
        if !self.settings.batching {
            return;
        }
        let Some(cached) = Cached::new(object, at) else {
            return;
        };
        let mut st = self.lock();
        if st.epoch != epoch || st.writes_in_flight > 0 {
            return;
        }
        st.collections
            .entry(collection)
            .or_default()
            .objects
            .insert(key.to_string(), cached);
    }

    /// The next step of one read, under the lock. Counts what it decides.
    fn decide(&self, st: &mut State, collection: &'static str, key: &str) -> Step {
        let writing = st.writes_in_flight > 0;
        let max_age = self.settings.max_age;
        let now = Instant::now();
        let next_snapshot = st.next_snapshot;
        let c = st.collections.entry(collection).or_default();
        if writing {
            c.stats.gets += 1;
            return Step::Get { cache: false };
        }
        if c.snapshot
            .as_ref()
            .is_some_and(|s| now.duration_since(s.taken) >= max_age)
        {
            c.reset_cache();
        }
        if let Some(hit) = c.objects.get(key) {
            if now.duration_since(hit.at) < max_age {
                if let Some(object) = hit.object() {
                    c.stats.hits += 1;
                    return Step::Hit(object);
                }
            }
        }
        let stats = c.stats;
        let Some(snapshot) = c.snapshot.as_mut() else {
            // Cold.
            // The window closes as soon as enough reads are waiting for a page to pay off:
            // waiting longer only delays page 1 (reads arriving later wait for it anyway).
            let enough = c.waiting >= self.settings.min_reads;
            if let Some(until) = c.window_until.filter(|u| now < *u && !enough) {
                return Step::Wait(Some(until));
            }
            if stats.reads >= self.settings.min_reads && stats.pages <= stats.hits {
                c.stats.pages += 1;
                let mut pages = BTreeMap::new();
                pages.insert(1, PageState::InFlight);
                c.snapshot = Some(Snapshot {
                    id: next_snapshot,
                    taken: now,
                    total_pages: None,
                    pages,
                    failed: false,
                });
                st.next_snapshot += 1;
                tracing::debug!(
                    collection,
                    reads = stats.reads,
                    "refresh: asking for the first list page"
                );
                return Step::Fetch {
                    snapshot: next_snapshot,
                    pages: vec![1],
                };
            }
            if c.window_until.is_none() {
                let until = now + self.settings.window;
                c.window_until = Some(until);
                return Step::Wait(Some(until));
            }
            c.stats.gets += 1;
            return Step::Get { cache: true };
        };
        if snapshot.in_flight() {
            return Step::Wait(None);
        }
        if snapshot.failed || snapshot.complete() || snapshot.total_pages.is_none() {
            // Listing failed: fall back. Complete: absent from every page, so confirm with a
            // GET (it may have moved between pages, or be gone: then the GET says 404).
            c.stats.gets += 1;
            return Step::Get { cache: true };
        }
        let remaining = snapshot.unrequested();
        let spent = stats.pages;
        let full = spent + remaining.len() as u64 <= stats.hits + c.waiting + 1;
        let credit = (stats.hits + 1).saturating_sub(spent);
        let pages: Vec<u64> = if full {
            remaining
        } else {
            remaining.into_iter().take(credit as usize).collect()
        };
        if pages.is_empty() {
            c.stats.gets += 1;
            return Step::Get { cache: true };
        }
        for p in &pages {
            snapshot.pages.insert(*p, PageState::InFlight);
        }
        c.stats.pages += pages.len() as u64;
        tracing::debug!(
            collection,
            pages = pages.len(),
            hits = stats.hits,
            waiting = c.waiting,
            full,
            "refresh: asking for more list pages"
        );
        Step::Fetch {
            snapshot: snapshot.id,
            pages,
        }
    }

    fn spawn_fetch(
        self: &Arc<Self>,
        collection: &'static str,
        snapshot: u64,
        epoch: u64,
        page: u64,
    ) {
        let reader = Arc::clone(self);
        tokio::spawn(async move {
            let started = Instant::now();
            let result = reader
                .client
                .endpoint(collection)
                .list_page(&[], page, reader.settings.page_size)
                .await;
            reader.land(collection, snapshot, epoch, page, result, started);
            reader.changed.notify_waiters();
        });
    }

    /// Takes a page's answer into the cache (if its snapshot is still current).
    fn land(
        &self,
        collection: &'static str,
        snapshot_id: u64,
        epoch: u64,
        page: u64,
        result: Result<Page, ApiError>,
        started: Instant,
    ) {
        let page_size = u64::from(self.settings.page_size.max(1));
        let mut st = self.lock();
        let current_epoch = st.epoch;
        let Some(c) = st.collections.get_mut(collection) else {
            return;
        };
        let Some(snapshot) = c.snapshot.as_mut().filter(|s| s.id == snapshot_id) else {
            return;
        };
        if current_epoch != epoch {
            // A write began since this page was asked for (its snapshot would be gone then).
            snapshot.pages.insert(page, PageState::Failed);
            snapshot.failed = true;
            return;
        }
        match result {
            Ok(answer) => {
                let total = match answer.count {
                    Some(count) => count.div_ceil(page_size).max(1),
                    // No count: at least this page, and the next one if there is one.
                    None if answer.next > page => {
                        answer.next.max(snapshot.total_pages.unwrap_or(0))
                    }
                    None => page.max(snapshot.total_pages.unwrap_or(0)),
                };
                snapshot.total_pages = Some(total);
                snapshot.pages.insert(page, PageState::Done);
                let field = c.key_field.unwrap_or("pk");
                for object in answer.results {
                    if let (Some(key), Some(cached)) =
                        (object_key(field, &object), Cached::new(&object, started))
                    {
                        c.objects.insert(key, cached);
                    }
                }
            }
            // Past the end: the collection shrank since the count was taken.
            Err(ApiError::NotFound { .. }) if page > 1 => {
                snapshot.pages.insert(page, PageState::Done);
            }
            Err(e) => {
                tracing::warn!(
                    collection,
                    page,
                    error = %e,
                    "list page failed: reading the objects it should have served one by one"
                );
                snapshot.pages.insert(page, PageState::Failed);
                snapshot.failed = true;
            }
        }
    }
}

/// An object's cache key: the exact value of `field`, or for `pk` the normalized UUID.
fn object_key(field: &str, object: &JsonObject) -> Option<String> {
    if field == "pk" {
        return pk_key(object);
    }
    object
        .get(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// The normalized UUID in an object's `pk`.
fn pk_key(object: &JsonObject) -> Option<String> {
    object
        .get("pk")
        .and_then(|v| v.as_str())
        .and_then(normalize_uuid)
}
