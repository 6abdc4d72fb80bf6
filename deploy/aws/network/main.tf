# The network: a VPC with a public subnet (the gateway, which is also the NAT) and a private one
# (broker and workers). The private subnet's route out is made by the gateway stack, which owns the
# instance it routes through.
locals {
  stack = coalesce(var.stack, terraform.workspace)
  name  = "fossa-${local.stack}"

  # One zone for both subnets: every byte the workers send out crosses the gateway's NAT, and
  # between zones that is billed (and buys no resilience: there is one gateway). The zone must run
  # both Fargate (the broker and the workers) and the gateway's instance type: the region's first
  # standard zone that does, unless zone_id names one.
  standard_zones = data.aws_availability_zones.standard.zone_ids
  gateway_zones  = data.aws_ec2_instance_type_offerings.gateway.locations
  # Where AWS lists the zones Fargate runs in (Linux containers), only those; elsewhere every zone.
  # https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AWS_Fargate-Regions.html
  fargate_only_in = {
    "us-west-1"      = ["usw1-az1", "usw1-az3"]
    "ap-northeast-1" = ["apne1-az1", "apne1-az2", "apne1-az4"]
    "ca-central-1"   = ["cac1-az1", "cac1-az2"]
    "cn-north-1"     = ["cnn1-az1", "cnn1-az2"]
  }
  fargate_zones = lookup(local.fargate_only_in, var.region, local.standard_zones)
  usable_zones  = [for z in local.standard_zones : z if contains(local.gateway_zones, z) && contains(local.fargate_zones, z)]
  chosen_zone   = coalesce(var.zone_id, try(local.usable_zones[0], "none"))
  zone_id       = terraform_data.zone.output
  zone_reason   = var.zone_id != null ? "zone_id asks for it" : "the first standard zone of ${var.region} with both Fargate and ${var.gateway_instance_type}"
}

# The zone, once chosen, is kept: AWS adding an instance type to an earlier zone later must not
# move the subnets (replacing them would replace everything in them). A zone_id set or changed
# by hand does move them.
resource "terraform_data" "zone" {
  input            = local.chosen_zone
  triggers_replace = [var.zone_id]

  lifecycle {
    ignore_changes = [input]
    precondition {
      condition     = var.zone_id == null || contains(local.standard_zones, local.chosen_zone)
      error_message = "zone_id ${local.chosen_zone} is not a standard availability zone of ${var.region}: one of ${join(", ", local.standard_zones)}."
    }
    precondition {
      condition     = contains(local.gateway_zones, local.chosen_zone)
      error_message = "no zone for the gateway: ${var.gateway_instance_type} is offered in ${length(local.gateway_zones) > 0 ? join(", ", local.gateway_zones) : "no zone"} of ${var.region}, and ${var.zone_id != null ? "zone_id ${local.chosen_zone} is not one" : "none of them is a standard zone with Fargate"}; choose another gateway_instance_type (or zone_id)."
    }
    precondition {
      condition     = contains(local.fargate_zones, local.chosen_zone)
      error_message = "Fargate does not run in ${local.chosen_zone}: in ${var.region} AWS lists only ${join(", ", local.fargate_zones)} for it; choose one of those as zone_id."
    }
  }
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

# The zones (ids) that offer the gateway's instance type.
data "aws_ec2_instance_type_offerings" "gateway" {
  location_type = "availability-zone-id"
  filter {
    name   = "instance-type"
    values = [var.gateway_instance_type]
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
