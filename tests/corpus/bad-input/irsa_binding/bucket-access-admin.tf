# access 'admin'
# expect: s3_buckets[0].access ~ not allowed

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  s3_buckets      = [{ bucket = "corpus-bucket", access = "admin" }]
}
