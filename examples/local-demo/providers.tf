# EKS mode, exactly as in ../eks-stack, against the local control plane: `hub-sandbox` is an EKS cluster in
# moto (AWS_ENDPOINT_URL, from `hub-sandbox env`) whose endpoint is the local API server. hub describes it
# and authenticates with its own EKS token, as it would on AWS.
provider "hub" {
  cluster_name = var.cluster_name
  region       = var.sandbox_region
}
