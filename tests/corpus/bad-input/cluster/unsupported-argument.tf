# an argument hub_cluster does not have
# expect: region ~ not expected here

data "hub_cluster" "bad" {
  name   = "hub-sandbox"
  region = "us-east-1"
}
