//! Golden documents: the IRSA trust policy as AWS documents it, and seed 001's grants.

use super::*;

const PROVIDER: &str =
    "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

fn oidc() -> OidcProvider {
    OidcProvider::parse(PROVIDER).unwrap()
}

#[test]
fn trust_policy_matches_the_aws_documented_irsa_form() {
    let got = trust_policy(&oidc(), "my-app-prod", "my-app-serviceaccount", false).to_canonical();
    // https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html, canonicalised.
    let want = r#"{"Statement":[{"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud":"sts.amazonaws.com","oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub":"system:serviceaccount:my-app-prod:my-app-serviceaccount"}},"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"}}],"Version":"2012-10-17"}"#;
    assert_eq!(got, want);
    let aws_doc = r#"{
      "Version": "2012-10-17",
      "Statement": [{
          "Effect": "Allow",
          "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"},
          "Action": "sts:AssumeRoleWithWebIdentity",
          "Condition": {"StringEquals": {
              "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": "system:serviceaccount:my-app-prod:my-app-serviceaccount",
              "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud": "sts.amazonaws.com"}}}]}"#;
    assert_eq!(canonical_document(aws_doc).unwrap(), got, "condition for condition");
    assert!(!got.contains('*'), "no wildcard anywhere");
}

#[test]
fn wildcard_subject_only_when_asked_and_aud_stays_exact() {
    let got = trust_policy(&oidc(), "jobs", "worker-*", true).to_canonical();
    let v: Json = serde_json::from_str(&got).unwrap();
    let cond = &v["Statement"][0]["Condition"];
    let issuer = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    assert_eq!(
        cond["StringLike"][format!("{issuer}:sub")],
        "system:serviceaccount:jobs:worker-*"
    );
    assert_eq!(cond["StringEquals"][format!("{issuer}:aud")], "sts.amazonaws.com");
    assert!(cond["StringEquals"].get(format!("{issuer}:sub")).is_none());
}

#[test]
fn issuers_normalise_including_dual_stack() {
    assert_eq!(oidc().region(), Some("eu-west-1"));
    assert_eq!(oidc().account, "111122223333");
}

#[test]
fn provider_arns_are_checked() {
    assert!(OidcProvider::parse("arn:aws:iam::123:oidc-provider/x").is_err());
    assert!(OidcProvider::parse("arn:aws:iam::111122223333:role/x").is_err());
    assert!(OidcProvider::parse("arn:aws:iam::111122223333:oidc-provider/").is_err());
    assert!(OidcProvider::parse("arn:aws:iam::111122223333:oidc-provider/oidc.eks.x/*").is_err());
    assert!(
        OidcProvider::parse("arn:aws-cn:iam::111122223333:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/A")
            .is_ok()
    );
}

fn seed_001() -> Grants {
    Grants {
        s3: vec![S3Grant {
            bucket: "my-app-bucket".into(),
            prefixes: vec![],
            access: Access::ReadWrite,
        }],
        secrets: Some(SecretsGrant {
            name_prefixes: vec!["/my-app/".into()],
            ..Default::default()
        }),
        ssm: Some(SsmGrant {
            paths: vec!["/my-app".into()],
            kms_key_arn: None,
        }),
    }
}

fn scope() -> ArnScope {
    ArnScope {
        partition: "aws".into(),
        region: "eu-west-1".into(),
        account: "111122223333".into(),
    }
}

