# replicas -1
# expect: replicas ~ from 0 to 10000

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  replicas  = -1
}
