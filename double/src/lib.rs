//! `authentik-double`: a stateful stand-in for authentik's REST API (every authenticator stage
//! type, `/stages/all/`, and the flows, notification webhook mappings and WebAuthn device types
//! they reference, plus `/admin/version/`), reproducing the behaviour described in `server-behaviour.md` and
//! `server-behaviour-more.md`, starting with the objects a fresh authentik has, with optional
//! injected faults for resilience tests and an optional cost model of a real server (latency per
//! request and per listed object, a fixed number of workers) for benchmarks.
//!
//! Layout: [`http`] is the transport, [`routes`] the API routing, [`control`] the test-only
//! endpoints; [`stages`] holds the generic stage handlers and one file per stage type, each a
//! table of [`fields::Field`]s validated by the shared serializer mechanism in [`fields`];
//! [`store`] keeps the state, [`builtins`] fills it at start-up.

pub mod auth;
pub mod bindings;
pub mod builtins;
pub mod config;
pub mod control;
pub mod cost;
pub mod device_types;
pub mod directory;
pub mod duration;
pub mod errors;
pub mod faults;
pub mod fields;
pub mod flows;
pub mod http;
pub mod ids;
pub mod listing;
pub mod mappings;
pub mod pagination;
pub mod policies;
pub mod prompts;
pub mod query;
pub mod records;
pub mod reply;
pub mod requestlog;
pub mod routes;
pub mod stages;
pub mod store;
pub mod version;

use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use config::Config;
use cost::CostModel;
use faults::FaultPlan;
use requestlog::RequestLog;
use store::Store;

/// Everything a request handler can reach.
#[derive(Debug)]
pub struct AppState {
    /// Command-line settings.
    pub config: Config,
    /// Every API request received.
    pub log: RequestLog,
    /// The fault sequence.
    pub faults: FaultPlan,
    /// Server time per request and the worker pool.
    pub cost: CostModel,
    store: RwLock<Store>,
}

impl AppState {
    /// Fresh state for a configuration: authentik's built-in objects unless `--no-builtins`.
    pub fn new(config: Config) -> Result<AppState, builtins::SeedError> {
        let faults = FaultPlan::with_kinds(config.fault_rate, config.seed, &config.fault_kinds);
        let mut store = Store::new(config.version);
        if !config.no_builtins {
            builtins::seed(&mut store)?;
        }
        if config.no_device_types {
            store.clear_device_types();
        }
        Ok(AppState {
            cost: CostModel::new(&config),
            config,
            log: RequestLog::default(),
            faults,
            store: RwLock::new(store),
        })
    }

    /// Shared access to the store.
    pub fn read_store(&self) -> RwLockReadGuard<'_, Store> {
        self.store
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Exclusive access to the store.
    pub fn write_store(&self) -> RwLockWriteGuard<'_, Store> {
        self.store
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
