# a claim without a size
# expect: size ~ required

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = { claim = { storage_class = "gp3" } } }
  volume_mounts = [{ volume = "data", mount_path = "/data" }]
}
