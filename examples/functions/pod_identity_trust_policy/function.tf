# A role for EKS Pod Identity, as tight as the IRSA one: this cluster, this service account.
resource "aws_iam_role" "api" {
  name = "shop-api"
  assume_role_policy = provider::hub::pod_identity_trust_policy(
    data.aws_caller_identity.current.account_id, module.eks.cluster_arn, "shop", "api",
  )
}

resource "aws_eks_pod_identity_association" "api" {
  cluster_name    = module.eks.cluster_name
  namespace       = "shop"
  service_account = "api"
  role_arn        = aws_iam_role.api.arn
}
