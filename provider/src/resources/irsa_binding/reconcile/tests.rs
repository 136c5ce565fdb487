//! Reconciliation against a fake IAM (`aws::fake`): which requests each path sends, in which order, and
//! the state it returns. The sandbox tests prove the same against moto end to end.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::super::model::{IrsaBindingModel, S3Bucket};
use super::super::ownership::{BINDING_KEY, MANAGED_BY_KEY, ownership_tags};
use super::super::policy::{INLINE_POLICY_NAME, OidcProvider, trust_policy};
use super::{create, delete, read, update};
use crate::aws::LazyAws;
use crate::aws::fake::{Answer, Call, FakeAws, error, escape, ok};
use crate::diag::Diagnostics;
use crate::framework::ProviderContext;
use crate::value::Tf;
use crate::value::model::is_wholly_known;

const OIDC: &str = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC";
const NAME: &str = "payments-api";
const ARN: &str = "arn:aws:iam::123456789012:role/payments-api";
const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const VIEW_ONLY: &str = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess";

fn known(s: &str) -> Tf<String> {
    Tf::Known(s.to_owned())
}

/// A binding as planned for create: inputs known, computed values unknown.
fn planned() -> IrsaBindingModel {
    IrsaBindingModel {
        oidc_provider_arn: known(OIDC),
        namespace: known("payments"),
        service_account: known("api"),
        allow_service_account_wildcard: Tf::Known(false),
        role_name: known(NAME),
        path: known("/"),
        max_session_duration: Tf::Known(3600),
        tags: Tf::Known(BTreeMap::from([("team".to_owned(), "payments".to_owned())])),
        s3_buckets: Tf::Known(vec![S3Bucket {
            bucket: Some("orders".into()),
            prefixes: None,
            access: Some("read".into()),
        }]),
        managed_policy_arns: Tf::Known(vec![known(READ_ONLY)]),
        allow_admin_policy: Tf::Known(false),
        annotate_service_account: Tf::Known(false),
        verify: Tf::Known(false),
        id: Tf::Unknown,
        role_arn: Tf::Unknown,
        trust_policy: Tf::Unknown,
        policy: Tf::Unknown,
        ownership_tags: Tf::Unknown,
        service_account_annotation: Tf::Unknown,
        ..IrsaBindingModel::default()
    }
}

/// The trust policy the binding writes.
fn trust(service_account: &str) -> String {
    let oidc = OidcProvider::parse(OIDC).expect("valid provider ARN");
    trust_policy(&oidc, "payments", service_account, false).to_canonical()
}

/// A `Role` element as IAM returns it (the trust policy percent-encoded).
fn role(trust: &str, tags: &BTreeMap<String, String>) -> String {
    let encoded: String = percent_encoding::utf8_percent_encode(trust, percent_encoding::NON_ALPHANUMERIC).collect();
    let tags: String = tags
        .iter()
        .map(|(k, v)| format!("<member><Key>{}</Key><Value>{}</Value></member>", escape(k), escape(v)))
        .collect();
    format!(
        "<Role><Path>/</Path><RoleName>{NAME}</RoleName><RoleId>AROAFAKE</RoleId><Arn>{ARN}</Arn>\
         <CreateDate>2026-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>{encoded}</AssumeRolePolicyDocument>\
         <MaxSessionDuration>3600</MaxSessionDuration><Tags>{tags}</Tags></Role>"
    )
}

/// The tags of a role hub created for this binding.
fn hub_tags() -> BTreeMap<String, String> {
    let mut tags = ownership_tags("payments", "api");
    tags.insert("team".into(), "payments".into());
    tags
}

/// An empty success for actions that return nothing.
fn done(call: &Call) -> Answer {
    ok(&call.action, "")
}

fn context(fake: &FakeAws) -> ProviderContext {
    ProviderContext {
        aws: Arc::new(LazyAws::ready(fake.clients())),
        ..ProviderContext::default()
    }
}

fn errors(diags: &Diagnostics) -> Vec<String> {
    diags
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .map(|d| d.summary.clone())
        .collect()
}

/// A fresh role: created with hub's tags, its inline policy written, the managed policy attached.
async fn created() -> (FakeAws, IrsaBindingModel) {
    let fake = FakeAws::new(|call| match call.action.as_str() {
        "CreateRole" | "GetRole" => ok(&call.action, &role(&trust("api"), &hub_tags())),
        _ => done(call),
    });
    let outcome = create(&context(&fake), &planned()).await;
    assert!(errors(&outcome.diags).is_empty(), "{:?}", outcome.diags);
    (fake, outcome.state.expect("a state after create"))
}

