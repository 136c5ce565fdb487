"""moto_server, patched so that it looks like the AWS account behind the hub sandbox cluster.

Why a wrapper instead of plain `moto_server` (see ../shared/notes/moto.md):
- moto's EKS issuer and endpoint are module-level constants (one 10-character issuer for every
  cluster, an unreachable endpoint, 1400 random characters as "CA"). The sandbox cluster must
  instead describe the LOCAL kube-apiserver: its https endpoint, its real CA (base64 PEM, as EKS
  returns it) and a 32-hex-character issuer. Other clusters get their own AWS-shaped issuer.
- The sandbox cluster, its IAM role and the IAM OIDC provider for its issuer are pre-created, as
  terraform-aws-modules/eks would leave them, and re-created after `POST /moto-api/reset`.
- `--alias-cluster NAME` pre-creates more cluster names that describe the same local API server (same
  endpoint, CA and issuer): the token webhook gives their tokens a shorter lifetime, so one test can outlive
  a token without shortening the 15 minutes every other test relies on.
- moto routes unsigned requests by body/path and falls back to S3, so a presigned STS
  GetCallerIdentity GET (what aws-iam-authenticator sends) never reaches STS, and moto reads the
  caller's access key only from the Authorization header. Both are patched to honour the
  `X-Amz-Credential` query parameter of presigned URLs.
- moto's backends are not thread-safe (IAM CreateRole 500s under concurrency); every request is
  serialised behind one lock. moto is GIL-bound anyway, so this costs almost nothing.
- moto has no EKS add-on API; CreateAddon, DescribeAddon and DeleteAddon are served here (AWS-shaped
  JSON and errors) for any cluster moto knows, so hub's network-policy enforcement and Pod Identity agent
  checks can be tested.
- moto has no EKS Pod Identity API; Create/Describe/Update/Delete/ListPodIdentityAssociations are served
  here (AWS-shaped JSON and errors: the cluster must exist, role ARNs must be IAM role ARNs, one
  association per namespace and service account). What they do not check is in docs/sandbox-fidelity.md.
  Writes served here are appended to moto's request recording, like moto's own, so "0 writes" proofs
  cover them.
- moto has no EKS Auth API; AssumeRoleForPodIdentity is served by eks_auth.py (the token checked against
  the local API server's service-account key, the association, the role's trust policy evaluated by
  trust_eval.py), minting moto STS credentials. `/_hub/pod-identity-sessions` lists what it handed out.
- `/_hub/secret?AccessKeyId=...` returns the secret of a key moto knows (the sandbox's dummy key and
  per-test `AKIASBX...` keys, IAM user keys, STS session keys) so the sandbox token webhook can verify SigV4 signatures,
  which moto itself never checks. `/_hub/health` reports readiness and the fixture values.
"""

import argparse
import base64
import hashlib
import json
import re
import sys
import threading
import time
import uuid
from urllib.parse import parse_qs

from eks_auth import EksAuth

ACCOUNT_ID = "123456789012"
# SHA-1 of the root CA behind oidc.eks.<region>.amazonaws.com: what terraform-aws-modules/eks
# (via the tls_certificate data source) stores as the provider thumbprint.
EKS_OIDC_THUMBPRINT = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"
# Access keys a test may mint for itself (to scope injected faults to its own traffic); their secret is
# the sandbox's dummy secret.
TEST_KEY_PREFIX = "AKIASBX"


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--region", default="us-east-1")
    p.add_argument("--cluster", default="hub-sandbox")
    p.add_argument("--alias-cluster", action="append", default=[], help="another name of the same cluster")
    p.add_argument("--endpoint", required=True, help="https URL of the local kube-apiserver")
    p.add_argument("--ca-file", required=True, help="PEM CA that signed the apiserver's cert")
    p.add_argument("--issuer-id", required=True, help="32 hex characters")
    p.add_argument("--kubernetes-version", default="1.35")
    p.add_argument("--access-key-id", required=True)
    p.add_argument("--secret-access-key", required=True)
    p.add_argument(
        "--sa-public-key-file",
        help="PEM public key the API server verifies service-account tokens with (for EKS Auth)",
    )
    return p.parse_args(argv)


def issuer_url(region, issuer_id):
    return f"https://oidc.eks.{region}.amazonaws.com/id/{issuer_id}"


