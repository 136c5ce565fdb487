# Production: four applications (seed 001): API, admin, worker, monitoring.
environment        = "prod"
region             = "us-west-2"
azs                = ["us-west-2a", "us-west-2b", "us-west-2c"]
single_nat_gateway = false
node_group         = { instance_types = ["m5.xlarge"], min_size = 3, max_size = 12, desired_size = 3 }
domain             = "example.com"
certificate_arn    = "arn:aws:acm:us-west-2:123456789012:certificate/00000000-0000-0000-0000-000000000000"
resource_quota     = { requests_cpu = "20", requests_memory = "40Gi", pods = 100 }

apps = {
  api = {
    image         = "ghcr.io/example/my-app:1.0.0"
    config        = { LOG_LEVEL = "info" }
    resources     = { cpu_request = "250m", memory_request = "256Mi", memory_limit = "512Mi" }
    autoscaling   = { min_replicas = 3, max_replicas = 20, cpu_percent = 70, memory_percent = 80 }
    min_available = "2"
    zone_spread   = "anti_affinity"
    ingress       = { host = "api" }
    database      = true
    aws_access = {
      s3_buckets               = [{ bucket = "my-app-bucket", access = "read-write" }]
      secrets_manager_prefixes = ["/my-app/"]
      ssm_parameter_paths      = ["/my-app"]
    }
  }
  admin = {
    image         = "ghcr.io/example/my-app:1.0.0"
    config        = { LOG_LEVEL = "info" }
    autoscaling   = { min_replicas = 2, max_replicas = 5, cpu_percent = 70 }
    min_available = "1"
    zone_spread   = "anti_affinity"
    ingress       = { host = "admin", internal = true }
    database      = true
  }
  worker = {
    image         = "ghcr.io/example/my-app:1.0.0"
    config        = { LOG_LEVEL = "info" }
    service       = false
    resources     = { cpu_request = "250m", memory_request = "256Mi", memory_limit = "512Mi" }
    autoscaling   = { min_replicas = 3, max_replicas = 20, cpu_percent = 70, memory_percent = 80 }
    min_available = "2"
    zone_spread   = "anti_affinity"
    database      = true
    aws_access = {
      s3_buckets               = [{ bucket = "my-app-bucket", access = "read-write" }]
      secrets_manager_prefixes = ["/my-app/"]
      ssm_parameter_paths      = ["/my-app"]
    }
  }
  monitoring = {
    image    = "ghcr.io/example/my-app:1.0.0"
    port     = 9090
    config   = { HUB_PORT = "9090" }
    replicas = 1
  }
}
