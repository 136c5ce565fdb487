//! The fault hooks and the lifecycle on a private plane (so stopping components does not disturb the
//! other tests): the API server and moto are stopped and restarted with their state intact, and `down`
//! leaves no process of ours running and no port bound.

use std::time::Duration;

use hub_acceptance::sandbox::layout::target_dir;
use hub_acceptance::sandbox::ports::listening;
use hub_acceptance::sandbox::process::{group_members, is_alive};
use hub_acceptance::sandbox::{Component, Sandbox};
use hub_acceptance::support::wait_until_async;
use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{Api, PostParams};

use crate::support::{api_status, sandbox};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn components_restart_mid_run_and_down_leaves_nothing_behind() {
    // Start (or wait for) the shared plane first, so the two start-ups do not compete for the CPU.
    if sandbox().is_none() {
        return;
    }
    let dir = target_dir()
        .join("hub-sandbox")
        .join(format!("lifecycle-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("run dir");
    let sb = Sandbox::start(&dir).await.expect("private plane");
    let st = sb.state();
    eprintln!(
        "private plane ready after {:.1} s",
        st.ready_after_secs.unwrap_or_default()
    );

    // API server: stop, observe failure, start, data still there.
    let client = sb.kube_client().await.expect("client");
    let cms: Api<ConfigMap> = Api::namespaced(client, "default");
    let cm = ConfigMap {
        metadata: ObjectMeta {
            name: Some("survives-restart".to_owned()),
            ..Default::default()
        },
        ..Default::default()
    };
    cms.create(&PostParams::default(), &cm).await.expect("create configmap");
    sb.stop_component(Component::KubeApiserver)
        .await
        .expect("stop apiserver");
    let fresh = sb.kube_client().await.expect("client");
    let down = Api::<ConfigMap>::namespaced(fresh, "default")
        .get("survives-restart")
        .await
        .expect_err("API server is down");
    assert!(
        api_status(&down).is_none(),
        "a connection error, not an API answer: {down}"
    );
    let t0 = std::time::Instant::now();
    sb.start_component(Component::KubeApiserver)
        .await
        .expect("start apiserver");
    eprintln!("kube-apiserver restarted in {:.1} s", t0.elapsed().as_secs_f64());
    let client = sb.kube_client().await.expect("client");
    Api::<ConfigMap>::namespaced(client, "default")
        .get("survives-restart")
        .await
        .expect("data kept");
    // The EKS token path works again too (webhook still up, moto still up).
    let token = sb.eks_token().mint().expect("mint");
    let via_token = sb.kube_client_with_token(&token).await.expect("client");
    Api::<ConfigMap>::namespaced(via_token, "default")
        .get("survives-restart")
        .await
        .expect("token accepted");

    // moto: stop → the AWS endpoint answers 503 (through the proxy); start → fixtures are back.
    let aws = sb.aws_config().await;
    let eks = aws_sdk_eks::Client::from_conf(
        aws_sdk_eks::config::Builder::from(&aws)
            .retry_config(aws_config::retry::RetryConfig::disabled())
            .build(),
    );
    sb.stop_component(Component::Moto).await.expect("stop moto");
    let e = eks
        .describe_cluster()
        .name(sb.cluster_name())
        .send()
        .await
        .expect_err("moto is down");
    assert_eq!(e.raw_response().map(|r| r.status().as_u16()), Some(503));
    sb.start_component(Component::Moto).await.expect("start moto");
    let c = eks
        .describe_cluster()
        .name(sb.cluster_name())
        .send()
        .await
        .expect("DescribeCluster after restart");
    assert_eq!(
        c.cluster.and_then(|c| c.endpoint).as_deref(),
        Some(st.api_server_url.as_str())
    );

    // down: nothing of ours left.
    let st = sb.state();
    sb.down().expect("down");
    for c in &st.components {
        assert!(
            !is_alive(&c.process),
            "{} (pid {}) still alive",
            c.component,
            c.process.pid
        );
        assert!(group_members(c.process.pid).is_empty(), "{} left children", c.component);
    }
    // The kernel may take a moment to release a dead process's listening sockets.
    wait_until_async(Duration::from_secs(10), "every port of the plane released", || async {
        listening(&st.ports.all()).is_empty().then_some(())
    })
    .await;
    drop(sb);
}
