# The network and gateway stacks' outputs, read from their states in the same workspace (= stack).
data "terraform_remote_state" "part" {
  for_each  = toset(["network", "gateway"])
  backend   = var.state_backend
  workspace = terraform.workspace
  config = var.state_backend == "local" ? {
    path          = "${path.module}/../${each.key}/terraform.tfstate"
    workspace_dir = "${path.module}/../${each.key}/terraform.tfstate.d"
  } : merge(var.state_config, { key = "fossa/${each.key}.tfstate" })

  lifecycle {
    # Every part lives in the network's region (see ../gateway/remote_state.tf).
    postcondition {
      condition     = try(self.outputs.region, null) == var.region
      error_message = "region ${var.region} is not the region of stack ${terraform.workspace}'s ${each.key} part (${try(self.outputs.region, "none: apply deploy/aws/${each.key} first")}): use that region (up.sh and down.sh do)."
    }
  }
}

locals {
  network = data.terraform_remote_state.part["network"].outputs
  gateway = data.terraform_remote_state.part["gateway"].outputs
}
