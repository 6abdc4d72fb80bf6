"""The front as a layer (front.py), over real HTTP in front of a recording application: what passes
reaches it as sent, byte for byte and header for header (a SigV4 signature still holds); what does
not pass never reaches it, and is answered in the protocol's own error shape."""
import http.client
import threading
import unittest
import urllib.parse

from werkzeug.serving import make_server

import front
import sdk_requests


class Recorder:
    """The application behind the front: records each request's headers and body, answers 200."""

    def __init__(self):
        self.seen = []

    def __call__(self, environ, start_response):
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if environ.get(key):
                headers[key.replace("_", "-").lower()] = environ[key]
        length = environ.get("CONTENT_LENGTH")
        body = environ["wsgi.input"].read(int(length)) if length else b""
        self.seen.append((environ["REQUEST_METHOD"], environ.get("RAW_URI"), headers, body))
        start_response("200 OK", [("Content-Type", "application/x-amz-json-1.1")])
        return [b"{}"]


class OverHttp(unittest.TestCase):
    def setUp(self):
        self.recorder = Recorder()
        self.refusals = []
        self.server = make_server("127.0.0.1", 0, front.StrictFront(self.recorder, log=self.refusals.append), threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def tearDown(self):
        self.server.shutdown()
        self.thread.join()

    def send(self, service, operation, params, protocol=None):
        """Sends the SDK's request as it would (its URL, headers and body); returns what came back."""
        sent = sdk_requests.prepared(service, operation, params, protocol)
        url = urllib.parse.urlsplit(sent.url)
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        body = sent.body.encode() if isinstance(sent.body, str) else sent.body
        headers = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in sent.headers.items()}
        connection.request(sent.method, url.path + ("?" + url.query if url.query else ""), body=body, headers=headers)
        answer = connection.getresponse()
        data = answer.read()
        connection.close()
        return sent, headers, body, answer.status, dict(answer.getheaders()), data

    def test_a_valid_request_reaches_the_application_as_it_was_sent(self):
        cases = [("ecs", "UpdateService", {"cluster": "c", "service": "fossa-worker", "desiredCount": 1}, None),
                 ("cloudwatch", "PutMetricData", {"Namespace": "Fossa/t", "MetricData": [
                     {"MetricName": "m", "Value": 1e6, "Dimensions": [{"Name": "ClusterName", "Value": "fossa-t"}]}]}, "query"),
                 ("ec2", "AuthorizeSecurityGroupIngress", {"GroupId": "sg-1", "IpPermissions": [
                     {"IpProtocol": "tcp", "FromPort": 1, "ToPort": 2, "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "a b"}]}]}, None),
                 ("s3", "PutObject", {"Bucket": "fossa-data", "Key": "dir/a b+c.csv", "Body": b"\x00\x01 bytes"}, None),
                 ("s3", "PutBucketLifecycleConfiguration", {"Bucket": "fossa-data", "LifecycleConfiguration": {"Rules": [
                     {"ID": "r", "Status": "Enabled", "Filter": {}, "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}]}}, None)]
        for service, operation, params, protocol in cases:
            with self.subTest(operation=operation):
                sent, headers, body, status, _, _ = self.send(service, operation, params, protocol)
                self.assertEqual(status, 200)
                method, raw_uri, seen_headers, seen_body = self.recorder.seen[-1]
                self.assertEqual(method, sent.method)
                self.assertEqual(raw_uri, urllib.parse.urlsplit(sent.url).path + (
                    "?" + urllib.parse.urlsplit(sent.url).query if urllib.parse.urlsplit(sent.url).query else ""))
                self.assertEqual(seen_body, body or b"")
                for name, value in headers.items():
                    self.assertEqual(seen_headers.get(name.lower()), value, name)
        self.assertEqual(self.refusals, [])

    def test_a_refused_request_never_reaches_the_application(self):
        answers = [("ecs", "CreateService", {"serviceName": "s", "tags": [{"key": "k", "value": "a,b"}]}, None,
                    "ValidationException", "application/x-amz-json-1.1"),
                   ("cloudwatch", "PutMetricData", {"Namespace": "AWS/x", "MetricData": [{"MetricName": "m", "Value": 1.0}]},
                    "query", "InvalidParameterValue", "text/xml"),
                   ("ec2", "AuthorizeSecurityGroupEgress", {"GroupId": "sg-1", "IpPermissions": [
                       {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "NAT'd traffic"}]}]}, None,
                    "InvalidParameterValue", "text/xml"),
                   ("iam", "CreateRole", {"RoleName": "a b", "AssumeRolePolicyDocument": "{}"}, None, "ValidationError", "text/xml"),
                   ("s3", "CreateBucket", {"Bucket": "Fossa_Data"}, None, "InvalidBucketName", "application/xml")]
        for service, operation, params, protocol, code, content_type in answers:
            with self.subTest(operation=operation):
                _, _, _, status, headers, data = self.send(service, operation, params, protocol)
                self.assertEqual(status, 400)
                self.assertEqual(headers["Content-Type"], content_type)
                error = sdk_requests.parse_error(service, operation, status, headers, data, protocol)
                self.assertEqual(error["Code"], code)
        self.assertEqual(self.recorder.seen, [])
        self.assertEqual(len(self.refusals), len(answers))
        self.assertTrue(all(line.startswith("strict AWS front refused ") for line in self.refusals))


if __name__ == "__main__":
    unittest.main()