def patch_eks(cfg, ca_b64):
    """Give every cluster AWS-shaped identity values; the sandbox cluster gets the local ones."""
    import moto.eks.models as eks

    original_init = eks.Cluster.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        region = self.arn.split(":")[3]
        self.certificate_authority = {"data": ca_b64}
        if self.name in (cfg.cluster, *cfg.alias_cluster) and region == cfg.region:
            self.endpoint = cfg.endpoint
            self.identity = {"oidc": {"issuer": issuer_url(region, cfg.issuer_id)}}
        else:
            ident = uuid.uuid4().hex.upper()
            self.endpoint = f"https://{ident}.gr7.{region}.eks.amazonaws.com"
            self.identity = {"oidc": {"issuer": issuer_url(region, ident)}}

    eks.Cluster.__init__ = init


def patch_presigned_requests():
    """Route presigned (query-signed) requests by their credential scope, like signed ones."""
    from moto.core.responses import BaseResponse
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original_infer = DomainDispatcherApplication.infer_service_region_host

    def infer(self, environ, path):
        if not environ.get("HTTP_AUTHORIZATION"):
            cred = parse_qs(environ.get("QUERY_STRING", "")).get("X-Amz-Credential")
            if cred:
                parts = cred[0].split("/")
                if len(parts) == 5:
                    _, _, region, service, _ = parts
                    return f"{service.lower()}.{region}.amazonaws.com"
        return original_infer(self, environ, path)

    DomainDispatcherApplication.infer_service_region_host = infer

    original_get_access_key = BaseResponse.get_access_key

    def get_access_key(self):
        if "Authorization" not in self.headers:
            cred = self.querystring.get("X-Amz-Credential")
            if cred:
                return cred[0].split("/")[0]
        return original_get_access_key(self)

    BaseResponse.get_access_key = get_access_key


def seed_fixtures(cfg):
    """Create what terraform-aws-modules/eks leaves behind; idempotent."""
    from moto.eks.models import eks_backends
    from moto.iam.models import iam_backends

    iam = iam_backends[ACCOUNT_ID]["aws"]
    role_name = f"{cfg.cluster}-cluster"
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "eks.amazonaws.com"},
                    "Action": ["sts:AssumeRole", "sts:TagSession"],
                }
            ],
        }
    )
    if role_name not in [r.name for r in iam.roles.values()]:
        iam.create_role(
            role_name=role_name,
            assume_role_policy_document=trust,
            path="/",
            permissions_boundary=None,
            description="hub sandbox EKS cluster role",
            tags=[{"Key": "hub-sandbox", "Value": "true"}],
            max_session_duration="3600",
            linked_service=None,
        )
    eks = eks_backends[ACCOUNT_ID][cfg.region]
    for name in (cfg.cluster, *cfg.alias_cluster):
        if name in eks.clusters:
            continue
        eks.create_cluster(
            name=name,
            role_arn=f"arn:aws:iam::{ACCOUNT_ID}:role/{role_name}",
            resources_vpc_config={
                "subnetIds": ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"],
                "securityGroupIds": ["sg-0a1b2c3d4e5f60001"],
                "endpointPublicAccess": True,
                "endpointPrivateAccess": True,
                "publicAccessCidrs": ["0.0.0.0/0"],
            },
            version=cfg.kubernetes_version,
            tags={"hub-sandbox": "true"},
        )
    seed_unsupported_clusters(eks, role_name)
    url = issuer_url(cfg.region, cfg.issuer_id)
    arn = f"arn:aws:iam::{ACCOUNT_ID}:oidc-provider/{url[len('https://'):]}"
    if arn not in iam.open_id_providers:
        iam.create_open_id_connect_provider(
            url=url,
            thumbprint_list=[EKS_OIDC_THUMBPRINT],
            client_id_list=["sts.amazonaws.com"],
            tags=[{"Key": "Name", "Value": f"{cfg.cluster}-eks-irsa"}, {"Key": "hub-sandbox", "Value": "true"}],
        )


# Clusters Pod Identity cannot serve, for the plan-time refusals of the bad-input corpus: one on a
# Kubernetes version before Pod Identity (1.24), one whose pods all run on Fargate (a Fargate profile and
# no node group, so the agent DaemonSet has nowhere to run).
LEGACY_CLUSTER = ("hub-sandbox-legacy", "1.23")
FARGATE_CLUSTER = "hub-sandbox-fargate"


