//! Logging to Terraform/OpenTofu: hclog-style JSON lines on stderr (go-plugin re-logs them under
//! `provider.terraform-provider-hub`), the level taken from `TF_LOG_PROVIDER_HUB`, `TF_LOG_PROVIDER`
//! or `TF_LOG`, per-RPC spans carrying `tf_rpc`/`tf_req_id`, and a panic hook Terraform recognises.

use std::backtrace::Backtrace;
use std::fmt;
use std::io::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::{Context, Filter, Layer, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;

/// Level variables, most specific first (terraform-plugin-go's order; the first non-empty one wins).
const LEVEL_VARIABLES: [&str; 3] = ["TF_LOG_PROVIDER_HUB", "TF_LOG_PROVIDER", "TF_LOG"];

/// Value of `@module` on every line.
const MODULE: &str = "provider";

/// Installs the stderr JSON logger if a level variable enables logging; otherwise installs nothing,
/// so disabled `tracing` macros cost next to nothing.
pub fn init() {
    let level = level_from(|key| std::env::var(key).ok());
    if level == LevelFilter::OFF {
        return;
    }
    let layer = HclogLayer::new(write_stderr).with_filter(Verbosity(level));
    let subscriber = tracing_subscriber::registry().with(layer);
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// The level selected by the first non-empty level variable. `JSON` and unrecognised values mean
/// TRACE (as in Terraform); unset or `OFF` disables logging.
pub fn level_from(lookup: impl Fn(&str) -> Option<String>) -> LevelFilter {
    let value = LEVEL_VARIABLES
        .iter()
        .filter_map(|key| lookup(key))
        .map(|v| v.trim().to_ascii_uppercase())
        .find(|v| !v.is_empty());
    match value.as_deref() {
        None | Some("OFF") => LevelFilter::OFF,
        Some("ERROR") => LevelFilter::ERROR,
        Some("WARN") => LevelFilter::WARN,
        Some("INFO") => LevelFilter::INFO,
        Some("DEBUG") => LevelFilter::DEBUG,
        Some(_) => LevelFilter::TRACE,
    }
}

/// Source of `tf_req_id` values.
static NEXT_REQUEST_ID: AtomicU64 = AtomicU64::new(1);

/// A span for one RPC: every log line inside it carries `tf_rpc` and a process-unique `tf_req_id`.
///
/// Use it as `async { ... }.instrument(logging::rpc_span("PlanResourceChange"))`. Further fields
/// (e.g. `tf_resource_type`) can be added with `span.record(...)` if declared here, or on events.
pub fn rpc_span(rpc: &'static str) -> tracing::Span {
    let id = NEXT_REQUEST_ID.fetch_add(1, Ordering::Relaxed);
    tracing::info_span!(
        "rpc",
        tf_rpc = rpc,
        tf_req_id = id,
        tf_resource_type = tracing::field::Empty
    )
}

/// Makes panics visible to Terraform: writes `panic: <message>`, the location and a backtrace to
/// stderr (Terraform switches to "plugin crashed" reporting on a line starting with `panic: `), then
/// exits with status 2 like a Go panic, so the crash is reported instead of a hung connection.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.payload_as_str().unwrap_or("Box<dyn Any>");
        let location = info
            .location()
            .map_or_else(String::new, |l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
        let thread = std::thread::current();
        let thread = thread.name().unwrap_or("<unnamed>");
        let text = format!(
            "panic: {message}\n\nthread '{thread}' panicked at {location}\n{}\n",
            Backtrace::force_capture()
        );
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
        std::process::exit(2);
    }));
}

/// Our own events at the configured level; dependencies' events at WARN at most (h2 and hyper are
/// extremely chatty at TRACE). Our spans are always enabled so their fields reach every event.
struct Verbosity(LevelFilter);

impl Verbosity {
    fn allows(&self, meta: &Metadata<'_>) -> bool {
        let ours = meta.target().starts_with("hub_provider") || meta.target().starts_with("terraform_provider_hub");
        if ours && meta.is_span() {
            return true;
        }
        let limit = if ours { self.0 } else { self.0.min(LevelFilter::WARN) };
        *meta.level() <= limit
    }
}

impl<S> Filter<S> for Verbosity {
    fn enabled(&self, meta: &Metadata<'_>, _cx: &Context<'_, S>) -> bool {
        self.allows(meta)
    }

    fn callsite_enabled(&self, meta: &'static Metadata<'static>) -> Interest {
        if self.allows(meta) {
            Interest::always()
        } else {
            Interest::never()
        }
    }
}

/// Fields recorded on a span, kept in the span's extensions.
struct SpanFields(Map<String, Value>);

/// Writes one line to stderr in a single `write_all` (lines from concurrent RPCs never interleave).
fn write_stderr(line: &str) {
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// Writes one hclog JSON object per event, through `sink`.
struct HclogLayer<W> {
    sink: W,
}

impl<W: Fn(&str) + Send + Sync + 'static> HclogLayer<W> {
    fn new(sink: W) -> Self {
        Self { sink }
    }
}

