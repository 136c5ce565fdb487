# a budget keeping as many pods as the app runs blocks every drain
# expect: disruption_budget.min_available ~ every node drain

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  replicas  = 2
  disruption_budget = { min_available = "2" }
}
