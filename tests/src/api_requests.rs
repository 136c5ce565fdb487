//! Requests the API server has served, from its `apiserver_request_total` counters: how tests prove that a
//! run wrote nothing, or read no more than it should. The counters cover every client, so a test that
//! asserts on them runs alone in its test binary.

use crate::sandbox::kube_client::get_text;
use crate::support::{block_on, err, sandbox};
use crate::tf;

/// A snapshot of the counters.
pub struct ApiRequests(String);

impl ApiRequests {
    /// Reads the counters now.
    pub fn now() -> tf::Result<Self> {
        block_on(async {
            let client = sandbox().kube_client().await.map_err(err)?;
            get_text(&client, "/metrics").await.map(Self).map_err(err)
        })
    }

    /// Requests on any of `resources` (plural names, no subresource) whose verb passes `verb`.
    pub fn count(&self, resources: &[&str], verb: impl Fn(&str) -> bool) -> u64 {
        self.0
            .lines()
            .filter(|l| l.starts_with("apiserver_request_total{"))
            .filter(|l| label(l, "resource").is_some_and(|r| resources.contains(&r)))
            .filter(|l| label(l, "subresource") == Some(""))
            .filter(|l| label(l, "verb").is_some_and(&verb))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .map(|v| v as u64)
            .sum()
    }

    /// Reads (GET and LIST) on `resources`.
    pub fn reads(&self, resources: &[&str]) -> u64 {
        self.count(resources, is_read)
    }

    /// Writes (every verb but GET, LIST and WATCH) on `resources`.
    pub fn writes(&self, resources: &[&str]) -> u64 {
        self.count(resources, |verb| !is_read(verb) && verb != "WATCH")
    }
}

fn is_read(verb: &str) -> bool {
    matches!(verb, "GET" | "LIST")
}

fn label<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let start = line.find(&format!("{name}=\""))? + name.len() + 2;
    line[start..].split('"').next()
}
