# an empty command
# expect: cron_jobs["nightly"].command ~ empty

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  cron_jobs = { nightly = { schedule = "@daily", command = [] } }
}
