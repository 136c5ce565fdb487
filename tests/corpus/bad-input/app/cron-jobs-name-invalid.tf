# a job key that is no DNS label
# expect: cron_jobs["Nightly_Report"] ~ DNS label

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  cron_jobs = { Nightly_Report = { schedule = "@daily" } }
}
