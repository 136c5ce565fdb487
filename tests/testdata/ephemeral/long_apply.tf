# A kubernetes-provider apply that outlives its first EKS token: one ConfigMap, then a wait the test ends only
# once a token signed after that ConfigMap was made is rejected by the API server, then a second ConfigMap
# through the same provider instance. With kubernetes_base.tf and a kubernetes provider block: `exec`
# (succeeds, client-go runs hub's plugin again) or `token` (fails: the token from open is the only one).
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
