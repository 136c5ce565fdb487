# A kubernetes-provider apply that outlives its first EKS token: one ConfigMap, then a wait the test ends only
# once a token signed after that ConfigMap was made is rejected by the API server, then a second ConfigMap
# through the same provider instance. The kubernetes provider block is in a second file: `exec` (succeeds,
# client-go runs hub's plugin again) or `token` (fails: the token from open is the only one it ever gets).
terraform {
  required_providers {
    hub        = { source = "hub/hub" }
    kubernetes = { source = "{{kubernetes_source}}", version = "{{kubernetes_version}}" }
  }
}

provider "hub" {
  cluster_name = "{{cluster}}"
  region       = "us-east-1"
}

ephemeral "hub_eks_token" "c" {
  cluster_name = "{{cluster}}"
  renew_after  = "{{renew_after}}"
}

resource "kubernetes_config_map_v1" "first" {
  metadata {
    name      = "{{name}}-first"
    namespace = "default"
  }
  data = {
    made_with = "the first token"
  }
}

# Ends when the test creates the file `released` in the module directory (it gives up after 10 minutes).
resource "terraform_data" "first_token_expired" {
  depends_on = [kubernetes_config_map_v1.first]
  provisioner "local-exec" {
    command = "i=0; while [ ! -e released ] && [ $i -lt 600 ]; do sleep 1; i=$((i+1)); done; test -e released"
  }
}

resource "kubernetes_config_map_v1" "second" {
  depends_on = [terraform_data.first_token_expired]
  metadata {
    name      = "{{name}}-second"
    namespace = "default"
  }
  data = {
    made_with = "a token minted after the first one expired"
  }
}
