# a claim size that is not a quantity
# expect: volumes["data"].claim.size ~ quantity

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = { claim = { size = "ten gigs" } } }
  volume_mounts = [{ volume = "data", mount_path = "/data" }]
}