#[tokio::test]
async fn create_writes_the_role_with_its_tags_then_policies_and_returns_a_known_state() {
    let (fake, state) = created().await;
    assert_eq!(
        fake.actions(),
        ["CreateRole", "PutRolePolicy", "AttachRolePolicy", "GetRole"]
    );
    let calls = fake.calls();
    let create_role = &calls[0];
    assert_eq!(create_role.param("RoleName"), NAME);
    assert_eq!(create_role.param("Path"), "/");
    assert_eq!(create_role.param("AssumeRolePolicyDocument"), trust("api"));
    let tags: BTreeMap<&str, &str> = (1..=3)
        .map(|i| {
            (
                create_role.param(&format!("Tags.member.{i}.Key")),
                create_role.param(&format!("Tags.member.{i}.Value")),
            )
        })
        .collect();
    assert_eq!(tags.get(MANAGED_BY_KEY), Some(&"terraform-provider-hub"));
    assert_eq!(tags.get(BINDING_KEY), Some(&"payments/api"));
    assert_eq!(tags.get("team"), Some(&"payments"));
    assert_eq!(calls[1].param("PolicyName"), INLINE_POLICY_NAME);
    assert!(calls[1].param("PolicyDocument").contains("arn:aws:s3:::orders"));
    assert_eq!(calls[2].param("PolicyArn"), READ_ONLY);

    assert!(is_wholly_known(&state), "{state:?}");
    assert_eq!(state.role_arn, known(ARN));
    assert_eq!(state.id, known(NAME));
    assert_eq!(state.trust_policy, known(&trust("api")));
    assert_eq!(state.policy.as_deref(), Some(calls[1].param("PolicyDocument")));
    assert_eq!(state.ownership_tags, Tf::Known(ownership_tags("payments", "api")));
    assert_eq!(
        state.service_account_annotation,
        Tf::Known(BTreeMap::from([(
            "eks.amazonaws.com/role-arn".to_owned(),
            ARN.to_owned()
        )]))
    );
}

#[tokio::test]
async fn read_brings_changes_made_outside_terraform_into_state() {
    let (_, prior) = created().await;
    let mut drifted = hub_tags();
    drifted.insert("team".into(), "changed".into());
    let fake = FakeAws::new(move |call| match call.action.as_str() {
        "GetRole" => ok("GetRole", &role(&trust("other"), &drifted)),
        "GetRolePolicy" => error(404, "NoSuchEntity"),
        "ListAttachedRolePolicies" => ok(
            "ListAttachedRolePolicies",
            "<AttachedPolicies></AttachedPolicies><IsTruncated>false</IsTruncated>",
        ),
        _ => error(400, "Unexpected"),
    });
    let state = read(&context(&fake), &prior).await.expect("read").expect("still there");
    assert_eq!(fake.actions(), ["GetRole", "GetRolePolicy", "ListAttachedRolePolicies"]);
    assert_eq!(state.trust_policy, known(&trust("other")), "the edited trust policy");
    assert_eq!(state.policy, Tf::Null, "the deleted inline policy");
    assert_eq!(state.managed_policy_arns, Tf::Known(vec![]), "the detached policy");
    assert_eq!(
        state.tags,
        Tf::Known(BTreeMap::from([("team".to_owned(), "changed".to_owned())]))
    );
    assert_eq!(
        state.ownership_tags, prior.ownership_tags,
        "hub's tags apart from the user's"
    );
    assert_eq!(state.namespace, prior.namespace);
}

#[tokio::test]
async fn read_of_a_deleted_role_removes_it_from_state() {
    let (_, prior) = created().await;
    let fake = FakeAws::new(|_| error(404, "NoSuchEntity"));
    assert_eq!(read(&context(&fake), &prior).await.expect("read"), None);
    assert_eq!(fake.actions(), ["GetRole"]);
}

