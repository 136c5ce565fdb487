# An app that sets every attribute an import can read back (reverse/unreadable.rs lists the others, which
# stay at their defaults here): imported into a fresh state, it plans no change. `runtime_class_name` and
# a `claim` volume are imported in app/pod.rs, which makes the RuntimeClass and the storage they need.
resource "hub_namespace" "ns" {
  name = "{{namespace}}"
}

resource "hub_app" "api" {
  name        = "api"
  namespace   = hub_namespace.ns.name
  image       = "hub-workload:1.0"
  command     = ["/hub-workload"]
  args        = ["--verbose"]
  port        = 9090
  port_name   = "main"
  labels      = { team = "payments" }
  pod_labels  = { tier = "api" }
  annotations = { "example.com/owner" = "payments" }
  pod_annotations = {
    "example.com/scrape" = "true"
  }
  env               = { MODE = "prod" }
  config            = { LOG_LEVEL = "info" }
  config_map_name   = "api-settings"
  config_mount_path = "/etc/api"
  resources = {
    cpu_request    = "200m"
    memory_request = "64Mi"
    cpu_limit      = "1"
    memory_limit   = "512Mi"
  }
  ports = {
    metrics = { port = 9100, service = true }
    admin   = { port = 9101 }
    web     = { port = 8443, service = true, service_port = 443 }
  }
  env_from_secret     = { DB_PASSWORD = { name = "db", key = "password", optional = true } }
  env_from_config_map = { FEATURES = { name = "flags", key = "features", optional = true } }
  env_from            = [{ secret = "shared", optional = true }, { config_map = "flags", prefix = "FLAG_", optional = true }]
  volumes = {
    certs   = { secret = { name = "tls", items = { "tls.crt" = "certs/tls.crt" }, default_mode = "0440", optional = true } }
    flags   = { config_map = { name = "flags", optional = true } }
    cache   = { empty_dir = { size_limit = "64Mi", medium = "Memory" } }
    secrets = { secrets_store = { secret_provider_class = "api-secrets" } }
  }
  volume_mounts = [
    { volume = "certs", mount_path = "/etc/tls" },
    { volume = "flags", mount_path = "/etc/flags", sub_path = "current" },
    { volume = "cache", mount_path = "/var/cache/api", read_only = true },
    { volume = "secrets", mount_path = "/mnt/secrets" },
  ]
  liveness       = { tcp = true, port_name = "admin", period_seconds = 20 }
  readiness      = { http_path = "/readyz", port = 9090, timeout_seconds = 2, failure_threshold = 5 }
  startup        = { exec = ["/bin/true"], initial_delay_seconds = 1 }
  container_name = "server"
  security = {
    run_as_user                     = 20001
    run_as_group                    = 20002
    read_only_root_filesystem       = false
    automount_service_account_token = true
    capabilities_drop               = ["ALL", "NET_RAW"]
  }
  pod_security = {
    run_as_user     = 20001
    run_as_group    = 20002
    run_as_non_root = true
    fs_group        = 20003
    seccomp_profile = "RuntimeDefault"
  }
  init_containers = [
    {
      name          = "wait"
      image         = "hub-workload:1.0"
      command       = ["/hub-workload"]
      args          = ["--once"]
      env           = { STEP = "wait" }
      resources     = { cpu_request = "50m", memory_request = "32Mi", memory_limit = "64Mi" }
      volume_mounts = [{ volume = "tmp", mount_path = "/shared", sub_path = "wait", read_only = true }]
      security      = { run_as_user = 30001, read_only_root_filesystem = true }
    },
    { name = "logs", image = "hub-workload:1.0", sidecar = true },
  ]
  max_surge       = "1"
  max_unavailable = "25%"
  zone_spread     = "anti_affinity"
  node_selector   = { "kubernetes.io/os" = "linux" }
  node_spread     = "topology"
  node_affinity = {
    preferred = [{
      weight            = 50
      match_expressions = [{ key = "eks.amazonaws.com/capacityType", operator = "In", values = ["ON_DEMAND"] }]
    }]
  }
  image_pull_secrets               = ["registry"]
  tolerations                      = [{ key = "dedicated", value = "api", effect = "NoSchedule" }, { operator = "Exists", effect = "NoExecute" }]
  priority_class_name              = "{{priority_class}}"
  termination_grace_period_seconds = 45
  service = {
    type        = "NodePort"
    port        = 8080
    name        = "api-web"
    annotations = { "example.com/tier" = "web" }
  }
  ingress = {
    hosts             = ["api.example.com"]
    path              = "/api"
    class             = "alb-internal"
    scheme            = "internal"
    target_type       = "instance"
    certificate_arn   = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"
    ssl_redirect      = false
    health_check_path = "/healthz"
    group_name        = "shared"
    port_name         = "web"
    annotations = {
      "alb.ingress.kubernetes.io/load-balancer-attributes" = "idle_timeout.timeout_seconds=120"
      "alb.ingress.kubernetes.io/target-group-attributes"  = "stickiness.enabled=true"
    }
    graceful_shutdown = { deregistration_delay_seconds = 20, pre_stop_sleep_seconds = 25 }
  }
  autoscaling = {
    min_replicas                     = 2
    max_replicas                     = 4
    cpu_percent                      = 70
    memory_percent                   = 80
    scale_down_stabilization_seconds = 120
    scale_up_stabilization_seconds   = 10
    scale_down_policies              = [{ type = "Percent", value = 10, period_seconds = 60 }]
    scale_up_policies                = [{ type = "Pods", value = 2, period_seconds = 30 }]
    scale_down_select_policy         = "Min"
    scale_up_select_policy           = "Max"
    metrics = [
      { type = "external", name = "sqs_messages_visible", selector = { queue = "orders" }, average_value = "30" },
      { type = "pods", name = "requests_per_second", average_value = "500m" },
      {
        type             = "object"
        name             = "requests_per_second"
        value            = "2k"
        described_object = { api_version = "networking.k8s.io/v1", kind = "Ingress", name = "api" }
      },
    ]
  }
  disruption_budget = { max_unavailable = "1" }
  service_account = {
    name        = "api-runner"
    annotations = { "example.com/purpose" = "api" }
  }
  cron_jobs = {
    nightly = {
      schedule                      = "0 3 * * *"
      time_zone                     = "Europe/Paris"
      command                       = ["/hub-workload", "report"]
      concurrency_policy            = "Replace"
      backoff_limit                 = 2
      active_deadline_seconds       = 3600
      starting_deadline_seconds     = 300
      successful_jobs_history_limit = 5
      failed_jobs_history_limit     = 2
    }
    hourly = { schedule = "@hourly", args = ["--sweep"], suspend = true }
  }
  rbac = {
    rules = [{ api_groups = [""], resources = ["configmaps"], verbs = ["get", "list"], resource_names = ["api-settings"] }]
  }
  migration = {
    command                    = ["/hub-workload", "migrate"]
    args                       = ["--to", "latest"]
    timeout                    = "2m"
    backoff_limit              = 1
    ttl_seconds_after_finished = 600
    resources                  = { cpu_request = "100m", memory_limit = "256Mi" }
  }
}
