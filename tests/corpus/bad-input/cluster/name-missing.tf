# no name
# expect: name ~ required

data "hub_cluster" "bad" {
}
