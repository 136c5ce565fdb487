# a concurrency policy Kubernetes does not know
# expect: cron_jobs["nightly"].concurrency_policy ~ not allowed

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  cron_jobs = { nightly = { schedule = "@daily", concurrency_policy = "Queue" } }
}
