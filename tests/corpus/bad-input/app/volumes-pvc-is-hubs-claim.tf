# an existing-claim volume naming the claim hub makes for another volume
# expect: volumes["copy"].persistent_volume_claim.claim_name ~ claim hub makes

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  volumes = {
    data = { claim = { size = "1Gi" } }
    copy = { persistent_volume_claim = { claim_name = "corpus-app-data" } }
  }
  volume_mounts = [{ volume = "data", mount_path = "/data" }, { volume = "copy", mount_path = "/copy" }]
}
