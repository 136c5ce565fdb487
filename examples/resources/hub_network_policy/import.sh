# A network policy is imported by `namespace/name`. Import reads the pod selector back, the presets from the
# shapes of the leading rules (a custom rule of a preset's shape reads back as that preset), and the other
# rules as custom `ingress` / `egress` rules, so a block written by `plan -generate-config-out` plans no
# change. A policy whose rules hub could not render again exactly is read back as custom rules only.
terraform import hub_network_policy.api my-app-prod/api
