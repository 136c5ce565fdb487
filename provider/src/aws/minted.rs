//! One EKS token signed now with an SDK configuration's region and credentials. `hub_eks_token` and the
//! `eks-token` exec plugin both mint through here, so the token a consumer provider gets is signed exactly
//! as hub signs its own.

use std::time::{Duration, SystemTime};

use aws_credential_types::provider::ProvideCredentials as _;
use secrecy::SecretString;

use super::AwsClients;
use super::eks_token::{self, TOKEN_LIFETIME};
use crate::diag::Diagnostics;

/// A freshly minted token.
pub struct MintedToken {
    /// `k8s-aws-v1.…`.
    pub token: SecretString,
    /// The region it is signed for.
    pub region: String,
    /// When it was signed.
    pub signed: SystemTime,
}

impl MintedToken {
    /// When EKS stops accepting it.
    pub fn expires_at(&self) -> SystemTime {
        self.signed + TOKEN_LIFETIME
    }

    /// When a consumer should get a new one: `renew_after` after signing.
    pub fn renew_at(&self, renew_after: Duration) -> SystemTime {
        self.signed + renew_after
    }
}

impl AwsClients {
    /// Mints a token for `cluster` with these clients' region and credentials (profile and assumed role
    /// included). Offline except for what the credential chain does.
    pub async fn mint_eks_token(&self, cluster: &str) -> Result<MintedToken, Diagnostics> {
        let region = self.region().ok_or_else(|| {
            Diagnostics::from_error(
                "No AWS Region",
                "The EKS token is signed for the hub provider block's region; set `region` there.",
            )
        })?;
        let credentials = match self.sdk.credentials_provider() {
            Some(p) => p.provide_credentials().await.map_err(|e| e.to_string()),
            None => Err("the AWS credential chain is empty".to_owned()),
        }
        .map_err(|why| Diagnostics::from_error("No AWS Credentials", format!("Minting the EKS token: {why}.")))?;
        let signed = SystemTime::now();
        let token = eks_token::mint(cluster, &region, &credentials, signed)
            .map_err(|e| Diagnostics::from_error("EKS Token Not Minted", e.to_string()))?;
        Ok(MintedToken { token, region, signed })
    }
}
