# The gateway instance's role: read the ECS API (discovery of nodes), pull this stack's images,
# read its own password and the nodes' API token, and be reachable through SSM Session Manager instead of SSH. It may not
# push: images come from the deployer's machine, and a gateway (the stack's internet-facing part)
# that could push could replace the workers' image. The cluster part adds what scaling the workers
# needs (../cluster/scaling.tf).
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

# EC2's service principal, as named in the stack's region (ec2.amazonaws.com.cn in China).
data "aws_service_principal" "ec2" {
  service_name = "ec2"
}

data "aws_iam_policy_document" "assume_ec2" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = [data.aws_service_principal.ec2.name]
    }
  }
}

resource "aws_iam_role" "gateway" {
  name_prefix        = "${local.name}-gateway-"
  assume_role_policy = data.aws_iam_policy_document.assume_ec2.json
}

data "aws_iam_policy_document" "gateway" {
  statement {
    sid = "EcsReadOnly"
    # List* and Describe* on ECS take no resource-level restriction.
    actions = [
      "ecs:ListClusters", "ecs:DescribeClusters", "ecs:ListTasks", "ecs:DescribeTasks",
      "ecs:ListServices", "ecs:DescribeServices", "ecs:DescribeTaskDefinition",
    ]
    resources = ["*"]
  }
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid       = "EcrPullThisStack"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [aws_ecr_repository.images.arn]
  }
  statement {
    sid       = "OwnPasswordAndNodeToken"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.gateway_password.arn, aws_secretsmanager_secret.api_token.arn]
  }
}

resource "aws_iam_role_policy" "gateway" {
  name   = "fossa-gateway"
  role   = aws_iam_role.gateway.id
  policy = data.aws_iam_policy_document.gateway.json
}

resource "aws_iam_role_policy_attachment" "ssm" {
  role       = aws_iam_role.gateway.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "gateway" {
  name_prefix = "${local.name}-gateway-"
  role        = aws_iam_role.gateway.name
}
