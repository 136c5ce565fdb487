# a ConfigMap item mounted at an absolute path
# expect: volumes["data"].config_map.items["app.yaml"] ~ must be relative

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = { config_map = { name = "app", items = { "app.yaml" = "/etc/app.yaml" } } } }
  volume_mounts = [{ volume = "data", mount_path = "/data" }]
}
