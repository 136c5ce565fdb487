//! The API server's version (`GET /version`), for features that need a minimum Kubernetes version. Read
//! once per connection: a cluster is not upgraded in the middle of a plan.

use crate::diag::Diagnostics;

/// A Kubernetes version as the API server reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerVersion {
    /// The major version.
    pub major: u32,
    /// The minor version (EKS reports `29+`: the digits count).
    pub minor: u32,
    /// The full version, e.g. `v1.29.3-eks-adc7111`, for messages.
    pub git_version: String,
}

impl ServerVersion {
    /// Whether this is `major.minor` or later.
    pub fn at_least(&self, major: u32, minor: u32) -> bool {
        (self.major, self.minor) >= (major, minor)
    }

    /// The version from `/version`'s `major` and `minor` fields, or `None` when they hold no number.
    pub fn parse(major: &str, minor: &str, git_version: &str) -> Option<Self> {
        let number = |s: &str| -> Option<u32> {
            let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        };
        Some(ServerVersion {
            major: number(major)?,
            minor: number(minor)?,
            git_version: git_version.to_owned(),
        })
    }
}

/// Asks the API server for its version.
pub(super) async fn fetch(client: &kube::Client) -> Result<ServerVersion, Diagnostics> {
    let info = client.apiserver_version().await.map_err(|e| {
        Diagnostics::from_error(
            "Kubernetes Version Unknown",
            format!("Reading the cluster's Kubernetes version (GET /version) failed: {e}."),
        )
    })?;
    ServerVersion::parse(&info.major, &info.minor, &info.git_version).ok_or_else(|| {
        Diagnostics::from_error(
            "Kubernetes Version Unknown",
            format!(
                "The API server reported a version hub cannot read (major {:?}, minor {:?}, {:?}).",
                info.major, info.minor, info.git_version
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eks_minor_versions_count_by_their_digits() {
        let v = ServerVersion::parse("1", "29+", "v1.29.3-eks-adc7111").expect("a version");
        assert_eq!((v.major, v.minor), (1, 29));
        assert!(v.at_least(1, 29) && !v.at_least(1, 30));
        assert!(ServerVersion::parse("1", "", "").is_none());
    }
}
