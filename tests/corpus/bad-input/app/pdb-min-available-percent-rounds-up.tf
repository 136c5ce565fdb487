# 60% of 2 pods rounds up to 2: no pod may go
# expect: disruption_budget.min_available ~ every node drain

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  replicas  = 2
  disruption_budget = { min_available = "60%" }
}
