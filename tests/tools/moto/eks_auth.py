"""A stand-in for EKS Auth `AssumeRoleForPodIdentity` (what the Pod Identity agent calls), served by
sandbox_moto.py: moto has no EKS Auth API.

It checks what the real service checks and the sandbox can check:
- the token is a service-account token of the named cluster: signed by the key the local kube-apiserver
  signs service-account tokens with (the cluster's issuer keys; the public half is all that is used), its
  `iss` the cluster's issuer, `pods.eks.amazonaws.com` among its audiences, not expired, and bound to a
  pod (the agent only ever sends a pod's projected token; the pod's name and uid become session tags);
- a Pod Identity association exists for the token's namespace and service account on that cluster;
- the associated role exists and its trust policy lets `pods.eks.amazonaws.com` perform `sts:AssumeRole`
  (and `sts:TagSession` unless the association disables session tags) with the request's context:
  `aws:SourceAccount`, `aws:SourceArn` (the cluster ARN) and `aws:RequestTag/<tag>` for the session tags
  the agent's request carries (kubernetes-namespace, kubernetes-service-account, eks-cluster-arn,
  eks-cluster-name, kubernetes-pod-name, kubernetes-pod-uid);
- with a target role: the target role exists and trusts the associated role for `sts:AssumeRole` (and
  `sts:TagSession`) with the association's external ID.
It then mints moto STS credentials for the final role and answers with AWS's JSON shape. What it does
not check is listed in docs/sandbox-fidelity.md.
"""

import base64
import json
import time
import uuid

import trust_eval

AUDIENCE = "pods.eks.amazonaws.com"
SERVICE_PRINCIPAL = ("Service", AUDIENCE)
# Seconds of clock skew accepted on `exp` and `nbf`, as Kubernetes' own validator does.
LEEWAY = 60


