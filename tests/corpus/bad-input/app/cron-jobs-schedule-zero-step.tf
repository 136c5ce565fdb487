# a step of zero
# expect: cron_jobs["nightly"].schedule ~ step

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  cron_jobs = { nightly = { schedule = "*/0 * * * *" } }
}
