variable "region" {
  description = "AWS region of the stack; must be the network and gateway stacks'."
  type        = string
}

variable "stack" {
  description = "Name of the stack. Defaults to the Terraform workspace, which deploy/aws/up.sh names after the stack."
  type        = string
  default     = null
}

variable "state_backend" {
  description = "Where the network and gateway stacks keep their state: \"local\" (the default) or \"s3\" (see ../README.md)."
  type        = string
  default     = "local"
  validation {
    condition     = contains(["local", "s3"], var.state_backend)
    error_message = "state_backend must be \"local\" or \"s3\"."
  }
}

variable "state_config" {
  description = "For state_backend = \"s3\": the S3 backend settings shared by the stacks (bucket, region, and optionally workspace_key_prefix); each stack's key is fossa/<part>.tfstate."
  type        = map(string)
  default     = {}
}

variable "min_workers" {
  description = "Fewest worker nodes (Fargate tasks): the count the stack goes down to after idle_minutes with nothing waiting or running. 0: no worker costs anything while idle."
  type        = number
  default     = 0
  validation {
    condition     = var.min_workers >= 0 && floor(var.min_workers) == var.min_workers
    error_message = "min_workers must be a whole number, 0 or more."
  }
}

variable "max_workers" {
  description = "Most worker nodes the work may scale to; also the count a new stack starts with."
  type        = number
  default     = 4
  validation {
    condition     = var.max_workers >= 1 && floor(var.max_workers) == var.max_workers && var.max_workers >= var.min_workers
    error_message = "max_workers must be a whole number, at least 1 and at least min_workers."
  }
}

variable "idle_minutes" {
  description = "Minutes with no task waiting or running after which the workers go down to min_workers."
  type        = number
  default     = 15
  validation {
    condition     = var.idle_minutes >= 1 && floor(var.idle_minutes) == var.idle_minutes
    error_message = "idle_minutes must be a whole number, 1 or more."
  }
}

variable "worker_cpu" {
  description = "CPU units of a worker task (1024 = 1 vCPU); one of Fargate's sizes: 256, 512, 1024, 2048, 4096, 8192, 16384."
  type        = number
  default     = 256
  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.worker_cpu)
    error_message = "worker_cpu must be one of Fargate's sizes: 256, 512, 1024, 2048, 4096, 8192, 16384."
  }
}

variable "worker_memory" {
  description = "Memory of a worker task in MiB; must fit worker_cpu by Fargate's table (256 CPU: 512, 1024 or 2048; 1024 CPU: 2048-8192 by 1024; ...)."
  type        = number
  default     = 512
}

variable "worker_capacity" {
  description = "Tasks a worker node runs at once (FOSSA_MAX_CONCURRENT_TASKS), and the backlog per worker that scaling aims at; null: one per whole vCPU of worker_cpu, at least 1 (the node's own default counts the host's CPUs, not the task's share)."
  type        = number
  default     = null
  validation {
    condition     = var.worker_capacity == null || (coalesce(var.worker_capacity, 1) >= 1 && floor(coalesce(var.worker_capacity, 1)) == coalesce(var.worker_capacity, 1))
    error_message = "worker_capacity must be a whole number, 1 or more (or null)."
  }
}

variable "accepted_models" {
  description = "Models the workers run (FOSSA_ACCEPTED_MODELS, comma-separated); empty: the image's own list (the stock image: PartitionedExampleEtl; one built with your models: those its program lists)."
  type        = string
  default     = ""
}

variable "worker_image_tag" {
  description = "Tag of the worker image in the stack's repository."
  type        = string
  default     = "fossa-worker"
}

variable "worker_spot_percent" {
  description = "Share of the workers, in percent, to run on FARGATE_SPOT (cheaper, may be stopped with two minutes' notice; their subtasks then run elsewhere). Changing it redeploys the workers in place."
  type        = number
  default     = 0
  validation {
    condition     = var.worker_spot_percent >= 0 && var.worker_spot_percent <= 100
    error_message = "worker_spot_percent must be between 0 and 100."
  }
}

variable "broker_cpu" {
  description = "CPU units of the RabbitMQ task; with broker_memory, one of Fargate's sizes."
  type        = number
  default     = 256
}

variable "broker_memory" {
  description = "Memory of the RabbitMQ task in MiB."
  type        = number
  default     = 2048
}

variable "broker_image" {
  description = "RabbitMQ image (Docker's official rabbitmq, from ECR Public). 4.2 is the series with community support (see ../README.md)."
  type        = string
  default     = "public.ecr.aws/docker/library/rabbitmq:4.2"
}

variable "broker_consumer_timeout_hours" {
  description = "RabbitMQ's consumer_timeout, in hours: must exceed the longest subtask, or the broker closes the worker's channel and the subtask runs again."
  type        = number
  default     = 24
}

variable "dns_namespace" {
  description = "Private DNS namespace (Cloud Map) in which the broker is rabbitmq.<namespace>. Defaults to <stack>.fossa.internal."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the containers' logs."
  type        = number
  default     = 7
}

