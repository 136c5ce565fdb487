# app and job names too long for a CronJob
# expect: cron_jobs ~ 52

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  cron_jobs = { a-very-long-job-name-for-the-nightly-report-xx = { schedule = "@daily" } }
}
