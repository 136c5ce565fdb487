//! What this binary is: its version and the commit it was built from. `build.rs` takes the version from
//! `HUB_RELEASE_VERSION` (set by `make release`) or the crate, and the commit from `HUB_GIT_COMMIT` or
//! `git rev-parse HEAD` ("unknown" outside git), never a time, so release builds stay reproducible.
//! `--version` and the startup log line print both, and every request to Kubernetes and AWS names the
//! release in its User-Agent, so an API server audit log or CloudTrail shows which provider build made a
//! call.

/// The binary's name, first word of every User-Agent hub sends.
pub const NAME: &str = "terraform-provider-hub";

/// The release version (`make release VERSION=x.y.z`), else the crate version.
pub const VERSION: &str = env!("HUB_BUILD_VERSION");

/// The commit the binary was built from, or "unknown".
pub const COMMIT: &str = env!("HUB_BUILD_COMMIT");

/// `terraform-provider-hub/VERSION (commit 0123456789ab)`: the User-Agent sent to Kubernetes API servers.
pub fn user_agent() -> String {
    format!("{NAME}/{VERSION} (commit {})", short_commit())
}

/// The first 12 characters of the commit: enough to find it, short enough for a header.
pub fn short_commit() -> &'static str {
    COMMIT.get(..12).unwrap_or(COMMIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_agent_names_the_release_and_is_a_valid_header() {
        let ua = user_agent();
        assert!(
            ua.starts_with(&format!("terraform-provider-hub/{VERSION} (commit ")),
            "{ua}"
        );
        assert!(http::HeaderValue::from_str(&ua).is_ok(), "{ua}");
    }

    #[test]
    fn the_commit_is_a_hash_or_unknown() {
        assert!(
            COMMIT == "unknown" || (COMMIT.len() >= 7 && COMMIT.chars().all(|c| c.is_ascii_hexdigit())),
            "{COMMIT:?}"
        );
    }
}
