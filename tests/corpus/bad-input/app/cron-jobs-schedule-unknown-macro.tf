# a macro cron does not know
# expect: cron_jobs["nightly"].schedule ~ macros

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  cron_jobs = { nightly = { schedule = "@fortnightly" } }
}
