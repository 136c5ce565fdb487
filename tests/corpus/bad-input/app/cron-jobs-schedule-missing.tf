# a job without a schedule
# expect: schedule ~ required

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  cron_jobs = { nightly = { command = ["x"] } }
}
