# Development: two applications (seed 001): API and worker, one replica each, one NAT gateway.
environment        = "dev"
region             = "us-west-2"
azs                = ["us-west-2a", "us-west-2b"]
public_subnets     = ["10.0.1.0/24", "10.0.2.0/24"]
private_subnets    = ["10.0.10.0/24", "10.0.20.0/24"]
database_subnets   = ["10.0.30.0/24", "10.0.31.0/24"]
single_nat_gateway = true
node_group         = { instance_types = ["t3.large"], min_size = 1, max_size = 3, desired_size = 2 }
resource_quota     = { requests_cpu = "4", requests_memory = "8Gi", pods = 20 }

apps = {
  api = {
    image    = "ghcr.io/example/my-app:1.0.0"
    config   = { LOG_LEVEL = "debug" }
    replicas = 1
    aws_access = {
      s3_buckets               = [{ bucket = "my-app-bucket", access = "read-write" }]
      secrets_manager_prefixes = ["/my-app/"]
      ssm_parameter_paths      = ["/my-app"]
    }
  }
  worker = {
    image    = "ghcr.io/example/my-app:1.0.0"
    config   = { LOG_LEVEL = "debug" }
    service  = false
    replicas = 1
  }
}
