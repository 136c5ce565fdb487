//! The one server-side apply path: every resource applies through [`Apply`], so the field manager, the
//! choice to force and the error kinds are the same everywhere.

use kube::Api;
use kube::api::{Patch, PatchParams};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Error;
use super::labels::FIELD_MANAGER;

/// A server-side apply: as hub's field manager unless another is named, refusing fields another manager
/// holds unless forced, and written unless a dry-run.
#[derive(Debug, Clone, Copy)]
#[must_use]
pub struct Apply<'a> {
    manager: &'a str,
    force: bool,
    dry_run: bool,
}

impl Apply<'static> {
    /// An apply as hub's field manager, not forced.
    pub const fn hub() -> Self {
        Self::manager(FIELD_MANAGER)
    }
}

impl<'a> Apply<'a> {
    /// An apply as `manager` (a field owner other than hub's own), not forced.
    pub const fn manager(manager: &'a str) -> Self {
        Self {
            manager,
            force: false,
            dry_run: false,
        }
    }

    /// Takes fields other managers hold when `force`, instead of failing with a conflict.
    pub const fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }

    /// Asks the API server to judge the apply (admission, validation, conflicts) without writing it.
    pub const fn dry_run(mut self) -> Self {
        self.dry_run = true;
        self
    }

    /// Sends `body` as the apply of object `name`.
    pub async fn send<K, P>(self, api: &Api<K>, name: &str, body: &P) -> Result<K, Error>
    where
        K: kube::Resource + Clone + DeserializeOwned + std::fmt::Debug,
        P: Serialize + std::fmt::Debug,
    {
        let mut params = PatchParams::apply(self.manager);
        params.force = self.force;
        params.dry_run = self.dry_run;
        Ok(api.patch(name, &params, &Patch::Apply(body)).await?)
    }
}
