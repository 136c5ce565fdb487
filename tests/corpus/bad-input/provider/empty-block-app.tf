# hub_app with a provider block that names no cluster
# expect: config_path ~ Provider Not Configured
# provider: own

provider "hub" {}

resource "hub_app" "probe" {
  name      = "corpus-provider-probe"
  namespace = "default"
  image     = "nginx:1.27"
}
