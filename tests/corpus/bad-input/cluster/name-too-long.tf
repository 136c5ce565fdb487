# name of 101 characters
# expect: name ~ cluster name

data "hub_cluster" "bad" {
  name = "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
}
