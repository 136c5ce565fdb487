//! Which configuration values `/configs` must not show, and how they are hidden.
//!
//! `/configs` exists so that people can see what a deployment actually received, which makes it an easy
//! place to leak credentials. The rules err on the side of hiding: a value is redacted when its key was
//! declared Secret-sourced (`HUB_SECRET_KEYS`, files under `HUB_SECRET_DIRS`), when its name looks like a
//! secret (any name containing one of [`SECRET_WORDS`], case-insensitive), and a URL's password is masked
//! wherever it appears (`postgres://app:[redacted]@db/app`). Redacted values are replaced whole; no length,
//! prefix or hash is shown, since those leak short secrets.

use serde::Serialize;
use std::collections::BTreeSet;

/// What a hidden value is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Substrings of names whose values are treated as secrets.
pub const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "key",
    "credential",
    "private",
    "auth",
    "cookie",
    "session",
    "signature",
    "salt",
    "dsn",
];

/// Variables whose names look secret but that only list other names: the workload's own declarations.
const NAME_LISTS: &[&str] = &["HUB_SECRET_KEYS", "HUB_SECRET_DIRS"];

/// Why a value was hidden, as shown in the `redacted` section of `/configs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// Listed in `HUB_SECRET_KEYS`: the variable comes from a Kubernetes Secret.
    DeclaredSecret,
    /// A file under one of `HUB_SECRET_DIRS`: a mounted Secret.
    SecretMount,
    /// The name contains a secret-like word.
    SecretName,
    /// The value is a URL with a password; only the password is masked.
    UrlPassword,
}

/// Decides, for each key and value, what `/configs` shows.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    declared: BTreeSet<String>,
}

impl Redactor {
    pub fn new(declared: BTreeSet<String>) -> Self {
        Self { declared }
    }

    /// The shown form of environment variable `name`, and why it differs from `value` if it does.
    pub fn env(&self, name: &str, value: &str) -> (String, Option<Reason>) {
        if self.declared.contains(name) {
            return (REDACTED.to_owned(), Some(Reason::DeclaredSecret));
        }
        if NAME_LISTS.contains(&name) {
            return (value.to_owned(), None);
        }
        shown(name, value)
    }

    /// The shown form of a mounted file `name` (its file name) with `content`.
    pub fn file(&self, name: &str, content: &str) -> (String, Option<Reason>) {
        if self.declared.contains(name) {
            return (REDACTED.to_owned(), Some(Reason::DeclaredSecret));
        }
        shown(name, content)
    }
}

fn shown(name: &str, value: &str) -> (String, Option<Reason>) {
    if is_secret_name(name) {
        return (REDACTED.to_owned(), Some(Reason::SecretName));
    }
    match mask_url_passwords(value) {
        Some(masked) => (masked, Some(Reason::UrlPassword)),
        None => (value.to_owned(), None),
    }
}

/// Whether `name` contains one of [`SECRET_WORDS`], ignoring case.
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_WORDS.iter().any(|word| lower.contains(word))
}

/// Replaces the password of every `scheme://user:password@host` in `value`; `None` when there is none.
pub fn mask_url_passwords(value: &str) -> Option<String> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    let mut changed = false;
    while let Some(at) = rest.find("://") {
        let authority_start = at + 3;
        out.push_str(&rest[..authority_start]);
        let after = &rest[authority_start..];
        let authority_len = after
            .find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace())
            .unwrap_or(after.len());
        let authority = &after[..authority_len];
        match authority
            .rfind('@')
            .and_then(|at| authority[..at].find(':').map(|colon| (colon, at)))
        {
            Some((colon, at)) => {
                out.push_str(&authority[..=colon]);
                out.push_str(REDACTED);
                out.push_str(&authority[at..]);
                changed = true;
            }
            None => out.push_str(authority),
        }
        rest = &after[authority_len..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_like_names_are_redacted_whatever_their_case() {
        let r = Redactor::default();
        for name in [
            "DB_PASSWORD",
            "api_key",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "GithubToken",
            "SENTRY_DSN",
            "tls.key",
            "google-credentials.json",
            "BASIC_AUTH",
        ] {
            assert_eq!(
                r.env(name, "hunter2"),
                (REDACTED.into(), Some(Reason::SecretName)),
                "{name}"
            );
        }
    }

    #[test]
    fn ordinary_names_are_shown() {
        let r = Redactor::default();
        for name in [
            "ENVIRONMENT",
            "LOG_LEVEL",
            "API_VERSION",
            "PAGINATION_LIMIT",
            "app.yaml",
        ] {
            assert_eq!(r.env(name, "v1"), ("v1".into(), None), "{name}");
        }
    }

    #[test]
    fn declared_keys_are_redacted_even_with_innocent_names() {
        let r = Redactor::new(["DATABASE_URL".to_owned(), "settings.ini".to_owned()].into());
        assert_eq!(
            r.env("DATABASE_URL", "postgres://u:p@db/x"),
            (REDACTED.into(), Some(Reason::DeclaredSecret))
        );
        assert_eq!(
            r.file("settings.ini", "x=1"),
            (REDACTED.into(), Some(Reason::DeclaredSecret))
        );
        assert_eq!(r.env("ENVIRONMENT", "prod"), ("prod".into(), None));
        assert_eq!(r.env("HUB_SECRET_KEYS", "DATABASE_URL"), ("DATABASE_URL".into(), None));
    }

    #[test]
    fn url_passwords_are_masked_and_the_rest_is_kept() {
        let r = Redactor::default();
        assert_eq!(
            r.env(
                "DATABASE_URL",
                "postgres://app:s3cr%40t@db.internal:5432/app?sslmode=require"
            ),
            (
                "postgres://app:[redacted]@db.internal:5432/app?sslmode=require".into(),
                Some(Reason::UrlPassword)
            )
        );
        assert_eq!(
            mask_url_passwords("a=redis://:pw@cache:6379 b=http://plain/x").as_deref(),
            Some("a=redis://:[redacted]@cache:6379 b=http://plain/x")
        );
        assert_eq!(mask_url_passwords("https://user@host/path"), None);
        assert_eq!(mask_url_passwords("http://host:8080/a@b"), None);
        assert_eq!(mask_url_passwords("no url here"), None);
    }

    #[test]
    fn password_containing_at_signs_is_fully_masked() {
        assert_eq!(
            mask_url_passwords("amqp://user:p@ss@mq:5672").as_deref(),
            Some("amqp://user:[redacted]@mq:5672")
        );
    }
}
