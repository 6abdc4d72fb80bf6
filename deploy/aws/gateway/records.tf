# The job records' volume (docs/gateway.md, "Job records"): fossa-gateway keeps its SQLite file of
# every job's record on it, mounted at /var/lib/fossa-gateway, so the jobs' history outlives the
# instance. In the zone of the gateway's subnet; replacing the instance attaches it again, and
# `down.sh` deletes it with the stack. 8 GiB hold the 100,000 records kept by default many times over.
data "aws_subnet" "public" {
  id = local.network.public_subnet_id
}

resource "aws_ebs_volume" "records" {
  availability_zone = data.aws_subnet.public.availability_zone
  type              = "gp3"
  size              = 8
  encrypted         = true
  tags              = { Name = "${local.name}-job-records" }
}

resource "aws_volume_attachment" "records" {
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.records.id
  instance_id = aws_instance.gateway.id
}
