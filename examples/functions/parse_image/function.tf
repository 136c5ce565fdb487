locals {
  image = provider::hub::parse_image("123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:1.4.2")
}

# The ECR repository the image lives in, e.g. to grant pulls or to scan it.
data "aws_ecr_repository" "api" {
  name = local.image.repository # "shop/api"
}

output "api_version" {
  value = local.image.tag # "1.4.2"
}
