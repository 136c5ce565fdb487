# a renewal interval that is not a duration
# expect: renew_after ~ not a duration
ephemeral "hub_eks_token" "c" {
  cluster_name = "hub-sandbox"
  renew_after  = "soon"
}
