# the exec plugin is computed by hub (its own binary), never set
# expect: exec ~ exec
ephemeral "hub_eks_token" "c" {
  cluster_name = "hub-sandbox"
  exec = {
    command = "/bin/sh"
  }
}
