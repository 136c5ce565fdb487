# grace period -5
# expect: termination_grace_period_seconds ~ from 0 to 3600

resource "hub_app" "bad" {
  name                             = "corpus-app"
  namespace                        = "default"
  image                            = "nginx:1.27"
  termination_grace_period_seconds = -5
}
