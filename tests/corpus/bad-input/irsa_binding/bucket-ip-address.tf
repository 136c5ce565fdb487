# bucket name that is an IP
# expect: s3_buckets[0].bucket ~ IP address

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  s3_buckets      = [{ bucket = "192.168.1.1" }]
}
