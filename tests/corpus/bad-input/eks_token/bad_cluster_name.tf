# a cluster name with a space, which EKS never accepts
# expect: cluster_name ~ only letters, digits
ephemeral "hub_eks_token" "c" {
  cluster_name = "my cluster"
}
