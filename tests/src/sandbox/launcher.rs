//! Bringing the plane up and down, and restarting single components (the fault hook).
//!
//! Start order: etcd, moto, the AWS proxy, the token webhook and kube-apiserver are spawned together (the
//! API server retries etcd, and needs the webhook only when a token arrives); once the API server is
//! ready, kube-controller-manager, kube-scheduler and kwok start, the fake nodes are created, and the
//! plane is ready when the nodes are Ready, the scheduler is healthy and the controller manager has made
//! the `default` ServiceAccount. If anything fails, everything already started is stopped again and the
//! error names the component; the run directory with all logs stays.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::{Namespace, ServiceAccount};
use kube::api::Api;

use super::components::{self, Binaries};
use super::error::{IoContext, Result, SandboxError};
use super::files;
use super::health::{http_ok, wait_ready};
use super::kube_client;
use super::kwok;
use super::layout::{RunDir, etcd_data_dir};
use super::pki;
use super::ports::{free_ports, listening};
use super::process::{self, ProcessRecord, ProcessSpec};
use super::state::{Component, Ports, RunState};
use super::tools::Tools;
use super::webhook::{ShortLived, WebhookConfig};
use super::{
    ACCOUNT_ID, ADVERTISE_ADDRESS, CLUSTER_NAME, REGION, SERVICE_IP, SHORT_LIVED_CLUSTER_NAME, SHORT_TOKEN_LIFETIME,
};

/// How long each component may take to become healthy (k8s' own integration tests allow 60 s on
/// contended CI runners).
pub const COMPONENT_TIMEOUT: Duration = Duration::from_secs(60);

/// Options of [`up`].
#[derive(Debug, Clone)]
pub struct UpOptions {
    /// Run directory (created; must not hold a running plane).
    pub dir: PathBuf,
    /// The `hub-sandbox` binary (for the webhook, proxy and guard subprocesses).
    pub hub_sandbox_bin: PathBuf,
    /// If set, a guard process stops the plane when this process (PID, start ticks) exits.
    pub owner: Option<(u32, u64)>,
}

fn random_hex32(seed: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let d = aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        format!("{seed}-{nanos}-{}", std::process::id()).as_bytes(),
    );
    d.as_ref()[..16].iter().map(|b| format!("{b:02X}")).collect()
}

fn p(path: &Path) -> String {
    path.display().to_string()
}

