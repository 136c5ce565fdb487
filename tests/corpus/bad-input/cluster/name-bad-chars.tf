# name with a space and '!'
# expect: name ~ cluster name

data "hub_cluster" "bad" {
  name = "my cluster!"
}
