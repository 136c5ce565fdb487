# assume_role.role_arn is a user ARN
# expect: aws.assume_role.role_arn ~ role ARN
# provider: own

provider "hub" {
  config_path = "@KUBECONFIG@"
  aws         = { assume_role = { role_arn = "arn:aws:iam::123456789012:user/deploy" } }
}

resource "hub_namespace" "probe" {
  name = "corpus-provider-probe"
}
