# a schedule with four fields
# expect: cron_jobs["nightly"].schedule ~ not the five

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  cron_jobs = { nightly = { schedule = "0 3 * *" } }
}
