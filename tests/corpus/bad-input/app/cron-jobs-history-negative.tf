# a negative history limit
# expect: cron_jobs["nightly"].successful_jobs_history_limit ~ must be a whole number from 0 to 100

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  cron_jobs = { nightly = { schedule = "@daily", successful_jobs_history_limit = -1 } }
}
