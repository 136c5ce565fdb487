# empty name
# expect: name ~ cluster name

data "hub_cluster" "bad" {
  name = ""
}