/// Starts the whole plane in `opts.dir` and returns its state once everything is ready.
pub async fn up(opts: &UpOptions) -> Result<RunState> {
    let t0 = Instant::now();
    let run = RunDir::new(&opts.dir);
    if let Ok(old) = RunState::load(&opts.dir)
        && !old.stopped
        && old.components.iter().any(|c| process::is_alive(&c.process))
    {
        return Err(SandboxError::Invalid(format!(
            "a sandbox is already running in {} (run `hub-sandbox down --dir {}` first)",
            opts.dir.display(),
            opts.dir.display()
        )));
    }
    let tools = tokio::task::spawn_blocking(Tools::ensure)
        .await
        .map_err(|e| SandboxError::Invalid(format!("tool build task failed: {e}")))??;
    run.create()?;
    for entry in std::fs::read_dir(run.logs_dir())
        .ctx(|| "listing logs".to_owned())?
        .flatten()
    {
        let _ = std::fs::remove_file(entry.path());
    }
    let bin = Binaries {
        etcd: tools.etcd,
        kube: tools.kube,
        kwok: tools.kwok.clone(),
        moto_venv: tools.moto,
        hub_sandbox: opts.hub_sandbox_bin.clone(),
    };
    let port = free_ports(9)?;
    let ports = Ports {
        etcd_client: port[0],
        etcd_peer: port[1],
        api_server: port[2],
        scheduler: port[3],
        kwok: port[4],
        moto: port[5],
        aws_proxy: port[6],
        faults_control: port[7],
        webhook: port[8],
    };
    let run_id = format!(
        "{}-{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
        std::process::id()
    );
    let dir = std::fs::canonicalize(&opts.dir).ctx(|| format!("resolving {}", opts.dir.display()))?;
    let run = RunDir::new(&dir);
    let mut st = RunState {
        etcd_data_dir: etcd_data_dir(&run, &run_id),
        run_id,
        dir: dir.clone(),
        cluster_name: CLUSTER_NAME.to_owned(),
        region: REGION.to_owned(),
        account_id: ACCOUNT_ID.to_owned(),
        oidc_issuer: format!("https://oidc.eks.{REGION}.amazonaws.com/id/{}", random_hex32(&p(&dir))),
        api_server_url: format!("https://127.0.0.1:{}", ports.api_server),
        aws_endpoint: format!("http://127.0.0.1:{}", ports.aws_proxy),
        moto_url: format!("http://127.0.0.1:{}", ports.moto),
        faults_url: format!("http://127.0.0.1:{}", ports.faults_control),
        ports,
        components: Vec::new(),
        ready_after_secs: None,
        stopped: false,
    };
    {
        use std::os::unix::fs::DirBuilderExt as _;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&st.etcd_data_dir)
            .ctx(|| format!("creating {}", st.etcd_data_dir.display()))?;
    }

    let pki = pki::generate(&run, ADVERTISE_ADDRESS.into(), SERVICE_IP.into())?;
    files::write_admin_kubeconfig(&run, &st, &pki)?;
    let webhook_kubeconfig = files::write_webhook_kubeconfig(&run, st.ports.webhook)?;
    let webhook_config = run.config("token-webhook.json");
    WebhookConfig {
        listen: format!("127.0.0.1:{}", st.ports.webhook),
        cert_file: run.pki(pki::files::LOOPBACK_CRT),
        key_file: run.pki(pki::files::LOOPBACK_KEY),
        cluster_id: st.cluster_name.clone(),
        short_lived: vec![ShortLived {
            cluster_id: SHORT_LIVED_CLUSTER_NAME.to_owned(),
            lifetime_secs: SHORT_TOKEN_LIFETIME.as_secs(),
        }],
        account_id: st.account_id.clone(),
        moto_url: st.moto_url.clone(),
        local_sts_hosts: vec![
            format!("127.0.0.1:{}", st.ports.aws_proxy),
            format!("127.0.0.1:{}", st.ports.moto),
            format!("localhost:{}", st.ports.aws_proxy),
        ],
        mappings: Vec::new(),
    }
    .save(&webhook_config)?;
    let stages = kwok::write_stages(&run, &bin.kwok)?;
    files::write_env(&run, &st)?;
    files::write_audit_policy(&run)?;
    st.save()?;

    let result = start_all(
        &run,
        &mut st,
        &bin,
        &webhook_kubeconfig,
        &webhook_config,
        &stages,
        &pki.ca_pem,
        opts,
    )
    .await;
    if let Err(e) = result {
        if std::env::var_os("HUB_SANDBOX_KEEP_ON_FAILURE").is_none() {
            let _ = down(&dir, None);
        }
        return Err(e);
    }
    st.ready_after_secs = Some(t0.elapsed().as_secs_f64());
    st.save()?;
    Ok(st)
}

fn start(st: &mut RunState, c: Component, spec: ProcessSpec) -> Result<ProcessRecord> {
    let rec = process::spawn(&spec)?;
    st.set_process(c, rec.clone());
    st.save()?;
    Ok(rec)
}

#[allow(clippy::too_many_arguments)]
async fn start_all(
    run: &RunDir,
    st: &mut RunState,
    bin: &Binaries,
    webhook_kubeconfig: &Path,
    webhook_config: &Path,
    stages: &Path,
    ca_pem: &str,
    opts: &UpOptions,
) -> Result<()> {
    // The guard first: if the owner dies while we are still starting, it cleans up what was started.
    if let Some((pid, ticks)) = opts.owner {
        let spec = components::guard(run, bin, pid, ticks);
        start(st, Component::Guard, spec)?;
    }
    let spec = components::etcd(run, st, bin);
    let etcd = start(st, Component::Etcd, spec)?;
    let spec = components::moto(run, st, bin);
    let moto = start(st, Component::Moto, spec)?;
    let spec = components::aws_proxy(run, st, bin);
    let proxy = start(st, Component::AwsProxy, spec)?;
    let spec = components::token_webhook(run, bin, webhook_config);
    let webhook = start(st, Component::TokenWebhook, spec)?;
    let spec = components::kube_apiserver(run, st, bin, webhook_kubeconfig);
    let apiserver = start(st, Component::KubeApiserver, spec)?;
    let admin = kube_client::from_kubeconfig(&run.kubeconfig()).await?;
    tokio::try_join!(
        wait_component(Component::Etcd, st, &etcd, ca_pem, &admin),
        wait_component(Component::Moto, st, &moto, ca_pem, &admin),
        wait_component(Component::AwsProxy, st, &proxy, ca_pem, &admin),
        wait_component(Component::TokenWebhook, st, &webhook, ca_pem, &admin),
        wait_component(Component::KubeApiserver, st, &apiserver, ca_pem, &admin),
    )?;

    let spec = components::kube_controller_manager(run, st, bin);
    let kcm = start(st, Component::KubeControllerManager, spec)?;
    let spec = components::kube_scheduler(run, st, bin);
    let sched = start(st, Component::KubeScheduler, spec)?;
    let spec = components::kwok(run, st, bin, stages);
    let kwok_rec = start(st, Component::Kwok, spec)?;
    kwok::create_nodes(&admin, &st.region, &st.cluster_name).await?;
    tokio::try_join!(
        wait_component(Component::KubeControllerManager, st, &kcm, ca_pem, &admin),
        wait_component(Component::KubeScheduler, st, &sched, ca_pem, &admin),
        wait_component(Component::Kwok, st, &kwok_rec, ca_pem, &admin),
    )?;
    Ok(())
}

