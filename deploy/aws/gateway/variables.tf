variable "region" {
  description = "AWS region of the stack; must be the network stack's."
  type        = string
}

variable "stack" {
  description = "Name of the stack. Defaults to the Terraform workspace, which deploy/aws/up.sh names after the stack."
  type        = string
  default     = null
}

variable "state_backend" {
  description = "Where the network stack keeps its state: \"local\" (the default, next to it) or \"s3\" (see ../README.md)."
  type        = string
  default     = "local"
  validation {
    condition     = contains(["local", "s3"], var.state_backend)
    error_message = "state_backend must be \"local\" or \"s3\"."
  }
}

variable "state_config" {
  description = "For state_backend = \"s3\": the S3 backend settings shared by the stacks (bucket, region, and optionally workspace_key_prefix); each stack's key is fossa/<part>.tfstate."
  type        = map(string)
  default     = {}
}

variable "allowed_cidr" {
  description = "The only addresses that may reach the gateway's web port (and SSH, when a key pair is given), e.g. your office's 203.0.113.0/24 or your own address /32."
  type        = string
  validation {
    condition     = can(cidrnetmask(var.allowed_cidr))
    error_message = "allowed_cidr must be an IPv4 CIDR block such as 203.0.113.7/32."
  }
}

variable "gateway_password" {
  description = "Password of the gateway's web pages (user fossa). Kept in Secrets Manager only: ephemeral, never written to Terraform state."
  type        = string
  sensitive   = true
  ephemeral   = true
  validation {
    condition     = length(var.gateway_password) >= 12
    error_message = "gateway_password must be at least 12 characters."
  }
}

variable "gateway_password_version" {
  description = "Raise by one to store a new gateway_password (the stored one is write-only, so Terraform cannot see a change by itself)."
  type        = number
  default     = 1
}

variable "instance_type" {
  description = "EC2 instance type of the gateway (NAT for the private subnet, and the web gateway). Defaults to the network part's gateway_instance_type (t3.small), for which its zone was chosen; another must be offered in that zone."
  type        = string
  default     = null
}

variable "gateway_ami_id" {
  description = "AMI of the gateway. Defaults to the latest Amazon Linux 2023 (x86_64) when the instance is first made; it is not replaced when a newer one appears."
  type        = string
  default     = null
}

variable "https" {
  description = "Serve the gateway over HTTPS on 443 with a certificate made on the instance at first boot (self-signed; its fingerprint is printed to the instance console). false: plain HTTP on 80, as the original did."
  type        = bool
  default     = true
}

variable "ssh_key_name" {
  description = "Name of an existing EC2 key pair, to allow SSH from allowed_cidr. Leave null to have no SSH at all: the instance is reachable through SSM Session Manager."
  type        = string
  default     = null
}
