# The worker nodes: `fossa node` in the stack's fossa-worker image, min_workers to max_workers
# Fargate tasks in the private subnet (how many: scaling.tf). Each takes subtasks from the broker
# and serves the Fossa API on 2345 to the gateway. The service is named fossa-worker: the gateway
# links tasks of group service:fossa-worker to their node pages (fossa-gateway --worker-group).
locals {
  worker_environment = concat(
    [
      { name = "FOSSA_HTTP_PORT", value = tostring(local.node_port) },
      # Every address of the task (a node's default is loopback): the gateway calls it on its ENI's.
      { name = "FOSSA_BIND", value = "0.0.0.0" },
      { name = "FOSSA_LOG_FORMAT", value = "json" },
      # On SIGTERM, running subtasks may finish for this long before they are stopped and handed
      # back; the rest of stopTimeout covers the node's own 5 s stop and the last confirms.
      { name = "FOSSA_DRAIN_SECONDS", value = tostring(local.stop_timeout - 20) },
    ],
    [{ name = "FOSSA_MAX_CONCURRENT_TASKS", value = tostring(local.slots_per_worker) }],
    var.accepted_models == "" ? [] : [{ name = "FOSSA_ACCEPTED_MODELS", value = var.accepted_models }],
  )
  # A node's own default counts the CPUs it sees, which on Fargate are the host's, not the task's.
  slots_per_worker = coalesce(var.worker_capacity, max(1, floor(var.worker_cpu / 1024)))
  stop_timeout     = 120 # the most Fargate allows between SIGTERM and SIGKILL
  spot_weight      = var.worker_spot_percent
  on_demand_weight = 100 - var.worker_spot_percent
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
  description       = "The broker, image pulls and logs (through the NAT of the gateway), and the data of the models"
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
  task_role_arn            = aws_iam_role.worker_task.arn
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
  lifecycle {
    precondition {
      condition     = contains(lookup(local.fargate_memory, tostring(var.worker_cpu), []), var.worker_memory)
      error_message = "worker_cpu ${var.worker_cpu} with worker_memory ${var.worker_memory} is not a Fargate size; with ${var.worker_cpu} CPU units: ${join(", ", lookup(local.fargate_memory, tostring(var.worker_cpu), []))} MiB."
    }
  }
  container_definitions = jsonencode([{
    name         = "fossa-worker"
    image        = "${local.gateway.ecr_repository_url}:${var.worker_image_tag}"
    essential    = true
    portMappings = [{ containerPort = local.node_port, protocol = "tcp" }]
    environment  = local.worker_environment
    secrets = concat([
      { name = "RABBITMQ_URL", valueFrom = "${aws_secretsmanager_secret.broker.arn}:url::" },
      # The gateway sends it; nothing else may use a node's API (docs/node.md, FOSSA_API_TOKEN).
      { name = "FOSSA_API_TOKEN", valueFrom = local.gateway.api_token_secret_arn },
    ], local.database_secret_entries) # FOSSA_SECRET_<key>: database.tf
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
  # Only the first count: from then on scaling owns it (scaling.tf), and an up.sh that set it again
  # would drain busy workers or undo a scale-out.
  desired_count  = var.max_workers
  propagate_tags = "SERVICE"
  # What the gateway's scaling reads (src/gateway/scaling/scaling.h's limits, and where it publishes).
  tags = local.scaling_tags

  # Both providers are always declared, one possibly at weight 0, and a change of weights is a new
  # deployment of the same service (force_new_deployment): otherwise adding or dropping a provider
  # replaces the service, stopping every worker at once.
  capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = local.on_demand_weight
  }
  capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = local.spot_weight
  }
  force_new_deployment = true

  network_configuration {
    subnets          = [local.network.private_subnet_id]
    security_groups  = [aws_security_group.worker.id]
    assign_public_ip = false
  }

  # Stops a deployment whose tasks keep failing. The first deployment has nothing to roll back to:
  # up.sh waits for a steady state and says how to recover (../README.md, "When the workers do not start").
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  lifecycle {
    ignore_changes = [desired_count]
  }

  # A worker that starts before it may read its secrets fails to start.
  depends_on = [aws_ecs_cluster_capacity_providers.main, aws_iam_role_policy.execution, aws_iam_role_policy.database_secrets]
}

# A node protects its task from scale-in while it runs anything (docs/node.md, "Scale-in
# protection"), through its ECS agent, which acts with the task's role: these two calls, on this
# cluster's tasks only.
data "aws_iam_policy_document" "worker_protection" {
  statement {
    sid       = "OwnScaleInProtection"
    actions   = ["ecs:UpdateTaskProtection", "ecs:GetTaskProtection"]
    resources = ["${replace(aws_ecs_cluster.main.arn, ":cluster/", ":task/")}/*"]
  }
}

resource "aws_iam_role_policy" "worker_protection" {
  name   = "fossa-scale-in-protection"
  role   = aws_iam_role.worker_task.id
  policy = data.aws_iam_policy_document.worker_protection.json
}
