//! Throttling and server errors. AWS: the fault proxy answers 5 %, 20 % or 50 % of this scenario's AWS
//! requests with `Throttling` or 503 during an apply of 20 `hub_irsa_binding`s. Kubernetes: API Priority
//! and Fairness (switched on for this plane) gives hub's identity one seat and rejects the rest with 429 +
//! `Retry-After` during an apply of 20 apps. Either apply succeeds or fails with a message that says to
//! retry; no IAM role is ever left without its trust policy or inline policy.

use std::time::Duration;

use hub_acceptance::identity::Identity;
use hub_acceptance::sandbox::{Component, FaultConfig, RunState, Sandbox};
use hub_acceptance::support::{block_on, err, wait_until_async};
use hub_acceptance::tf::{self, Running};
use kube::Api;
use kube::api::{ApiResource, DeleteParams, DynamicObject, GroupVersionKind, PostParams};
use serde_json::json;

use crate::figures::Row;
use crate::probes::WriteCounter;
use crate::run::{Fault, faulted_apply};
use crate::serial;
use crate::stack::Stack;

/// Words a retryable failure's message must contain (one of).
const RETRYABLE: &[&str] = &[
    "throttl",
    "Throttl",
    "retry",
    "503",
    "ServiceUnavailable",
    "Service Unavailable",
];

fn expect_retryable(row: &Row) -> tf::Result<()> {
    if row.survived || RETRYABLE.iter().any(|w| row.message.contains(w)) {
        Ok(())
    } else {
        Err(tf::Error::assertion(format!(
            "{}: the apply failed without saying it can be retried: {}",
            row.scenario, row.message
        )))
    }
}

/// AWS faults at `rate` (half throttling, half 503) on the scenario's own access key.
struct AwsFaults {
    rate: f64,
    key: String,
}

impl Fault for AwsFaults {
    fn inject(&mut self, sb: &Sandbox, running: &Running, _: &WriteCounter) -> tf::Result<String> {
        let faults = sb.faults();
        block_on(faults.clear()).map_err(err)?;
        block_on(faults.set(&FaultConfig {
            throttle_rate: self.rate / 2.0,
            server_error_rate: self.rate / 2.0,
            server_error_status: 503,
            access_key_ids: vec![self.key.clone()],
            ..Default::default()
        }))
        .map_err(err)?;
        while crate::probes::alive(running.pid()) {
            std::thread::sleep(Duration::from_millis(200));
        }
        let stats = block_on(faults.status()).map_err(err)?.stats;
        block_on(faults.clear()).map_err(err)?;
        Ok(format!(
            "{:.0} %: {} throttled + {} 503 of {} requests",
            self.rate * 100.0,
            stats.throttled,
            stats.server_errors,
            stats.requests
        ))
    }

    fn repair(&mut self, sb: &Sandbox) -> tf::Result<()> {
        block_on(sb.faults().clear()).map(drop).map_err(err)
    }
}

#[test]
#[ignore = "heavy: make test-reliability"]
fn aws_throttling_and_5xx_at_5_20_50_percent() -> tf::Result<()> {
    let (_lock, sb) = serial()?;
    for rate in [0.05, 0.2, 0.5] {
        let stack = Stack::new("rel-awsfaults", 0, 20);
        let mut fault = AwsFaults {
            rate,
            key: stack.scope.aws_credentials().access_key_id().to_owned(),
        };
        let row = faulted_apply(sb, "AWS throttling + 503 (20 bindings)", &stack, &mut fault)?;
        expect_retryable(&row)?;
    }
    Ok(())
}

/// The same faults on Pod Identity bindings (IAM and EKS association calls).
#[test]
#[ignore = "heavy: make test-reliability"]
fn aws_throttling_and_5xx_with_pod_identity() -> tf::Result<()> {
    let (_lock, sb) = serial()?;
    for rate in [0.05, 0.2, 0.5] {
        let stack = Stack::new("rel-awspifaults", 0, 20).with_pod_identity();
        let mut fault = AwsFaults {
            rate,
            key: stack.scope.aws_credentials().access_key_id().to_owned(),
        };
        let row = faulted_apply(
            sb,
            "AWS throttling + 503 (20 Pod Identity bindings)",
            &stack,
            &mut fault,
        )?;
        expect_retryable(&row)?;
    }
    Ok(())
}