variable "data_bucket" {
  description = "An existing S3 bucket, in the stack's region, for the models' data; null (the default): the stack makes one, fossa-<stack>-data-<suffix>."
  type        = string
  default     = null
  validation {
    condition     = var.data_bucket == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.data_bucket))
    error_message = "data_bucket must be an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens."
  }
}

variable "data_bucket_force_destroy" {
  description = "Whether down.sh deletes the bucket the stack made even while it holds objects; false: down.sh stops at a non-empty bucket, keeping the data."
  type        = bool
  default     = false
}

variable "alarm_email" {
  description = "An e-mail address subscribed to the stack's alarm topic (stalled jobs; alarms.tf); AWS mails it a link to confirm first. Empty (the default): no subscription, and the alarm is seen in CloudWatch only."
  type        = string
  default     = ""
  validation {
    condition     = var.alarm_email == "" || can(regex("^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$", var.alarm_email))
    error_message = "alarm_email must be an e-mail address such as ops@example.com, or empty for none."
  }
}

variable "database_secrets" {
  description = "Resolver-context secrets of the worker nodes from Secrets Manager, for a database the stack does not make: context key (letters, digits, _) => the secret's full ARN, or one JSON key of it in ECS's form <ARN>:<json-key>:: (e.g. { db_password = \"arn:<partition>:secretsmanager:<region>:<account>:secret:prod/sales-AbCdEf:password::\" }). The workers get each as FOSSA_SECRET_<key>, which the node adds to every task's context as a secret; the execution role may read exactly these secrets. Empty (the default): none, and no policy."
  type        = map(string)
  default     = {}
  validation {
    condition     = alltrue([for key in keys(var.database_secrets) : can(regex("^[A-Za-z0-9_]+$", key))])
    error_message = "database_secrets: a key is a resolver-context key of letters, digits and underscores (the workers get FOSSA_SECRET_<key>), not: ${join(", ", [for key in keys(var.database_secrets) : "'${key}'" if !can(regex("^[A-Za-z0-9_]+$", key))])}."
  }
  validation {
    condition     = alltrue([for value in values(var.database_secrets) : can(regex("^arn:[a-z-]+:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}(:[^:]*:[^:]*:[^:]*)?$", value))])
    error_message = "database_secrets: ${join(", ", [for key, value in var.database_secrets : key if !can(regex("^arn:[a-z-]+:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}(:[^:]*:[^:]*:[^:]*)?$", value))])} must be a Secrets Manager secret's full ARN, as `aws secretsmanager describe-secret --secret-id NAME --query ARN` prints it (it ends in -XXXXXX), optionally followed by :<json-key>:: for one key of a JSON secret."
  }
}

variable "database_secrets_kms_keys" {
  description = "ARNs of the KMS keys that encrypt the database_secrets, when they are customer-managed keys (the execution role may then kms:Decrypt with these keys only). Empty (the default): the secrets use AWS's managed key, which needs no grant."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for key in var.database_secrets_kms_keys : can(regex("^arn:[a-z-]+:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", key))])
    error_message = "database_secrets_kms_keys: each must be a KMS key's ARN (arn:<partition>:kms:<region>:<account>:key/<key id>)."
  }
  validation {
    condition     = length(var.database_secrets_kms_keys) == 0 || length(var.database_secrets) > 0
    error_message = "database_secrets_kms_keys names keys for database_secrets, which is empty."
  }
}

variable "database_egress" {
  description = "Databases the worker nodes connect to (the stack makes none): each an IPv4 address or CIDR block and a TCP port, e.g. [{ address = \"10.20.0.15\", port = 5432 }], one egress rule of the workers' security group each. The database's own security group must let the workers in (output worker_security_group_id)."
  type = list(object({
    address = string
    port    = number
  }))
  default = []
  validation {
    condition     = alltrue([for d in var.database_egress : can(cidrnetmask(strcontains(d.address, "/") ? d.address : "${d.address}/32"))])
    error_message = "database_egress: ${join(", ", [for d in var.database_egress : "'${d.address}'" if !can(cidrnetmask(strcontains(d.address, "/") ? d.address : "${d.address}/32"))])} is not an IPv4 address or CIDR block (such as 10.20.0.15 or 10.20.0.0/24)."
  }
  validation {
    condition     = alltrue([for d in var.database_egress : !can(cidrnetmask(d.address)) || try(cidrsubnet(d.address, 0, 0) == d.address, false)])
    error_message = "database_egress: a CIDR block starts at its network's first address: ${join(", ", [for d in var.database_egress : "${d.address} is ${cidrsubnet(d.address, 0, 0)}" if can(cidrnetmask(d.address)) && !try(cidrsubnet(d.address, 0, 0) == d.address, false)])}."
  }
  validation {
    condition     = alltrue([for d in var.database_egress : d.port >= 1 && d.port <= 65535 && floor(d.port) == d.port])
    error_message = "database_egress: a port is a whole number from 1 to 65535, not ${join(", ", [for d in var.database_egress : tostring(d.port) if !(d.port >= 1 && d.port <= 65535 && floor(d.port) == d.port)])}."
  }
  validation {
    condition     = length(distinct([for d in var.database_egress : "${d.address} ${d.port}"])) == length(var.database_egress)
    error_message = "database_egress names the same address and port twice."
  }
}
