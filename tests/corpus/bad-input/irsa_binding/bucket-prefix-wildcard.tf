# key prefix with a wildcard
# expect: s3_buckets[0].prefixes[0] ~ wildcard

resource "hub_irsa_binding" "bad" {
  cluster_name    = "hub-sandbox"
  namespace       = "default"
  service_account = "corpus-sa"
  s3_buckets      = [{ bucket = "corpus-bucket", prefixes = ["uploads/*"] }]
}
