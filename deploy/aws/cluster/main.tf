# The cluster: ECS on Fargate, in the private subnet. A RabbitMQ service of one task, found by its
# Cloud Map name, and the fossa-worker service of min_workers to max_workers nodes. Nothing here has a public
# address; the gateway stack is the way in (and, as NAT, the way out).
locals {
  stack         = coalesce(var.stack, terraform.workspace)
  name          = "fossa-${local.stack}"
  dns_namespace = coalesce(var.dns_namespace, "${local.stack}.fossa.internal")
  broker_host   = "rabbitmq.${local.dns_namespace}"
  node_port     = 2345
  amqp_port     = 5672
  # Fargate's sizes: the memory (MiB) each CPU size (units, 1024 = 1 vCPU) can have.
  fargate_memory = {
    "256"   = [512, 1024, 2048]
    "512"   = range(1024, 4097, 1024)
    "1024"  = range(2048, 8193, 1024)
    "2048"  = range(4096, 16385, 1024)
    "4096"  = range(8192, 30721, 1024)
    "8192"  = range(16384, 61441, 4096)
    "16384" = range(32768, 122881, 8192)
  }
}

resource "aws_ecs_cluster" "main" {
  name = local.name
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]
}

resource "aws_cloudwatch_log_group" "ecs" {
  name              = "/fossa/${local.stack}/ecs"
  retention_in_days = var.log_retention_days
}
