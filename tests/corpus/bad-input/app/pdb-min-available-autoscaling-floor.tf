# min_available equal to the autoscaler floor
# expect: disruption_budget.min_available ~ autoscaling.min_replicas

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  autoscaling       = { min_replicas = 2, max_replicas = 6, cpu_percent = 70 }
  disruption_budget = { min_available = "2" }
}
