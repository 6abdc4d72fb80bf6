# The broker's name: rabbitmq.<namespace>, an A record Cloud Map keeps pointing at the running
# RabbitMQ task. Workers connect by name, so a replaced broker is found again (the original polled
# the ECS API for an IP once, and lost the broker when it moved).
resource "aws_service_discovery_private_dns_namespace" "main" {
  name        = local.dns_namespace
  description = "Private names of the ${local.name} cluster"
  vpc         = local.network.vpc_id
}

resource "aws_service_discovery_service" "broker" {
  name = "rabbitmq"
  # The broker's task may still be registered when the stack comes down (ECS deregisters it as the
  # task stops, not as the service is deleted): deleting must not stop half-way on it.
  force_destroy = true
  dns_config {
    namespace_id   = aws_service_discovery_private_dns_namespace.main.id
    routing_policy = "MULTIVALUE"
    dns_records {
      type = "A"
      ttl  = 10
    }
  }
  health_check_custom_config {
    failure_threshold = 1
  }
}
