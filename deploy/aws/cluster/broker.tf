# RabbitMQ: one Fargate task in the private subnet, registered in Cloud Map as rabbitmq.<namespace>.
# Its queues do not outlive the task (Fargate storage is the task's own); a parent node re-sends
# its unanswered subtasks when it reconnects, so a replaced broker loses no work.
resource "aws_security_group" "broker" {
  name        = "${local.name}-broker"
  description = "RabbitMQ: AMQP from the workers only"
  vpc_id      = local.network.vpc_id
  tags        = { Name = "${local.name}-broker" }
}

resource "aws_vpc_security_group_ingress_rule" "broker_amqp" {
  security_group_id            = aws_security_group.broker.id
  description                  = "AMQP from the worker nodes"
  referenced_security_group_id = aws_security_group.worker.id
  ip_protocol                  = "tcp"
  from_port                    = local.amqp_port
  to_port                      = local.amqp_port
}

resource "aws_vpc_security_group_egress_rule" "broker_all" {
  security_group_id = aws_security_group.broker.id
  description       = "Image pulls and logs, through the NAT of the gateway"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_ecs_task_definition" "broker" {
  lifecycle {
    precondition {
      condition     = contains(lookup(local.fargate_memory, tostring(var.broker_cpu), []), var.broker_memory)
      error_message = "broker_cpu ${var.broker_cpu} with broker_memory ${var.broker_memory} is not a Fargate size; with ${var.broker_cpu} CPU units: ${join(", ", lookup(local.fargate_memory, tostring(var.broker_cpu), ["none (CPU: 256, 512, 1024, 2048, 4096, 8192, 16384)"]))} MiB."
    }
  }

  family                   = "${local.name}-rabbitmq"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.broker_cpu
  memory                   = var.broker_memory
  execution_role_arn       = aws_iam_role.execution.arn
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
  container_definitions = jsonencode([{
    name         = "rabbitmq"
    image        = var.broker_image
    essential    = true
    portMappings = [{ containerPort = local.amqp_port, protocol = "tcp" }]
    environment = [{
      # A consumer that holds a message longer than this has its channel closed by the broker.
      name  = "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"
      value = "-rabbit consumer_timeout ${var.broker_consumer_timeout_hours * 3600000}"
    }]
    secrets = [
      { name = "RABBITMQ_DEFAULT_USER", valueFrom = "${aws_secretsmanager_secret.broker.arn}:username::" },
      { name = "RABBITMQ_DEFAULT_PASS", valueFrom = "${aws_secretsmanager_secret.broker.arn}:password::" },
    ]
    # Does the AMQP port accept a connection? bash's /dev/tcp costs a few milliseconds, where
    # rabbitmq-diagnostics starts an Erlang VM: seconds of the task's quarter vCPU, racing the
    # timeout, and three misses in a row stop the stack's only broker.
    healthCheck = {
      command     = ["CMD", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${local.amqp_port}"]
      interval    = 30
      timeout     = 10
      retries     = 3
      startPeriod = 120
    }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.ecs.name
        awslogs-region        = var.region
        awslogs-stream-prefix = "rabbit_mq"
      }
    }
  }])
  depends_on = [aws_secretsmanager_secret_version.broker]
}

resource "aws_ecs_service" "broker" {
  name            = "rabbitmq"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.broker.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  # Never two brokers at once: the old one stops before the new one starts.
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100
  propagate_tags                     = "SERVICE"

  network_configuration {
    subnets          = [local.network.private_subnet_id]
    security_groups  = [aws_security_group.broker.id]
    assign_public_ip = false
  }

  service_registries {
    registry_arn = aws_service_discovery_service.broker.arn
  }
}
