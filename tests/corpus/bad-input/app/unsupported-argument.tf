# an argument hub_app does not have
# expect: replica_count ~ not expected here

resource "hub_app" "bad" {
  name          = "corpus-app"
  namespace     = "default"
  image         = "nginx:1.27"
  replica_count = 3
}
