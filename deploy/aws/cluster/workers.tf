# The worker nodes: `fossa node` in the stack's fossa-worker image, worker_count Fargate tasks in the
# private subnet. Each takes subtasks from the broker and serves the Fossa API on 2345 to the gateway.
# The service is named fossa-worker: the gateway links tasks of group service:fossa-worker to their
# node pages (fossa-gateway --worker-group).
locals {
  worker_environment = concat(
    [
      { name = "FOSSA_HTTP_PORT", value = tostring(local.node_port) },
      { name = "FOSSA_LOG_FORMAT", value = "json" },
      # On SIGTERM, running subtasks may finish for this long before they are stopped and handed
      # back; the rest of stopTimeout covers the node's own 5 s stop and the last confirms.
      { name = "FOSSA_DRAIN_SECONDS", value = tostring(local.stop_timeout - 20) },
    ],
    var.accepted_models == "" ? [] : [{ name = "FOSSA_ACCEPTED_MODELS", value = var.accepted_models }],
    var.worker_capacity == null ? [] : [{ name = "FOSSA_MAX_CONCURRENT_TASKS", value = tostring(var.worker_capacity) }],
  )
  stop_timeout     = 120 # the most Fargate allows between SIGTERM and SIGKILL
  spot_weight      = var.worker_spot_percent
  on_demand_weight = 100 - var.worker_spot_percent
  autoscaling      = var.worker_max_count != null && coalesce(var.worker_max_count, 0) > var.worker_count
}

resource "aws_security_group" "worker" {
  name        = "${local.name}-worker"
  description = "fossa worker nodes: the Fossa HTTP API from the gateway only"
  vpc_id      = local.network.vpc_id
  tags        = { Name = "${local.name}-worker" }
}

resource "aws_vpc_security_group_ingress_rule" "worker_http" {
  security_group_id            = aws_security_group.worker.id
  description                  = "Fossa HTTP API and pages, for fossa-gateway"
  referenced_security_group_id = local.gateway.gateway_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = local.node_port
  to_port                      = local.node_port
}

resource "aws_vpc_security_group_egress_rule" "worker_all" {
  security_group_id = aws_security_group.worker.id
  description       = "The broker, image pulls and logs (through the gateway's NAT), and the models' data"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_ecs_task_definition" "worker" {
  family                   = "${local.name}-worker"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.worker_cpu
  memory                   = var.worker_memory
  execution_role_arn       = aws_iam_role.execution.arn
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
  container_definitions = jsonencode([{
    name         = "fossa-worker"
    image        = "${local.gateway.ecr_repository_url}:${var.worker_image_tag}"
    essential    = true
    portMappings = [{ containerPort = local.node_port, protocol = "tcp" }]
    environment  = local.worker_environment
    secrets      = [{ name = "RABBITMQ_URL", valueFrom = "${aws_secretsmanager_secret.broker.arn}:url::" }]
    # Scale-in, a new deployment or a spot reclaim: SIGTERM, then the node drains (above).
    stopTimeout = local.stop_timeout
    healthCheck = {
      # GET /healthz over bash's /dev/tcp: the image has no curl (deploy/aws/images/node-healthcheck).
      command     = ["CMD-SHELL", "/usr/local/bin/node-healthcheck"]
      interval    = 30
      timeout     = 5
      retries     = 3
      startPeriod = 10
    }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.ecs.name
        awslogs-region        = var.region
        awslogs-stream-prefix = "fossa_worker"
      }
    }
  }])
  depends_on = [aws_secretsmanager_secret_version.broker]
}

resource "aws_ecs_service" "worker" {
  name            = "fossa-worker"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.worker.arn
  desired_count   = var.worker_count
  propagate_tags  = "SERVICE"

  dynamic "capacity_provider_strategy" {
    for_each = local.on_demand_weight > 0 ? [1] : []
    content {
      capacity_provider = "FARGATE"
      weight            = local.on_demand_weight
    }
  }
  dynamic "capacity_provider_strategy" {
    for_each = local.spot_weight > 0 ? [1] : []
    content {
      capacity_provider = "FARGATE_SPOT"
      weight            = local.spot_weight
    }
  }

  network_configuration {
    subnets          = [local.network.private_subnet_id]
    security_groups  = [aws_security_group.worker.id]
    assign_public_ip = false
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  depends_on = [aws_ecs_cluster_capacity_providers.main]
}

# Optional: more workers while their CPU is busy, up to worker_max_count.
resource "aws_appautoscaling_target" "worker" {
  count              = local.autoscaling ? 1 : 0
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.main.name}/${aws_ecs_service.worker.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.worker_count
  max_capacity       = var.worker_max_count
}

resource "aws_appautoscaling_policy" "worker_cpu" {
  count              = local.autoscaling ? 1 : 0
  name               = "${local.name}-worker-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.worker[0].service_namespace
  resource_id        = aws_appautoscaling_target.worker[0].resource_id
  scalable_dimension = aws_appautoscaling_target.worker[0].scalable_dimension
  target_tracking_scaling_policy_configuration {
    target_value = 70
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
