# bucket name with upper case
# expect: s3_buckets[0].bucket ~ lower-case

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  s3_buckets      = [{ bucket = "My_Bucket" }]
}
