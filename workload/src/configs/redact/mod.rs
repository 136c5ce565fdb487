//! Which configuration values `/configs` must not show, and how they are hidden.
//!
//! `/configs` exists so that people can see what a deployment actually received, which makes it an easy
//! place to leak credentials. The rules err on the side of hiding. An environment variable is shown only
//! when its name is on an allow-list (built-in names of ordinary settings, plus `HUB_PUBLIC_KEYS`) and
//! does not look secret; declared Secret-sourced keys (`HUB_SECRET_KEYS`) and files under
//! `HUB_SECRET_DIRS` are never shown. Mounted configuration files are shown with their secrets masked:
//! files whose names look secret are hidden whole, and inside the others (as inside every shown variable)
//! URL credentials, query and fragment values, webhook paths, `password=…` pairs, private keys and
//! token-shaped strings are masked (`postgres://app:[redacted]@db/app`). Redacted values are replaced
//! whole; no length, prefix or hash is shown, since those leak short secrets.

mod names;
mod text;
mod url;

pub use names::{SECRET_SEGMENTS, SECRET_WORDS, is_safe_name, is_secret_name};
pub use text::looks_like_token;

use serde::Serialize;
use std::collections::BTreeSet;

/// What a hidden value is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Variables whose names look secret but that only list other names: the workload's own declarations.
const NAME_LISTS: &[&str] = &["HUB_SECRET_KEYS", "HUB_SECRET_DIRS", "HUB_PUBLIC_KEYS"];

/// Why a value was hidden, as shown in the `redacted` section of `/configs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// Listed in `HUB_SECRET_KEYS`: the variable comes from a Kubernetes Secret.
    DeclaredSecret,
    /// A file under one of `HUB_SECRET_DIRS`: a mounted Secret.
    SecretMount,
    /// The name looks like a secret's.
    SecretName,
    /// The name is not on the allow-list of names safe to show.
    UnlistedName,
    /// The value is a URL with credentials; only they are masked.
    UrlPassword,
    /// Parts of the value look secret (a query value, a `password=` pair, a token); only they are masked.
    SecretInValue,
}

/// Decides, for each key and value, what `/configs` shows.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    declared: BTreeSet<String>,
    public: BTreeSet<String>,
}

impl Redactor {
    /// `declared` are always hidden (`HUB_SECRET_KEYS`); `public` extend the allow-list (`HUB_PUBLIC_KEYS`).
    pub fn new(declared: BTreeSet<String>, public: BTreeSet<String>) -> Self {
        Self { declared, public }
    }

    /// The shown form of environment variable `name`, and why it differs from `value` if it does.
    pub fn env(&self, name: &str, value: &str) -> (String, Option<Reason>) {
        if self.declared.contains(name) {
            return (REDACTED.to_owned(), Some(Reason::DeclaredSecret));
        }
        if NAME_LISTS.contains(&name) {
            return (value.to_owned(), None);
        }
        if is_secret_name(name) {
            return (REDACTED.to_owned(), Some(Reason::SecretName));
        }
        if !self.public.contains(name) && !is_safe_name(name) {
            return (REDACTED.to_owned(), Some(Reason::UnlistedName));
        }
        scan(value)
    }

    /// The shown form of a mounted file `name` (its file name) with `content`.
    pub fn file(&self, name: &str, content: &str) -> (String, Option<Reason>) {
        if self.declared.contains(name) {
            return (REDACTED.to_owned(), Some(Reason::DeclaredSecret));
        }
        if is_secret_name(name) {
            return (REDACTED.to_owned(), Some(Reason::SecretName));
        }
        scan(content)
    }
}

/// `value` with every embedded secret masked, and the reason when something was.
pub fn scan(value: &str) -> (String, Option<Reason>) {
    let (shown, urls) = url::mask_urls(value);
    let (shown, rest) = match text::mask_text(&shown) {
        Some(masked) => (masked, true),
        None => (shown, false),
    };
    let reason = if urls.credentials {
        Some(Reason::UrlPassword)
    } else if urls.other || rest {
        Some(Reason::SecretInValue)
    } else {
        None
    };
    (shown, reason)
}

/// `value` with the secrets of its URLs masked (credentials, query, fragment, token-like path segments):
/// the one display form of a URL outside `/configs`, such as a dependency target.
pub fn mask_urls(value: &str) -> String {
    url::mask_urls(value).0
}

/// Replaces the credentials of every URL in `value`; `None` when there are none.
pub fn mask_url_passwords(value: &str) -> Option<String> {
    let (shown, masked) = url::mask_urls(value);
    masked.any().then_some(shown)
}

#[cfg(test)]
mod tests;
