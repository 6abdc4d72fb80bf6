output "cluster_name" {
  description = "The ECS cluster."
  value       = aws_ecs_cluster.main.name
}

output "cluster_arn" {
  description = "The ECS cluster's ARN (the gateway's pages are keyed by it)."
  value       = aws_ecs_cluster.main.arn
}

output "worker_service_name" {
  description = "The workers' ECS service (fossa-gateway's --worker-group is service:<this>)."
  value       = aws_ecs_service.worker.name
}

output "broker_service_name" {
  description = "RabbitMQ's ECS service."
  value       = aws_ecs_service.broker.name
}

output "broker_host" {
  description = "The broker's private DNS name (Cloud Map)."
  value       = local.broker_host
}

output "broker_secret_arn" {
  description = "Secrets Manager secret with the broker's username, password and amqp:// url."
  value       = aws_secretsmanager_secret.broker.arn
}

output "worker_security_group_id" {
  description = "The worker nodes' security group: a database outside the stack lets them in from this group (see database_egress)."
  value       = aws_security_group.worker.id
}

output "log_group_name" {
  description = "CloudWatch log group of the broker (stream prefix rabbit_mq) and the workers (fossa_worker)."
  value       = aws_cloudwatch_log_group.ecs.name
}

output "data_bucket" {
  description = "The models' S3 bucket (made here, or the one data_bucket named): datasets on it are s3+csv://<this>/key.csv."
  value       = local.data_bucket
}

output "worker_task_role_arn" {
  description = "The worker nodes' task role: list the data bucket, get, put and abort uploads of its objects."
  value       = aws_iam_role.worker_task.arn
}

output "s3_endpoint_id" {
  description = "The S3 gateway VPC endpoint on the private subnet's route table."
  value       = aws_vpc_endpoint.s3.id
}

output "alarm_topic_arn" {
  description = "The SNS topic the stack's alarms (stalled jobs) notify: subscribe more to it here or with alarm_email."
  value       = aws_sns_topic.alarms.arn
}

output "alarm_email" {
  description = "The e-mail address subscribed to the alarm topic, or \"\" (up.sh keeps it on a run without FOSSA_ALARM_EMAIL)."
  value       = var.alarm_email
}
