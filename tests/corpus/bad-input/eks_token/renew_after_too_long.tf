# a renewal interval past the 14-minute limit: EKS would reject the token before client-go renewed it
# expect: renew_after ~ outside 10s..14m
ephemeral "hub_eks_token" "c" {
  cluster_name = "hub-sandbox"
  renew_after  = "15m"
}
