# max_unavailable 0% allows no eviction
# expect: disruption_budget.max_unavailable ~ allows no eviction

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  disruption_budget = { max_unavailable = "0%" }
}