/// Waits until a component is healthy (used at `up` and after a restart).
async fn wait_component(
    c: Component,
    st: &RunState,
    rec: &ProcessRecord,
    ca_pem: &str,
    admin: &kube::Client,
) -> Result<()> {
    let name = c.as_str();
    let t = COMPONENT_TIMEOUT;
    match c {
        Component::Etcd => {
            let url = format!("http://127.0.0.1:{}/readyz", st.ports.etcd_client);
            wait_ready(name, Some(rec), t, || http_ok(&url)).await
        }
        Component::Moto => {
            let url = format!("{}/_hub/health", st.moto_url);
            wait_ready(name, Some(rec), t, || http_ok(&url)).await
        }
        Component::AwsProxy => {
            let url = format!("{}/healthz", st.faults_url);
            wait_ready(name, Some(rec), t, || http_ok(&url)).await
        }
        Component::TokenWebhook => {
            let client = kube_client::with_ca(&format!("https://127.0.0.1:{}", st.ports.webhook), ca_pem, None).await?;
            wait_ready(name, Some(rec), t, || async {
                kube_client::get_text(&client, "/healthz").await.map(|_| ())
            })
            .await
        }
        Component::KubeApiserver => {
            wait_ready(name, Some(rec), t, || async {
                kube_client::get_text(admin, "/readyz").await?;
                Api::<Namespace>::all(admin.clone())
                    .get("default")
                    .await
                    .map(|_| ())
                    .map_err(|e| format!("namespace default: {e}"))
            })
            .await
        }
        Component::KubeControllerManager => {
            // No serving port (--secure-port=0); its first visible work is the default ServiceAccount.
            let sas: Api<ServiceAccount> = Api::namespaced(admin.clone(), "default");
            wait_ready(name, Some(rec), t, || async {
                sas.get("default")
                    .await
                    .map(|_| ())
                    .map_err(|e| format!("serviceaccount default/default: {e}"))
            })
            .await
        }
        Component::KubeScheduler => {
            let client =
                kube_client::with_ca(&format!("https://127.0.0.1:{}", st.ports.scheduler), ca_pem, None).await?;
            wait_ready(name, Some(rec), t, || async {
                kube_client::get_text(&client, "/healthz").await.map(|_| ())
            })
            .await
        }
        Component::Kwok => wait_ready(name, Some(rec), t, || kwok::nodes_ready(admin, &st.region)).await,
        Component::Guard => Ok(()),
    }
}

/// What `down` did.
#[derive(Debug, Clone)]
pub struct DownReport {
    /// (component, pid, how it stopped).
    pub stopped: Vec<(Component, u32, process::Stopped)>,
}

