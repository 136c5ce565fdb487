# The API's traffic in seed 001: the ALB (target type `ip`, inside the VPC 10.0.0.0/16) reaches port 8080;
# the API reaches DNS, HTTPS APIs (but not the instance metadata endpoint) and PostgreSQL in the database
# subnets. Everything else is denied in both directions.
resource "hub_network_policy" "api" {
  name      = "api"
  namespace = "my-app-prod"
  # The pods of hub_app.api; in a configuration with the app, write `pod_selector = hub_app.api.selector`.
  pod_selector = {
    "app.kubernetes.io/name"     = "api"
    "app.kubernetes.io/instance" = "api"
  }

  deny_all_ingress = true
  deny_all_egress  = true
  allow_dns        = true

  allow_ingress_from_load_balancer = {
    cidrs = ["10.0.0.0/16"]
    ports = [8080]
  }
  allow_ingress_from_namespaces = {
    namespaces = ["monitoring"]
    ports      = [8080]
  }
  allow_https_egress = {
    except = ["169.254.169.254/32"]
  }
  allow_egress_to_databases = [
    { cidrs = ["10.0.30.0/24", "10.0.31.0/24"], ports = [5432] },
  ]
}
