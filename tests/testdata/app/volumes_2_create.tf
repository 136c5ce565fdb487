# Every kind of volume: files from a Secret and a ConfigMap hub does not own, a memory-backed scratch
# directory, an existing claim, a Secrets Store CSI volume, and a claim hub creates (mounted twice).
resource "hub_namespace" "ns" {
  name = "{{namespace}}"
}

resource "hub_app" "api" {
  name      = "api"
  namespace = hub_namespace.ns.name
  image     = "hub-workload:1.0"
  replicas  = 1

  volumes = {
    certs   = { secret = { name = "tls", items = { "tls.crt" = "certs/tls.crt" }, default_mode = "0440" } }
    flags   = { config_map = { name = "flags" } }
    cache   = { empty_dir = { size_limit = "64Mi", medium = "Memory" } }
    shared  = { persistent_volume_claim = { claim_name = "shared", read_only = true } }
    secrets = { secrets_store = { secret_provider_class = "api-secrets" } }
    data    = { claim = { size = "{{size}}", storage_class = "{{storage_class}}" } }
  }
  volume_mounts = [
    { volume = "certs", mount_path = "/etc/tls" },
    { volume = "flags", mount_path = "/etc/flags" },
    { volume = "cache", mount_path = "/var/cache/api" },
    { volume = "shared", mount_path = "/srv/shared", read_only = true },
    { volume = "secrets", mount_path = "/mnt/secrets" },
    { volume = "data", mount_path = "/var/lib/api", sub_path = "db" },
    { volume = "data", mount_path = "/var/log/api", sub_path = "logs" },
  ]
  rollout = { timeout = "90s" }
}