def b64url(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def load_public_key(path):
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    with open(path, "rb") as f:
        return load_pem_public_key(f.read())


def signature_valid(key, alg, signed, signature):
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    try:
        if alg == "ES256" and isinstance(key, ec.EllipticCurvePublicKey):
            if len(signature) != 64:
                return False
            r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
            key.verify(encode_dss_signature(r, s), signed, ec.ECDSA(hashes.SHA256()))
            return True
        if alg == "RS256" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
            return True
    except InvalidSignature:
        return False
    return False


def invalid_token(message):
    return 400, "InvalidTokenException", {"message": message}


def access_denied(message):
    return 400, "AccessDeniedException", {"message": message}


class EksAuth:
    """POST /clusters/<name>/assume-role-for-pod-identity, signed for `eks-auth`."""

    def __init__(self, sa_public_key_file, associations, account_id, sandbox_issuer):
        self.account_id = account_id
        self.sandbox_issuer = sandbox_issuer
        self.associations = associations
        self.key = load_public_key(sa_public_key_file) if sa_public_key_file else None
        # What was handed out, for tests: /_hub/pod-identity-sessions.
        self.sessions = []

    def claims(self, cluster_obj, token):
        """The token's claims, or an error answer."""
        parts = token.split(".") if isinstance(token, str) else []
        if len(parts) != 3:
            return None, invalid_token("The token is not a JWT.")
        try:
            header, claims = json.loads(b64url(parts[0])), json.loads(b64url(parts[1]))
            signature = b64url(parts[2])
        except ValueError:
            return None, invalid_token("The token is not a JWT.")
        issuer = cluster_obj.identity["oidc"]["issuer"]
        if claims.get("iss") != issuer:
            return None, invalid_token(
                f"The token's issuer {claims.get('iss')!r} is not the service-account issuer of cluster "
                f"{cluster_obj.name} ({issuer})."
            )
        if self.key is None or issuer != self.sandbox_issuer:
            return None, invalid_token(f"The sandbox has no signing keys for cluster {cluster_obj.name}.")
        if not signature_valid(self.key, header.get("alg"), f"{parts[0]}.{parts[1]}".encode(), signature):
            return None, invalid_token("The token's signature does not verify with the cluster's issuer keys.")
        now = time.time()
        if claims.get("exp", 0) + LEEWAY < now:
            return None, (400, "ExpiredTokenException", {"message": "The token has expired."})
        if claims.get("nbf", 0) - LEEWAY > now:
            return None, invalid_token("The token is not valid yet.")
        if AUDIENCE not in trust_eval.as_list(claims.get("aud")):
            return None, invalid_token(f"The token's audiences {claims.get('aud')!r} do not include {AUDIENCE}.")
        k8s = claims.get("kubernetes.io") or {}
        if not (k8s.get("namespace") and (k8s.get("serviceaccount") or {}).get("name")):
            return None, invalid_token("The token is not a service-account token.")
        if not (k8s.get("pod") or {}).get("name"):
            return None, invalid_token("The token is not bound to a pod.")
        return claims, None

    def handle(self, environ, region, cluster, body):
        from moto.eks.models import eks_backends
        from moto.iam.models import iam_backends
        from moto.sts.models import sts_backends

        account = self.account_id

        if environ.get("REQUEST_METHOD") != "POST":
            return 405, "InvalidRequestException", {"message": "Only POST is served."}
        cluster_obj = eks_backends[account][region].clusters.get(cluster)
        if cluster_obj is None:
            return 404, "ResourceNotFoundException", {"message": f"No cluster found for name: {cluster}."}
        claims, problem = self.claims(cluster_obj, body.get("token"))
        if problem:
            return problem
        k8s = claims["kubernetes.io"]
        ns, sa, pod = k8s["namespace"], k8s["serviceaccount"]["name"], k8s["pod"]
        a = self.associations.find(region, cluster, ns, sa)
        if a is None:
            return 404, "ResourceNotFoundException", {
                "message": f"No Pod Identity association found for namespace {ns} and service account {sa} "
                f"in cluster {cluster}."
            }
        iam = iam_backends[account]["aws"]
        tags = {} if a.get("disableSessionTags") else {
            "eks-cluster-arn": cluster_obj.arn,
            "eks-cluster-name": cluster,
            "kubernetes-namespace": ns,
            "kubernetes-service-account": sa,
            "kubernetes-pod-name": pod.get("name", ""),
            "kubernetes-pod-uid": pod.get("uid", ""),
        }
        actions = ["sts:AssumeRole"] + (["sts:TagSession"] if tags else [])
        context = {f"aws:RequestTag/{k}": v for k, v in tags.items()}
        role_problem = self.may_assume(
            iam, a["roleArn"], SERVICE_PRINCIPAL, actions,
            dict(context, **{"aws:SourceAccount": account, "aws:SourceArn": cluster_obj.arn}),
        )
        if role_problem:
            return access_denied(f"EKS Pod Identity cannot assume role {a['roleArn']}: {role_problem}.")
        final = a["roleArn"]
        if a.get("targetRoleArn"):
            target_problem = self.may_assume(
                iam, a["targetRoleArn"], ("AWS", a["roleArn"]), actions,
                dict(context, **{"sts:ExternalId": a.get("externalId", ""), "aws:PrincipalArn": a["roleArn"]}),
            )
            if target_problem:
                return access_denied(
                    f"Role {a['roleArn']} cannot assume target role {a['targetRoleArn']}: {target_problem}."
                )
            final = a["targetRoleArn"]
        session = f"eks-{cluster}-{pod.get('name', '')}-{uuid.uuid4()}"[:64]
        sts = sts_backends[account]["aws"]
        assumed = sts.assume_role(
            region_name=region, role_session_name=session, role_arn=final, policy=None,
            duration=21600, external_id=None,
        )
        self.sessions.append(
            {"cluster": cluster, "namespace": ns, "serviceAccount": sa, "pod": pod.get("name"),
             "roleArn": final, "assumedRoleArn": assumed.arn}
        )
        return 200, None, {
            "subject": {"namespace": ns, "serviceAccount": sa},
            "audience": AUDIENCE,
            "podIdentityAssociation": {"associationArn": a["associationArn"], "associationId": a["associationId"]},
            "assumedRoleUser": {"arn": assumed.arn, "assumeRoleId": assumed.user_id},
            "credentials": {
                "accessKeyId": assumed.access_key_id,
                "secretAccessKey": assumed.secret_access_key,
                "sessionToken": assumed.session_token,
                "expiration": int(assumed.expiration.timestamp()),
            },
        }

    @staticmethod
    def may_assume(iam, role_arn, principal, actions, context):
        """None when `principal` may perform every one of `actions` on the role, else why not."""
        try:
            role = iam.get_role_by_arn(arn=role_arn)
        except Exception:  # moto raises its own IAMNotFoundException
            return f"role {role_arn} does not exist"
        for action in actions:
            problem = trust_eval.allowed(role.assume_role_policy_document, principal, action, context)
            if problem:
                return problem
        return None
