//! Everything the server reads from its environment, parsed once at start-up.
//!
//! The workload is configured the way Kubernetes configures containers: environment variables (plain, or
//! from ConfigMaps and Secrets) and mounted directories. Parsing happens before the listener opens, so a typo
//! in a manifest makes the pod fail fast with a message naming the variable, instead of serving with a
//! silently wrong default. `from_vars` takes the variables as an iterator so tests never touch the process
//! environment.

mod duration;

pub use duration::parse_duration;

use crate::deps::Dependency;
use crate::identity::Grant;
use std::collections::{BTreeSet, HashMap};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// Port of the admin listener when `HUB_ADMIN_PORT` is unset (the management-port convention of
/// Dropwizard and Spring Boot; 9090, the other common choice, is an app port in the example stacks).
pub const DEFAULT_ADMIN_PORT: u16 = 8081;

/// Why the environment could not be turned into [`Settings`].
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// A variable is set to a value of the wrong shape.
    #[error("{name}={value:?}: expected {expected}")]
    Invalid {
        name: &'static str,
        value: String,
        expected: &'static str,
    },
    /// An entry of `HUB_DEPENDS_ON` is not a `tcp://host:port` or `http(s)://` URL.
    #[error("HUB_DEPENDS_ON entry {entry:?}: {reason}")]
    Dependency { entry: String, reason: String },
    /// An entry of `HUB_GRANTS` is not `s3://…`, `secretsmanager:…` or `ssm:…`.
    #[error("HUB_GRANTS entry {entry:?}: {reason}")]
    Grant { entry: String, reason: String },
}

/// Limits that keep memory and time per connection bounded whatever clients send.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Time allowed to receive a request's headers (also the keep-alive idle timeout): an idle socket holds
    /// a connection slot this long.
    pub header_timeout: Duration,
    /// Time allowed to receive a request body, start to end.
    pub body_timeout: Duration,
    /// Time allowed for a handler to produce a response.
    pub request_timeout: Duration,
    /// Largest request head (request line plus headers) accepted; larger gets 431.
    pub max_header_bytes: usize,
    /// Largest request body accepted; larger gets 413.
    pub max_body_bytes: usize,
    /// Connections served at once.
    pub max_connections: usize,
    /// Extra connections accepted once `max_connections` are open, which answer only the probe routes, so
    /// that idle or slow clients cannot make the kubelet restart the pod; further clients wait in the listen
    /// backlog.
    pub reserved_connections: usize,
}

