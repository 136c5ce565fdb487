//! Small helpers every acceptance test file shares: the shared plane, one async runtime per test binary,
//! a Kubernetes admin client, and assertion errors in the harness's error type.

use std::future::Future;
use std::sync::LazyLock;

use crate::sandbox::{Sandbox, Scope};
use crate::tf::{self, Cli, Workspace};

pub use crate::fixture::{aws_config as aws_fixture_config, config as fixture_config, fixture};
pub use crate::wait::{wait_for, wait_until, wait_until_async};

/// The local control plane shared by this test binary (started on first use).
pub fn sandbox() -> &'static Sandbox {
    Sandbox::shared().expect("the local control plane starts (run tests/tools/build.sh all first)")
}

/// Runs a future on the test binary's one runtime. Clients must be created and used within a single call:
/// kube's background worker does not survive between separate `block_on` calls.
pub fn block_on<F: Future>(f: F) -> F::Output {
    static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
        // Several TLS crypto providers are linked into test binaries; pick one explicitly.
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime")
    });
    RUNTIME.block_on(f)
}

/// Runs `f` with the sandbox's admin Kubernetes client.
pub fn with_kube<T, Fut: Future<Output = Result<T, kube::Error>>>(
    f: impl FnOnce(kube::Client) -> Fut,
) -> tf::Result<T> {
    block_on(async {
        let client = sandbox().kube_client().await.map_err(err)?;
        f(client).await.map_err(err)
    })
}

/// The `terraform` block and a provider block that reads the sandbox kubeconfig, plus `extra` provider lines.
pub fn provider_block(extra: &str) -> String {
    format!(
        "terraform {{\n  required_providers {{\n    hub = {{ source = \"hub/hub\" }}\n  }}\n}}\n\nprovider \"hub\" {{\n  config_path = {:?}\n{extra}}}\n",
        sandbox().kubeconfig_path().display().to_string()
    )
}

/// An assertion error from anything displayable.
pub fn err(e: impl std::fmt::Display) -> tf::Error {
    tf::Error::assertion(e.to_string())
}

/// Fails with "expected: `what`" unless `ok`.
pub fn expect(ok: bool, what: &str) -> tf::Result<()> {
    if ok {
        Ok(())
    } else {
        Err(tf::Error::assertion(format!("expected: {what}")))
    }
}

/// A workspace whose provider sees the sandbox's AWS environment (endpoint, region), signed with the
/// scope's own access key so fault injection and request counts can target this test only.
pub fn aws_workspace(cli: &Cli, scope: &Scope) -> tf::Result<Workspace> {
    aws_workspace_with(cli, scope, tf::Install::DevOverrides)
}

/// [`aws_workspace`] with hub installed as `install` says: a filesystem mirror for workspaces that run
/// `init` (to install another provider such as [`tf::Peer::kubernetes`]).
pub fn aws_workspace_with(cli: &Cli, scope: &Scope, install: tf::Install) -> tf::Result<Workspace> {
    let mut ws = Workspace::with_install(cli, install)?;
    for (k, v) in sandbox().env() {
        ws.set_env(k, v);
    }
    let creds = scope.aws_credentials();
    ws.set_env("AWS_ACCESS_KEY_ID", creds.access_key_id());
    ws.set_env("AWS_SECRET_ACCESS_KEY", creds.secret_access_key());
    Ok(ws)
}

/// A step-runner case whose commands see the same AWS environment as [`aws_workspace`].
pub fn aws_case(scope: &Scope) -> tf::TestCase {
    let creds = scope.aws_credentials();
    let case = sandbox()
        .env()
        .into_iter()
        .fold(tf::TestCase::new(), |case, (k, v)| case.env(&k, &v));
    case.env("AWS_ACCESS_KEY_ID", creds.access_key_id())
        .env("AWS_SECRET_ACCESS_KEY", creds.secret_access_key())
}

