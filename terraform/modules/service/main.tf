# One application = one hub_app, the IAM role its pods assume (hub_irsa_binding) and the NetworkPolicy
# that lets traffic reach it. The three are wired from the same values so they cannot disagree:
# - the binding trusts `local.service_account` in `var.namespace`, and the app runs as exactly that account
#   (`service_account.irsa` makes hub check it at plan time);
# - the policy selects `hub_app.this.selector` (the labels the pods really carry);
# - every port in the policy is `var.port`, the port the container listens on.

locals {
  service_account = var.name
  serves          = var.service.enabled
}

resource "hub_irsa_binding" "this" {
  count = var.irsa == null ? 0 : 1

  oidc_provider_arn = var.irsa.oidc_provider_arn
  cluster_name      = var.irsa.cluster_name
  namespace         = var.namespace
  service_account   = local.service_account
  role_name_prefix  = coalesce(var.irsa.role_name_prefix, substr("${var.namespace}-${var.name}-", 0, 38))
  description       = "IRSA role of ${var.namespace}/${var.name}"
  tags              = var.irsa.tags

  permissions_boundary = var.irsa.permissions_boundary

  s3_buckets          = length(var.irsa.s3_buckets) > 0 ? var.irsa.s3_buckets : null
  secrets_manager     = length(var.irsa.secrets_manager_prefixes) > 0 ? { name_prefixes = var.irsa.secrets_manager_prefixes } : null
  ssm_parameters      = length(var.irsa.ssm_parameter_paths) > 0 ? { paths = var.irsa.ssm_parameter_paths } : null
  managed_policy_arns = length(var.irsa.managed_policy_arns) > 0 ? var.irsa.managed_policy_arns : null
}

resource "hub_app" "this" {
  name      = var.name
  namespace = var.namespace
  image     = var.image
  port      = var.port
  command   = var.command
  args      = var.args
  env       = length(var.env) > 0 ? var.env : null
  config    = length(var.config) > 0 ? var.config : null
  labels    = length(var.labels) > 0 ? var.labels : null
  resources = var.resources

  # With autoscaling the HorizontalPodAutoscaler owns the count; hub refuses replicas next to it.
  replicas          = var.autoscaling == null ? var.replicas : null
  autoscaling       = var.autoscaling
  disruption_budget = var.min_available == null ? null : { min_available = var.min_available }
  zone_spread       = var.zone_spread

  service = var.service
  ingress = var.ingress

  # `irsa` takes the whole binding: hub sets the role annotation, rolls the pods when the role changes, and
  # refuses a binding that trusts another namespace or service account than this app's.
  service_account = {
    name = local.service_account
    irsa = var.irsa == null ? null : hub_irsa_binding.this[0]
  }
  # IRSA needs the projected service account token; without a role the pods get no token at all.
  security = { automount_service_account_token = var.irsa != null }
  rollout  = { timeout = var.rollout_timeout }
}

resource "hub_network_policy" "this" {
  name         = var.name
  namespace    = var.namespace
  pod_selector = hub_app.this.selector

  deny_all_ingress = true
  deny_all_egress  = true

  allow_ingress_from_same_namespace = local.serves && var.network.from_same_namespace ? { ports = [var.port] } : null
  allow_ingress_from_namespaces = local.serves && length(var.network.from_namespaces) > 0 ? {
    namespaces = var.network.from_namespaces
    ports      = [var.port]
  } : null
  allow_ingress_from_load_balancer = local.serves && var.ingress != null && length(var.network.load_balancer_cidrs) > 0 ? {
    cidrs = var.network.load_balancer_cidrs
    ports = [var.port]
  } : null

  allow_https_egress = var.network.https_egress || var.irsa != null ? { except = ["169.254.169.254/32"] } : null
  allow_egress_to_databases = length(var.network.database_cidrs) > 0 ? [{
    cidrs = var.network.database_cidrs
    ports = var.network.database_ports
  }] : null
}