/// The parsed configuration of the server.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Address to listen on (`HUB_HOST`, `HUB_PORT` or `PORT`; default `0.0.0.0:8080`).
    pub listen: SocketAddr,
    /// Address of the admin listener serving `/configs`, `/identity` and `/metrics` (`HUB_ADMIN_HOST`,
    /// default `HUB_HOST`; `HUB_ADMIN_PORT`, default 8081). Kept off the app port so that the Service and
    /// the Ingress, which point at the app port, never expose them.
    pub admin_listen: SocketAddr,
    /// Name shown by `/` (`HUB_SERVICE_NAME`).
    pub service_name: String,
    /// After SIGTERM, how long to keep accepting connections while readiness fails (`HUB_DRAIN_DELAY`).
    pub drain_delay: Duration,
    /// After the drain delay, how long in-flight requests may take before the process exits anyway
    /// (`HUB_SHUTDOWN_TIMEOUT`).
    pub shutdown_timeout: Duration,
    /// Per-connection limits (`HUB_HEADER_TIMEOUT`, `HUB_BODY_TIMEOUT`, `HUB_REQUEST_TIMEOUT`,
    /// `HUB_MAX_HEADER_BYTES`, `HUB_MAX_BODY_BYTES`, `HUB_MAX_CONNECTIONS`).
    pub limits: Limits,
    /// Dependencies that must be reachable for readiness (`HUB_DEPENDS_ON`).
    pub dependencies: Vec<Dependency>,
    /// Timeout of one dependency check (`HUB_DEPENDS_TIMEOUT`).
    pub dependency_timeout: Duration,
    /// Time between dependency check rounds (`HUB_DEPENDS_INTERVAL`).
    pub dependency_interval: Duration,
    /// Directories of mounted configuration files shown by `/configs` (`HUB_CONFIG_DIRS`).
    pub config_dirs: Vec<PathBuf>,
    /// Directories of mounted Secret files: listed by `/configs`, values always redacted (`HUB_SECRET_DIRS`).
    pub secret_dirs: Vec<PathBuf>,
    /// Environment variables (and mounted file names) that come from Secrets: values always redacted
    /// (`HUB_SECRET_KEYS`, comma-separated exact names).
    pub secret_keys: BTreeSet<String>,
    /// Environment variables safe to show in `/configs` besides the built-in allow-list
    /// (`HUB_PUBLIC_KEYS`, comma-separated exact names); names that look secret stay hidden.
    pub public_keys: BTreeSet<String>,
    /// AWS access the workload should have, checked by `/identity` (`HUB_GRANTS`).
    pub grants: Vec<Grant>,
    /// Timeout of each AWS call made by `/identity` (`HUB_IDENTITY_TIMEOUT`).
    pub identity_timeout: Duration,
    /// How long one `/identity` report is reused (`HUB_IDENTITY_CACHE`).
    pub identity_cache: Duration,
    /// Serve `/debug/*` (a slow endpoint and a body reader) for tests and demos (`HUB_DEBUG_ENDPOINTS`).
    pub debug_endpoints: bool,
    /// Log filter: a level or `target=level` list (`HUB_LOG`, else `LOG_LEVEL`, else `RUST_LOG`; default info).
    pub log_filter: String,
}

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, SettingsError> {
        Self::from_vars(std::env::vars())
    }

    /// Builds settings from `(name, value)` pairs; unset variables take their defaults.
    pub fn from_vars(vars: impl IntoIterator<Item = (String, String)>) -> Result<Self, SettingsError> {
        let vars: HashMap<String, String> = vars.into_iter().collect();
        let env = Env(&vars);
        let host: IpAddr = env.parse("HUB_HOST", "an IP address", IpAddr::V4(Ipv4Addr::UNSPECIFIED))?;
        let port: u16 = match env.get("HUB_PORT") {
            Some(_) => env.parse("HUB_PORT", "a port number", 8080)?,
            None => env.parse("PORT", "a port number", 8080)?,
        };
        let admin_host: IpAddr = env.parse("HUB_ADMIN_HOST", "an IP address", host)?;
        let admin_port: u16 = env.parse("HUB_ADMIN_PORT", "a port number", DEFAULT_ADMIN_PORT)?;
        if admin_port == port && port != 0 {
            return Err(invalid(
                "HUB_ADMIN_PORT",
                &admin_port.to_string(),
                "a port other than the app port (HUB_PORT or PORT)",
            ));
        }
        Ok(Self {
            listen: SocketAddr::new(host, port),
            admin_listen: SocketAddr::new(admin_host, admin_port),
            service_name: env.get("HUB_SERVICE_NAME").unwrap_or("hub-workload").to_owned(),
            drain_delay: env.duration("HUB_DRAIN_DELAY", Duration::from_secs(5))?,
            shutdown_timeout: env.duration("HUB_SHUTDOWN_TIMEOUT", Duration::from_secs(20))?,
            limits: Limits {
                header_timeout: env.duration("HUB_HEADER_TIMEOUT", Duration::from_secs(5))?,
                body_timeout: env.duration("HUB_BODY_TIMEOUT", Duration::from_secs(10))?,
                request_timeout: env.duration("HUB_REQUEST_TIMEOUT", Duration::from_secs(30))?,
                max_header_bytes: env.parse("HUB_MAX_HEADER_BYTES", "a byte count", 16 * 1024)?,
                max_body_bytes: env.parse("HUB_MAX_BODY_BYTES", "a byte count", 64 * 1024)?,
                max_connections: env.parse("HUB_MAX_CONNECTIONS", "a count", 4096)?,
                reserved_connections: env.parse("HUB_RESERVED_CONNECTIONS", "a count", 16)?,
            },
            dependencies: list(env.get("HUB_DEPENDS_ON"), &[','])
                .map(|entry| {
                    entry
                        .parse()
                        .map_err(|reason: crate::deps::ParseError| SettingsError::Dependency {
                            // The entry may carry credentials; the message goes to the log.
                            entry: crate::configs::redact::mask_urls(entry),
                            reason: reason.to_string(),
                        })
                })
                .collect::<Result<_, _>>()?,
            dependency_timeout: env.duration("HUB_DEPENDS_TIMEOUT", Duration::from_secs(2))?,
            dependency_interval: env.duration("HUB_DEPENDS_INTERVAL", Duration::from_secs(5))?,
            config_dirs: list(env.get("HUB_CONFIG_DIRS"), &[',', ':'])
                .map(PathBuf::from)
                .collect(),
            secret_dirs: list(env.get("HUB_SECRET_DIRS"), &[',', ':'])
                .map(PathBuf::from)
                .collect(),
            secret_keys: list(env.get("HUB_SECRET_KEYS"), &[',']).map(str::to_owned).collect(),
            public_keys: list(env.get("HUB_PUBLIC_KEYS"), &[',']).map(str::to_owned).collect(),
            grants: list(env.get("HUB_GRANTS"), &[','])
                .map(|entry| {
                    entry
                        .parse()
                        .map_err(|reason: crate::identity::GrantParseError| SettingsError::Grant {
                            entry: entry.to_owned(),
                            reason: reason.to_string(),
                        })
                })
                .collect::<Result<_, _>>()?,
            identity_timeout: env.duration("HUB_IDENTITY_TIMEOUT", Duration::from_secs(10))?,
            identity_cache: env.duration("HUB_IDENTITY_CACHE", Duration::from_secs(30))?,
            debug_endpoints: env.flag("HUB_DEBUG_ENDPOINTS")?,
            log_filter: ["HUB_LOG", "LOG_LEVEL", "RUST_LOG"]
                .iter()
                .find_map(|name| env.get(name))
                .unwrap_or("info")
                .to_ascii_lowercase(),
        })
    }
}

