"""The strict front: a WSGI layer in front of moto's application that checks each request as AWS
would before moto sees it, and answers a violation as AWS does: the error code, message and HTTP
status, in the error shape of the protocol the request came in (the JSON protocols' __type, the
query protocols' ErrorResponse, EC2's Response/Errors, S3's Error).

A request that passes goes on untouched: the same WSGI environment (every header as sent, so a
SigV4 signature still holds) and the same body bytes. Only bodies the check needs are read (not
an S3 object's bytes), and what was read is handed on as it came.

What is checked: the operation's model (model_check.py), then the rules AWS documents outside the
models (rules.py)."""
import io
import json
import sys
import threading
import urllib.parse
import uuid
from xml.sax.saxutils import escape

import model_check
import rules


class AwsError:
    def __init__(self, code, message, status, protocol, model=None, json_version="1.1", query_code=None):
        self.code, self.message, self.status, self.protocol = code, message, status, protocol
        self.model, self.json_version, self.query_code = model, json_version, query_code


def request_from_environ(environ):
    """The request as sent: the path before percent-decoding, header names lower-case (body unread)."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or urllib.parse.quote(environ.get("PATH_INFO", "/"))
    path = raw.split("?", 1)[0]
    if "://" in path:  # an absolute URI in the request line
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    headers = {key[5:].replace("_", "-").lower(): value for key, value in environ.items() if key.startswith("HTTP_")}
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").lower()] = environ[key]
    return model_check.Request(environ.get("REQUEST_METHOD", "GET"), path, environ.get("QUERY_STRING", ""), headers,
                               None, headers.get("host", ""))


def read_body(environ):
    """The body, read whole, and put back in the environment as the same bytes."""
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH")
    if length:
        body = stream.read(int(length))
    elif environ.get("wsgi.input_terminated"):
        body = stream.read()
    else:
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def _error_shape(model, name):
    if model is not None and name in model.shape_names:
        error = model.shape_for(name).metadata.get("error") or {}
        return error.get("code", name), error.get("httpStatusCode", 400)
    return None


def _problem_text(problem):
    value = "null" if problem.value is None else "'***'" if problem.sensitive else f"'{problem.value}'"
    return f"Value {value} at '{problem.path}' failed to satisfy constraint: {problem.constraint}"


def model_error(parsed, problems):
    """The error AWS gives for a request that breaks its model."""
    protocol = parsed.protocol
    json_version = parsed.model.metadata.get("jsonVersion", "1.1")
    kinds = {p.kind for p in problems}
    if protocol == "ec2":
        first = problems[0]
        if first.kind == "missing":
            return AwsError("MissingParameter", f"The request must contain the parameter {first.path}", 400, protocol)
        if first.kind == "unknown":
            return AwsError("UnknownParameter", f"The parameter {first.path} is not recognized", 400, protocol)
        if first.kind == "type":
            return AwsError("InvalidParameterValue", f"Value ({first.value}) for parameter {first.path} {first.constraint}",
                            400, protocol)
        return AwsError("InvalidParameterValue", f"Value ({first.value}) for parameter {first.path} is invalid. "
                        f"{first.constraint}", 400, protocol)
    if "type" in kinds:
        typed = [p for p in problems if p.kind == "type"]
        text = "; ".join(f"'{p.value}' at '{p.path}' {p.constraint}" for p in typed)
        if protocol in ("json", "rest-json"):
            return AwsError("SerializationException", text, 400, protocol, parsed.model, json_version)
        return AwsError("InvalidParameterValue" if parsed.service != "s3" else "InvalidArgument", text, 400, protocol,
                        parsed.model)
    count = len(problems)
    text = f"{count} validation error{'s' if count > 1 else ''} detected: " + "; ".join(map(_problem_text, problems))
    if protocol in ("json", "rest-json"):
        return AwsError("ValidationException", text, 400, protocol, parsed.model, json_version, query_code="ValidationError")
    if protocol == "query":
        return AwsError("ValidationError", text, 400, protocol, parsed.model)
    return AwsError("InvalidArgument" if parsed.service == "s3" else "InvalidInput", text, 400, protocol, parsed.model)


def rule_error(parsed, rule, message):
    """The error of a documented rule, in the protocol the request came in."""
    code, status = rule.error, rule.status
    query_code = None
    found = _error_shape(parsed.model, rule.error)
    if found:
        query_code, status = found
        if parsed.protocol in ("query", "ec2", "rest-xml"):
            code = query_code
    return AwsError(code, message, status, parsed.protocol, parsed.model,
                    parsed.model.metadata.get("jsonVersion", "1.1"), query_code)


def render(error, request, request_id):
    """(status line, headers, body) of an AWS error answer."""
    status = f"{error.status} {'Conflict' if error.status == 409 else 'Bad Request' if error.status == 400 else 'Error'}"
    if error.protocol in ("json", "rest-json"):
        headers = [("Content-Type", f"application/x-amz-json-{error.json_version}" if error.protocol == "json"
                    else "application/json"),
                   ("x-amzn-RequestId", request_id), ("x-amzn-ErrorType", error.code)]
        if request.header("x-amzn-query-mode", "").lower() == "true" and error.query_code:
            headers.append(("x-amzn-query-error", f"{error.query_code};Sender"))
        body = {"__type": error.code, "message": error.message} if error.protocol == "json" else {"message": error.message}
        return status, headers, json.dumps(body).encode()
    code, message = escape(error.code), escape(error.message)
    if error.protocol == "ec2":
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>{code}</Code>'
                f"<Message>{message}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>")
    elif error.protocol == "query":
        namespace = ""
        if error.model is not None:
            namespace = f' xmlns="https://{error.model.endpoint_prefix}.amazonaws.com/doc/{error.model.api_version}/"'
        body = (f"<ErrorResponse{namespace}><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message>"
                f"</Error><RequestId>{request_id}</RequestId></ErrorResponse>")
    else:
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message>'
                f"<RequestId>{request_id}</RequestId></Error>")
    headers = [("Content-Type", "text/xml" if error.protocol in ("ec2", "query") else "application/xml"),
               ("x-amz-request-id" if error.protocol == "rest-xml" else "x-amzn-RequestId", request_id)]
    data = b"" if request.method == "HEAD" else body.encode()
    return status, headers, data


class StrictFront:
    """WSGI middleware: `StrictFront(moto_app)`. `log` receives one line per refused request."""

    def __init__(self, app, log=None):
        self.app = app
        self.state = {}
        self.lock = threading.Lock()
        self.log = log or (lambda line: print(line, file=sys.stderr, flush=True))

    def verdict(self, request):
        """(the AwsError to answer, or None; the parsed request, or None)."""
        try:
            parsed = model_check.parse(request)
        except model_check.NotUnderstood as refused:
            return AwsError(refused.code, refused.message, refused.status, refused.protocol), None
        problems = model_check.check(parsed)
        if problems:
            return model_error(parsed, problems), parsed
        with self.lock:
            broken = rules.problems(parsed.service, parsed.operation_name, parsed.params, self.state)
        if broken:
            rule, _, message = broken[0]
            return rule_error(parsed, rule, message), parsed
        return None, parsed

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/moto-api"):
            return self.app(environ, start_response)
        request = request_from_environ(environ)
        if model_check.body_needed(request):
            request.body = read_body(environ)
        error, parsed = self.verdict(request)
        if error is not None:
            request_id = str(uuid.uuid4())
            what = f"{parsed.service} {parsed.operation_name}" if parsed else f"{request.method} {request.path}"
            self.log(f"strict AWS front refused {what}: {error.code}: {error.message}")
            status, headers, body = render(error, request, request_id)
            start_response(status, headers + [("Content-Length", str(len(body)))])
            return [body]
        if not any(parsed.operation_name in r.after_operations and r.service == parsed.service for r in rules.RULES):
            return self.app(environ, start_response)
        answered = {}

        def remember_status(status, headers, exc_info=None):
            answered["status"] = int(status.split()[0])
            return start_response(status, headers, exc_info)

        result = self.app(environ, remember_status)
        if answered.get("status", 500) < 300:
            with self.lock:
                rules.remember(parsed.service, parsed.operation_name, parsed.params, self.state)
        return result
