# A label and the Pod Security version are known only after apply: the plan keeps what is known.
resource "terraform_data" "owner" {
  input = "platform"
}

resource "hub_namespace" "ns" {
  name   = "{{name}}"
  labels = { team = "payments", owner = terraform_data.owner.output }
  pod_security = {
    enforce = "baseline"
    version = terraform_data.owner.output == "platform" ? "v1.35" : "latest"
  }
}
