# an existing claim name with an underscore
# expect: volumes["data"].persistent_volume_claim.claim_name ~ not a valid PersistentVolumeClaim name

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes       = { data = { persistent_volume_claim = { claim_name = "shared_data" } } }
  volume_mounts = [{ volume = "data", mount_path = "/data" }]
}
