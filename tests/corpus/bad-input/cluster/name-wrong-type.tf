# name as a list
# expect: name ~ string required

data "hub_cluster" "bad" {
  name = ["hub-sandbox"]
}
