# The network stack's outputs, read from its state in the same workspace (= the same stack).
data "terraform_remote_state" "network" {
  backend   = var.state_backend
  workspace = terraform.workspace
  config = var.state_backend == "local" ? {
    path          = "${path.module}/../network/terraform.tfstate"
    workspace_dir = "${path.module}/../network/terraform.tfstate.d"
  } : merge(var.state_config, { key = "fossa/network.tfstate" })

  lifecycle {
    # Every part lives in the network's region. Another region here would find none of this
    # part's resources there, plan to make them anew and orphan the real ones.
    postcondition {
      condition     = try(self.outputs.region, null) == var.region
      error_message = "region ${var.region} is not the region of stack ${terraform.workspace}'s network (${try(self.outputs.region, "none: apply deploy/aws/network first")}): use that region (up.sh and down.sh do)."
    }
  }
}

locals {
  network = data.terraform_remote_state.network.outputs
}
