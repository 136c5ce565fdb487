# a time zone inside the schedule
# expect: cron_jobs["nightly"].schedule ~ time_zone

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  cron_jobs = { nightly = { schedule = "CRON_TZ=Europe/Paris 0 3 * * *" } }
}
