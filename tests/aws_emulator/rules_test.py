"""Each documented rule (rules.py) refuses its bad examples with its error and passes its good ones,
each sent as an SDK sends it through the front's whole check (the model's constraints first, so
a refused example is one the model alone would let through)."""
import unittest
import urllib.parse

import front
import model_check
import rules
import sdk_requests


def verdict(service, operation, params, protocol=None, state=None):
    strict = front.StrictFront(app=None, log=lambda line: None)
    strict.state = state if state is not None else {}
    return strict.verdict(sdk_requests.request(service, operation, params, protocol))


class TheTable(unittest.TestCase):
    def test_every_rule_has_its_source_and_examples_both_ways(self):
        names = [rule.name for rule in rules.RULES]
        self.assertEqual(len(names), len(set(names)), "rule names are unique")
        for rule in rules.RULES:
            with self.subTest(rule=rule.name):
                source = urllib.parse.urlsplit(rule.source)
                self.assertEqual((source.scheme, source.netloc), ("https", "docs.aws.amazon.com"), rule.source)
                self.assertTrue(any(e.refused for e in rule.examples), "an example it refuses")
                self.assertTrue(any(not e.refused for e in rule.examples), "an example it passes")
                model = model_check.service_model(rule.service)
                for operation in rule.operations + rule.after_operations:
                    self.assertIn(operation, model.operation_names)

    def test_each_rule_refuses_its_bad_examples_and_passes_its_good_ones(self):
        for rule in rules.RULES:
            for example in rule.examples:
                with self.subTest(rule=rule.name, params=str(example.params)[:200]):
                    parsed = model_check.parse(sdk_requests.request(rule.service, example.operation, example.params))
                    self.assertEqual(model_check.check(parsed), [], "the model alone lets the example through")
                    error, _ = verdict(rule.service, example.operation, example.params)
                    if example.refused:
                        self.assertIsNotNone(error, "refused")
                        found = front._error_shape(model_check.service_model(rule.service), rule.error)
                        self.assertIn(error.code, {rule.error, found[0] if found else rule.error})
                        self.assertEqual(error.status, found[1] if found else rule.status)
                    else:
                        self.assertIsNone(error, error and error.message)

    def test_cloudwatch_rules_hold_in_both_of_its_protocols(self):
        """The gateway sends PutMetricData as a form (query); boto3 as JSON."""
        bad = {"Namespace": "AWS/ECS", "MetricData": [{"MetricName": "m", "Value": 1.0}]}
        for protocol, code in (("query", "InvalidParameterValue"), ("json", "InvalidParameterValueException")):
            with self.subTest(protocol=protocol):
                error, _ = verdict("cloudwatch", "PutMetricData", bad, protocol)
                self.assertEqual((error.code, error.protocol), (code, protocol))


class InlinePoliciesPerRole(unittest.TestCase):
    """IAM counts the inline policies of a role together: the front keeps what was stored."""

    def setUp(self):
        self.answers = []
        self.strict = front.StrictFront(self.app, log=lambda line: None)

    def app(self, environ, start_response):
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b"<ok/>"]

    def send(self, operation, **params):
        request = sdk_requests.request("iam", operation, params)
        error, parsed = self.strict.verdict(request)
        if error is None:
            rules.remember("iam", operation, parsed.params, self.strict.state)
        return error

    def test_policies_that_fit_alone_but_not_together_are_refused_until_one_goes(self):
        half = rules._policy(6000)
        self.assertIsNone(self.send("PutRolePolicy", RoleName="r", PolicyName="one", PolicyDocument=half))
        self.assertIsNone(self.send("PutRolePolicy", RoleName="r", PolicyName="one", PolicyDocument=half),
                          "replacing a policy counts it once")
        self.assertIsNone(self.send("PutRolePolicy", RoleName="other", PolicyName="two", PolicyDocument=half),
                          "another role's policies count apart")
        refused = self.send("PutRolePolicy", RoleName="r", PolicyName="two", PolicyDocument=half)
        self.assertEqual((refused.code, refused.status), ("LimitExceeded", 409))
        self.assertIn("Maximum policy size of 10240 bytes exceeded for role r", refused.message)
        self.assertIsNone(self.send("DeleteRolePolicy", RoleName="r", PolicyName="one"))
        self.assertIsNone(self.send("PutRolePolicy", RoleName="r", PolicyName="two", PolicyDocument=half))


if __name__ == "__main__":
    unittest.main()
