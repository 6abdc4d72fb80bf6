"""The rules held against what Terraform recorded (terraform_state.py), on documents shaped as
`terraform show -json` writes them: today's invalid values found, valid ones not."""
import unittest

import terraform_state


def state(*resources):
    return {"values": {"root_module": {"resources": [
        {"address": f"{kind}.{name}", "type": kind, "name": name, "values": values} for kind, name, values in resources]}}}


class TerraformState(unittest.TestCase):
    def test_a_rule_description_moto_drops_is_still_checked(self):
        found = terraform_state.problems(state(
            ("aws_vpc_security_group_egress_rule", "broker_all",
             {"description": "Image pulls and logs, through the gateway's NAT", "referenced_security_group_id": "sg-1"})))
        self.assertEqual(len(found), 1)
        self.assertTrue(found[0].startswith("aws_vpc_security_group_egress_rule.broker_all description: Invalid rule description"))

    def test_an_ecs_tag_outside_the_pattern(self):
        tags = {"fossa:metric-dimensions": "ClusterName=fossa-t,ServiceName=fossa-worker", "Project": "fossa"}
        found = terraform_state.problems(state(("aws_ecs_service", "worker", {"tags_all": tags})))
        self.assertEqual(len(found), 1)
        self.assertIn("tag fossa:metric-dimensions: 'ClusterName=fossa-t,ServiceName=fossa-worker': Member must satisfy "
                      "regular expression pattern", found[0])

    def test_a_plan_and_a_module_are_read_too(self):
        plan = {"planned_values": {"root_module": {"child_modules": [{"resources": [
            {"address": "module.m.aws_s3_bucket.data", "type": "aws_s3_bucket", "values": {"bucket": "Fossa_Data"}}]}]}}}
        self.assertEqual(len(terraform_state.problems(plan)), 1)

    def test_valid_values_pass(self):
        self.assertEqual(terraform_state.problems(state(
            ("aws_security_group", "gateway", {"name": "fossa-t-gateway", "description": "fossa gateway: web (NAT)",
                                               "ingress": [{"description": "pages"}], "egress": []}),
            ("aws_vpc_security_group_ingress_rule", "web", {"description": "fossa-gateway pages"}),
            ("aws_ecs_service", "worker", {"tags_all": {"fossa:metric-dimensions": "ClusterName=fossa-t ServiceName=fossa-worker"}}),
            ("aws_s3_bucket", "data", {"bucket": "fossa-t-data-2026"}),
            ("aws_secretsmanager_secret", "broker", {"name": "fossa-t-broker-2026"}),
            ("aws_cloudwatch_log_group", "ecs", {"name": "/fossa/t/ecs"}),
            ("aws_service_discovery_private_dns_namespace", "main", {"name": "t.fossa.internal"}))), [])


if __name__ == "__main__":
    unittest.main()