#[tokio::test]
async fn update_sends_only_what_changed() {
    let (_, prior) = created().await;
    let mut planned = prior.clone();
    planned.tags = Tf::Known(BTreeMap::from([("team".to_owned(), "core".to_owned())]));
    planned.managed_policy_arns = Tf::Known(vec![known(VIEW_ONLY)]);
    planned.max_session_duration = Tf::Known(7200);
    planned.s3_buckets = Tf::Known(vec![S3Bucket {
        bucket: Some("orders".into()),
        prefixes: None,
        access: Some("read-write".into()),
    }]);
    let fake = FakeAws::new(done);
    let outcome = update(&context(&fake), &prior, &planned).await;
    assert!(errors(&outcome.diags).is_empty(), "{:?}", outcome.diags);
    assert_eq!(
        fake.actions(),
        [
            "PutRolePolicy",
            "UpdateRole",
            "DetachRolePolicy",
            "AttachRolePolicy",
            "TagRole"
        ],
        "no trust policy write: the subject did not change"
    );
    let calls = fake.calls();
    assert!(calls[0].param("PolicyDocument").contains("s3:PutObject"));
    assert_eq!(calls[1].param("MaxSessionDuration"), "7200");
    assert_eq!(calls[2].param("PolicyArn"), READ_ONLY);
    assert_eq!(calls[3].param("PolicyArn"), VIEW_ONLY);
    assert_eq!(calls[4].param("Tags.member.1.Value"), "core");
    let state = outcome.state.expect("a state after update");
    assert_eq!(state.policy.as_deref(), Some(calls[0].param("PolicyDocument")));
    assert_eq!(state.max_session_duration, Tf::Known(7200));
    assert_eq!(state.role_arn, prior.role_arn);
}

#[tokio::test]
async fn a_failed_update_keeps_the_prior_state() {
    let (_, prior) = created().await;
    let mut planned = prior.clone();
    planned.max_session_duration = Tf::Known(7200);
    let fake = FakeAws::new(|call| match call.action.as_str() {
        "UpdateRole" => error(400, "ValidationError"),
        _ => done(call),
    });
    let outcome = update(&context(&fake), &prior, &planned).await;
    assert!(outcome.diags.has_errors());
    assert_eq!(outcome.state, Some(prior), "the next plan retries the difference");
}

#[tokio::test]
async fn delete_removes_a_role_hub_made_for_this_binding() {
    let (_, prior) = created().await;
    let fake = FakeAws::new(|call| match call.action.as_str() {
        "GetRole" => ok("GetRole", &role(&trust("api"), &hub_tags())),
        _ => done(call),
    });
    let diags = delete(&context(&fake), &prior).await;
    assert!(errors(&diags).is_empty(), "{diags:?}");
    assert_eq!(
        fake.actions(),
        ["GetRole", "DetachRolePolicy", "DeleteRolePolicy", "DeleteRole"]
    );
    assert_eq!(fake.calls()[1].param("PolicyArn"), READ_ONLY);
}

#[tokio::test]
async fn delete_refuses_a_role_without_hubs_tags_before_any_write() {
    let (_, prior) = created().await;
    let fake = FakeAws::new(|call| match call.action.as_str() {
        "GetRole" => ok("GetRole", &role(&trust("api"), &BTreeMap::new())),
        _ => done(call),
    });
    let diags = delete(&context(&fake), &prior).await;
    assert!(diags.has_errors());
    assert_eq!(fake.actions(), ["GetRole"]);
}

#[tokio::test]
async fn create_adopts_a_role_an_interrupted_apply_left_behind() {
    let fake = FakeAws::new(|call| match call.action.as_str() {
        "CreateRole" => error(409, "EntityAlreadyExists"),
        "GetRole" => ok("GetRole", &role(&trust("api"), &hub_tags())),
        _ => done(call),
    });
    let outcome = create(&context(&fake), &planned()).await;
    assert!(errors(&outcome.diags).is_empty(), "{:?}", outcome.diags);
    assert!(outcome.diags.iter().any(|d| d.summary == "IAM Role Adopted"));
    assert_eq!(
        fake.actions(),
        ["CreateRole", "GetRole", "PutRolePolicy", "AttachRolePolicy", "GetRole"],
        "adopted, then completed"
    );
    let state = outcome.state.expect("the adopted role in state");
    assert_eq!(state.role_arn, known(ARN));
    assert!(is_wholly_known(&state));
}

#[tokio::test]
async fn create_refuses_to_adopt_a_role_another_binding_owns() {
    let mut other = ownership_tags("payments", "worker");
    other.insert("team".into(), "payments".into());
    let fake = FakeAws::new(move |call| match call.action.as_str() {
        "CreateRole" => error(409, "EntityAlreadyExists"),
        "GetRole" => ok("GetRole", &role(&trust("api"), &other)),
        _ => done(call),
    });
    let outcome = create(&context(&fake), &planned()).await;
    assert_eq!(errors(&outcome.diags), ["IAM Role Already Exists"]);
    assert!(outcome.state.is_none(), "nothing of this binding was written");
    assert_eq!(fake.actions(), ["CreateRole", "GetRole"]);
}
