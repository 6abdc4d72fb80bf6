variable "region" {
  description = "AWS region of the stack, e.g. eu-west-2."
  type        = string
}

variable "stack" {
  description = "Name of the stack; several stacks can live in one account. Defaults to the Terraform workspace, which deploy/aws/up.sh names after the stack."
  type        = string
  default     = null
  validation {
    condition     = var.stack == null || can(regex("^[a-z][a-z0-9-]{0,19}$", var.stack))
    error_message = "stack must be 1-20 characters of a-z, 0-9 and '-', starting with a letter."
  }
}

variable "vpc_cidr" {
  description = "Address range of the VPC."
  type        = string
  default     = "192.168.0.0/16"
  validation {
    condition     = can(cidrnetmask(var.vpc_cidr))
    error_message = "vpc_cidr must be an IPv4 CIDR block such as 192.168.0.0/16."
  }
}

variable "public_subnet_cidr" {
  description = "Public subnet, inside vpc_cidr: the gateway instance lives here."
  type        = string
  default     = "192.168.1.0/24"
  validation {
    condition     = can(cidrnetmask(var.public_subnet_cidr))
    error_message = "public_subnet_cidr must be an IPv4 CIDR block such as 192.168.1.0/24."
  }
}

variable "private_subnet_cidr" {
  description = "Private subnet, inside vpc_cidr: the broker and the workers live here, with no public addresses."
  type        = string
  default     = "192.168.2.0/24"
  validation {
    condition     = can(cidrnetmask(var.private_subnet_cidr))
    error_message = "private_subnet_cidr must be an IPv4 CIDR block such as 192.168.2.0/24."
  }
}

variable "zone_id" {
  description = "The availability zone of both subnets, by zone id (e.g. euw2-az2: ids name the same zone in every account, names do not). Defaults to the region's first standard zone that runs both Fargate and gateway_instance_type."
  type        = string
  default     = null
  validation {
    condition     = var.zone_id == null || can(regex("^[a-z]{2,4}[0-9]+-az[0-9]+$", coalesce(var.zone_id, "-")))
    error_message = "zone_id must be an availability zone id such as euw2-az2 (aws ec2 describe-availability-zones shows them)."
  }
}

variable "gateway_instance_type" {
  description = "EC2 instance type of the gateway: the zone is chosen among those that offer it, and the gateway part uses it unless its own instance_type says otherwise."
  type        = string
  default     = "t3.small"
}
