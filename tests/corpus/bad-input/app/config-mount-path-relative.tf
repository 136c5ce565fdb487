# mount path is relative
# expect: config_mount_path ~ absolute

resource "hub_app" "bad" {
  name              = "corpus-app"
  namespace         = "default"
  image             = "nginx:1.27"
  config            = { a = "1" }
  config_mount_path = "etc/app"
}
