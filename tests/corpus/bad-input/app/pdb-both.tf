# both PDB limits
# expect: disruption_budget ~ exactly one

resource "hub_app" "bad" {
  name              = "corpus-app"
  namespace         = "default"
  image             = "nginx:1.27"
  disruption_budget = { min_available = "1", max_unavailable = "1" }
}
