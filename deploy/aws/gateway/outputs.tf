output "region" {
  description = "Region of the stack."
  value       = var.region
}

output "gateway_url" {
  description = "Where to browse the gateway (user fossa)."
  value       = "${var.https ? "https" : "http"}://${aws_eip.gateway.public_ip}/"
}

output "gateway_public_ip" {
  description = "The gateway's fixed public address."
  value       = aws_eip.gateway.public_ip
}

output "gateway_instance_id" {
  description = "The gateway instance, e.g. for `aws ssm start-session --target` or `aws ec2 get-console-output --instance-id`."
  value       = aws_instance.gateway.id
}

output "gateway_security_group_id" {
  description = "The gateway's security group: the cluster lets it reach the workers' HTTP port."
  value       = aws_security_group.gateway.id
}

output "private_route_table_id" {
  description = "The private subnet's route table (default route through the gateway)."
  value       = aws_route_table.private.id
}

output "account_id" {
  description = "AWS account of the stack."
  value       = data.aws_caller_identity.current.account_id
}

output "ecr_repository_url" {
  description = "The stack's image repository; ../images/build-push.sh pushes fossa-worker and fossa-gateway there."
  value       = aws_ecr_repository.images.repository_url
}

output "ecr_repository_arn" {
  description = "The image repository's ARN (the cluster's execution role may pull from it)."
  value       = aws_ecr_repository.images.arn
}

output "gateway_role_name" {
  description = "The gateway instance's IAM role: the cluster part adds the rights to scale the workers."
  value       = aws_iam_role.gateway.name
}

output "allowed_cidr" {
  description = "Who may reach the gateway; up.sh keeps it on later runs unless FOSSA_ALLOWED_CIDR says otherwise."
  value       = var.allowed_cidr
}

output "gateway_password_version" {
  description = "Version of the stored gateway password; up.sh raises it when GATEWAY_HTTP_PASSWORD changes."
  value       = var.gateway_password_version
}

output "gateway_password_secret_arn" {
  description = "The secret holding the gateway's password (up.sh compares GATEWAY_HTTP_PASSWORD with it)."
  value       = aws_secretsmanager_secret.gateway_password.arn
}

output "api_token_secret_arn" {
  description = "Secrets Manager secret with the worker nodes' API token (FOSSA_API_TOKEN)."
  value       = aws_secretsmanager_secret.api_token.arn
}
