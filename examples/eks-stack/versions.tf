terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.95, < 6.0" }
    hub = { source = "hub/hub" }
  }

  # Remote state: one S3 object per environment, locked with DynamoDB (see README.md, "Remote state").
  # Create the bucket and table once, then uncomment and `terraform init -backend-config=backend-prod.hcl`.
  #
  # backend "s3" {
  #   bucket         = "my-app-terraform-state"
  #   key            = "eks-stack/prod.tfstate"
  #   region         = "us-west-2"
  #   dynamodb_table = "my-app-terraform-locks"
  #   encrypt        = true
  # }
}
