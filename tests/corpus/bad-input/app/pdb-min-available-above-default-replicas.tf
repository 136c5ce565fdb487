# min_available above the default 2 replicas
# expect: disruption_budget.min_available ~ every node drain

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  disruption_budget = { min_available = "3" }
}
