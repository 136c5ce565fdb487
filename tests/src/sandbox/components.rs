//! Command lines of the components. Kept in one place so that the flags (and why each is there) can be
//! reviewed together; see `../shared/notes/testenv.md` for where they come from.

use std::path::{Path, PathBuf};

use super::layout::RunDir;
use super::pki::files;
use super::process::ProcessSpec;
use super::state::{Component, RunState};
use super::{ACCESS_KEY_ID, ADVERTISE_ADDRESS, KUBERNETES_MINOR, SECRET_ACCESS_KEY, SERVICE_CIDR};

/// Inputs the command lines need besides the run state.
#[derive(Debug, Clone)]
pub struct Binaries {
    /// Directory with `etcd`.
    pub etcd: PathBuf,
    /// Directory with the kube-* binaries.
    pub kube: PathBuf,
    /// Directory with `kwok`.
    pub kwok: PathBuf,
    /// The moto virtualenv.
    pub moto_venv: PathBuf,
    /// The `hub-sandbox` binary (webhook, proxy and guard are its subcommands).
    pub hub_sandbox: PathBuf,
}

fn spec(run: &RunDir, c: Component, program: PathBuf, args: Vec<String>) -> ProcessSpec {
    ProcessSpec {
        name: c.as_str().to_owned(),
        program,
        args,
        env: Vec::new(),
        log: run.log(c.as_str()),
    }
}

fn p(path: &Path) -> String {
    path.display().to_string()
}

/// etcd: single member on loopback, no fsync (test data only), data on tmpfs when possible.
pub fn etcd(run: &RunDir, st: &RunState, bin: &Binaries) -> ProcessSpec {
    let client = format!("http://127.0.0.1:{}", st.ports.etcd_client);
    let peer = format!("http://127.0.0.1:{}", st.ports.etcd_peer);
    spec(
        run,
        Component::Etcd,
        bin.etcd.join("etcd"),
        vec![
            "--name=hub-sandbox".to_owned(),
            format!("--data-dir={}", p(&st.etcd_data_dir)),
            format!("--listen-client-urls={client}"),
            format!("--advertise-client-urls={client}"),
            format!("--listen-peer-urls={peer}"),
            format!("--initial-advertise-peer-urls={peer}"),
            format!("--initial-cluster=hub-sandbox={peer}"),
            "--unsafe-no-fsync=true".to_owned(),
            "--log-level=warn".to_owned(),
            "--quota-backend-bytes=2147483648".to_owned(),
        ],
    )
}

/// kube-apiserver. Notable flags:
/// - `--advertise-address` is a TEST-NET-1 address with `--endpoint-reconciler-type=none`: with a loopback
///   bind address the server otherwise picks the default-route interface (and fails without one), and a
///   loopback advertise address is rejected by the `kubernetes` Endpoints validation.
/// - `--service-account-issuer` is the EKS OIDC issuer, as on EKS (IRSA tokens carry it).
/// - the token webhook authenticates `k8s-aws-v1.` tokens; its cache is off so every token is checked.
/// - an audit log of non-read requests, so tests can prove that nothing was written (see `files::write_audit_policy`).
pub fn kube_apiserver(run: &RunDir, st: &RunState, bin: &Binaries, webhook_kubeconfig: &Path) -> ProcessSpec {
    spec(
        run,
        Component::KubeApiserver,
        bin.kube.join("kube-apiserver"),
        vec![
            format!("--etcd-servers=http://127.0.0.1:{}", st.ports.etcd_client),
            "--bind-address=127.0.0.1".to_owned(),
            format!("--secure-port={}", st.ports.api_server),
            format!("--advertise-address={ADVERTISE_ADDRESS}"),
            "--endpoint-reconciler-type=none".to_owned(),
            format!("--tls-cert-file={}", p(&run.pki(files::APISERVER_CRT))),
            format!("--tls-private-key-file={}", p(&run.pki(files::APISERVER_KEY))),
            format!("--client-ca-file={}", p(&run.pki(files::CA_CRT))),
            format!("--service-cluster-ip-range={SERVICE_CIDR}"),
            format!("--service-account-issuer={}", st.oidc_issuer),
            format!("--service-account-key-file={}", p(&run.pki(files::SA_PUB))),
            format!("--service-account-signing-key-file={}", p(&run.pki(files::SA_KEY))),
            "--api-audiences=https://kubernetes.default.svc".to_owned(),
            "--authorization-mode=Node,RBAC".to_owned(),
            format!("--authentication-token-webhook-config-file={}", p(webhook_kubeconfig)),
            "--authentication-token-webhook-version=v1".to_owned(),
            "--authentication-token-webhook-cache-ttl=0s".to_owned(),
            "--allow-privileged=true".to_owned(),
            "--enable-priority-and-fairness=false".to_owned(),
            "--profiling=false".to_owned(),
            "--event-ttl=1h".to_owned(),
            format!(
                "--audit-policy-file={}",
                p(&run.config(super::files::AUDIT_POLICY_FILE))
            ),
            format!("--audit-log-path={}", p(&run.audit_log())),
            "--audit-log-format=json".to_owned(),
            "--audit-log-maxsize=200".to_owned(),
            "--audit-log-maxbackup=1".to_owned(),
        ],
    )
}

