"""For the tests of the front: requests exactly as an SDK sends them (botocore's own serializers, with
its client-side validation off, so that invalid values go out too), SigV4-signed, as the front
receives them; and AWS's answers read back as an SDK reads them."""
import urllib.parse

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.parsers
import botocore.serialize

import model_check

ENDPOINT = "http://127.0.0.1:4566"
REGION = "eu-west-2"


def prepared(service, operation, params, protocol=None):
    """botocore's PreparedRequest of `operation` with `params`, signed as `service`'s clients sign."""
    model = model_check.service_model(service)
    protocol = protocol or ("json" if model.protocol == "smithy-rpc-v2-cbor" else model.protocol)
    serializer = botocore.serialize.create_serializer(protocol, include_validation=False)
    request_dict = serializer.serialize_to_request(params, model.operation_model(operation))
    botocore.awsrequest.prepare_request_dict(request_dict, endpoint_url=ENDPOINT)
    request = botocore.awsrequest.create_request_object(request_dict)
    credentials = botocore.credentials.Credentials("testing", "testing")
    signing_name = model.signing_name or model.endpoint_prefix
    signer = botocore.auth.S3SigV4Auth if service == "s3" else botocore.auth.SigV4Auth
    signer(credentials, signing_name, REGION).add_auth(request)
    return request.prepare()


def front_request(sent):
    """The PreparedRequest as the front reads it (model_check.Request): the body kept only where
    the front reads it."""
    url = urllib.parse.urlsplit(sent.url)
    body = sent.body
    if isinstance(body, str):
        body = body.encode()
    headers = {k.lower(): (v.decode() if isinstance(v, bytes) else v) for k, v in sent.headers.items()}
    headers.setdefault("host", url.netloc)
    request = model_check.Request(sent.method, url.path or "/", url.query, headers, None, url.netloc)
    if model_check.body_needed(request):
        request.body = body or b""
    return request


def request(service, operation, params, protocol=None):
    return front_request(prepared(service, operation, params, protocol))


def parse_error(service, operation, status, headers, body, protocol=None):
    """An error answer read by botocore's parser for the protocol: {"Code": ..., "Message": ...}."""
    model = model_check.service_model(service)
    protocol = protocol or ("json" if model.protocol == "smithy-rpc-v2-cbor" else model.protocol)
    parser = botocore.parsers.create_parser(protocol)
    operation_model = model.operation_model(operation)
    answer = {"status_code": status, "headers": botocore.awsrequest.HeadersDict(headers), "body": body}
    return parser.parse(answer, operation_model.output_shape)["Error"]
