# Roles of the tasks. The execution role is ECS's own (pull images, write logs, read the broker's
# secret for the containers). The workers' task role, for their data, is in data_bucket.tf.
# ECS tasks' service principal, as named in the stack's region (its partition decides).
data "aws_service_principal" "ecs_tasks" {
  service_name = "ecs-tasks"
}

data "aws_iam_policy_document" "assume_ecs_tasks" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = [data.aws_service_principal.ecs_tasks.name]
    }
  }
}

resource "aws_iam_role" "execution" {
  name_prefix        = "${local.name}-exec-"
  assume_role_policy = data.aws_iam_policy_document.assume_ecs_tasks.json
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid       = "PullWorkerImage"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [local.gateway.ecr_repository_arn]
  }
  statement {
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.ecs.arn}:*"]
  }
  statement {
    sid       = "BrokerSecretAndNodeToken"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.broker.arn, local.gateway.api_token_secret_arn]
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "fossa-task-execution"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}
