# An application is imported by `namespace/name`: the namespace and the name of its Deployment.
# Its other objects are looked up under the default names (`<name>-config`, `<name>-secret`, Service and
# Role `<name>`); objects under a custom `config_map_name`, `secret_name` or `service.name` are applied by
# the first apply after the import, which takes over the existing ones like any imported object.
terraform import hub_app.api my-app-prod/api
