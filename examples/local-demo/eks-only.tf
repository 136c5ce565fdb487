# Settings of ../eks-stack's tfvars that size the VPC and the cluster. Declared so `-var-file=dev.tfvars`
# works unchanged here; the local control plane has no use for them.

variable "region" {
  description = "Unused here (the EKS stack's AWS region)."
  type        = string
  default     = null
}

variable "azs" {
  description = "Unused here (the EKS stack's availability zones)."
  type        = list(string)
  default     = []
}

variable "public_subnets" {
  description = "Unused here (the EKS stack's public subnets)."
  type        = list(string)
  default     = []
}

variable "private_subnets" {
  description = "Unused here (the EKS stack's private subnets)."
  type        = list(string)
  default     = []
}

variable "single_nat_gateway" {
  description = "Unused here (the EKS stack's NAT gateway layout)."
  type        = bool
  default     = true
}

variable "node_group" {
  description = "Unused here (the EKS stack's node group; the local plane has three kwok nodes in zones a, b and c)."
  type        = any
  default     = null
}
