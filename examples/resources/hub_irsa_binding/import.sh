# A binding is imported by its IAM role name; the namespace and service account are read from the role's
# trust policy.
terraform import hub_irsa_binding.api my-app-eks-pod-role
