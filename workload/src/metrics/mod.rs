//! Request metrics kept in memory and rendered as Prometheus text by `/metrics`.
//!
//! A metrics library would bring a registry, label macros and its own dependencies for what is, here, one
//! counter and one histogram keyed by a handful of routes. Series are found under a read lock and updated
//! with atomics, so recording costs a few nanoseconds and never blocks another request; the write lock is
//! taken only the first time a (route, method, status) combination is seen. Route labels are the router's
//! templates (`/health`, never the raw path) and unknown routes share one label, so cardinality stays bounded
//! whatever clients request.

mod process;
mod render;

pub use render::render;

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

/// Upper bounds of the latency histogram, in seconds.
pub const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The route label of requests that matched no route.
pub const UNMATCHED: &str = "unmatched";

/// Counts and latencies of one (route, method, status) series.
#[derive(Debug, Default)]
pub struct Series {
    count: AtomicU64,
    sum_nanos: AtomicU64,
    /// Non-cumulative counts per bucket; the last slot is `+Inf`.
    buckets: [AtomicU64; BUCKETS.len() + 1],
}

impl Series {
    fn observe(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let slot = BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(BUCKETS.len());
        self.buckets[slot].fetch_add(1, Ordering::Relaxed);
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        self.sum_nanos.fetch_add(nanos, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }
}

/// `(method, status)` → series, for one route.
type RouteSeries = Vec<(&'static str, u16, Arc<Series>)>;

/// All request metrics of the process.
#[derive(Debug, Default)]
pub struct Metrics {
    routes: RwLock<HashMap<String, RouteSeries>>,
    in_flight: AtomicI64,
}

/// A request being served: decrements the in-flight gauge when dropped, even if the handler panics.
#[derive(Debug)]
pub struct InFlight<'a>(&'a Metrics);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Metrics {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts a request as in flight until the guard drops.
    pub fn start(&self) -> InFlight<'_> {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(self)
    }

    /// Records one finished request.
    pub fn record(&self, route: &str, method: &http::Method, status: u16, elapsed: Duration) {
        let method = method_label(method);
        if let Some(series) = self.find(route, method, status) {
            series.observe(elapsed);
            return;
        }
        let series = {
            let mut routes = self.routes.write().unwrap_or_else(PoisonError::into_inner);
            let entries = routes.entry(route.to_owned()).or_default();
            match entries.iter().find(|(m, s, _)| *m == method && *s == status) {
                Some((_, _, series)) => series.clone(),
                None => {
                    let series = Arc::new(Series::default());
                    entries.push((method, status, series.clone()));
                    series
                }
            }
        };
        series.observe(elapsed);
    }

    fn find(&self, route: &str, method: &'static str, status: u16) -> Option<Arc<Series>> {
        let routes = self.routes.read().unwrap_or_else(PoisonError::into_inner);
        routes
            .get(route)?
            .iter()
            .find(|(m, s, _)| *m == method && *s == status)
            .map(|(_, _, series)| series.clone())
    }

    /// A copy of every series, sorted by route, method and status, for rendering.
    fn sorted(&self) -> Vec<(String, &'static str, u16, Arc<Series>)> {
        let routes = self.routes.read().unwrap_or_else(PoisonError::into_inner);
        let mut all: Vec<_> = routes
            .iter()
            .flat_map(|(route, entries)| {
                entries
                    .iter()
                    .map(move |(method, status, series)| (route.clone(), *method, *status, series.clone()))
            })
            .collect();
        all.sort_by(|a, b| (&a.0, a.1, a.2).cmp(&(&b.0, b.1, b.2)));
        all
    }

    fn in_flight(&self) -> i64 {
        self.in_flight.load(Ordering::Relaxed)
    }
}

/// Standard methods keep their name; anything else is `OTHER`, so clients cannot mint label values.
fn method_label(method: &http::Method) -> &'static str {
    use http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

#[cfg(test)]
mod tests;
