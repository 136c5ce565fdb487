# min_available is a word
# expect: disruption_budget.min_available ~ percentage

resource "hub_app" "bad" {
  name              = "corpus-app"
  namespace         = "default"
  image             = "nginx:1.27"
  disruption_budget = { min_available = "half" }
}
