# annotations on a service account hub does not create
# expect: service_account.annotations ~ dropped

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  service_account = { create = false, name = "existing", annotations = { "team.example.com/owner" = "api" } }
}
