//! The Prometheus text exposition format (version 0.0.4) for [`Metrics`] plus state and process gauges.

use super::process::{self, ProcessSample};
use super::{BUCKETS, Metrics};
use crate::deps::DependencyStatus;
use std::fmt::Write;
use std::sync::atomic::Ordering;

/// The commit the binary was built from, if the build set `HUB_GIT_COMMIT`.
const COMMIT: &str = match option_env!("HUB_GIT_COMMIT") {
    Some(commit) => commit,
    None => "unknown",
};

/// Renders every metric; `ready` and `dependencies` are the readiness state at scrape time.
pub fn render(metrics: &Metrics, ready: bool, dependencies: &[DependencyStatus]) -> String {
    let mut out = String::with_capacity(4096);
    // Writing to a String cannot fail; the results are ignored through `let _`.
    let _ = write_all(&mut out, metrics, ready, dependencies, &process::sample());
    out
}

fn write_all(
    out: &mut String,
    metrics: &Metrics,
    ready: bool,
    dependencies: &[DependencyStatus],
    process: &ProcessSample,
) -> std::fmt::Result {
    let series = metrics.sorted();

    header(
        out,
        "http_requests_total",
        "counter",
        "HTTP requests served, by route template, method and status.",
    )?;
    for (route, method, status, s) in &series {
        writeln!(
            out,
            "http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {}",
            escape(route),
            s.count.load(Ordering::Relaxed)
        )?;
    }

    header(
        out,
        "http_request_duration_seconds",
        "histogram",
        "Time from request head to response head.",
    )?;
    for (route, method, status, s) in &series {
        let labels = format!("route=\"{}\",method=\"{method}\",status=\"{status}\"", escape(route));
        let mut cumulative = 0;
        for (bound, bucket) in BUCKETS.iter().zip(&s.buckets) {
            cumulative += bucket.load(Ordering::Relaxed);
            writeln!(
                out,
                "http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
            )?;
        }
        cumulative += s.buckets[BUCKETS.len()].load(Ordering::Relaxed);
        writeln!(
            out,
            "http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {cumulative}"
        )?;
        let sum = s.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9;
        writeln!(out, "http_request_duration_seconds_sum{{{labels}}} {sum}")?;
        writeln!(out, "http_request_duration_seconds_count{{{labels}}} {cumulative}")?;
    }

    header(out, "http_requests_in_flight", "gauge", "Requests being served now.")?;
    writeln!(out, "http_requests_in_flight {}", metrics.in_flight())?;

    header(
        out,
        "hub_workload_build_info",
        "gauge",
        "Version and commit of the running binary (always 1).",
    )?;
    writeln!(
        out,
        "hub_workload_build_info{{version=\"{}\",commit=\"{}\"}} 1",
        env!("CARGO_PKG_VERSION"),
        escape(COMMIT)
    )?;

    header(out, "hub_workload_ready", "gauge", "1 when /ready answers 200.")?;
    writeln!(out, "hub_workload_ready {}", u8::from(ready))?;

    header(
        out,
        "hub_workload_dependency_up",
        "gauge",
        "Result of the last check of each HUB_DEPENDS_ON entry.",
    )?;
    for dep in dependencies {
        writeln!(
            out,
            "hub_workload_dependency_up{{target=\"{}\"}} {}",
            escape(&dep.target),
            u8::from(dep.ok)
        )?;
    }

    let gauges: [(&str, &str, &str, Option<f64>); 7] = [
        (
            "process_cpu_seconds_total",
            "counter",
            "User and system CPU time, in seconds.",
            process.cpu_seconds,
        ),
        (
            "process_resident_memory_bytes",
            "gauge",
            "Resident memory size, in bytes.",
            process.resident_bytes.map(|v| v as f64),
        ),
        (
            "process_virtual_memory_bytes",
            "gauge",
            "Virtual memory size, in bytes.",
            process.virtual_bytes.map(|v| v as f64),
        ),
        (
            "process_threads",
            "gauge",
            "OS threads.",
            process.threads.map(|v| v as f64),
        ),
        (
            "process_open_fds",
            "gauge",
            "Open file descriptors.",
            process.open_fds.map(|v| v as f64),
        ),
        (
            "process_max_fds",
            "gauge",
            "Limit on open file descriptors.",
            process.max_fds.map(|v| v as f64),
        ),
        (
            "process_start_time_seconds",
            "gauge",
            "Start time since the Unix epoch, in seconds.",
            process.start_time_seconds,
        ),
    ];
    for (name, kind, help, value) in gauges {
        if let Some(value) = value {
            header(out, name, kind, help)?;
            writeln!(out, "{name} {value}")?;
        }
    }
    Ok(())
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) -> std::fmt::Result {
    writeln!(out, "# HELP {name} {help}")?;
    writeln!(out, "# TYPE {name} {kind}")
}

/// Escapes a label value: backslash, double quote and newline.
pub(super) fn escape(value: &str) -> std::borrow::Cow<'_, str> {
    if !value.contains(['\\', '"', '\n']) {
        return value.into();
    }
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
        .into()
}
