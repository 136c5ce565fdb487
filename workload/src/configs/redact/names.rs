//! Which names look secret, and which are safe to show.
//!
//! Names are judged twice. A name that looks secret (a word such as `password` anywhere in it, or a short
//! segment such as `PAT` or `SK`) is always hidden. Any other environment variable is shown only when its
//! name is on the allow-list of names that carry configuration, not credentials: `/configs` hides by default,
//! because a deny-list always misses some spelling (`DB_PWD`, `STRIPE_SK`).

/// Substrings of a name (lower case, separators removed) that mark it secret.
pub const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "pwd",
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
    "jwt",
    "bearer",
    "webhook",
    "hmac",
    "connectionstring",
];

/// Whole segments of a name (split at `_`, `-`, `.` and camel-case humps) that mark it secret.
pub const SECRET_SEGMENTS: &[&str] = &[
    "pass", "pw", "pat", "sk", "pin", "otp", "sig", "mfa", "cred", "creds", "seed", "nonce",
];

/// Names shown as they are (their values are still scanned for embedded secrets).
const SAFE_NAMES: &[&str] = &[
    "ENVIRONMENT",
    "ENV",
    "APP_ENV",
    "NODE_ENV",
    "RAILS_ENV",
    "RACK_ENV",
    "FLASK_ENV",
    "GO_ENV",
    "ASPNETCORE_ENVIRONMENT",
    "SPRING_PROFILES_ACTIVE",
    "DJANGO_SETTINGS_MODULE",
    "LOG_LEVEL",
    "LOGLEVEL",
    "LOG_FORMAT",
    "RUST_LOG",
    "RUST_BACKTRACE",
    "DEBUG",
    "VERBOSE",
    "PORT",
    "HOST",
    "HOSTNAME",
    "HOME",
    "PATH",
    "LANG",
    "LC_ALL",
    "TZ",
    "USER",
    "SHELL",
    "TERM",
    "PYTHONPATH",
    "PYTHONUNBUFFERED",
    "GOMAXPROCS",
    "GOMEMLIMIT",
    "VERSION",
    "APP_NAME",
    "SERVICE_NAME",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ENDPOINT_URL",
    "AWS_STS_REGIONAL_ENDPOINTS",
    "AWS_EC2_METADATA_DISABLED",
];

/// Name prefixes shown: the workload's own settings and the variables Kubernetes injects for Services.
const SAFE_PREFIXES: &[&str] = &["HUB_", "KUBERNETES_"];

/// Name suffixes shown: addresses, sizes, switches and identifiers of non-secret things.
const SAFE_SUFFIXES: &[&str] = &[
    "_HOST",
    "_HOSTNAME",
    "_PORT",
    "_URL",
    "_URI",
    "_ENDPOINT",
    "_ADDR",
    "_ADDRESS",
    "_REGION",
    "_ZONE",
    "_LEVEL",
    "_ENV",
    "_ENVIRONMENT",
    "_MODE",
    "_PROFILE",
    "_FORMAT",
    "_TIMEOUT",
    "_INTERVAL",
    "_TTL",
    "_RETRIES",
    "_ENABLED",
    "_DISABLED",
    "_VERSION",
    "_LIMIT",
    "_SIZE",
    "_COUNT",
    "_REPLICAS",
    "_WORKERS",
    "_THREADS",
    "_BUCKET",
    "_QUEUE",
    "_TOPIC",
    "_TABLE",
    "_NAME",
    "_DIR",
    "_PATH",
    "_FILE",
    "_LOCALE",
    "_LANG",
];

/// Whether `name` looks like it holds a secret, whatever its case or separators.
pub fn is_secret_name(name: &str) -> bool {
    let compact: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    SECRET_WORDS.iter().any(|word| compact.contains(word))
        || segments(name).any(|segment| SECRET_SEGMENTS.contains(&segment.as_str()))
}

/// Whether environment variable `name` is on the built-in allow-list.
pub fn is_safe_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    SAFE_NAMES.contains(&upper.as_str())
        || SAFE_PREFIXES.iter().any(|prefix| upper.starts_with(prefix))
        || SAFE_SUFFIXES.iter().any(|suffix| upper.ends_with(suffix))
}

/// Lower-case segments of `name`: split at non-alphanumerics and at lower-to-upper case changes.
fn segments(name: &str) -> impl Iterator<Item = String> + '_ {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            previous_lower = false;
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_split_separators_and_camel_case() {
        let all: Vec<String> = segments("keyStorePassword.GITHUB_PAT-x").collect();
        assert_eq!(all, ["key", "store", "password", "github", "pat", "x"]);
    }

    #[test]
    fn short_segments_do_not_match_inside_words() {
        for name in ["PATH", "SKU_LIMIT", "PINNED_VERSION", "SIGNUP_URL"] {
            assert!(!is_secret_name(name), "{name}");
        }
        for name in ["GITHUB_PAT", "STRIPE_SK", "smtpPass", "ADMIN_PIN", "DB_PWD", "JWT"] {
            assert!(is_secret_name(name), "{name}");
        }
    }
}