/// kube-controller-manager: Deployments → ReplicaSets → Pods, default ServiceAccounts, GC, node lifecycle.
pub fn kube_controller_manager(run: &RunDir, st: &RunState, bin: &Binaries) -> ProcessSpec {
    let kc = p(&run.kubeconfig());
    spec(
        run,
        Component::KubeControllerManager,
        bin.kube.join("kube-controller-manager"),
        vec![
            format!("--kubeconfig={kc}"),
            "--leader-elect=false".to_owned(),
            "--secure-port=0".to_owned(),
            format!("--cluster-name={}", st.cluster_name),
            format!("--service-account-private-key-file={}", p(&run.pki(files::SA_KEY))),
            format!("--root-ca-file={}", p(&run.pki(files::CA_CRT))),
            "--use-service-account-credentials=false".to_owned(),
            "--kube-api-qps=200".to_owned(),
            "--kube-api-burst=400".to_owned(),
            "--concurrent-deployment-syncs=10".to_owned(),
            "--concurrent-replicaset-syncs=10".to_owned(),
        ],
    )
}

/// kube-scheduler: binds pods to the kwok nodes (kwok only touches pods bound to its nodes). It serves
/// health on a loopback port with a certificate from the sandbox CA.
pub fn kube_scheduler(run: &RunDir, st: &RunState, bin: &Binaries) -> ProcessSpec {
    let kc = p(&run.kubeconfig());
    spec(
        run,
        Component::KubeScheduler,
        bin.kube.join("kube-scheduler"),
        vec![
            format!("--kubeconfig={kc}"),
            format!("--authentication-kubeconfig={kc}"),
            format!("--authorization-kubeconfig={kc}"),
            "--leader-elect=false".to_owned(),
            "--bind-address=127.0.0.1".to_owned(),
            format!("--secure-port={}", st.ports.scheduler),
            format!("--tls-cert-file={}", p(&run.pki(files::LOOPBACK_CRT))),
            format!("--tls-private-key-file={}", p(&run.pki(files::LOOPBACK_KEY))),
            "--kube-api-qps=200".to_owned(),
            "--kube-api-burst=400".to_owned(),
        ],
    )
}

/// kwok with our Stage file.
pub fn kwok(run: &RunDir, st: &RunState, bin: &Binaries, stages: &Path) -> ProcessSpec {
    spec(
        run,
        Component::Kwok,
        bin.kwok.join("kwok"),
        super::kwok::args(&run.kubeconfig(), stages, st.ports.kwok),
    )
}

/// moto through our launcher, which makes DescribeCluster describe the local API server and serves the EKS
/// routes moto lacks (add-ons, Pod Identity associations, EKS Auth).
pub fn moto(run: &RunDir, st: &RunState, bin: &Binaries) -> ProcessSpec {
    let script = super::layout::tools_dir().join("moto").join("sandbox_moto.py");
    let issuer_id = st.oidc_issuer.rsplit('/').next().unwrap_or_default().to_owned();
    let mut s = spec(
        run,
        Component::Moto,
        bin.moto_venv.join("bin").join("python"),
        vec![
            "-u".to_owned(),
            p(&script),
            "--host=127.0.0.1".to_owned(),
            format!("--port={}", st.ports.moto),
            format!("--region={}", st.region),
            format!("--cluster={}", st.cluster_name),
            format!("--alias-cluster={}", super::SHORT_LIVED_CLUSTER_NAME),
            format!("--endpoint={}", st.api_server_url),
            format!("--ca-file={}", p(&run.pki(files::CA_CRT))),
            // The public key service-account tokens are verified with: the EKS Auth stand-in checks tokens
            // against it, as EKS checks them against the cluster's issuer keys.
            format!("--sa-public-key-file={}", p(&run.pki(files::SA_PUB))),
            format!("--issuer-id={issuer_id}"),
            format!("--kubernetes-version=1.{KUBERNETES_MINOR}"),
            format!("--access-key-id={ACCESS_KEY_ID}"),
            format!("--secret-access-key={SECRET_ACCESS_KEY}"),
        ],
    );
    // AWS-managed policies (AmazonEKSClusterPolicy, ...) exist, as in a real account.
    s.env
        .push(("MOTO_IAM_LOAD_MANAGED_POLICIES".to_owned(), "true".to_owned()));
    // Where `/moto-api/recorder/start-recording` appends requests (recording itself is off until started).
    s.env
        .push(("MOTO_RECORDER_FILEPATH".to_owned(), p(&run.moto_recording())));
    s
}

/// The fault-injecting proxy in front of moto.
pub fn aws_proxy(run: &RunDir, st: &RunState, bin: &Binaries) -> ProcessSpec {
    spec(
        run,
        Component::AwsProxy,
        bin.hub_sandbox.clone(),
        vec![
            "aws-proxy".to_owned(),
            format!("--listen=127.0.0.1:{}", st.ports.aws_proxy),
            format!("--control=127.0.0.1:{}", st.ports.faults_control),
            format!("--upstream=127.0.0.1:{}", st.ports.moto),
        ],
    )
}

/// The EKS token webhook.
pub fn token_webhook(run: &RunDir, bin: &Binaries, config: &Path) -> ProcessSpec {
    spec(
        run,
        Component::TokenWebhook,
        bin.hub_sandbox.clone(),
        vec!["webhook".to_owned(), format!("--config={}", p(config))],
    )
}

/// The guard: stops the plane when `owner` (a test binary) exits.
pub fn guard(run: &RunDir, bin: &Binaries, owner: u32, owner_start_ticks: u64) -> ProcessSpec {
    spec(
        run,
        Component::Guard,
        bin.hub_sandbox.clone(),
        vec![
            "guard".to_owned(),
            format!("--dir={}", p(run.root())),
            format!("--owner={owner}"),
            format!("--owner-start={owner_start_ticks}"),
        ],
    )
}
