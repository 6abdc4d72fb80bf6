# The network: a VPC with a public subnet (the gateway, which is also the NAT) and a private one
# (broker and workers). The private subnet's route out is made by the gateway stack, which owns the
# instance it routes through.
locals {
  stack = coalesce(var.stack, terraform.workspace)
  name  = "fossa-${local.stack}"
  # One zone for both subnets: every byte the workers send out crosses the gateway's NAT, and
  # between zones that is billed (and buys no resilience: there is one gateway).
  zone_id = coalesce(var.zone_id, data.aws_availability_zones.standard.zone_ids[0])
}

# The region's standard zones only: no Local or Wavelength zones (opt-in, and without Fargate).
data "aws_availability_zones" "standard" {
  state = "available"
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
  filter {
    name   = "zone-type"
    values = ["availability-zone"]
  }
}

resource "aws_vpc" "main" {
  cidr_block = var.vpc_cidr
  # Cloud Map's private DNS names (the broker's) resolve only with both on.
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = local.name }

  lifecycle {
    precondition {
      condition     = cidrsubnet(var.public_subnet_cidr, 0, 0) != cidrsubnet(var.private_subnet_cidr, 0, 0)
      error_message = "public_subnet_cidr and private_subnet_cidr must differ."
    }
    precondition {
      condition     = contains(data.aws_availability_zones.standard.zone_ids, local.zone_id)
      error_message = "zone_id ${local.zone_id} is not a standard availability zone of ${var.region}: one of ${join(", ", data.aws_availability_zones.standard.zone_ids)}."
    }
  }
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = local.name }
}

resource "aws_subnet" "public" {
  vpc_id               = aws_vpc.main.id
  cidr_block           = var.public_subnet_cidr
  availability_zone_id = local.zone_id
  tags                 = { Name = "${local.name}-public" }
}

resource "aws_subnet" "private" {
  vpc_id               = aws_vpc.main.id
  cidr_block           = var.private_subnet_cidr
  availability_zone_id = local.zone_id
  tags                 = { Name = "${local.name}-private" }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = "${local.name}-public" }
}

resource "aws_route" "public_default" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.main.id
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
