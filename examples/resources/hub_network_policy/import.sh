# A network policy is imported by `namespace/name`. Import reads the pod selector and every rule back as
# custom `ingress` / `egress` rules (presets cannot be told apart from the rules they render), so a block
# written by `plan -generate-config-out` plans no change; a configuration with presets plans an update of
# the attributes only, with the same `rendered` policy.
terraform import hub_network_policy.api my-app-prod/api