def seed_unsupported_clusters(eks, role_name):
    role_arn = f"arn:aws:iam::{ACCOUNT_ID}:role/{role_name}"
    vpc = {"subnetIds": ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]}
    for name, version in (LEGACY_CLUSTER, (FARGATE_CLUSTER, "1.35")):
        if name not in eks.clusters:
            eks.create_cluster(
                name=name, role_arn=role_arn, resources_vpc_config=vpc, version=version,
                tags={"hub-sandbox": "true"},
            )
    if not eks.clusters[FARGATE_CLUSTER].fargate_profiles:
        eks.create_fargate_profile(
            fargate_profile_name="everything",
            cluster_name=FARGATE_CLUSTER,
            selectors=[{"namespace": "*"}],
            pod_execution_role_arn=role_arn,
            subnets=vpc["subnetIds"],
        )


def patch_reset(cfg):
    """Re-create the fixtures whenever a test wipes moto's state."""
    from moto.moto_api._internal.models import MotoAPIBackend

    original_reset = MotoAPIBackend.reset

    def reset(self):
        original_reset(self)
        seed_fixtures(cfg)

    MotoAPIBackend.reset = reset


def lookup_secret(cfg, access_key_id):
    # The sandbox key, and per-test keys derived from it (AKIASBX...), share the dummy secret.
    if access_key_id == cfg.access_key_id or access_key_id.startswith(TEST_KEY_PREFIX):
        return cfg.secret_access_key
    from moto.iam.models import iam_backends
    from moto.sts.models import sts_backends

    for account_id in list(sts_backends.keys()):
        for backend in sts_backends[account_id].values():
            role = backend.get_assumed_role_from_access_key(access_key_id)
            if role:
                return role.secret_access_key
    for account_id in list(iam_backends.keys()):
        for backend in iam_backends[account_id].values():
            for user_name in list(backend.users):
                for key in backend.list_access_keys(user_name):
                    if key.access_key_id == access_key_id:
                        return key.secret_access_key
    return None


ADDON_PATH = re.compile(r"^/clusters/([^/]+)/addons(?:/([^/]+))?$")


def signed_region(environ, default):
    """The region of the SigV4 credential scope (`Credential=AKID/date/<region>/eks/aws4_request`)."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    m = re.search(r"Credential=[^/]+/[^/]+/([^/]+)/", auth)
    return m.group(1) if m else default


def cluster_exists(region, name):
    from moto.eks.models import eks_backends

    return name in eks_backends[ACCOUNT_ID][region].clusters


def read_body(environ):
    size = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(size) if size else b""
    return json.loads(raw or b"{}"), raw


def no_cluster(cluster):
    return 404, "ResourceNotFoundException", {"message": f"No cluster found for name: {cluster}.", "clusterName": cluster}


class Addons:
    """EKS add-ons by (region, cluster, name): just enough of CreateAddon / DescribeAddon / DeleteAddon."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.items = {}

    def handle(self, environ, cluster, name, body):
        method = environ.get("REQUEST_METHOD", "GET")
        region = signed_region(environ, self.cfg.region)
        if not cluster_exists(region, cluster):
            return no_cluster(cluster)
        cluster_key = cluster
        cluster = (region, cluster_key)
        if method == "POST" and name is None:
            name = body.get("addonName", "")
            if (cluster, name) in self.items:
                return 409, "ResourceInUseException", {"message": f"Addon already exists: {name}"}
            now = time.time()
            addon = {
                "addonName": name,
                "clusterName": cluster_key,
                "status": "ACTIVE",
                "addonVersion": body.get("addonVersion") or "v1.19.2-eksbuild.1",
                "addonArn": f"arn:aws:eks:{region}:{ACCOUNT_ID}:addon/{cluster_key}/{name}/{uuid.uuid4()}",
                "createdAt": now,
                "modifiedAt": now,
                "tags": body.get("tags") or {},
            }
            if body.get("configurationValues") is not None:
                addon["configurationValues"] = body["configurationValues"]
            self.items[(cluster, name)] = addon
            return 200, None, {"addon": addon}
        addon = self.items.get((cluster, name))
        if addon is None:
            return 404, "ResourceNotFoundException", {
                "message": f"No addon: {name} found in cluster: {cluster_key}",
                "clusterName": cluster_key,
                "addonName": name,
            }
        if method == "DELETE":
            del self.items[(cluster, name)]
            return 200, None, {"addon": dict(addon, status="DELETING")}
        return 200, None, {"addon": addon}


EKS_AUTH_PATH = re.compile(r"^/clusters/([^/]+)/assume-role-for-pod-identity$")
POD_IDENTITY_PATH = re.compile(r"^/clusters/([^/]+)/pod-identity-associations(?:/([^/]+))?$")
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
K8S_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")


