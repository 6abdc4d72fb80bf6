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