const FLOW: &str = "hub-reliability-throttle";
const BALLAST: &str = "hub-reliability-ballast";
const THROTTLED_SA: &str = "hub-throttled";

/// Restarts the API server with Priority and Fairness on (the sandbox runs it off), once per plane.
fn enable_priority_and_fairness(sb: &Sandbox) -> tf::Result<()> {
    const OFF: &str = "--enable-priority-and-fairness=false";
    let st = RunState::load(sb.dir()).map_err(err)?;
    let on = st
        .process(Component::KubeApiserver)
        .is_some_and(|p| !p.spec.args.iter().any(|a| a == OFF));
    if on {
        return Ok(());
    }
    block_on(sb.stop_component(Component::KubeApiserver)).map_err(err)?;
    let mut st = RunState::load(sb.dir()).map_err(err)?;
    if let Some(mut rec) = st.process(Component::KubeApiserver).cloned() {
        for a in &mut rec.spec.args {
            if a == OFF {
                *a = "--enable-priority-and-fairness=true".to_owned();
            }
        }
        st.set_process(Component::KubeApiserver, rec);
        st.save().map_err(err)?;
    }
    block_on(sb.start_component(Component::KubeApiserver)).map_err(err)
}

fn flowcontrol(kind: &str) -> ApiResource {
    ApiResource::from_gvk(&GroupVersionKind::gvk("flowcontrol.apiserver.k8s.io", "v1", kind))
}

/// One seat for the throttled identity, no queue (rejects at once with 429), no borrowing; a ballast
/// level with many shares (used by nobody) makes that one seat.
async fn throttle(sb: &Sandbox, ns: &str) -> tf::Result<()> {
    let c = sb.kube_client().await.map_err(err)?;
    let levels: Api<DynamicObject> = Api::all_with(c.clone(), &flowcontrol("PriorityLevelConfiguration"));
    let schemas: Api<DynamicObject> = Api::all_with(c, &flowcontrol("FlowSchema"));
    let level = |name: &str, shares: u32| {
        serde_json::from_value::<DynamicObject>(json!({
            "apiVersion": "flowcontrol.apiserver.k8s.io/v1",
            "kind": "PriorityLevelConfiguration",
            "metadata": {"name": name},
            "spec": {"type": "Limited", "limited": {
                "nominalConcurrencyShares": shares,
                "lendablePercent": 0,
                "borrowingLimitPercent": 0,
                "limitResponse": {"type": "Reject"},
            }},
        }))
    };
    levels
        .create(&PostParams::default(), &level(BALLAST, 1000).map_err(err)?)
        .await
        .map_err(err)?;
    levels
        .create(&PostParams::default(), &level(FLOW, 1).map_err(err)?)
        .await
        .map_err(err)?;
    let schema: DynamicObject = serde_json::from_value(json!({
        "apiVersion": "flowcontrol.apiserver.k8s.io/v1",
        "kind": "FlowSchema",
        "metadata": {"name": FLOW},
        "spec": {
            "priorityLevelConfiguration": {"name": FLOW},
            "matchingPrecedence": 100,
            "distinguisherMethod": {"type": "ByUser"},
            "rules": [{
                "subjects": [{"kind": "ServiceAccount", "serviceAccount": {"name": THROTTLED_SA, "namespace": ns}}],
                "resourceRules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"], "namespaces": ["*"], "clusterScope": true}],
                "nonResourceRules": [{"verbs": ["*"], "nonResourceURLs": ["*"]}],
            }],
        },
    }))
    .map_err(err)?;
    schemas.create(&PostParams::default(), &schema).await.map_err(err)?;
    // The API server's flow-control controller picks the new objects up asynchronously; once it has, it
    // marks the FlowSchema `Dangling=False` (its priority level exists and is in effect).
    wait_until_async(
        Duration::from_secs(60),
        "the throttling FlowSchema in effect",
        || async {
            let fs = schemas.get(FLOW).await.ok()?;
            let conditions = fs.data["status"]["conditions"].as_array()?.clone();
            conditions
                .iter()
                .any(|c| c["type"] == "Dangling" && c["status"] == "False")
                .then_some(())
        },
    )
    .await;
    Ok(())
}