def bad_parameter(message):
    return 400, "InvalidParameterException", {"message": message}


class PodIdentity:
    """EKS Pod Identity associations by (region, cluster, id): Create/Describe/Update/Delete/List."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.items = {}

    def find(self, region, cluster, namespace, service_account):
        """The association of `namespace/service_account` on the cluster, or None."""
        for (r, c, _), a in self.items.items():
            if (r, c) == (region, cluster) and (a["namespace"], a["serviceAccount"]) == (namespace, service_account):
                return a
        return None

    def _full(self, a):
        return {k: v for k, v in a.items() if not k.startswith("_")}

    def _summary(self, a):
        keys = ("clusterName", "namespace", "serviceAccount", "associationArn", "associationId", "ownerArn")
        return {k: a[k] for k in keys if k in a}

    def _check_roles(self, body):
        for key in ("roleArn", "targetRoleArn"):
            value = body.get(key)
            if value in (None, "") and key == "targetRoleArn":
                continue
            if not isinstance(value, str) or not ROLE_ARN.match(value):
                return bad_parameter(f"{key} {value!r} is not a valid IAM role ARN.")
        return None

    def handle(self, environ, cluster, assoc_id, body):
        method = environ.get("REQUEST_METHOD", "GET")
        region = signed_region(environ, self.cfg.region)
        if not cluster_exists(region, cluster):
            return no_cluster(cluster)
        if assoc_id is None and method == "POST":
            return self.create(region, cluster, body)
        if assoc_id is None and method == "GET":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            want_ns = query.get("namespace", [None])[0]
            want_sa = query.get("serviceAccount", [None])[0]
            found = [
                self._summary(a)
                for (r, c, _), a in sorted(self.items.items())
                if r == region
                and c == cluster
                and (want_ns is None or a["namespace"] == want_ns)
                and (want_sa is None or a["serviceAccount"] == want_sa)
            ]
            return 200, None, {"associations": found}
        key = (region, cluster, assoc_id)
        a = self.items.get(key)
        if a is None:
            return 404, "ResourceNotFoundException", {
                "message": f"Association {assoc_id} not found in cluster {cluster}.",
                "clusterName": cluster,
            }
        if method == "GET":
            return 200, None, {"association": self._full(a)}
        if method == "DELETE":
            del self.items[key]
            return 200, None, {"association": self._full(a)}
        if method == "POST":
            merged = dict(roleArn=a["roleArn"], targetRoleArn=a.get("targetRoleArn"))
            merged.update({k: v for k, v in body.items() if k in ("roleArn", "targetRoleArn")})
            problem = self._check_roles(merged)
            if problem:
                return problem
            a["roleArn"] = merged["roleArn"]
            if merged.get("targetRoleArn"):
                a["targetRoleArn"] = merged["targetRoleArn"]
                a.setdefault("externalId", str(uuid.uuid4()))
            else:
                a.pop("targetRoleArn", None)
                a.pop("externalId", None)
            if "disableSessionTags" in body:
                a["disableSessionTags"] = bool(body["disableSessionTags"])
            a["modifiedAt"] = time.time()
            return 200, None, {"association": self._full(a)}
        return 405, "InvalidRequestException", {"message": f"{method} is not supported here."}

    def create(self, region, cluster, body):
        ns, sa = body.get("namespace"), body.get("serviceAccount")
        for key, value in (("namespace", ns), ("serviceAccount", sa)):
            if not isinstance(value, str) or not K8S_NAME.match(value):
                return bad_parameter(f"{key} {value!r} is not a valid Kubernetes name.")
        problem = self._check_roles(body)
        if problem:
            return problem
        a = self.find(region, cluster, ns, sa)
        if a is not None:
            return 409, "ResourceInUseException", {
                "message": f"Association already exists: {a['associationId']}",
                "clusterName": cluster,
            }
        assoc_id = "a-" + uuid.uuid4().hex[:17]
        now = time.time()
        a = {
            "clusterName": cluster,
            "namespace": ns,
            "serviceAccount": sa,
            "roleArn": body["roleArn"],
            "associationArn": f"arn:aws:eks:{region}:{ACCOUNT_ID}:podidentityassociation/{cluster}/{assoc_id}",
            "associationId": assoc_id,
            "tags": body.get("tags") or {},
            "createdAt": now,
            "modifiedAt": now,
            "disableSessionTags": bool(body.get("disableSessionTags", False)),
        }
        if body.get("targetRoleArn"):
            a["targetRoleArn"] = body["targetRoleArn"]
            a["externalId"] = str(uuid.uuid4())
        self.items[(region, cluster, assoc_id)] = a
        return 200, None, {"association": self._full(a)}


def record_write(environ, raw_body):
    """Append a write served here to moto's request recording (when recording is on)."""
    from moto.core.request import Request
    from moto.moto_api import recorder

    if environ.get("REQUEST_METHOD", "GET") in ("GET", "HEAD"):
        return
    recorder._record_request(Request(environ), body=raw_body)


