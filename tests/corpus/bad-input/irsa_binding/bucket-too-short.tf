# bucket name of 2 characters
# expect: s3_buckets[0].bucket ~ 3 to 63

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  s3_buckets      = [{ bucket = "ab" }]
}
