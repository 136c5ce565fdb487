# An application is imported by `namespace/name`: the namespace and the name of its Deployment.
#
# The first plan after an import dry-runs every object it changes against the cluster and says what apply
# will meet:
# - Fields another tool set stay that tool's. Where the configuration sets a different value, the plan
#   fails with "Field Owned By Another Manager", naming each field and its manager. Objects made with
#   client-side `kubectl apply` show the manager `kubectl-client-side-apply`. Set `force_conflicts = true`
#   to take them over: the fields that kubectl (any command), `before-first-apply` or the kubernetes
#   provider set become hub's, and the ones the configuration does not set (an old selector key, a label)
#   are removed, as the plan shows. Helm's labels and annotations stay.
# - A field that cannot change in place, such as a Deployment's `spec.selector` (hub selects pods by
#   `app.kubernetes.io/name` and `app.kubernetes.io/instance`) or a Service's `clusterIP`, puts the object in
#   the plan's `replacements`, with the reason. Apply deletes it and creates it again, so its pods restart.
#
# Import reads the whole app back from its objects (a reverse render): every attribute except those no
# object records (`secret_env` values, `secret_env_wo` and its version, `adopt_existing`, `force_conflicts`,
# `rollout`, `delete_timeout`), which take their defaults. An app configured as it runs then plans no change.
# `plan -generate-config-out` writes `secret_env = null # sensitive` for a Secret's values: set them before
# applying, or the plan (which warns "Imported Secret Will Be Deleted", naming the keys) deletes the Secret.
# Custom-named objects are found through the Deployment (`config_map_name`, `secret_name`, the service
# account) and the Ingress or the Service's labels (`service.name`).
terraform import hub_app.api my-app-prod/api