/// The `terraform` block and a provider block in EKS mode (`cluster_name` + `region` only): the provider
/// describes the sandbox cluster and mints EKS tokens itself. Pair with [`aws_workspace`].
pub fn eks_provider_block() -> String {
    format!(
        "terraform {{\n  required_providers {{\n    hub = {{ source = \"hub/hub\" }}\n  }}\n}}\n\nprovider \"hub\" {{\n  cluster_name = {:?}\n  region       = \"us-east-1\"\n}}\n",
        crate::sandbox::CLUSTER_NAME
    )
}

/// The repository's root directory.
pub fn repo_root() -> tf::Result<std::path::PathBuf> {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .map_err(err)
}

/// `to` relative to the directory `from` (both absolute), as a local module source wants it (`../..`):
/// Terraform refuses absolute module paths whose own modules call `../sibling`.
pub fn relative(from: &std::path::Path, to: &std::path::Path) -> String {
    use std::path::Component;
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); a.len() - common];
    parts.extend(b[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}

/// A scope namespace (`suffix`) holding an unannotated service account `account`, as an app's chart would
/// leave it: what the IRSA and Pod Identity tests bind roles to.
pub fn namespace_with_account(scope: &Scope, suffix: &str, account: &str) -> tf::Result<String> {
    use k8s_openapi::api::core::v1::ServiceAccount;
    block_on(async {
        let c = sandbox().kube_client().await.map_err(err)?;
        let ns = scope.namespace(&c, suffix).await.map_err(err)?;
        let sa = ServiceAccount {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                name: Some(account.into()),
                ..Default::default()
            },
            ..Default::default()
        };
        kube::Api::<ServiceAccount>::namespaced(c, &ns)
            .create(&kube::api::PostParams::default(), &sa)
            .await
            .map_err(err)?;
        Ok(ns)
    })
}

/// A pod `<sa>-0` running as `ns/sa`: what Pod Identity serves (the agent only serves pods, and EKS Auth only
/// takes pod-bound tokens).
pub fn pod_as(ns: &str, sa: &str) -> tf::Result<()> {
    use k8s_openapi::api::core::v1::{Container, Pod, PodSpec};
    block_on(async {
        let c = sandbox().kube_client().await.map_err(err)?;
        let pod = Pod {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                name: Some(format!("{sa}-0")),
                ..Default::default()
            },
            spec: Some(PodSpec {
                service_account_name: Some(sa.to_owned()),
                containers: vec![Container {
                    name: "app".to_owned(),
                    image: Some("registry.example/app:1".to_owned()),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            ..Default::default()
        };
        kube::Api::<Pod>::namespaced(c, ns)
            .create(&kube::api::PostParams::default(), &pod)
            .await
            .map(drop)
            .map_err(err)
    })
}

/// The `eks.amazonaws.com/role-arn` annotation of service account `ns/sa`, if any.
pub fn role_annotation(ns: &str, sa: &str) -> tf::Result<Option<String>> {
    use k8s_openapi::api::core::v1::ServiceAccount;
    block_on(async {
        let c = sandbox().kube_client().await.map_err(err)?;
        let sa = kube::Api::<ServiceAccount>::namespaced(c, ns)
            .get(sa)
            .await
            .map_err(err)?;
        Ok(sa
            .metadata
            .annotations
            .unwrap_or_default()
            .get("eks.amazonaws.com/role-arn")
            .cloned())
    })
}

/// Why an import-verify of `hub_irsa_binding` skips the grants: a grant is compiled into the role's inline
/// policy; import reads that back (`policy` is compared, and `custom_policy_json` holds the same document),
/// not the grants it was compiled from.
pub const GRANT_NOT_IMPORTED: &str = "compiled into the inline policy, which import reads back as `policy` and \
                                      `custom_policy_json`; the grant is not recoverable";

/// Deletes namespace `ns` (in the background: its objects go with it) with the sandbox's admin client.
pub fn delete_namespace(ns: &str) -> tf::Result<()> {
    let ns = ns.to_owned();
    with_kube(|c| async move {
        kube::Api::<k8s_openapi::api::core::v1::Namespace>::all(c)
            .delete(&ns, &kube::api::DeleteParams::background())
            .await
            .map(drop)
    })
}
