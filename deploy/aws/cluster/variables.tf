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

variable "worker_count" {
  description = "Worker nodes (Fargate tasks) the cluster keeps running."
  type        = number
  default     = 4
  validation {
    condition     = var.worker_count >= 0 && floor(var.worker_count) == var.worker_count
    error_message = "worker_count must be a whole number, 0 or more."
  }
}

variable "worker_max_count" {
  description = "Upper bound for scaling the workers on CPU; scaling is off while it equals worker_count (the default)."
  type        = number
  default     = null
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
  description = "Memory of a worker task in MiB; must fit worker_cpu by Fargate's table (256 CPU: 512-2048)."
  type        = number
  default     = 512
}

variable "worker_capacity" {
  description = "Tasks a worker node runs at once (FOSSA_MAX_CONCURRENT_TASKS); null: the node's default, one per CPU it sees."
  type        = number
  default     = null
}

variable "accepted_models" {
  description = "Models the workers run (FOSSA_ACCEPTED_MODELS, comma-separated); empty: every model in the image."
  type        = string
  default     = "PartitionedExampleEtl"
}

variable "worker_image_tag" {
  description = "Tag of the worker image in the stack's repository."
  type        = string
  default     = "fossa-worker"
}

variable "worker_spot_percent" {
  description = "Share of the workers, in percent, to run on FARGATE_SPOT (cheaper, may be stopped with two minutes' notice; their subtasks then run elsewhere)."
  type        = number
  default     = 0
  validation {
    condition     = var.worker_spot_percent >= 0 && var.worker_spot_percent <= 100
    error_message = "worker_spot_percent must be between 0 and 100."
  }
}

variable "broker_cpu" {
  description = "CPU units of the RabbitMQ task."
  type        = number
  default     = 256
}

variable "broker_memory" {
  description = "Memory of the RabbitMQ task in MiB."
  type        = number
  default     = 2048
}

variable "broker_image" {
  description = "RabbitMQ image (a 3.x image of Docker's official rabbitmq)."
  type        = string
  default     = "public.ecr.aws/docker/library/rabbitmq:3.13"
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
