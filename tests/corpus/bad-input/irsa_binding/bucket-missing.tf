# S3 grant without a bucket
# expect: bucket ~ required

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  s3_buckets      = [{ access = "read" }]
}