async fn unthrottle(sb: &Sandbox) -> tf::Result<()> {
    let c = sb.kube_client().await.map_err(err)?;
    let dp = DeleteParams::default();
    let _ = Api::<DynamicObject>::all_with(c.clone(), &flowcontrol("FlowSchema"))
        .delete(FLOW, &dp)
        .await;
    let levels: Api<DynamicObject> = Api::all_with(c.clone(), &flowcontrol("PriorityLevelConfiguration"));
    let _ = levels.delete(FLOW, &dp).await;
    let _ = levels.delete(BALLAST, &dp).await;
    Ok(())
}

/// Requests rejected so far for the throttled level (`apiserver_flowcontrol_rejected_requests_total`).
async fn rejected(sb: &Sandbox) -> tf::Result<u64> {
    let c = sb.kube_client().await.map_err(err)?;
    let req = http::Request::get("/metrics").body(Vec::new()).map_err(err)?;
    let text = c.request_text(req).await.map_err(err)?;
    Ok(text
        .lines()
        .filter(|l| l.starts_with("apiserver_flowcontrol_rejected_requests_total{"))
        .filter(|l| l.contains(&format!("priority_level=\"{FLOW}\"")))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum::<f64>() as u64)
}

/// Counts the 429s during the apply; removes the throttle afterwards (before any recovery apply).
struct ApiThrottle {
    before: u64,
}

impl Fault for ApiThrottle {
    fn inject(&mut self, sb: &Sandbox, running: &Running, counter: &WriteCounter) -> tf::Result<String> {
        while crate::probes::alive(running.pid()) {
            std::thread::sleep(Duration::from_millis(200));
        }
        let rejected = block_on(rejected(sb))?.saturating_sub(self.before);
        let events = counter.api_events();
        let ok = events.iter().filter(|(_, c)| *c < 300).count();
        let writes_429 = events.iter().filter(|(_, c)| *c == 429).count();
        if rejected == 0 {
            return Err(tf::Error::assertion(
                "Priority and Fairness rejected no request: the scenario proved nothing",
            ));
        }
        Ok(format!(
            "{rejected} requests answered 429 ({writes_429} of them writes; {ok} writes succeeded)"
        ))
    }

    fn repair(&mut self, sb: &Sandbox) -> tf::Result<()> {
        block_on(unthrottle(sb))
    }
}

#[test]
#[ignore = "heavy: make test-reliability"]
fn api_server_429_with_retry_after() -> tf::Result<()> {
    let (_lock, sb) = serial()?;
    enable_priority_and_fairness(sb)?;
    let mut stack = Stack::new("rel-429", 20, 0);
    let ns = block_on(async {
        let c = sb.kube_client().await.map_err(err)?;
        stack.scope.namespace(&c, "id").await.map_err(err)
    })?;
    let identity = block_on(Identity::create(&ns, THROTTLED_SA, "cluster-admin"))?;
    stack.provider_extra = Some(identity.provider_lines()?);
    block_on(throttle(sb, &ns))?;
    let before = block_on(rejected(sb))?;
    let mut fault = ApiThrottle { before };
    let result = faulted_apply(
        sb,
        "API server 429 + Retry-After (APF, 1 seat; 20 apps)",
        &stack,
        &mut fault,
    );
    let _ = block_on(unthrottle(sb));
    let _ = block_on(identity.forget());
    expect_retryable(&result?)?;
    Ok(())
}