#[test]
fn seed_001_policy_is_golden_and_scoped() {
    let got = permission_policy(&seed_001(), &scope()).unwrap().to_canonical();
    let want = r#"{"Statement":[{"Action":"s3:ListBucket","Effect":"Allow","Resource":"arn:aws:s3:::my-app-bucket","Sid":"S3List0"},{"Action":["s3:GetObject","s3:GetObjectVersion"],"Effect":"Allow","Resource":"arn:aws:s3:::my-app-bucket/*","Sid":"S3Read0"},{"Action":["s3:AbortMultipartUpload","s3:DeleteObject","s3:PutObject"],"Effect":"Allow","Resource":"arn:aws:s3:::my-app-bucket/*","Sid":"S3Write0"},{"Action":["secretsmanager:DescribeSecret","secretsmanager:GetSecretValue"],"Effect":"Allow","Resource":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:/my-app/*","Sid":"SecretsRead"},{"Action":["ssm:GetParameter","ssm:GetParameters","ssm:GetParametersByPath"],"Effect":"Allow","Resource":["arn:aws:ssm:eu-west-1:111122223333:parameter/my-app","arn:aws:ssm:eu-west-1:111122223333:parameter/my-app/*"],"Sid":"ParametersRead"}],"Version":"2012-10-17"}"#;
    assert_eq!(got, want);
    // Every wildcard sits at the end of one of the granted scopes.
    let v: Json = serde_json::from_str(&got).unwrap();
    for st in v["Statement"].as_array().unwrap() {
        let actions = canonical_value(&st["Action"]).to_string();
        assert!(!actions.contains('*'), "no action wildcards: {actions}");
        let resources = match &st["Resource"] {
            Json::String(s) => vec![s.clone()],
            Json::Array(a) => a.iter().map(|s| s.as_str().unwrap().to_owned()).collect(),
            _ => unreachable!(),
        };
        for r in resources {
            if let Some(i) = r.find('*') {
                assert_eq!(i, r.len() - 1, "{r}");
                assert!(
                    r.ends_with("my-app-bucket/*")
                        || r.ends_with("secret:/my-app/*")
                        || r.ends_with("parameter/my-app/*"),
                    "{r}"
                );
            }
        }
    }
}

#[test]
fn s3_prefixes_limit_list_and_objects_and_kms_goes_through_the_service() {
    let grants = Grants {
        s3: vec![S3Grant {
            bucket: "b".into(),
            prefixes: vec!["/uploads".into()],
            access: Access::Read,
        }],
        secrets: Some(SecretsGrant {
            name_prefixes: vec![],
            secret_arns: vec![],
            kms_key_arn: Some("arn:aws:kms:eu-west-1:111122223333:key/k".into()),
        }),
        ssm: None,
    };
    let v: Json = serde_json::from_str(&permission_policy(&grants, &scope()).unwrap().to_canonical()).unwrap();
    assert_eq!(
        v["Statement"][0]["Condition"]["StringLike"]["s3:prefix"],
        serde_json::json!(["uploads/", "uploads/*"])
    );
    assert_eq!(v["Statement"][1]["Resource"], "arn:aws:s3:::b/uploads/*");
    assert_eq!(
        v["Statement"].as_array().unwrap().len(),
        3,
        "read-only: no write statement"
    );
    assert_eq!(
        v["Statement"][2]["Condition"]["StringEquals"]["kms:ViaService"],
        "secretsmanager.eu-west-1.amazonaws.com"
    );
    assert!(permission_policy(&Grants::default(), &scope()).is_none());
}

#[test]
fn documents_from_iam_are_percent_decoded_and_compared_canonically() {
    let ours = trust_policy(&oidc(), "a", "b", false).to_canonical();
    let pretty = serde_json::to_string_pretty(&serde_json::from_str::<Json>(&ours).unwrap()).unwrap();
    let encoded = percent_encoding::utf8_percent_encode(&pretty, percent_encoding::NON_ALPHANUMERIC).to_string();
    assert!(encoded.starts_with("%7B"));
    assert_eq!(canonical_document(&encoded).unwrap(), ours);
    let edited = ours.replace(":b\"", ":other\"");
    assert_ne!(canonical_document(&edited).unwrap(), ours);
    assert!(canonical_document("%7Bnot json").is_err());
    assert_eq!(
        subject_of(&ours),
        Some((PROVIDER.to_owned(), "a".to_owned(), "b".to_owned()))
    );
}

