# Staging: three applications (seed 001): API, admin, worker.
environment        = "staging"
region             = "us-west-2"
azs                = ["us-west-2a", "us-west-2b", "us-west-2c"]
single_nat_gateway = true
node_group         = { instance_types = ["m5.large"], min_size = 2, max_size = 6, desired_size = 3 }
domain             = "staging.example.com"
certificate_arn    = "arn:aws:acm:us-west-2:123456789012:certificate/11111111-1111-1111-1111-111111111111"
resource_quota     = { requests_cpu = "8", requests_memory = "16Gi", pods = 50 }

apps = {
  api = {
    image         = "ghcr.io/example/my-app:1.0.0"
    config        = { LOG_LEVEL = "info" }
    autoscaling   = { min_replicas = 2, max_replicas = 10, cpu_percent = 70 }
    min_available = "1"
    ingress       = { host = "api" }
    database      = true
    aws_access = {
      s3_buckets               = [{ bucket = "my-app-bucket", access = "read-write" }]
      secrets_manager_prefixes = ["/my-app/"]
      ssm_parameter_paths      = ["/my-app"]
    }
  }
  admin = {
    image    = "ghcr.io/example/my-app:1.0.0"
    config   = { LOG_LEVEL = "info" }
    replicas = 1
    ingress  = { host = "admin", internal = true }
    database = true
  }
  worker = {
    image    = "ghcr.io/example/my-app:1.0.0"
    config   = { LOG_LEVEL = "info" }
    service  = false
    replicas = 2
    database = true
    aws_access = {
      s3_buckets = [{ bucket = "my-app-bucket", access = "read-write" }]
    }
  }
}
