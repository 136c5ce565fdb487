# session name with a space
# expect: aws.assume_role.session_name ~ session name
# provider: own

provider "hub" {
  config_path = "@KUBECONFIG@"
  aws         = { assume_role = { role_arn = "arn:aws:iam::123456789012:role/deploy", session_name = "my session" } }
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