/// Stops every component of the run in `dir` (by recorded PID), verifies that none is left alive and no
/// port of the run is still listening, and removes the etcd data. `except_pid` is the guard's own PID
/// when the guard runs this.
pub fn down(dir: &Path, except_pid: Option<u32>) -> Result<DownReport> {
    let mut st = RunState::load(dir)?;
    let mut report = DownReport { stopped: Vec::new() };
    let order: Vec<_> = st
        .components
        .iter()
        .rev()
        .filter(|c| Some(c.process.pid) != except_pid)
        .cloned()
        .collect();
    // Staged, each stage concurrently (SIGTERM, then SIGKILL after a grace period): the guard first (so
    // it does not race us), then the API server's clients and the AWS side, then the API server (which
    // hangs on shutdown if etcd is already gone), then etcd.
    let stages: [&[Component]; 4] = [
        &[Component::Guard],
        &[
            Component::Kwok,
            Component::KubeScheduler,
            Component::KubeControllerManager,
            Component::TokenWebhook,
            Component::AwsProxy,
            Component::Moto,
        ],
        &[Component::KubeApiserver],
        &[Component::Etcd],
    ];
    let mut errors = Vec::new();
    for stage in stages {
        let results: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> = order
                .iter()
                .filter(|c| stage.contains(&c.component))
                .map(|c| {
                    (
                        c,
                        scope.spawn(move || process::stop(&c.process, Duration::from_secs(10))),
                    )
                })
                .collect();
            handles.into_iter().map(|(c, h)| (c, h.join())).collect()
        });
        for (c, r) in results {
            match r {
                Ok(Ok(s)) => report.stopped.push((c.component, c.process.pid, s)),
                Ok(Err(e)) => errors.push(e.to_string()),
                Err(_) => errors.push(format!("stopping {} panicked", c.component)),
            }
        }
    }
    let alive: Vec<String> = order
        .iter()
        .filter(|c| process::is_alive(&c.process) || !process::group_members(c.process.pid).is_empty())
        .map(|c| format!("{} (pid {})", c.component, c.process.pid))
        .collect();
    if !alive.is_empty() {
        errors.push(format!("still running: {}", alive.join(", ")));
    }
    // Listening sockets close a moment after the process is reaped; allow a short settle time.
    let ports = st.ports.all();
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut bound = listening(&ports);
    while !bound.is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        bound = listening(&ports);
    }
    if !bound.is_empty() {
        errors.push(format!("ports still listening: {bound:?}"));
    }
    if st.etcd_data_dir.starts_with("/dev/shm") {
        if let Some(parent) = st.etcd_data_dir.parent() {
            let _ = std::fs::remove_dir_all(parent);
        }
    } else {
        let _ = std::fs::remove_dir_all(&st.etcd_data_dir);
    }
    st.stopped = true;
    st.save()?;
    if errors.is_empty() {
        Ok(report)
    } else {
        Err(SandboxError::Leftovers(errors.join("; ")))
    }
}

/// Stops one component (fault hook). Its ports, flags and data stay, so [`start_component`] brings the
/// same thing back.
pub fn stop_component(dir: &Path, c: Component) -> Result<process::Stopped> {
    let st = RunState::load(dir)?;
    let rec = st
        .process(c)
        .ok_or_else(|| SandboxError::Invalid(format!("{c} is not part of this sandbox run")))?;
    process::stop(rec, Duration::from_secs(10))
}

/// (Re)starts one component with its recorded command line and waits until it is healthy again.
pub async fn start_component(dir: &Path, c: Component) -> Result<RunState> {
    let mut st = RunState::load(dir)?;
    let rec = st
        .process(c)
        .cloned()
        .ok_or_else(|| SandboxError::Invalid(format!("{c} is not part of this sandbox run")))?;
    if process::is_alive(&rec) {
        return Err(SandboxError::Invalid(format!(
            "{c} is still running (pid {}); stop it first",
            rec.pid
        )));
    }
    let run = RunDir::new(dir);
    let new = start(&mut st, c, rec.spec.clone())?;
    let ca_pem = std::fs::read_to_string(run.pki(pki::files::CA_CRT)).ctx(|| "reading the sandbox CA".to_owned())?;
    let admin = kube_client::from_kubeconfig(&run.kubeconfig()).await?;
    let t0 = Instant::now();
    wait_component(c, &st, &new, &ca_pem, &admin).await?;
    eprintln!(
        "hub-sandbox: restarted {c} (pid {}) in {:.1} s",
        new.pid,
        t0.elapsed().as_secs_f64()
    );
    Ok(st)
}

/// One line per component for `status`: name, pid, alive, RSS.
#[derive(Debug, Clone)]
pub struct ComponentStatus {
    /// Component.
    pub component: Component,
    /// Current PID.
    pub pid: u32,
    /// Still running?
    pub alive: bool,
    /// Resident set size in KiB (process group total), if alive.
    pub rss_kib: Option<u64>,
}

/// Liveness and memory of every component.
pub fn status(st: &RunState) -> Vec<ComponentStatus> {
    st.components
        .iter()
        .map(|c| {
            let alive = process::is_alive(&c.process);
            let rss = alive.then(|| {
                process::group_members(c.process.pid)
                    .iter()
                    .filter_map(|pid| process::rss_kib(*pid))
                    .sum()
            });
            ComponentStatus {
                component: c.component,
                pid: c.process.pid,
                alive,
                rss_kib: rss,
            }
        })
        .collect()
}
