# a time zone that is no IANA name
# expect: cron_jobs["nightly"].time_zone ~ IANA

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  cron_jobs = { nightly = { schedule = "@daily", time_zone = "Europe/../Paris" } }
}
