# Scaling the workers with the work, down to min_workers (0 by default) when idle. Who does what
# (the rule itself is src/gateway/scaling/scaling.h):
# - The gateway publishes BacklogPerWorker (tasks waiting in fossa_task_queue or running, per
#   running worker) to CloudWatch every minute, in the stack's own namespace.
# - Application Auto Scaling tracks it at slots_per_worker, between min_workers and max_workers.
#   It only scales out: scaling in would pick workers at random, busy ones included.
# - The gateway sets the count itself where tracking cannot: from zero (a job posted while no
#   worker runs) and back to min_workers after idle_minutes with nothing waiting or running.
# The gateway's loop (src/gateway/scaling/scaler_loop.h) finds all it needs in the worker service's tags
# below; a gateway older than the loop ignores them, and the service keeps its count.
locals {
  metric_namespace = "Fossa/${local.stack}"
  metric_name      = "BacklogPerWorker"
  worker_service_dimensions = {
    ClusterName = aws_ecs_cluster.main.name
    ServiceName = "fossa-worker"
  }
  # On the worker service, where the gateway's discovery already looks (ecs:DescribeServices).
  # Every value keeps to ECS's tag pattern (letters, digits, spaces and _.:/=+-@): the dimensions
  # target tracking reads are one tag each, as a list of them would need a comma.
  scaling_tags = merge({
    "fossa:min-workers"      = tostring(var.min_workers)
    "fossa:max-workers"      = tostring(var.max_workers)
    "fossa:slots-per-worker" = tostring(local.slots_per_worker)
    "fossa:idle-minutes"     = tostring(var.idle_minutes)
    "fossa:metric-namespace" = local.metric_namespace
    "fossa:metric-name"      = local.metric_name
    # The secret whose "url" is the broker's (with its credentials): the gateway reads the depth of
    # fossa_task_queue there.
    "fossa:broker-secret" = aws_secretsmanager_secret.broker.arn
  }, { for name, value in local.worker_service_dimensions : "fossa:metric-dimension:${name}" => value })
}

resource "aws_appautoscaling_target" "worker" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.main.name}/${aws_ecs_service.worker.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.min_workers
  max_capacity       = var.max_workers
}

resource "aws_appautoscaling_policy" "worker_backlog" {
  name               = "${local.name}-worker-backlog"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.worker.service_namespace
  resource_id        = aws_appautoscaling_target.worker.resource_id
  scalable_dimension = aws_appautoscaling_target.worker.scalable_dimension
  target_tracking_scaling_policy_configuration {
    target_value       = local.slots_per_worker
    disable_scale_in   = true
    scale_out_cooldown = 60
    customized_metric_specification {
      namespace   = local.metric_namespace
      metric_name = local.metric_name
      statistic   = "Average"
      dynamic "dimensions" {
        for_each = local.worker_service_dimensions
        content {
          name  = dimensions.key
          value = dimensions.value
        }
      }
    }
  }
}

# What the gateway instance (its role is the gateway part's) may do for this: publish in this
# stack's namespace only, change the count of this one service (and nothing that matters
# besides), and read the broker's credentials to ask RabbitMQ how deep fossa_task_queue is.
data "aws_iam_policy_document" "gateway_scaling" {
  statement {
    sid       = "PublishBacklogMetric"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"] # PutMetricData has no resource; the namespace condition is the limit
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = [local.metric_namespace]
    }
  }
  # The count of this one service, and nothing a compromised gateway could turn into more: the
  # service may be pointed at no task definition but its own family's (no other task role), and
  # may not be given ECS Exec, a public address, another subnet, Service Connect, VPC Lattice or
  # EBS volumes. Each condition holds only when the request carries its key, so the gateway's
  # own call (cluster, service, desiredCount) passes. Why not Application Auto Scaling instead:
  # deploy/aws/README.md, "The gateway's right to set the count".
  statement {
    sid       = "SetWorkerCount"
    actions   = ["ecs:UpdateService"]
    resources = [aws_ecs_service.worker.id]
    condition {
      test     = "ArnLikeIfExists"
      variable = "ecs:task-definition"
      values   = ["${aws_ecs_task_definition.worker.arn_without_revision}:*"]
    }
    condition {
      test     = "BoolIfExists"
      variable = "ecs:auto-assign-public-ip"
      values   = ["false"]
    }
    condition {
      test     = "ForAllValues:StringEquals"
      variable = "ecs:subnet"
      values   = [local.network.private_subnet_id]
    }
    dynamic "condition" {
      for_each = ["ecs:enable-execute-command", "ecs:enable-service-connect", "ecs:enable-vpc-lattice", "ecs:enable-ebs-volumes"]
      content {
        test     = "StringEqualsIfExists"
        variable = condition.value
        values   = ["false"]
      }
    }
  }
  # The gateway reads the settings above with DescribeServices (include TAGS; its role's read-only
  # ECS rights cover the call). Reading tags is ListTagsForResource's right, granted here on this
  # service only in case the tags are authorised as that (the emulator cannot tell).
  statement {
    sid       = "ReadWorkerSettings"
    actions   = ["ecs:ListTagsForResource"]
    resources = [aws_ecs_service.worker.id]
  }
  statement {
    sid       = "ReadBrokerCredentials"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.broker.arn]
  }
}

resource "aws_iam_role_policy" "gateway_scaling" {
  name   = "fossa-scale-workers"
  role   = local.gateway.gateway_role_name
  policy = data.aws_iam_policy_document.gateway_scaling.json
}

# The gateway asks the broker for the queue's depth (a passive declare over AMQP).
resource "aws_vpc_security_group_ingress_rule" "broker_amqp_from_gateway" {
  security_group_id            = aws_security_group.broker.id
  description                  = "AMQP from the gateway: the depth of fossa_task_queue, for scaling"
  referenced_security_group_id = local.gateway.gateway_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = local.amqp_port
  to_port                      = local.amqp_port
}
