provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}

# hub is configured from the EKS module's outputs only. On the first apply the cluster does not exist yet:
# the cluster name is unknown at plan time, hub plans every object offline, and connects (DescribeCluster,
# then its own EKS token) only when the apply reaches the first hub resource, after the cluster exists.
provider "hub" {
  cluster_name = module.eks.cluster_name
  region       = var.region
}
