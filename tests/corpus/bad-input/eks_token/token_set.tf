# the token is computed by hub, never set
# expect: token ~ token
ephemeral "hub_eks_token" "c" {
  cluster_name = "hub-sandbox"
  token        = "k8s-aws-v1.made-up"
}
