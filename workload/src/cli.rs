//! Command-line parsing: `serve` (the default) or `check URL…`. Two subcommands and four flags do not
//! justify an argument-parsing dependency.

use crate::settings::parse_duration;
use http::Uri;
use std::time::Duration;

pub const USAGE: &str = "\
usage: hub-workload [serve]
       hub-workload check URL... [--expect-config KEY=VALUE]... [--admin URL] [--timeout 30s] [--interval 1s]
       hub-workload --help | --version

serve   run the HTTP server, configured by environment variables (HUB_PORT, HUB_DEPENDS_ON, ...;
        see workload/README.md)
check   poll URLs until they pass or --timeout elapses. A base URL (http://host:port) checks /health and
        /ready, and /configs on the admin port when --expect-config is given (KEY is an environment variable,
        a mounted file's path or file name; --admin gives the admin base URL, default the same host on port
        8081); a URL with a path checks that it answers 2xx. Exit 0 when all pass, 1 otherwise.";

/// What to do.
#[derive(Debug, PartialEq)]
pub enum Command {
    Serve,
    Check(CheckOptions),
    Help,
    Version,
}

/// Options of `hub-workload check`.
#[derive(Debug, PartialEq)]
pub struct CheckOptions {
    pub urls: Vec<Uri>,
    pub expect_config: Vec<(String, String)>,
    /// Base URL of the admin listener, where `/configs` is read.
    pub admin: Option<Uri>,
    pub timeout: Duration,
    pub interval: Duration,
}

/// A command line that does not parse; printed with the usage.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum UsageError {
    #[error("unknown argument {0:?}")]
    Unknown(String),
    #[error("{0} needs a value")]
    MissingValue(&'static str),
    #[error("{flag}: invalid value {value:?}")]
    Invalid { flag: &'static str, value: String },
    #[error("check needs at least one URL")]
    NoUrls,
}

pub fn parse(args: &[String]) -> Result<Command, UsageError> {
    match args.first().map(String::as_str) {
        None => Ok(Command::Serve),
        Some("serve") if args.len() == 1 => Ok(Command::Serve),
        Some("-h" | "--help" | "help") => Ok(Command::Help),
        Some("-V" | "--version") => Ok(Command::Version),
        Some("check") => parse_check(&args[1..]).map(Command::Check),
        Some(_) => Err(UsageError::Unknown(args.join(" "))),
    }
}

fn parse_check(args: &[String]) -> Result<CheckOptions, UsageError> {
    let mut options = CheckOptions {
        urls: Vec::new(),
        expect_config: Vec::new(),
        admin: None,
        timeout: Duration::from_secs(30),
        interval: Duration::from_secs(1),
    };
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &'static str| {
            inline
                .clone()
                .or_else(|| rest.next().cloned())
                .ok_or(UsageError::MissingValue(name))
        };
        match flag {
            "--timeout" => options.timeout = duration("--timeout", value("--timeout")?)?,
            "--interval" => options.interval = duration("--interval", value("--interval")?)?,
            "--expect-config" => {
                let pair = value("--expect-config")?;
                let (key, expected) = pair.split_once('=').ok_or_else(|| UsageError::Invalid {
                    flag: "--expect-config",
                    value: pair.clone(),
                })?;
                options.expect_config.push((key.to_owned(), expected.to_owned()));
            }
            "--admin" => options.admin = Some(url("--admin", &value("--admin")?)?),
            other if !other.starts_with('-') => options.urls.push(url("URL", other)?),
            other => return Err(UsageError::Unknown(other.to_owned())),
        }
    }
    if options.urls.is_empty() {
        return Err(UsageError::NoUrls);
    }
    Ok(options)
}

/// An absolute `http(s)://host…` URL.
fn url(flag: &'static str, text: &str) -> Result<Uri, UsageError> {
    let invalid = || UsageError::Invalid {
        flag,
        value: text.to_owned(),
    };
    let uri: Uri = text.parse().map_err(|_| invalid())?;
    if uri.scheme().is_none() || uri.host().is_none() {
        return Err(invalid());
    }
    Ok(uri)
}

fn duration(flag: &'static str, value: String) -> Result<Duration, UsageError> {
    parse_duration(&value).ok_or(UsageError::Invalid { flag, value })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn serve_is_the_default() {
        assert_eq!(parse(&[]), Ok(Command::Serve));
        assert_eq!(parse(&args("serve")), Ok(Command::Serve));
        assert_eq!(parse(&args("--help")), Ok(Command::Help));
    }

    #[test]
    fn check_takes_urls_and_flags_in_any_order() {
        let parsed = parse(&args(
            "check http://a:8080 --expect-config ENVIRONMENT=prod --timeout=5s http://b/api/v1/health --interval 200ms --admin http://a:9901",
        ));
        let Ok(Command::Check(options)) = parsed else {
            panic!("{parsed:?}")
        };
        assert_eq!(options.urls.len(), 2);
        assert_eq!(
            options.expect_config,
            vec![("ENVIRONMENT".to_owned(), "prod".to_owned())]
        );
        assert_eq!(options.timeout, Duration::from_secs(5));
        assert_eq!(options.interval, Duration::from_millis(200));
        assert_eq!(options.admin, Some("http://a:9901".parse().expect("uri")));
    }

    #[test]
    fn check_rejects_bad_input() {
        assert_eq!(parse(&args("check")), Err(UsageError::NoUrls));
        assert!(matches!(
            parse(&args("check http://a --timeout soon")),
            Err(UsageError::Invalid { .. })
        ));
        assert!(matches!(
            parse(&args("check http://a --timeout")),
            Err(UsageError::MissingValue(_))
        ));
        assert!(matches!(
            parse(&args("check http://a --expect-config X")),
            Err(UsageError::Invalid { .. })
        ));
        assert!(matches!(
            parse(&args("check localhost:80")),
            Err(UsageError::Invalid { .. })
        ));
        assert!(matches!(
            parse(&args("check http://a --admin a:9901")),
            Err(UsageError::Invalid { .. })
        ));
        assert!(matches!(
            parse(&args("check http://a --bogus")),
            Err(UsageError::Unknown(_))
        ));
        assert!(matches!(parse(&args("frobnicate")), Err(UsageError::Unknown(_))));
    }
}
