# A network policy is imported by `namespace/name`.
terraform import hub_network_policy.api my-app-prod/api