#[test]
fn custom_statements_are_appended_verbatim_and_checked() {
    let custom = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"s3:*","Resource":"*"}]}"#;
    let got = with_custom(None, Some(custom)).unwrap().unwrap();
    assert!(got.contains(r#""NotAction":"s3:*""#), "{got}");
    let both = with_custom(permission_policy(&seed_001(), &scope()), Some(custom))
        .unwrap()
        .unwrap();
    let v: Json = serde_json::from_str(&both).unwrap();
    assert_eq!(v["Statement"].as_array().unwrap().len(), 6);
    assert!(with_custom(None, Some("{}")).is_err());
    assert!(with_custom(None, Some("nope")).is_err());
    assert!(with_custom(None, Some(r#"{"Statement":[{"Action":"x"}]}"#)).is_err());
    assert_eq!(with_custom(None, None).unwrap(), None);
}

#[test]
fn custom_statements_iam_would_reject_are_refused() {
    let doc = |st: &str| format!(r#"{{"Version":"2012-10-17","Statement":[{st}]}}"#);
    let maybe = with_custom(None, Some(&doc(r#"{"Effect":"Maybe","Action":"s3:*","Resource":"*"}"#))).unwrap_err();
    assert!(maybe.contains("\"Effect\": \"Maybe\""), "{maybe}");
    let principal = doc(r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}"#);
    assert!(with_custom(None, Some(&principal)).unwrap_err().contains("Principal"));
    let no_action = doc(r#"{"Effect":"Allow","Resource":"*"}"#);
    assert!(with_custom(None, Some(&no_action)).unwrap_err().contains("Action"));
}

fn jwt(claims: Json) -> String {
    use base64::Engine as _;
    let e = |v: &Json| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    format!("{}.{}.sig", e(&serde_json::json!({"alg": "RS256"})), e(&claims))
}

#[test]
fn token_claims_are_checked_against_the_trust_policy() {
    let trust = trust_policy(&oidc(), "my-app-prod", "my-app-serviceaccount", false).to_canonical();
    let iss = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    let good = serde_json::json!({"iss": iss, "sub": "system:serviceaccount:my-app-prod:my-app-serviceaccount", "aud": ["sts.amazonaws.com"]});
    assert_eq!(claims_problem(&jwt(good.clone()), &trust), None);
    let mut wrong_sa = good.clone();
    wrong_sa["sub"] = "system:serviceaccount:my-app-prod:default".into();
    assert!(claims_problem(&jwt(wrong_sa), &trust).unwrap().contains("subject"));
    let mut other_cluster = good.clone();
    other_cluster["iss"] = "https://oidc.eks.eu-west-1.amazonaws.com/id/OTHER".into();
    assert!(
        claims_problem(&jwt(other_cluster), &trust)
            .unwrap()
            .contains("another cluster")
    );
    let mut wrong_aud = good;
    wrong_aud["aud"] = "kubernetes".into();
    assert!(claims_problem(&jwt(wrong_aud), &trust).unwrap().contains("audience"));
}

const CLUSTER: &str = "arn:aws:eks:eu-west-1:111122223333:cluster/prod";

#[test]
fn pod_identity_trust_policy_is_the_aws_documented_form_with_session_tag_conditions() {
    let cluster = ClusterArn::parse(CLUSTER).unwrap();
    // https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html (without its Sid), canonicalised.
    let aws_doc = r#"{"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "pods.eks.amazonaws.com"},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
        "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"},
                      "ArnEquals": {"aws:SourceArn": "arn:aws:eks:eu-west-1:111122223333:cluster/prod"}}}]}"#;
    let base = pod_identity_trust_policy(std::slice::from_ref(&cluster), "shop", "api", false).to_canonical();
    assert_eq!(base, canonical_document(aws_doc).unwrap());
    let tagged = pod_identity_trust_policy(std::slice::from_ref(&cluster), "shop", "api", true).to_canonical();
    assert!(
        tagged.contains(r#""aws:RequestTag/kubernetes-namespace":"shop""#),
        "{tagged}"
    );
    assert!(
        tagged.contains(r#""aws:RequestTag/kubernetes-service-account":"api""#),
        "{tagged}"
    );
}

#[test]
fn cluster_arns_are_parsed_strictly() {
    assert_eq!(ClusterArn::parse(CLUSTER).unwrap().account, "111122223333");
    for bad in [
        "arn:aws:eks:eu-west-1:111122223333:nodegroup/prod",
        "arn:aws:eks::111122223333:cluster/prod",
        "arn:aws:eks:eu-west-1:1111:cluster/prod",
        "arn:aws:iam::111122223333:cluster/prod",
        "arn:aws:eks:eu-west-1:111122223333:cluster/",
        "prod",
    ] {
        assert!(ClusterArn::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn pod_identity_trust_for_several_clusters_pins_every_arn_and_the_account() {
    let other = ClusterArn::parse("arn:aws:eks:us-east-1:111122223333:cluster/dr").unwrap();
    let doc =
        pod_identity_trust_policy(&[ClusterArn::parse(CLUSTER).unwrap(), other], "shop", "api", true).to_canonical();
    assert!(
        doc.contains(r#""aws:SourceArn":["arn:aws:eks:eu-west-1:111122223333:cluster/prod","arn:aws:eks:us-east-1:111122223333:cluster/dr"]"#),
        "{doc}"
    );
    assert!(doc.contains(r#""aws:SourceAccount":"111122223333""#), "{doc}");
}

#[test]
fn a_switch_trusts_both_principals_then_one() {
    let irsa = trust_policy(&oidc(), "shop", "api", false).to_canonical();
    let cluster = ClusterArn::parse(CLUSTER).unwrap();
    let pod = pod_identity_trust_policy(std::slice::from_ref(&cluster), "shop", "api", true).to_canonical();
    let both = union_of_trust(&irsa, &pod).unwrap();
    let doc: PolicyDocument = serde_json::from_str(&both).unwrap();
    assert_eq!(doc.statement.len(), 2, "{both}");
    assert!(both.contains("sts:AssumeRoleWithWebIdentity") && both.contains(POD_IDENTITY_PRINCIPAL));
    assert!(union_of_trust("not json", &pod).is_err());
}

#[test]
fn a_target_role_is_granted_to_chain_into() {
    let target = "arn:aws:iam::210987654321:role/shared-data";
    let alone = with_target(None, Some(target)).unwrap();
    assert!(
        alone.contains(r#""Resource":"arn:aws:iam::210987654321:role/shared-data""#),
        "{alone}"
    );
    assert!(alone.contains("sts:TagSession"), "{alone}");
    let grants = Grants {
        s3: vec![S3Grant {
            bucket: "b".into(),
            prefixes: Vec::new(),
            access: Access::Read,
        }],
        ..Grants::default()
    };
    let scope = ArnScope {
        partition: "aws".into(),
        region: "eu-west-1".into(),
        account: "111122223333".into(),
    };
    let base = permission_policy(&grants, &scope).map(|d| d.to_canonical());
    let both = with_target(base.clone(), Some(target)).unwrap();
    assert!(both.contains("S3Read0") && both.contains("AssumeTargetRole"), "{both}");
    assert_eq!(with_target(base.clone(), None), base);
}

#[test]
fn import_reads_the_subject_and_clusters_back_from_a_pod_identity_trust_policy() {
    let other = ClusterArn::parse("arn:aws:eks:us-east-1:111122223333:cluster/dr").unwrap();
    let doc =
        pod_identity_trust_policy(&[ClusterArn::parse(CLUSTER).unwrap(), other], "shop", "api", true).to_canonical();
    assert_eq!(
        pod_identity_subject_of(&doc),
        Some((
            vec!["prod".to_owned(), "dr".to_owned()],
            "shop".to_owned(),
            "api".to_owned()
        ))
    );
    let untagged =
        pod_identity_trust_policy(&[ClusterArn::parse(CLUSTER).unwrap()], "shop", "api", false).to_canonical();
    assert_eq!(pod_identity_subject_of(&untagged), None);
    assert_eq!(
        pod_identity_subject_of(&trust_policy(&oidc(), "shop", "api", false).to_canonical()),
        None
    );
}
