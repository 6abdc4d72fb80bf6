# The gateway's web password, read by the instance at each start of fossa-gateway. Write-only: the
# password is in neither the Terraform state nor the instance's user data.
resource "aws_secretsmanager_secret" "gateway_password" {
  name_prefix             = "${local.name}-gateway-password-"
  description             = "Password of user fossa on the ${local.name} gateway"
  recovery_window_in_days = 0 # down.sh removes it for good, so a new stack of the same name can start at once
}

resource "aws_secretsmanager_secret_version" "gateway_password" {
  secret_id                = aws_secretsmanager_secret.gateway_password.id
  secret_string_wo         = var.gateway_password
  secret_string_wo_version = var.gateway_password_version
}

# The nodes' API token (FOSSA_API_TOKEN, docs/node.md): the workers require it as a Bearer token
# on their API, the gateway sends it. Defence in depth behind the security groups, which already
# let only the gateway reach a node. Made by Secrets Manager, written once, in no state or user data.
ephemeral "aws_secretsmanager_random_password" "api_token" {
  password_length     = 40
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret" "api_token" {
  name_prefix             = "${local.name}-api-token-"
  description             = "API token of the ${local.name} worker nodes (FOSSA_API_TOKEN)"
  recovery_window_in_days = 0
}

resource "aws_secretsmanager_secret_version" "api_token" {
  secret_id                = aws_secretsmanager_secret.api_token.id
  secret_string_wo         = ephemeral.aws_secretsmanager_random_password.api_token.random_password
  secret_string_wo_version = 1
}
