# The broker's credentials, made here and kept in Secrets Manager only: the broker and the workers
# get them as ECS secrets. Write-only, so the password is not in the Terraform state either.
ephemeral "aws_secretsmanager_random_password" "broker" {
  password_length     = 32
  exclude_punctuation = true # it goes into an amqp:// URL
}

resource "aws_secretsmanager_secret" "broker" {
  name_prefix             = "${local.name}-broker-"
  description             = "RabbitMQ user of the ${local.name} cluster: username, password, url"
  recovery_window_in_days = 0 # down.sh removes it for good
}

resource "aws_secretsmanager_secret_version" "broker" {
  secret_id = aws_secretsmanager_secret.broker.id
  secret_string_wo = jsonencode({
    username = "fossa"
    password = ephemeral.aws_secretsmanager_random_password.broker.random_password
    url      = "amqp://fossa:${ephemeral.aws_secretsmanager_random_password.broker.random_password}@${local.broker_host}:${local.amqp_port}/"
  })
  # Made once; raise to make a new password (then redeploy both services).
  secret_string_wo_version = 1
}
