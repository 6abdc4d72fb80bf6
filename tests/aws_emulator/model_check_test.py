"""The model check (model_check.py): requests as an SDK sends them, in each protocol the tests use,
read into their operation's input and held to each kind of constraint; and the error each gets
from the front, read back by botocore's own parser for that protocol, as an SDK reads AWS's."""
import unittest

import front
import model_check
import sdk_requests


def answer(service, operation, params, protocol=None):
    """The front's answer to a request: (the error as botocore reads it, or None; the parsed request)."""
    request = sdk_requests.request(service, operation, params, protocol)
    error, parsed = front.StrictFront(app=None, log=lambda line: None).verdict(request)
    if error is None:
        return None, parsed
    status, headers, body = front.render(error, request, "request-1")
    read = sdk_requests.parse_error(service, operation, int(status.split()[0]), dict(headers), body, protocol)
    read["Status"] = int(status.split()[0])
    return read, parsed


class Reading(unittest.TestCase):
    """Each protocol read into the model's members, so that the checks see what was sent."""

    def test_json(self):
        _, parsed = answer("ecs", "UpdateService", {"cluster": "c", "service": "s", "desiredCount": 2})
        self.assertEqual((parsed.protocol, parsed.operation_name), ("json", "UpdateService"))
        self.assertEqual(parsed.params, {"cluster": "c", "service": "s", "desiredCount": 2})

    def test_query_with_lists_and_structures(self):
        datum = {"MetricName": "BacklogPerWorker", "Value": 2.5,
                 "Dimensions": [{"Name": "ClusterName", "Value": "c"}, {"Name": "ServiceName", "Value": "s"}]}
        _, parsed = answer("cloudwatch", "PutMetricData", {"Namespace": "Fossa/t", "MetricData": [datum]}, "query")
        self.assertEqual((parsed.protocol, parsed.operation_name), ("query", "PutMetricData"))
        self.assertEqual(parsed.params, {"Namespace": "Fossa/t", "MetricData": [datum]})

    def test_ec2_with_its_own_list_names(self):
        permission = {"IpProtocol": "tcp", "FromPort": 5672, "ToPort": 5672,
                      "UserIdGroupPairs": [{"GroupId": "sg-2", "Description": "AMQP"}]}
        _, parsed = answer("ec2", "AuthorizeSecurityGroupIngress", {"GroupId": "sg-1", "IpPermissions": [permission]})
        self.assertEqual(parsed.params, {"GroupId": "sg-1", "IpPermissions": [permission]})
        _, parsed = answer("ec2", "CreateSecurityGroup", {"GroupName": "g", "Description": "d"})
        self.assertEqual(parsed.params, {"GroupName": "g", "Description": "d"}, "Description travels as GroupDescription")

    def test_s3_routes(self):
        cases = [("PutObject", {"Bucket": "b", "Key": "a/b.csv", "Body": b"x"}),
                 ("UploadPart", {"Bucket": "b", "Key": "a/b.csv", "PartNumber": 1, "UploadId": "u", "Body": b"x"}),
                 ("CopyObject", {"Bucket": "b", "Key": "k", "CopySource": "b/j"}),
                 ("CreateMultipartUpload", {"Bucket": "b", "Key": "k"}),
                 ("CompleteMultipartUpload", {"Bucket": "b", "Key": "k", "UploadId": "u",
                                              "MultipartUpload": {"Parts": [{"ETag": "e", "PartNumber": 1}]}}),
                 ("AbortMultipartUpload", {"Bucket": "b", "Key": "k", "UploadId": "u"}),
                 ("DeleteObject", {"Bucket": "b", "Key": "k"}),
                 ("GetObject", {"Bucket": "b", "Key": "dir/", "Range": "bytes=0-9"}),
                 ("HeadObject", {"Bucket": "b", "Key": "k"}),
                 ("ListObjectsV2", {"Bucket": "b", "Prefix": "a/"}),
                 ("ListObjects", {"Bucket": "b"}),
                 ("PutBucketLifecycleConfiguration", {"Bucket": "b", "LifecycleConfiguration": {"Rules": [
                     {"ID": "r", "Status": "Enabled", "Filter": {},
                      "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}]}}),
                 ("PutBucketPolicy", {"Bucket": "b", "Policy": "{}"}),
                 ("CreateBucket", {"Bucket": "fossa-data", "CreateBucketConfiguration": {"LocationConstraint": "eu-west-2"}}),
                 ("ListBuckets", {})]
        for operation, params in cases:
            with self.subTest(operation=operation):
                error, parsed = answer("s3", operation, params)
                self.assertIsNone(error)
                self.assertEqual(parsed.operation_name, operation)
        _, parsed = answer("s3", "CompleteMultipartUpload", cases[4][1])
        self.assertEqual(parsed.params["MultipartUpload"], {"Parts": [{"ETag": "e", "PartNumber": 1}]})
        _, parsed = answer("s3", "GetObject", cases[7][1])
        self.assertEqual(parsed.params["Key"], "dir/")

    def test_an_unread_object_body_counts_as_there(self):
        request = sdk_requests.request("s3", "PutObject", {"Bucket": "b", "Key": "k", "Body": b"x" * 10})
        self.assertIsNone(request.body, "an object's bytes are not read")
        self.assertEqual(model_check.check(model_check.parse(request)), [])


class Constraints(unittest.TestCase):
    """Each kind of constraint, refused in the protocol's own error."""

    def test_a_pattern_is_matched_whole(self):
        tags = [{"key": "fossa:metric-dimensions", "value": "ClusterName=a,ServiceName=b"}]
        error, _ = answer("ecs", "CreateService", {"serviceName": "s", "tags": tags})
        self.assertEqual((error["Code"], error["Status"]), ("ValidationException", 400))
        self.assertIn("Value 'ClusterName=a,ServiceName=b' at 'tags.1.member.value' failed to satisfy constraint: "
                      "Member must satisfy regular expression pattern", error["Message"])
        ok, _ = answer("ecs", "CreateService", {"serviceName": "s", "tags": [{"key": "k", "value": "ClusterName=a ServiceName=b"}]})
        self.assertIsNone(ok)

    def test_a_required_member(self):
        error, _ = answer("ecs", "CreateService", {"cluster": "c"})
        self.assertEqual(error["Code"], "ValidationException")
        self.assertIn("Value null at 'serviceName' failed to satisfy constraint: Member must not be null", error["Message"])
        error, _ = answer("ec2", "CreateSecurityGroup", {"Description": "d"})
        self.assertEqual(error["Code"], "MissingParameter")
        error, _ = answer("s3", "PutBucketLifecycleConfiguration",
                          {"Bucket": "b", "LifecycleConfiguration": {"Rules": [{"ID": "r", "Filter": {}}]}})
        self.assertEqual(error["Code"], "InvalidArgument")
        self.assertIn("Status", error["Message"])

    def test_lengths_of_strings_and_lists(self):
        error, _ = answer("iam", "CreateRole", {"RoleName": "r" * 65, "AssumeRolePolicyDocument": "{}"})
        self.assertEqual((error["Code"], error["Status"]), ("ValidationError", 400))
        self.assertIn("at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64",
                      error["Message"])
        tags = [{"key": f"k{i}", "value": "v"} for i in range(51)]
        error, _ = answer("ecs", "CreateService", {"serviceName": "s", "tags": tags})
        self.assertIn("at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
                      error["Message"])

    def test_a_range(self):
        error, _ = answer("secretsmanager", "GetRandomPassword", {"PasswordLength": 0})
        self.assertEqual(error["Code"], "ValidationException")
        self.assertIn("Member must have value greater than or equal to 1", error["Message"])

    def test_enum_values(self):
        error, _ = answer("iam", "ListPolicies", {"Scope": "Everything"})
        self.assertIn("Member must satisfy enum value set: [All, AWS, Local]", error["Message"])
        error, _ = answer("ec2", "CreateVpc", {"CidrBlock": "10.0.0.0/16", "InstanceTenancy": "shared"})
        self.assertEqual(error["Code"], "InvalidParameterValue")
        error, _ = answer("s3", "CreateBucket", {"Bucket": "b", "CreateBucketConfiguration": {"LocationConstraint": "mars-1"}})
        self.assertEqual((error["Code"], error["Status"]), ("InvalidArgument", 400))

    def test_every_error_counts_and_a_secret_is_not_echoed(self):
        error, _ = answer("secretsmanager", "CreateSecret", {"Name": "", "SecretString": "s" * 65537})
        self.assertTrue(error["Message"].startswith("2 validation errors detected: "), error["Message"])
        self.assertIn("Value '***' at 'secretString'", error["Message"])
        self.assertNotIn("sss", error["Message"])

    def test_types(self):
        request = sdk_requests.request("ecs", "UpdateService", {"service": "s"})
        request.body = b'{"service": "s", "desiredCount": "2"}'
        error, _ = front.StrictFront(None).verdict(request)
        self.assertEqual(error.code, "SerializationException")
        # A form's '+' is a space: "1e+06" sent unencoded arrives as "1e 06", which is no number.
        form = sdk_requests.request("cloudwatch", "PutMetricData",
                                    {"Namespace": "N", "MetricData": [{"MetricName": "m", "Value": 1.0}]}, "query")
        form.body = form.body.replace(b"Value=1.0", b"Value=1e+06")
        error, _ = front.StrictFront(None).verdict(form)
        self.assertEqual(error.code, "InvalidParameterValue")
        self.assertIn("'1e 06' at 'MetricData.member.1.Value' is not a valid double", error.message)

    def test_an_unknown_ec2_parameter(self):
        request = sdk_requests.request("ec2", "DescribeVpcs", {})
        request.body += b"&VpcIdd.1=vpc-1"
        error, _ = front.StrictFront(None).verdict(request)
        self.assertEqual((error.code, error.message), ("UnknownParameter", "The parameter VpcIdd.1 is not recognized"))


class Models(unittest.TestCase):
    def test_every_pattern_of_the_services_read_compiles(self):
        for service in sorted(set(model_check.SERVICES_BY_SIGNING_NAME.values())):
            model = model_check.service_model(service)
            for name in model.shape_names:
                pattern = model.shape_for(name).metadata.get("pattern")
                if pattern:
                    with self.subTest(service=service, shape=name):
                        model_check.compiled_pattern(pattern)

    def test_a_surrogate_pair_range_means_the_code_points_beyond_the_first_plane(self):
        pattern = model_check.compiled_pattern("[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF]*")
        self.assertTrue(pattern.fullmatch("service/c/s \U0001F600"))
        self.assertFalse(pattern.fullmatch("a\x01"))

    def test_each_signing_name_is_its_services(self):
        for signing, service in model_check.SERVICES_BY_SIGNING_NAME.items():
            model = model_check.service_model(service)
            self.assertEqual(model.signing_name or model.endpoint_prefix, signing)

    def test_a_service_without_a_model_here_is_refused(self):
        request = sdk_requests.request("ecs", "ListClusters", {})
        request.headers["authorization"] = request.headers["authorization"].replace("/ecs/", "/kinesis/")
        error, _ = front.StrictFront(None).verdict(request)
        self.assertEqual(error.code, "UnrecognizedClientException")
        self.assertIn("no model for the service signed as 'kinesis'", error.message)


if __name__ == "__main__":
    unittest.main()
