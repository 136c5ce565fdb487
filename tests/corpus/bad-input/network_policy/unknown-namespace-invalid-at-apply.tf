# a namespace only known at apply, and invalid then
# expect: namespace ~ DNS-1123

resource "terraform_data" "seed" {
  input = "x"
}

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = replace(terraform_data.seed.id, "/.*/", "My NS")
  allow_dns = true
}
