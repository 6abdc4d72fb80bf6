# Where the models' data lives: one S3 bucket, made here (fossa-<stack>-data-<suffix>) unless
# data_bucket names an existing one. The worker nodes' task role may list it and get, put and
# abort uploads of its objects, and nothing else. The private subnet reaches S3 through a gateway
# VPC endpoint (free), so the data and ECR's image layers bypass the NAT instance.
locals {
  make_data_bucket = var.data_bucket == null
  data_bucket      = local.make_data_bucket ? aws_s3_bucket.data[0].bucket : var.data_bucket
  data_bucket_arn  = "arn:${data.aws_partition.current.partition}:s3:::${local.data_bucket}"
}

# The region's partition: arn:aws-cn:... and cn.com.amazonaws.<region>.s3 in China.
data "aws_partition" "current" {}

resource "aws_s3_bucket" "data" {
  count         = local.make_data_bucket ? 1 : 0
  bucket_prefix = "${local.name}-data-"
  # False by default: down.sh then stops at a bucket that still holds data instead of deleting it.
  force_destroy = var.data_bucket_force_destroy
}

resource "aws_s3_bucket_public_access_block" "data" {
  count                   = local.make_data_bucket ? 1 : 0
  bucket                  = aws_s3_bucket.data[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Requests without TLS are refused, whoever makes them.
data "aws_iam_policy_document" "data_bucket" {
  count = local.make_data_bucket ? 1 : 0
  statement {
    sid       = "TlsOnly"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.data[0].arn, "${aws_s3_bucket.data[0].arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "data" {
  count      = local.make_data_bucket ? 1 : 0
  bucket     = aws_s3_bucket.data[0].id
  policy     = data.aws_iam_policy_document.data_bucket[0].json
  depends_on = [aws_s3_bucket_public_access_block.data]
}

# A dataset written to S3 is a multipart upload that the node aborts when the model fails; one
# whose process was killed first is left incomplete (and billed) until this rule removes it. Only
# on the bucket made here: a lifecycle configuration replaces the bucket's whole one, so an
# existing bucket keeps its own (deploy/aws/README.md says how to add the rule there).
resource "aws_s3_bucket_lifecycle_configuration" "data" {
  count  = local.make_data_bucket ? 1 : 0
  bucket = aws_s3_bucket.data[0].id
  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

# The worker nodes' own role (their models' datasets on S3), as distinct from the execution role.
resource "aws_iam_role" "worker_task" {
  name_prefix        = "${local.name}-task-"
  assume_role_policy = data.aws_iam_policy_document.assume_ecs_tasks.json
}

data "aws_iam_policy_document" "worker_data" {
  statement {
    sid       = "ListTheDataBucket"
    actions   = ["s3:ListBucket"]
    resources = [local.data_bucket_arn]
  }
  statement {
    sid       = "ReadAndWriteItsObjects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"]
    resources = ["${local.data_bucket_arn}/*"]
  }
}

resource "aws_iam_role_policy" "worker_data" {
  name   = "fossa-data-bucket"
  role   = aws_iam_role.worker_task.id
  policy = data.aws_iam_policy_document.worker_data.json
}

# S3 from the private subnet without the NAT: a gateway endpoint on its route table (the gateway
# stack's). The endpoint's policy is AWS's default (any S3 request): ECR's layers live in an
# AWS-owned bucket, and what the workers may do is the task role's business.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = local.network.vpc_id
  service_name      = "${data.aws_partition.current.reverse_dns_prefix}.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  tags              = { Name = "${local.name}-s3" }
}

resource "aws_vpc_endpoint_route_table_association" "s3_private" {
  vpc_endpoint_id = aws_vpc_endpoint.s3.id
  route_table_id  = local.gateway.private_route_table_id
}
