# The network stack's outputs, read from its state in the same workspace (= the same stack).
data "terraform_remote_state" "network" {
  backend   = var.state_backend
  workspace = terraform.workspace
  config = var.state_backend == "local" ? {
    path          = "${path.module}/../network/terraform.tfstate"
    workspace_dir = "${path.module}/../network/terraform.tfstate.d"
  } : merge(var.state_config, { key = "fossa/network.tfstate" })
}

locals {
  network = data.terraform_remote_state.network.outputs
}
