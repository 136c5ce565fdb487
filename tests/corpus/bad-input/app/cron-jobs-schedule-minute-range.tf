# a minute beyond 59
# expect: cron_jobs["nightly"].schedule ~ allows 0 to 59

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  cron_jobs = { nightly = { schedule = "75 3 * * *" } }
}
