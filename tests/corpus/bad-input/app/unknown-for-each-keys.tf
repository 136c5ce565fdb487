# for_each keys only known at apply
# expect: for_each ~ for_each

resource "terraform_data" "seed" {
  input = "x"
}

resource "hub_app" "bad" {
  for_each  = toset([terraform_data.seed.id])
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
}