impl<W: Fn(&str) + Send + Sync + 'static, S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for HclogLayer<W> {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Map::new();
        attrs.record(&mut JsonFields(&mut fields));
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(SpanFields(fields));
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(fields) = span.extensions_mut().get_mut::<SpanFields>()
        {
            values.record(&mut JsonFields(&mut fields.0));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Map::new();
        if let Some(scope) = ctx.event_scope(event) {
            for span in scope.from_root() {
                if let Some(span_fields) = span.extensions().get::<SpanFields>() {
                    fields.extend(span_fields.0.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
            }
        }
        event.record(&mut JsonFields(&mut fields));
        let mut line = hclog_line(event.metadata(), fields);
        line.push('\n');
        (self.sink)(&line);
    }
}

/// Builds the JSON object: `@`-keys first, then the fields (`message` becomes `@message`).
fn hclog_line(meta: &Metadata<'_>, mut fields: Map<String, Value>) -> String {
    let message = match fields.remove("message") {
        Some(Value::String(s)) => s,
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let mut object = Map::new();
    object.insert("@level".into(), level_name(*meta.level()).into());
    object.insert("@message".into(), message.into());
    object.insert("@module".into(), MODULE.into());
    object.insert("@timestamp".into(), timestamp(time::OffsetDateTime::now_utc()).into());
    if let (Some(file), Some(line)) = (meta.file(), meta.line()) {
        object.insert("@caller".into(), format!("{file}:{line}").into());
    }
    object.extend(fields.into_iter().filter(|(k, _)| !k.starts_with('@')));
    Value::Object(object).to_string()
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    }
}

/// hclog's `2006-01-02T15:04:05.000000Z07:00` for a UTC time: microseconds and a literal `Z`.
fn timestamp(t: time::OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

/// Records `tracing` fields as JSON values.
struct JsonFields<'a>(&'a mut Map<String, Value>);

impl Visit for JsonFields<'_> {
    fn record_f64(&mut self, field: &Field, value: f64) {
        let value = serde_json::Number::from_f64(value).map_or_else(|| value.to_string().into(), Value::Number);
        self.0.insert(field.name().into(), value);
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().into(), value.into());
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().into(), value.into());
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().into(), value.into());
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().into(), value.into());
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        let mut text = value.to_string();
        let mut source = value.source();
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        self.0.insert(field.name().into(), text.into());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().into(), format!("{value:?}").into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |key| vars.iter().find(|(k, _)| *k == key).map(|(_, v)| (*v).to_owned())
    }

    #[test]
    fn level_precedence_and_values() {
        assert_eq!(level_from(env(&[])), LevelFilter::OFF);
        assert_eq!(level_from(env(&[("TF_LOG", "json")])), LevelFilter::TRACE);
        assert_eq!(level_from(env(&[("TF_LOG", "off")])), LevelFilter::OFF);
        assert_eq!(
            level_from(env(&[("TF_LOG", "trace"), ("TF_LOG_PROVIDER", "warn")])),
            LevelFilter::WARN
        );
        assert_eq!(
            level_from(env(&[
                ("TF_LOG", "trace"),
                ("TF_LOG_PROVIDER", "warn"),
                ("TF_LOG_PROVIDER_HUB", "Debug")
            ])),
            LevelFilter::DEBUG
        );
        assert_eq!(
            level_from(env(&[("TF_LOG", "info"), ("TF_LOG_PROVIDER_HUB", "")])),
            LevelFilter::INFO
        );
        assert_eq!(level_from(env(&[("TF_LOG", "bogus")])), LevelFilter::TRACE);
    }

    #[test]
    fn timestamp_format_matches_hclog() {
        let t = time::OffsetDateTime::from_unix_timestamp_nanos(1_700_000_000_123_456_789)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        assert_eq!(timestamp(t), "2023-11-14T22:13:20.123456Z");
    }

    #[test]
    fn events_become_hclog_json_with_span_fields() {
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        let tx = std::sync::Mutex::new(tx);
        let sink = move |line: &str| {
            let _ = tx.lock().map(|tx| tx.send(line.to_owned()));
        };
        let subscriber =
            tracing_subscriber::registry().with(HclogLayer::new(sink).with_filter(Verbosity(LevelFilter::DEBUG)));
        tracing::subscriber::with_default(subscriber, || {
            let span = rpc_span("ReadResource");
            span.record("tf_resource_type", "hub_app");
            let _guard = span.enter();
            tracing::trace!("filtered out");
            tracing::warn!(attempt = 3, "retrying {}", "now");
        });
        let line = rx.try_recv().unwrap_or_default();
        assert!(line.ends_with('\n') && rx.try_recv().is_err(), "one line: {line}");
        let v: Value = serde_json::from_str(&line).unwrap_or_default();
        assert_eq!(v["@level"], "warn");
        assert_eq!(v["@message"], "retrying now");
        assert_eq!(v["@module"], "provider");
        assert_eq!(v["tf_rpc"], "ReadResource");
        assert_eq!(v["tf_resource_type"], "hub_app");
        assert_eq!(v["attempt"], 3);
        assert!(v["tf_req_id"].is_u64());
        assert_eq!(v["@timestamp"].as_str().map(str::len), Some(27));
    }
}
