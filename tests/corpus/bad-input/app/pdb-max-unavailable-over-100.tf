# max_unavailable 150%
# expect: disruption_budget.max_unavailable ~ percentage

resource "hub_app" "bad" {
  name              = "corpus-app"
  namespace         = "default"
  image             = "nginx:1.27"
  disruption_budget = { max_unavailable = "150%" }
}
