//! The bad-input corpus (`tests/corpus/bad-input/`, see `hub_acceptance::corpus`): every invalid
//! configuration is refused at `validate` or `plan` with an error naming the attribute, under OpenTofu and
//! Terraform 1.5.7; no output shows a crash; and while the corpus runs, neither the API server (audit log)
//! nor moto (its request recording) receives a single write. A positive control afterwards proves that
//! both write signals see writes at all.
//!
//! `HUB_CORPUS_THREADS` (default 3) sets how many cases run at once; `HUB_CORPUS_FILTER` runs only cases
//! whose `group/name` contains it; `HUB_CORPUS_CLIS=tofu` skips Terraform 1.5.7.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hub_acceptance::corpus::{self, Case, Stage};
use hub_acceptance::sandbox::Writes;
use hub_acceptance::support::{block_on, err, sandbox};
use hub_acceptance::tf::{self, Cli, Workspace};
use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::Api;
use kube::api::{DeleteParams, PostParams};

/// What one CLI did with the corpus.
struct CliRun {
    cli: String,
    took: Duration,
    stages: Vec<(Case, Stage)>,
    failures: Vec<String>,
}

fn threads() -> usize {
    std::env::var("HUB_CORPUS_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(3)
}

/// Runs every case under `cli`, `threads()` at a time.
fn run_all(cli: &Cli, cases: &[Case]) -> CliRun {
    let kubeconfig = sandbox().kubeconfig_path();
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads() {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = cases.get(i) else { break };
                    let result = Workspace::new(cli).and_then(|mut ws| {
                        for (k, v) in sandbox().env() {
                            ws.set_env(k, v);
                        }
                        ws.set_timeout(Duration::from_secs(120));
                        corpus::run(&ws, case, &kubeconfig)
                    });
                    if let Ok(mut r) = results.lock() {
                        r.push((case.clone(), result));
                    }
                }
            });
        }
    });
    let mut run = CliRun {
        cli: cli.to_string(),
        took: started.elapsed(),
        stages: Vec::new(),
        failures: Vec::new(),
    };
    for (case, result) in results.into_inner().unwrap_or_default() {
        match result {
            Ok(stage) => run.stages.push((case, stage)),
            Err(e) => run.failures.push(format!("[{cli}] {case}: {e}")),
        }
    }
    run.stages
        .sort_by(|a, b| (&a.0.group, &a.0.name).cmp(&(&b.0.group, &b.0.name)));
    run
}

/// Cases of a feature (functions, ephemeral resources) run under every CLI that has it; the others under
/// OpenTofu and Terraform 1.5.7 only (Terraform 1.13 joins for the features, keeping the corpus's time as
/// it was).
fn runs_under(case: &Case, cli: &Cli) -> bool {
    match corpus::feature_of(&case.group) {
        Some(feature) => feature(cli),
        None => Cli::terraform_new().ok() != Some(cli),
    }
}

/// Cases per group and where each CLI refused them, as a Markdown table.
fn figures(cases: &[Case], runs: &[CliRun]) -> String {
    let mut groups: BTreeMap<&str, usize> = BTreeMap::new();
    for c in cases {
        *groups.entry(c.group.as_str()).or_default() += 1;
    }
    let mut out = String::from("| group | cases |");
    for r in runs {
        out += &format!(" {} validate / plan / plan during apply / failed |", r.cli);
    }
    out += "\n|---|---|";
    out += &"---|".repeat(runs.len());
    out += "\n";
    let mut rows: Vec<(String, usize)> = groups.iter().map(|(g, n)| (g.to_string(), *n)).collect();
    rows.push(("total".into(), cases.len()));
    for (group, n) in rows {
        out += &format!("| {group} | {n} |");
        for r in runs {
            let of = |s: Stage| {
                r.stages
                    .iter()
                    .filter(|(c, st)| *st == s && (group == "total" || c.group == group))
                    .count()
            };
            let failed = r
                .failures
                .iter()
                .filter(|f| group == "total" || f.contains(&format!("] {group}/")))
                .count();
            out += &format!(
                " {} / {} / {} / {failed} |",
                of(Stage::Validate),
                of(Stage::Plan),
                of(Stage::PlanDuringApply)
            );
        }
        out += "\n";
    }
    for r in runs {
        out += &format!(
            "\n{}: {:.1} s for {} cases",
            r.cli,
            r.took.as_secs_f64(),
            r.stages.len() + r.failures.len()
        );
    }
    out
}

