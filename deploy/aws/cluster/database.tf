# A database of the models, outside the stack (the stack makes none): its credentials reach the
# worker nodes from Secrets Manager as resolver-context secrets, and the workers' security group
# names its address and port.
#
# database_secrets maps a context key to a secret (or one JSON key of it, in ECS's own form). ECS
# reads each with the execution role when a worker starts and hands it to the container as
# FOSSA_SECRET_<key>; the node adds it to every task's context as a secret (docs/node.md), so a
# dataset URL such as postgresql://{db_user}:{db_password}@{db_host}/sales fills from it and shows
# it as ***. The execution role may read these secrets and nothing else of Secrets Manager beyond
# the stack's own (iam.tf); no policy at all when there are none.
locals {
  # The secret's full ARN (ending in -XXXXXX, which Secrets Manager adds to the name), then
  # optionally ECS's :json-key:version-stage:version-id.
  database_secret_pattern = "^(arn:[a-z-]+:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6})(:[^:]*:[^:]*:[^:]*)?$"
  database_secret_arns    = distinct([for value in values(var.database_secrets) : regex(local.database_secret_pattern, value)[0]])
  database_secret_entries = [for key, value in var.database_secrets : { name = "FOSSA_SECRET_${key}", valueFrom = value }]
  # A host's address is the block of that one address.
  database_egress = { for d in var.database_egress : "${strcontains(d.address, "/") ? d.address : "${d.address}/32"} port ${d.port}" => {
    cidr = strcontains(d.address, "/") ? d.address : "${d.address}/32"
    port = d.port
  } }
}

data "aws_iam_policy_document" "database_secrets" {
  count = length(var.database_secrets) > 0 ? 1 : 0
  statement {
    sid       = "ReadTheDatabaseSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = local.database_secret_arns
  }
  # Only for secrets encrypted with a key of the account's own (AWS's managed key needs no grant).
  dynamic "statement" {
    for_each = length(var.database_secrets_kms_keys) > 0 ? [1] : []
    content {
      sid       = "DecryptThem"
      actions   = ["kms:Decrypt"]
      resources = var.database_secrets_kms_keys
    }
  }
}

resource "aws_iam_role_policy" "database_secrets" {
  count  = length(var.database_secrets) > 0 ? 1 : 0
  name   = "fossa-database-secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.database_secrets[0].json
}

# The workers' group already lets everything out (worker_all: image pulls, logs, the models' data);
# a rule per database keeps it reachable should that rule be narrowed, and says where the
# workers' databases are. The database's own security group must let the workers in: from
# worker_security_group_id (an output) on its port.
resource "aws_vpc_security_group_egress_rule" "worker_database" {
  for_each          = local.database_egress
  security_group_id = aws_security_group.worker.id
  description       = "A database of the models (database_egress)"
  cidr_ipv4         = each.value.cidr
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
}