impl Settings {
    /// Limits of the admin listener: the app's, with a small cap and no reserve (its clients are scrapers
    /// and operators, and a flood on the app port does not reach it).
    pub fn admin_limits(&self) -> Limits {
        Limits {
            max_connections: ADMIN_MAX_CONNECTIONS,
            reserved_connections: 0,
            ..self.limits.clone()
        }
    }
}

/// Connections the admin listener serves at once.
pub const ADMIN_MAX_CONNECTIONS: usize = 64;

/// Splits a list variable on `separators`, trimming entries and dropping empty ones.
fn list<'a>(value: Option<&'a str>, separators: &'a [char]) -> impl Iterator<Item = &'a str> + 'a {
    value
        .unwrap_or("")
        .split(separators)
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
}

/// Typed lookups over the variables, each error naming the variable.
struct Env<'a>(&'a HashMap<String, String>);

impl Env<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(|value| value.trim())
            .filter(|value| !value.is_empty())
    }

    fn parse<T: std::str::FromStr>(
        &self,
        name: &'static str,
        expected: &'static str,
        default: T,
    ) -> Result<T, SettingsError> {
        match self.get(name) {
            None => Ok(default),
            Some(value) => value.parse().map_err(|_| invalid(name, value, expected)),
        }
    }

    fn duration(&self, name: &'static str, default: Duration) -> Result<Duration, SettingsError> {
        match self.get(name) {
            None => Ok(default),
            Some(value) => {
                parse_duration(value).ok_or_else(|| invalid(name, value, "a duration such as 500ms, 5s or 2m"))
            }
        }
    }

    fn flag(&self, name: &'static str) -> Result<bool, SettingsError> {
        match self.get(name).map(str::to_ascii_lowercase).as_deref() {
            None | Some("0" | "false" | "no" | "off") => Ok(false),
            Some("1" | "true" | "yes" | "on") => Ok(true),
            Some(other) => Err(invalid(name, other, "true or false")),
        }
    }
}

fn invalid(name: &'static str, value: &str, expected: &'static str) -> SettingsError {
    SettingsError::Invalid {
        name,
        value: value.to_owned(),
        expected,
    }
}

#[cfg(test)]
mod tests;
