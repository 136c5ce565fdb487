# a ConfigMap item key with a slash
# expect: volumes["data"].config_map.items["conf/app.yaml"] ~ not a ConfigMap key

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = { config_map = { name = "app", items = { "conf/app.yaml" = "app.yaml" } } } }
  volume_mounts = [{ volume = "data", mount_path = "/data" }]
}
