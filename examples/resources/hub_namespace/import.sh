# A namespace is imported by its name. hub adopts the labels and annotations it finds; run a plan afterwards
# to see what your configuration would change.
terraform import hub_namespace.prod my-app-prod
