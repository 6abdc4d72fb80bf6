output "region" {
  description = "Region of the stack; the other stacks use the same."
  value       = var.region
}

output "stack" {
  description = "Name of the stack."
  value       = local.stack
}

output "vpc_id" {
  description = "The VPC."
  value       = aws_vpc.main.id
}

output "vpc_cidr" {
  description = "The VPC's address range."
  value       = aws_vpc.main.cidr_block
}

output "public_subnet_id" {
  description = "Subnet of the gateway instance."
  value       = aws_subnet.public.id
}

output "public_subnet_cidr" {
  description = "Address range of the public subnet."
  value       = aws_subnet.public.cidr_block
}

output "private_subnet_id" {
  description = "Subnet of the broker and the workers."
  value       = aws_subnet.private.id
}

output "private_subnet_cidr" {
  description = "Address range of the private subnet: what the gateway masquerades."
  value       = aws_subnet.private.cidr_block
}

output "zone_id" {
  description = "The availability zone (id) of both subnets."
  value       = local.zone_id
}

output "zone_reason" {
  description = "Why that zone: the first standard one with both Fargate and the gateway's instance type, or zone_id."
  value       = local.zone_reason
}

output "gateway_instance_type" {
  description = "The gateway's instance type, which the zone offers (the gateway part's default)."
  value       = var.gateway_instance_type
}
