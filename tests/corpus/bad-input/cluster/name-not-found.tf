# a cluster that does not exist
# expect: name ~ no-such-cluster

data "hub_cluster" "bad" {
  name = "no-such-cluster"
}
