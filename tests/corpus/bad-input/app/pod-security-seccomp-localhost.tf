# a Localhost seccomp profile needs a profile path hub has no attribute for
# expect: pod_security.seccomp_profile ~ one of

resource "hub_app" "bad" {
  name         = "corpus-app"
  namespace    = "default"
  image        = "nginx:1.27"
  pod_security = { seccomp_profile = "Localhost" }
}
