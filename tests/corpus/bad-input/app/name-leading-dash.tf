# name starts with '-'
# expect: name ~ start and end

resource "hub_app" "bad" {
  name      = "-app"
  namespace = "default"
  image     = "nginx:1.27"
}
