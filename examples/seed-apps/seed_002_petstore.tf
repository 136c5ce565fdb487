# Seed 002: the pet store API behind gunicorn, health on /api/v1/health, 2 replicas, ALB on port 80.

resource "hub_namespace" "petstore" {
  name = "petstore"
}

resource "hub_app" "petstore" {
  name      = "petstore"
  namespace = hub_namespace.petstore.name
  image     = "hub-workload:1.0.0"
  port      = 8080
  replicas  = 2
  resources = { cpu_request = "200m", memory_request = "256Mi", cpu_limit = "500m", memory_limit = "512Mi" }
  liveness  = { http_path = "/api/v1/health" }
  readiness = { http_path = "/api/v1/health" }
  startup   = { http_path = "/api/v1/health" }
  ingress   = { health_check_path = "/api/v1/health" }
}
