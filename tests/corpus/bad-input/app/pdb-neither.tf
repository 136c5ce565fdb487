# no PDB limit
# expect: disruption_budget ~ exactly one

resource "hub_app" "bad" {
  name              = "corpus-app"
  namespace         = "default"
  image             = "nginx:1.27"
  disruption_budget = {}
}
