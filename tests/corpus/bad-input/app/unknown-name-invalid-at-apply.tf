# a name only known at apply, and invalid then
# expect: name ~ DNS-1123

resource "terraform_data" "seed" {
  input = "x"
}

resource "hub_app" "bad" {
  name      = replace(terraform_data.seed.id, "/.*/", "Bad_Name")
  namespace = "default"
  image     = "nginx:1.27"
}
