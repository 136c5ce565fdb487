# A binding is imported by its IAM role name; the namespace and service account are read from the role's
# trust policy, and the role's inline policy becomes `custom_policy_json` (the grants it was compiled from
# cannot be told apart), so a block written by `plan -generate-config-out` plans no change. Importing claims the role: the next apply adds hub's ownership tags (`ownership_tags`).
# Until then destroy refuses the role, made by another tool or by a hub version before these tags, and
# writes nothing.
terraform import hub_irsa_binding.api my-app-eks-pod-role
