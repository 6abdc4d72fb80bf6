# The gateway: one EC2 instance on the public subnet that is the private subnet's NAT (source/dest
# check off, the private route table's default route) and serves fossa-gateway, the cluster's only
# public door. It provisions itself at first boot with cloud-init (cloud-init.yaml.tftpl).
locals {
  stack    = coalesce(var.stack, terraform.workspace)
  name     = "fossa-${local.stack}"
  web_port = var.https ? 443 : 80
  # The network chose its zone for this type (a network state from before the choice has none).
  instance_type = coalesce(var.instance_type, try(local.network.gateway_instance_type, null), "t3.small")
  # What cloud-init installs from ./provision: programs in /usr/local/sbin, units in /etc/systemd/system.
  provision_files = ["fossa-provision", "fossa-provision.service", "fossa-nat", "fossa-nat.service",
  "fossa-nat-check.service", "fossa-nat-check.timer", "fossa-gateway-run", "fossa-gateway.service"]
}

# The zones (ids) that offer the gateway's instance type: the network's zone must be one.
data "aws_ec2_instance_type_offerings" "gateway" {
  location_type = "availability-zone-id"
  filter {
    name   = "instance-type"
    values = [local.instance_type]
  }
}

data "aws_ssm_parameter" "al2023" {
  count = var.gateway_ami_id == null ? 1 : 0
  name  = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

resource "aws_security_group" "gateway" {
  name        = "${local.name}-gateway"
  description = "fossa gateway: web from the allowed CIDR; everything from the private subnet (NAT)"
  vpc_id      = local.network.vpc_id
  tags        = { Name = "${local.name}-gateway" }
}

resource "aws_vpc_security_group_ingress_rule" "web" {
  security_group_id = aws_security_group.gateway.id
  description       = "fossa-gateway pages"
  cidr_ipv4         = var.allowed_cidr
  ip_protocol       = "tcp"
  from_port         = local.web_port
  to_port           = local.web_port
}

resource "aws_vpc_security_group_ingress_rule" "ssh" {
  count             = var.ssh_key_name == null ? 0 : 1
  security_group_id = aws_security_group.gateway.id
  description       = "SSH, only with a key pair and only from the allowed CIDR"
  cidr_ipv4         = var.allowed_cidr
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
}

resource "aws_vpc_security_group_ingress_rule" "nat" {
  security_group_id = aws_security_group.gateway.id
  description       = "Traffic of the private subnet on its way out (NAT)"
  cidr_ipv4         = local.network.private_subnet_cidr
  ip_protocol       = "-1"
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.gateway.id
  description       = "Out to anywhere: package installs, ECR, the ECS API, and the traffic of the private subnet (NAT)"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_instance" "gateway" {
  ami                    = coalesce(var.gateway_ami_id, try(nonsensitive(data.aws_ssm_parameter.al2023[0].value), null))
  instance_type          = local.instance_type
  subnet_id              = local.network.public_subnet_id
  vpc_security_group_ids = [aws_security_group.gateway.id]
  iam_instance_profile   = aws_iam_instance_profile.gateway.name
  key_name               = var.ssh_key_name
  # A router forwards packets that are neither from nor to itself.
  source_dest_check = false

  # Gzipped: EC2 takes 16 KiB of user data, and cloud-init unpacks it.
  user_data_replace_on_change = true
  user_data_base64 = base64gzip(templatefile("${path.module}/cloud-init.yaml.tftpl", {
    private_cidr    = local.network.private_subnet_cidr
    region          = var.region
    password_secret = aws_secretsmanager_secret.gateway_password.arn
    token_secret    = aws_secretsmanager_secret.api_token.arn
    records_volume  = aws_ebs_volume.records.id
    ecs_cluster     = local.name                  # the cluster part's name for its ECS cluster (../cluster/main.tf)
    log_group       = "/fossa/${local.stack}/ecs" # the cluster part's log group of its containers (../cluster/main.tf)
    registry        = split("/", aws_ecr_repository.images.repository_url)[0]
    gateway_image   = "${aws_ecr_repository.images.repository_url}:fossa-gateway"
    https           = var.https
    web_port        = local.web_port
    files = { for f in local.provision_files :
    f => file("${path.module}/provision/${f}") }
  }))

  metadata_options {
    # IMDSv2 only. Two hops so that fossa-gateway inside its container reaches it too.
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }

  root_block_device {
    volume_type = "gp3"
    volume_size = 16
    encrypted   = true
  }

  tags = { Name = "${local.name}-gateway" }

  lifecycle {
    # A newer AMI must not replace the running gateway (and with it the route of every worker).
    ignore_changes = [ami]
    precondition {
      condition     = contains(data.aws_ec2_instance_type_offerings.gateway.locations, local.network.zone_id)
      error_message = "instance_type ${local.instance_type} is not offered in the network's zone ${local.network.zone_id}: set the network part's gateway_instance_type to it (the zone is chosen for that type) and apply the network first, or choose a type offered there."
    }
  }
}

# A fixed public address that survives replacing the instance.
resource "aws_eip" "gateway" {
  domain   = "vpc"
  instance = aws_instance.gateway.id
  tags     = { Name = "${local.name}-gateway" }
}

# The private subnet's only way out: through the gateway's network interface.
resource "aws_route_table" "private" {
  vpc_id = local.network.vpc_id
  tags   = { Name = "${local.name}-private" }
}

resource "aws_route" "private_default" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  network_interface_id   = aws_instance.gateway.primary_network_interface_id
}

resource "aws_route_table_association" "private" {
  subnet_id      = local.network.private_subnet_id
  route_table_id = aws_route_table.private.id
}
