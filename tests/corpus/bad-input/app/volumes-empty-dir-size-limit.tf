# an emptyDir size limit that is not a quantity
# expect: volumes["data"].empty_dir.size_limit ~ quantity

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = { empty_dir = { size_limit = "one gig" } } }
  volume_mounts = [{ volume = "data", mount_path = "/data" }]
}
