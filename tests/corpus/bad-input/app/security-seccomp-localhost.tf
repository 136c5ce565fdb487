# a Localhost seccomp profile needs a profile path hub has no attribute for
# expect: security.seccomp_profile ~ one of

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  security  = { seccomp_profile = "Localhost" }
}