class SandboxApp:
    """WSGI middleware: one lock around moto, plus the /_hub/ endpoints."""

    def __init__(self, cfg, app):
        self.cfg = cfg
        self.app = app
        self.lock = threading.Lock()
        self.addons = Addons(cfg)
        self.pod_identity = PodIdentity(cfg)
        self.eks_auth = EksAuth(
            cfg.sa_public_key_file, self.pod_identity, ACCOUNT_ID, issuer_url(cfg.region, cfg.issuer_id)
        )

    def _json(self, start_response, status, payload):
        body = json.dumps(payload).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        with self.lock:
            if path == "/_hub/health":
                return self._json(
                    start_response,
                    "200 OK",
                    {"cluster": self.cfg.cluster, "issuer": issuer_url(self.cfg.region, self.cfg.issuer_id)},
                )
            if path == "/_hub/secret":
                key = parse_qs(environ.get("QUERY_STRING", "")).get("AccessKeyId", [""])[0]
                secret = lookup_secret(self.cfg, key)
                if secret is None:
                    return self._json(start_response, "404 Not Found", {"error": "unknown access key"})
                return self._json(start_response, "200 OK", {"SecretAccessKey": secret})
            if path == "/_hub/pod-identity-sessions":
                return self._json(start_response, "200 OK", {"sessions": self.eks_auth.sessions})
            if path == "/moto-api/reset":
                self.addons.items.clear()
                self.pod_identity.items.clear()
                self.eks_auth.sessions.clear()
            signed_eks = "/eks/" in environ.get("HTTP_AUTHORIZATION", "")
            addon = ADDON_PATH.match(path) if signed_eks else None
            assoc = POD_IDENTITY_PATH.match(path) if signed_eks else None
            auth = EKS_AUTH_PATH.match(path) if "/eks-auth/" in environ.get("HTTP_AUTHORIZATION", "") else None
            if addon or assoc or auth:
                try:
                    request_body, raw = read_body(environ)
                except ValueError:
                    request_body, raw = None, b""
                if request_body is None:
                    code, error, payload = 400, "InvalidRequestException", {"message": "The body is not JSON."}
                elif auth:
                    region = signed_region(environ, self.cfg.region)
                    code, error, payload = self.eks_auth.handle(environ, region, auth.group(1), request_body)
                else:
                    record_write(environ, raw)
                    handler = self.addons if addon else self.pod_identity
                    match = addon or assoc
                    code, error, payload = handler.handle(environ, match.group(1), match.group(2), request_body)
                body = json.dumps(payload).encode()
                headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
                if error:
                    headers.append(("x-amzn-ErrorType", error))
                reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict"}[code]
                start_response(f"{code} {reason}", headers)
                return [body]
            result = self.app(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
            return [body]


def main(argv):
    cfg = parse_args(argv)
    if len(cfg.issuer_id) != 32 or any(c not in "0123456789ABCDEF" for c in cfg.issuer_id):
        sys.exit(f"--issuer-id must be 32 upper-case hex characters, got {cfg.issuer_id!r}")
    with open(cfg.ca_file, "rb") as f:
        pem = f.read()
    ca_b64 = base64.b64encode(pem).decode()

    from werkzeug.serving import run_simple

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    patch_eks(cfg, ca_b64)
    patch_presigned_requests()
    patch_reset(cfg)
    seed_fixtures(cfg)

    app = DomainDispatcherApplication(create_backend_app)
    print(
        f"hub sandbox moto: cluster={cfg.cluster} endpoint={cfg.endpoint} "
        f"issuer={issuer_url(cfg.region, cfg.issuer_id)} ca_sha256={hashlib.sha256(pem).hexdigest()[:16]}",
        flush=True,
    )
    run_simple(cfg.host, cfg.port, SandboxApp(cfg, app), threaded=True)


if __name__ == "__main__":
    main(sys.argv[1:])
