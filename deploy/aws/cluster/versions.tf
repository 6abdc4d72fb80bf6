terraform {
  required_version = ">= 1.11"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
  # State is local (terraform.tfstate.d/<stack>/) unless a backend file is added: see ../README.md,
  # "Keeping state in S3".
}

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      Project = "fossa"
      Stack   = local.stack
      Part    = "cluster"
    }
  }
}
