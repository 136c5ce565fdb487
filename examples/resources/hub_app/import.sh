# An application is imported by `namespace/name`: the namespace and the name of its Deployment.
terraform import hub_app.api my-app-prod/api
