//! Masking the secret parts of URLs found anywhere in a value: credentials, query and fragment values,
//! and token-like path segments (webhook URLs carry their secret in the path).
//!
//! Values are not parsed as RFC 3986 URLs, because real configuration does not obey it: passwords contain
//! `/`, `#`, `?` or `@` unencoded, and a strict parser then sees a host where the password is. The rules
//! lean towards hiding: everything between `://` and the last `@` of the URL is userinfo unless a `/`,
//! `?` or `#` comes before its first `:`.

use super::REDACTED;
use super::text::looks_like_token;

/// Query and fragment parameters whose values are shown; every other value is masked.
const SAFE_PARAMS: &[&str] = &[
    "sslmode",
    "ssl",
    "tls",
    "connect_timeout",
    "timeout",
    "charset",
    "encoding",
    "region",
    "application_name",
    "pool_size",
    "pool_timeout",
    "max_connections",
    "schema",
    "search_path",
    "replicaset",
    "retrywrites",
    "readpreference",
    "directconnection",
    "w",
    "tz",
    "timezone",
    "format",
    "page",
    "limit",
    "lang",
    "locale",
    "version",
    "v",
    "x-amz-algorithm",
    "x-amz-date",
    "x-amz-expires",
    "x-amz-signedheaders",
];

/// What [`mask_urls`] changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Masked {
    /// A user, password or token in the userinfo.
    pub credentials: bool,
    /// A query or fragment value, or a path segment.
    pub other: bool,
}

impl Masked {
    pub fn any(self) -> bool {
        self.credentials || self.other
    }
}

/// Masks every URL (`scheme://…`) in `value`.
pub fn mask_urls(value: &str) -> (String, Masked) {
    let mut out = String::with_capacity(value.len());
    let mut masked = Masked::default();
    let mut rest = value;
    while let Some(sep) = rest.find("://") {
        let after = &rest[sep + 3..];
        let end = url_end(after);
        out.push_str(&rest[..sep + 3]);
        out.push_str(&mask_one(&after[..end], &mut masked));
        rest = &after[end..];
    }
    out.push_str(rest);
    (out, masked)
}

/// Where the URL starting at `after` (just past `://`) ends: at whitespace, a quote or angle bracket, or
/// the separator before the next URL of a list (`,tcp://…`).
pub fn url_end(after: &str) -> usize {
    let mut end = after
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`'))
        .unwrap_or(after.len());
    if let Some(next) = after[..end].find("://") {
        let scheme_start = after[..next]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-')))
            .map_or(0, |i| i + 1);
        // The list separator (`,` or `;`) before the next scheme belongs to neither URL.
        end = after[..scheme_start].rfind([',', ';']).unwrap_or(scheme_start);
    }
    end
}

/// `url` is everything after `://`.
fn mask_one(url: &str, masked: &mut Masked) -> String {
    let mut out = String::with_capacity(url.len());
    let rest = match userinfo_end(url) {
        Some(at) => {
            let userinfo = &url[..at];
            match userinfo.split_once(':') {
                Some((user, _password)) => {
                    out.push_str(if user.is_empty() || plain_user(user) {
                        user
                    } else {
                        REDACTED
                    });
                    out.push(':');
                    out.push_str(REDACTED);
                    masked.credentials = true;
                }
                None if plain_user(userinfo) => out.push_str(userinfo),
                None => {
                    out.push_str(REDACTED);
                    masked.credentials = true;
                }
            }
            &url[at..]
        }
        None => url,
    };
    let path_start = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, tail) = rest.split_at(path_start);
    out.push_str(host);
    let (path_and_query, fragment) = match tail.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (tail, None),
    };
    let (path, query) = match path_and_query.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path_and_query, None),
    };
    out.push_str(&mask_path(host, path, masked));
    if let Some(query) = query {
        out.push('?');
        out.push_str(&mask_params(query, masked));
    }
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(&mask_params(fragment, masked));
    }
    out
}

/// The index of the `@` ending the userinfo, if `url` has one.
fn userinfo_end(url: &str) -> Option<usize> {
    let at = url.rfind('@')?;
    let candidate = &url[..at];
    let delimiter = candidate.find(['/', '?', '#']);
    match (candidate.find(':'), delimiter) {
        // `host/path@x`: the `@` is in the path.
        (None, Some(_)) => None,
        (Some(colon), Some(delimiter)) if delimiter < colon => None,
        _ => Some(at),
    }
}

/// A user name worth showing: short and plain, with few digits (keys used as user names are long or
/// digit-heavy).
fn plain_user(user: &str) -> bool {
    !user.is_empty()
        && user.len() <= 20
        && user.chars().filter(char::is_ascii_digit).count() <= 4
        && user
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && !looks_like_token(user)
}

/// Webhook URLs lose everything after their marker segment; other paths lose token-like segments.
fn mask_path(host: &str, path: &str, masked: &mut Masked) -> String {
    let host = host.to_ascii_lowercase();
    let webhook_host = host.starts_with("hooks.") || host.contains("webhook");
    let mut out = String::with_capacity(path.len());
    let mut hide_rest = false;
    for (index, segment) in path.split('/').enumerate() {
        if index > 0 {
            out.push('/');
        }
        if segment.is_empty() {
            continue;
        }
        if hide_rest || looks_like_token(segment) {
            out.push_str(REDACTED);
            masked.other = true;
            continue;
        }
        out.push_str(segment);
        let lower = segment.to_ascii_lowercase();
        if (webhook_host && index == 1) || lower.starts_with("webhook") || lower == "hooks" {
            hide_rest = true;
        }
    }
    out
}

/// Masks the values of `name=value` pairs (separated by `&` or `;`) unless the name is known safe.
fn mask_params(params: &str, masked: &mut Masked) -> String {
    let mut out = String::with_capacity(params.len());
    let mut start = 0;
    loop {
        let end = params[start..].find(['&', ';']).map_or(params.len(), |i| start + i);
        let pair = &params[start..end];
        match pair.split_once('=') {
            Some((name, value)) => {
                out.push_str(name);
                out.push('=');
                if value.is_empty() || SAFE_PARAMS.contains(&name.to_ascii_lowercase().as_str()) {
                    out.push_str(value);
                } else {
                    out.push_str(REDACTED);
                    masked.other = true;
                }
            }
            None if looks_like_token(pair) => {
                out.push_str(REDACTED);
                masked.other = true;
            }
            None => out.push_str(pair),
        }
        if end == params.len() {
            return out;
        }
        out.push_str(&params[end..=end]);
        start = end + 1;
    }
}