/// Writes something through each signal's path, so that "no writes" is not the silence of a dead signal.
fn positive_control() -> tf::Result<Writes> {
    let sb = sandbox();
    block_on(async {
        let watch = sb.watch_writes().await.map_err(err)?;
        let kube = sb.kube_client().await.map_err(err)?;
        let cms: Api<ConfigMap> = Api::namespaced(kube, "default");
        let cm = ConfigMap {
            metadata: ObjectMeta {
                name: Some("corpus-write-control".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        cms.create(&PostParams::default(), &cm).await.map_err(err)?;
        cms.delete("corpus-write-control", &DeleteParams::default())
            .await
            .map_err(err)?;
        let iam = aws_sdk_iam::Client::new(&sb.aws_config().await);
        iam.create_role()
            .role_name("corpus-write-control")
            .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[]}"#)
            .send()
            .await
            .map_err(err)?;
        iam.delete_role()
            .role_name("corpus-write-control")
            .send()
            .await
            .map_err(err)?;
        sb.writes_since(watch).await.map_err(err)
    })
}

#[test]
fn acc_bad_input_is_refused_before_any_write() -> tf::Result<()> {
    let sb = sandbox();
    let filter = std::env::var("HUB_CORPUS_FILTER").unwrap_or_default();
    let cases: Vec<Case> = corpus::load(&corpus::default_dir())?
        .into_iter()
        .filter(|c| c.to_string().contains(&filter))
        .collect();
    if filter.is_empty() {
        let groups = [
            "app",
            "irsa_binding",
            "namespace",
            "network_policy",
            "cluster",
            "provider",
            corpus::FUNCTIONS,
            corpus::EKS_TOKEN,
            corpus::SECRET_VALUE,
            corpus::IDENTITY,
        ];
        for g in groups {
            if !cases.iter().any(|c| c.group == g) {
                return Err(err(format!("the corpus has no case for {g}")));
            }
        }
        if cases.len() < 110 {
            return Err(err(format!("the corpus has only {} cases", cases.len())));
        }
    }
    let mut clis = vec![tf::opentofu()?];
    if std::env::var("HUB_CORPUS_CLIS").map_or(true, |v| v.contains("terraform")) {
        clis.push(Cli::terraform_pinned()?);
        // Function, ephemeral and identity cases need Terraform ≥ 1.8 / 1.10 / 1.12: Terraform 1.13 runs those.
        clis.push(Cli::terraform_new()?);
    }
    let watch = block_on(sb.watch_writes()).map_err(err)?;
    let runs: Vec<CliRun> = clis
        .iter()
        .map(|cli| {
            let mine: Vec<Case> = cases.iter().filter(|c| runs_under(c, cli)).cloned().collect();
            run_all(cli, &mine)
        })
        .collect();
    let writes = block_on(sb.writes_since(watch)).map_err(err)?;
    let control = positive_control()?;
    println!("{}", figures(&cases, &runs));
    println!(
        "writes during the corpus: API server {}, moto {}; control writes seen: API server {}, moto {}",
        writes.api.len(),
        writes.aws.len(),
        control.api.len(),
        control.aws.len()
    );
    let mut problems: Vec<String> = runs.iter().flat_map(|r| r.failures.clone()).collect();
    if !writes.is_empty() {
        problems.push(format!("writes during the corpus: {writes:#?}"));
    }
    if control.api.len() < 2 || control.aws.len() < 2 {
        problems.push(format!(
            "the write signals missed the control writes (configmap create+delete, IAM role create+delete): {control:#?}"
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(err(format!(
            "{} problem(s):\n\n{}",
            problems.len(),
            problems.join("\n\n")
        )))
    }
}
