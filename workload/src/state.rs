//! The state shared by all handlers, and the readiness decision built from it.
//!
//! One `Arc` around everything: axum clones the state for every request (once for the middleware, once for
//! the handler), so a clone must be a single reference-count increment.

use crate::configs::ConfigSources;
use crate::configs::redact::Redactor;
use crate::deps::Dependencies;
use crate::identity::Identity;
use crate::lifecycle::{Lifecycle, Phase};
use crate::metrics::Metrics;
use crate::request_id::RequestIds;
use crate::settings::Settings;
use std::ops::Deref;
use std::sync::Arc;

/// Cheap to clone; dereferences to [`Shared`].
#[derive(Debug, Clone)]
pub struct AppState(Arc<Shared>);

/// Everything the handlers share. Parts also used outside requests (the server loop, the dependency
/// checker) are `Arc`s of their own.
#[derive(Debug)]
pub struct Shared {
    pub settings: Arc<Settings>,
    pub lifecycle: Arc<Lifecycle>,
    pub deps: Arc<Dependencies>,
    pub metrics: Metrics,
    pub configs: ConfigSources,
    pub identity: Identity,
    pub ids: RequestIds,
    /// `HOSTNAME` at start-up (the pod name in Kubernetes), shown by `/`.
    pub hostname: Option<String>,
}

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// Whether `/ready` passes, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    Starting,
    Draining,
    DependenciesDown,
}

impl AppState {
    /// Builds the state from settings and the environment the process was started with.
    pub fn new(settings: Settings, env: Vec<(String, String)>) -> Self {
        let identity = Identity::from_environment(settings.grants.clone(), settings.identity_timeout, &env)
            .cache_for(settings.identity_cache);
        Self::with_identity(settings, env, identity)
    }

    /// Like [`AppState::new`] with a given identity checker (tests use a fixed SDK configuration).
    pub fn with_identity(settings: Settings, env: Vec<(String, String)>, identity: Identity) -> Self {
        let hostname = env.iter().find(|(k, _)| k == "HOSTNAME").map(|(_, v)| v.clone());
        let configs = ConfigSources::new(
            env,
            Redactor::new(settings.secret_keys.clone(), settings.public_keys.clone()),
            settings.config_dirs.clone(),
            settings.secret_dirs.clone(),
        );
        let lifecycle = Lifecycle::new();
        if settings.dependencies.is_empty() {
            // Nothing to wait for: ready as soon as the listener is open.
            lifecycle.mark_started();
        }
        Self(Arc::new(Shared {
            deps: Arc::new(Dependencies::new(
                settings.dependencies.clone(),
                settings.dependency_timeout,
            )),
            settings: Arc::new(settings),
            lifecycle: Arc::new(lifecycle),
            metrics: Metrics::new(),
            configs,
            identity,
            ids: RequestIds::default(),
            hostname,
        }))
    }

    pub fn readiness(&self) -> Readiness {
        match self.lifecycle.phase() {
            Phase::Starting => Readiness::Starting,
            Phase::Draining => Readiness::Draining,
            Phase::Serving if !self.deps.all_ok() => Readiness::DependenciesDown,
            Phase::Serving => Readiness::Ready,
        }
    }
}
