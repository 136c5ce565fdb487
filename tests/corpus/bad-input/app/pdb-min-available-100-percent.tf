# min_available 100% keeps every pod
# expect: disruption_budget.min_available ~ no node can ever be drained

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  replicas  = 5
  disruption_budget = { min_available = "100%" }
}
