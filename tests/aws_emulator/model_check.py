"""AWS requests read as the service reads them, and checked against botocore's service models.

`parse(request)` finds the service (from the SigV4 credential scope) and the operation (X-Amz-Target,
Action, or the REST route), and reads the request into the operation's input shape, by the rules
of its wire protocol: json (X-Amz-Target and a JSON body), query and ec2 (a form), rest-xml and
rest-json (the path, query string, headers and a payload). `check(parsed)` then holds the value to
every constraint the model states: required members, lengths, ranges, patterns and enum values,
and each member's type. The models are botocore's (data/<service>/<version>/service-2.json), the
ones the SDKs are generated from; AWS enforces them server side (Coral's validation), with full
matches of the patterns, which is why a pattern such as ECS's tag value `([\\p{L}\\p{Z}...]*)`
refuses a comma.

Patterns are Java regular expressions; the `regex` module (installed with moto[server], through
cfn-lint) reads \\p{L} and the like. Surrogate pairs written as \\uD800\\uDC00 are turned into the
code points they stand for, which is what they mean to Java."""
import base64
import binascii
import datetime
import email.utils
import json
import math
import re
import urllib.parse
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field

import botocore.session
import regex

# The services the front reads, by the signing name in a request's credential scope. A signed
# request for another service is refused (front.py), so that nothing reaches moto unchecked.
SERVICES_BY_SIGNING_NAME = {
    "application-autoscaling": "application-autoscaling",
    "ec2": "ec2",
    "ecr": "ecr",
    "ecs": "ecs",
    "iam": "iam",
    "logs": "logs",
    "monitoring": "cloudwatch",
    "s3": "s3",
    "secretsmanager": "secretsmanager",
    "servicediscovery": "servicediscovery",
    "sns": "sns",
    "ssm": "ssm",
    "sts": "sts",
}

_session = botocore.session.get_session()
_models = {}


def service_model(name):
    if name not in _models:
        _models[name] = _session.get_service_model(name)
    return _models[name]


@dataclass
class Request:
    """One HTTP request as it arrived: header names lower-case, the body as bytes (None when it
    was not read: an object's bytes are never needed for a check)."""
    method: str
    path: str  # as sent, percent-encoded, without the query
    query: str
    headers: dict
    body: bytes = None
    host: str = ""

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)


@dataclass
class Problem:
    """One way a request breaks its model. kind: "missing", "constraint" or "type"."""
    kind: str
    path: str
    value: object
    constraint: str
    sensitive: bool = False


@dataclass
class Parsed:
    service: str           # botocore's name: "ecs", "cloudwatch", ...
    protocol: str          # how it came: json, rest-json, rest-xml, query, ec2
    operation: object      # botocore OperationModel
    params: dict           # the input, by the model's member names
    problems: list = field(default_factory=list)  # type problems met while reading
    query_mode: bool = False  # a JSON request of a query-compatible service (x-amzn-query-mode)

    @property
    def operation_name(self):
        return self.operation.name

    @property
    def model(self):
        return self.operation.service_model


class NotUnderstood(Exception):
    """A request the front cannot place in a model: its code and message, as AWS would put them."""

    def __init__(self, code, message, status=400, protocol="json"):
        super().__init__(message)
        self.code, self.message, self.status, self.protocol = code, message, status, protocol


# --- finding the service and operation ----------------------------------------------------------

def signing_name(request):
    """The service of the request's SigV4 credential scope (header or presigned query), or None."""
    authorization = request.header("authorization", "")
    match = re.search(r"Credential=[^/,\s]+/\d{8}/[^/]+/([^/]+)/aws4_request", authorization)
    if match:
        return match.group(1)
    credential = urllib.parse.parse_qs(request.query).get("X-Amz-Credential")
    if credential:
        parts = credential[0].split("/")
        if len(parts) == 5:
            return parts[3]
    return None


def is_form(request):
    return request.header("content-type", "").split(";")[0].strip().lower() == "application/x-www-form-urlencoded"


def form_params(request):
    """The query protocols' parameters: the URL's query, and a form body's fields."""
    pairs = urllib.parse.parse_qsl(request.query, keep_blank_values=True)
    if request.body and (is_form(request) or request.method == "POST"):
        pairs += urllib.parse.parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)
    return dict(pairs)


def body_needed(request):
    """Whether the front must read the body to check this request (before reading it): every
    protocol but S3's, whose bodies are objects except for a few small XML documents."""
    name = SERVICES_BY_SIGNING_NAME.get(signing_name(request) or "s3")
    if name is None or service_model(name).protocol not in ("rest-xml", "rest-json"):
        return True
    try:
        operation, _ = rest_route(service_model(name), request)
    except NotUnderstood:
        return False
    payload = operation.input_shape.serialization.get("payload") if operation.input_shape else None
    if payload is None:
        return operation.input_shape is not None and any(
            "location" not in m.serialization for m in operation.input_shape.members.values())
    return operation.input_shape.members[payload].type_name == "structure"


def parse(request):
    """The request read into its operation's input. Raises NotUnderstood for a request no model
    describes (an unknown service, operation or route)."""
    name = SERVICES_BY_SIGNING_NAME.get(signing_name(request) or "s3")
    if name is None:
        raise NotUnderstood("UnrecognizedClientException",
                            f"the strict AWS front (tests/aws_emulator) has no model for the service signed as "
                            f"'{signing_name(request)}': add it to SERVICES_BY_SIGNING_NAME in model_check.py")
    model = service_model(name)
    target = request.header("x-amz-target")
    if request.header("smithy-protocol"):
        raise NotUnderstood("UnknownOperationException", "the strict AWS front does not read rpc-v2-cbor requests")
    if target and (model.protocol == "json" or "json" in model.metadata.get("protocols", [])):
        return _parse_json(model, request, target)
    if model.protocol in ("query", "ec2") or "query" in model.metadata.get("protocols", []):
        return _parse_query(model, request, "ec2" if model.protocol == "ec2" else "query")
    if model.protocol in ("rest-xml", "rest-json"):
        return _parse_rest(model, request)
    raise NotUnderstood("UnknownOperationException", f"{name}: a {model.protocol} request the front cannot read")


def _parse_json(model, request, target):
    prefix, _, name = (target or "").rpartition(".")
    if prefix != model.metadata.get("targetPrefix") or name not in model.operation_names:
        raise NotUnderstood("UnknownOperationException", f"Unknown operation {target}", protocol="json")
    operation = model.operation_model(name)
    try:
        params = json.loads(request.body or b"{}") if (request.body or b"").strip() else {}
    except ValueError as error:
        raise NotUnderstood("SerializationException", f"the body is not JSON: {error}", protocol="json")
    if not isinstance(params, dict):
        raise NotUnderstood("SerializationException", "the body is not a JSON object", protocol="json")
    parsed = Parsed(model.service_name, "json", operation, params,
                    query_mode=request.header("x-amzn-query-mode", "").lower() == "true")
    if operation.input_shape is not None:
        parsed.problems += _json_types(params, operation.input_shape, [])
    return parsed


def _json_types(value, shape, path):
    """Type problems of a JSON value against its shape (a string where a list belongs, ...)."""
    problems = []
    if value is None:
        return problems
    kind = shape.type_name
    expected = {"structure": dict, "map": dict, "list": list, "string": str, "boolean": bool, "blob": str}.get(kind)
    if kind in ("integer", "long"):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind in ("float", "double"):
        ok = (isinstance(value, (int, float)) and not isinstance(value, bool)) or value in ("NaN", "Infinity", "-Infinity")
    elif kind == "timestamp":
        ok = isinstance(value, (int, float, str)) and not isinstance(value, bool)
    elif kind == "structure" and shape.metadata.get("document"):
        ok = True
    else:
        ok = expected is None or isinstance(value, expected)
    if not ok:
        return [Problem("type", _path_text(path), value, f"expected a {kind}, got {type(value).__name__}")]
    if kind == "structure" and not shape.metadata.get("document"):
        for key, item in value.items():
            if key in shape.members:
                problems += _json_types(item, shape.members[key], path + [key])
    elif kind == "list":
        for i, item in enumerate(value, 1):
            problems += _json_types(item, shape.member, path + [i])
    elif kind == "map":
        for key, item in value.items():
            problems += _json_types(item, shape.value, path + [key])
    return problems


# --- the query protocols (query, ec2) -----------------------------------------------------------

def _parse_query(model, request, protocol):
    params = form_params(request)
    action = params.get("Action")
    if not action or action not in model.operation_names:
        code = "InvalidAction"
        raise NotUnderstood(code, f"The action {action or '(none)'} is not valid for this web service.", protocol=protocol)
    operation = model.operation_model(action)
    reader = _QueryReader(params, protocol)
    value = reader.structure(operation.input_shape, "") if operation.input_shape is not None else {}
    parsed = Parsed(model.service_name, protocol, operation, value or {}, reader.problems)
    if protocol == "ec2":
        known = reader.consumed | {"Action", "Version"}
        for key in sorted(set(params) - known):
            if not key.startswith("X-Amz-"):
                parsed.problems.append(Problem("unknown", key, params[key], f"The parameter {key} is not recognized"))
    return parsed


class _QueryReader:
    """Reads a flat form (MetricData.member.1.Value=...) into nested values, by the shape."""

    def __init__(self, params, protocol):
        self.params = params
        self.protocol = protocol
        self.problems = []
        self.consumed = set()

    def name(self, shape, default):
        if self.protocol == "ec2":
            if "queryName" in shape.serialization:
                return shape.serialization["queryName"]
            if "name" in shape.serialization:
                return shape.serialization["name"][0].upper() + shape.serialization["name"][1:]
            return default
        return shape.serialization.get("name", default)

    def present(self, prefix):
        return prefix in self.params or any(k.startswith(prefix + ".") for k in self.params)

    def read(self, shape, prefix):
        kind = shape.type_name
        if kind == "structure":
            return self.structure(shape, prefix)
        if kind == "list":
            return self.list(shape, prefix)
        if kind == "map":
            return self.map(shape, prefix)
        if prefix not in self.params:
            return None
        self.consumed.add(prefix)
        return self.scalar(shape, prefix, self.params[prefix])

    def structure(self, shape, prefix):
        value = {}
        for member, member_shape in shape.members.items():
            key = self.name(member_shape, member)
            full = f"{prefix}.{key}" if prefix else key
            if self.present(full):
                item = self.read(member_shape, full)
                if item is not None:
                    value[member] = item
        return value

    def indexed(self, prefix):
        indexes = set()
        for key in self.params:
            if key.startswith(prefix + "."):
                head = key[len(prefix) + 1:].split(".")[0]
                if head.isdigit():
                    indexes.add(int(head))
        return sorted(indexes)

    def list(self, shape, prefix):
        if self.params.get(prefix) == "":  # an empty list is sent as the bare name
            self.consumed.add(prefix)
            return []
        if self.protocol == "ec2":
            base = prefix
        elif shape.serialization.get("flattened"):
            base = prefix
            if shape.member.serialization.get("name"):
                base = ".".join(prefix.split(".")[:-1] + [shape.member.serialization["name"]])
        else:
            base = f"{prefix}.{shape.member.serialization.get('name', 'member')}"
        return [self.read(shape.member, f"{base}.{i}") for i in self.indexed(base)]

    def map(self, shape, prefix):
        base = prefix if shape.serialization.get("flattened") else f"{prefix}.entry"
        key_name = self.name(shape.key, "key")
        value_name = self.name(shape.value, "value")
        value = {}
        for i in self.indexed(base):
            key = self.read(shape.key, f"{base}.{i}.{key_name}")
            value[key] = self.read(shape.value, f"{base}.{i}.{value_name}")
        return value

    def scalar(self, shape, key, text):
        converted = convert_text(shape, text, shape.serialization.get("timestampFormat", "iso8601"))
        if isinstance(converted, Problem):
            converted.path = key
            self.problems.append(converted)
            return text
        return converted


def convert_text(shape, text, timestamp_format="iso8601"):
    """A scalar sent as text (a form field, a header, a query parameter, XML) as the model's type,
    or the Problem of text that is not one."""
    kind = shape.type_name
    try:
        if kind in ("integer", "long"):
            if not re.fullmatch(r"[+-]?\d+", text.strip()):
                raise ValueError
            return int(text)
        if kind in ("float", "double"):
            number = float(text)  # "NaN" and "Infinity" read, and are refused by the rules that care
            return number
        if kind == "boolean":
            if text.lower() not in ("true", "false"):
                raise ValueError
            return text.lower() == "true"
        if kind == "timestamp":
            return _timestamp(text, timestamp_format)
        if kind == "blob":
            return text
        return text
    except (ValueError, TypeError, OverflowError):
        return Problem("type", "", text, f"is not a valid {kind}")


def _timestamp(text, timestamp_format):
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    if timestamp_format == "rfc822" or "," in text:
        return email.utils.parsedate_to_datetime(text)
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


# --- the REST protocols (rest-xml: S3; rest-json) -----------------------------------------------

def _route_parts(uri):
    path, _, query = uri.partition("?")
    literal_query = {}
    for item in filter(None, query.split("&")):
        key, _, value = item.partition("=")
        literal_query[key] = value if "=" in item else None
    return [p for p in path.split("/") if p != ""] if path != "/" else [], literal_query


def _match_path(template, segments):
    """The labels of `segments` (decoded path segments) under `template`, or None."""
    labels = {}
    for i, part in enumerate(template):
        if part.startswith("{") and part.endswith("+}"):
            if i >= len(segments):
                return None
            labels[part[1:-2]] = "/".join(segments[i:])
            return labels
        if i >= len(segments):
            return None
        if part.startswith("{") and part.endswith("}"):
            labels[part[1:-1]] = segments[i]
        elif part != segments[i]:
            return None
    return labels if len(segments) == len(template) else None


def _bucket_from_host(host):
    """The bucket of a virtual-hosted S3 request (bucket.localhost:port, bucket.s3.region.amazonaws.com)."""
    name = host.split(":")[0]
    for suffix in (".localhost", ".s3.amazonaws.com"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    match = re.fullmatch(r"(.+)\.s3[.-][a-z0-9-]+\.amazonaws\.com(\.cn)?", name)
    return match.group(1) if match else None


def _segments(request, model):
    raw = request.path.split("/")
    segments = [urllib.parse.unquote(s) for s in raw[1:]] if request.path not in ("", "/") else []
    if model.service_name == "s3":
        bucket = _bucket_from_host(request.host or request.header("host", ""))
        if bucket:
            segments = [bucket] + segments
        # "/bucket/" is the bucket; "/bucket/dir/" is key "dir/" (the greedy label keeps the '/').
        if segments[1:] == [""]:
            segments.pop()
    return segments


def rest_route(model, request):
    """(operation, labels) of a REST request: the operations whose method, path and literal query
    keys match; then the one with every required query and header member present, not deprecated
    (PutBucketLifecycleConfiguration, not PutBucketLifecycle), with the most literal query keys and
    required members present (PUT /b/k is UploadPart when partNumber and uploadId are there,
    CopyObject when x-amz-copy-source is, else PutObject)."""
    segments = _segments(request, model)
    query = urllib.parse.parse_qs(request.query, keep_blank_values=True)
    candidates = []
    for name in model.operation_names:
        operation = model.operation_model(name)
        if operation.http.get("method") != request.method:
            continue
        template, literal = _route_parts(operation.http["requestUri"])
        if any(k not in query or (v is not None and query[k][0] != v) for k, v in literal.items()):
            continue
        labels = _match_path(template, segments)
        if labels is None:
            continue
        required = _required_located(operation)
        present = [m for m in required if _located_present(m, request, query)]
        complete = len(present) == len(required)
        key = (complete, not operation.deprecated, len(literal), len(present), sum(not p.startswith("{") for p in template))
        candidates.append((key, name, operation, labels))
    if not candidates:
        raise NotUnderstood("MethodNotAllowed" if model.service_name == "s3" else "UnknownOperationException",
                            f"no {model.service_name} operation is {request.method} {request.path}",
                            status=405 if model.service_name == "s3" else 404, protocol=model.protocol)
    candidates.sort(key=lambda c: c[0], reverse=True)
    return candidates[0][2], candidates[0][3]


def _required_located(operation):
    shape = operation.input_shape
    if shape is None:
        return []
    return [shape.members[m] for m in shape.required_members
            if shape.members[m].serialization.get("location") in ("querystring", "header")]


def _located_present(member, request, query):
    location, name = member.serialization["location"], member.serialization.get("name")
    return name in query if location == "querystring" else request.header(name) is not None


def _parse_rest(model, request):
    operation, labels = rest_route(model, request)
    parsed = Parsed(model.service_name, model.protocol, operation, {})
    shape = operation.input_shape
    if shape is None:
        return parsed
    query = urllib.parse.parse_qs(request.query, keep_blank_values=True)
    payload = shape.serialization.get("payload")
    for member, member_shape in shape.members.items():
        location = member_shape.serialization.get("location")
        wire = member_shape.serialization.get("name", member)
        raw = None
        if location == "uri":
            raw = labels.get(wire)
        elif location == "querystring":
            if member_shape.type_name == "map":
                parsed.params[member] = {k: v[0] for k, v in query.items()}
                continue
            if wire in query:
                raw = query[wire] if member_shape.type_name == "list" else query[wire][0]
        elif location == "header":
            raw = request.header(wire)
        elif location == "headers":
            prefix = wire.lower()
            found = {k[len(prefix):]: v for k, v in request.headers.items() if k.startswith(prefix)}
            if found:
                parsed.params[member] = found
            continue
        elif member == payload:
            if request.body:
                parsed.params[member] = _read_payload(model, member_shape, request.body, parsed)
            elif request.body is None and _has_body(request):
                parsed.params[member] = UNREAD  # an object's bytes or a policy: there, but not checked
            continue
        if raw is None:
            continue
        value = _located_value(member_shape, raw, location)
        if isinstance(value, Problem):
            value.path = wire
            parsed.problems.append(value)
        else:
            parsed.params[member] = value
    if payload is None and request.body and model.protocol == "rest-json":
        try:
            body = json.loads(request.body)
        except ValueError as error:
            raise NotUnderstood("SerializationException", f"the body is not JSON: {error}", protocol="rest-json")
        for member, value in (body or {}).items():
            if member in shape.members and "location" not in shape.members[member].serialization:
                parsed.params[member] = value
        parsed.problems += _json_types(parsed.params, shape, [])
    return parsed


class _Unread:
    def __repr__(self):
        return "(the body, not read)"


UNREAD = _Unread()


def _has_body(request):
    return request.header("content-length", "0") not in ("", "0") or "chunked" in request.header("transfer-encoding", "")


def _located_value(shape, raw, location):
    if shape.type_name == "list":
        items = raw if isinstance(raw, list) else [v.strip() for v in raw.split(",")]
        values = [convert_text(shape.member, v) for v in items]
        problem = next((v for v in values if isinstance(v, Problem)), None)
        return problem or values
    if shape.type_name == "string" and shape.serialization.get("jsonvalue") and location == "header":
        try:
            return base64.b64decode(raw).decode()
        except (binascii.Error, UnicodeDecodeError):
            return Problem("type", "", raw, "is not base64 JSON")
    timestamp_format = shape.serialization.get("timestampFormat", "rfc822" if location == "header" else "iso8601")
    return convert_text(shape, raw, timestamp_format)


def _read_payload(model, shape, body, parsed):
    if shape.type_name != "structure":
        return body  # an object's bytes, or a document such as a bucket policy (a string)
    if model.protocol == "rest-json":
        try:
            value = json.loads(body)
        except ValueError as error:
            raise NotUnderstood("SerializationException", f"the body is not JSON: {error}", protocol="rest-json")
        parsed.problems += _json_types(value, shape, [])
        return value
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise NotUnderstood("MalformedXML",
                            "The XML you provided was not well-formed or did not validate against our published schema"
                            f" ({error})", protocol="rest-xml")
    return _xml_value(root, shape, parsed.problems)


def _tag(element):
    return element.tag.rsplit("}", 1)[-1]


def _xml_value(element, shape, problems):
    kind = shape.type_name
    if kind == "structure":
        value = {}
        children = list(element)
        for member, member_shape in shape.members.items():
            if "location" in member_shape.serialization:
                continue
            name = member_shape.serialization.get("name", member)
            if member_shape.type_name == "list" and member_shape.serialization.get("flattened"):
                items = [c for c in children if _tag(c) == name]
                if items:
                    value[member] = [_xml_value(c, member_shape.member, problems) for c in items]
                continue
            found = next((c for c in children if _tag(c) == name), None)
            if found is not None:
                value[member] = _xml_value(found, member_shape, problems)
        return value
    if kind == "list":
        name = shape.member.serialization.get("name", "member")
        return [_xml_value(c, shape.member, problems) for c in element if _tag(c) == name]
    if kind == "map":
        key_name = shape.key.serialization.get("name", "key")
        value_name = shape.value.serialization.get("name", "value")
        value = {}
        for entry in element:
            key = next((c for c in entry if _tag(c) == key_name), None)
            item = next((c for c in entry if _tag(c) == value_name), None)
            if key is not None:
                value[key.text or ""] = None if item is None else _xml_value(item, shape.value, problems)
        return value
    converted = convert_text(shape, element.text or "")
    if isinstance(converted, Problem):
        converted.path = _tag(element)
        problems.append(converted)
        return element.text
    return converted


# --- the check ----------------------------------------------------------------------------------

_compiled = {}
_SURROGATE_PAIR = re.compile(r"\\u(D[89AB][0-9A-F]{2})\\u(D[C-F][0-9A-F]{2})", re.IGNORECASE)


def compiled_pattern(pattern):
    """A model's (Java) pattern, compiled for full matches."""
    if pattern not in _compiled:
        def code_point(match):
            high, low = int(match.group(1), 16), int(match.group(2), 16)
            return "\\U%08X" % (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        _compiled[pattern] = regex.compile(_SURROGATE_PAIR.sub(code_point, pattern))
    return _compiled[pattern]


def _path_text(path):
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f".{part}.member"
        else:
            text += ("." if text else "") + str(part)
    return text


def check(parsed):
    """Every problem of the parsed request against its model: the type problems met reading it,
    then missing members and broken constraints."""
    problems = list(parsed.problems)
    shape = parsed.operation.input_shape
    if shape is not None:
        lower = parsed.protocol in ("json", "query", "rest-json")
        _check(parsed.params, shape, [], problems, lower)
    return problems


def _member_name(name, lower):
    # Coral names members in lower camel case in its messages (IAM: 'roleName').
    return name[0].lower() + name[1:] if lower and name else name


def _check(value, shape, path, problems, lower):
    kind = shape.type_name
    meta = shape.metadata
    sensitive = bool(meta.get("sensitive"))
    where = _path_text(path)
    if kind == "structure":
        if meta.get("document") or not isinstance(value, dict):
            return
        for name in shape.required_members:
            if value.get(name) is None:
                problems.append(Problem("missing", _path_text(path + [_member_name(name, lower)]), None,
                                        "Member must not be null"))
        for name, item in value.items():
            if name in shape.members and item is not None:
                _check(item, shape.members[name], path + [_member_name(name, lower)], problems, lower)
        return
    if kind == "list":
        if not isinstance(value, list):
            return
        _length(len(value), meta, where, value, problems, sensitive)
        for i, item in enumerate(value, 1):
            if item is not None:
                _check(item, shape.member, path + [i], problems, lower)
        return
    if kind == "map":
        if not isinstance(value, dict):
            return
        _length(len(value), meta, where, value, problems, sensitive)
        for key, item in value.items():
            _check(key, shape.key, path + ["key"], problems, lower)
            if item is not None:
                _check(item, shape.value, path + [key], problems, lower)
        return
    if kind == "string":
        if not isinstance(value, str):
            return
        if "enum" in meta and value not in meta["enum"]:
            problems.append(Problem("constraint", where, value,
                                    f"Member must satisfy enum value set: [{', '.join(meta['enum'])}]", sensitive))
        _length(len(value), meta, where, value, problems, sensitive)
        if "pattern" in meta and not compiled_pattern(meta["pattern"]).fullmatch(value):
            problems.append(Problem("constraint", where, value,
                                    f"Member must satisfy regular expression pattern: {meta['pattern']}", sensitive))
        return
    if kind == "blob":
        if isinstance(value, (str, bytes)):
            _length(len(value), meta, where, value, problems, sensitive)
        return
    if kind in ("integer", "long", "float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and math.isnan(value)):
            return
        if "min" in meta and value < meta["min"]:
            problems.append(Problem("constraint", where, value, f"Member must have value greater than or equal to {meta['min']}", sensitive))
        if "max" in meta and value > meta["max"]:
            problems.append(Problem("constraint", where, value, f"Member must have value less than or equal to {meta['max']}", sensitive))


def _length(length, meta, where, value, problems, sensitive):
    if "min" in meta and length < meta["min"]:
        problems.append(Problem("constraint", where, value, f"Member must have length greater than or equal to {meta['min']}", sensitive))
    if "max" in meta and length > meta["max"]:
        problems.append(Problem("constraint", where, value, f"Member must have length less than or equal to {meta['max']}", sensitive))


def shape_constraint_problems(service, shape_name, value):
    """A value against one named shape of a model (for checks outside a request: Terraform's state)."""
    problems = []
    _check(value, service_model(service).shape_for(shape_name), [shape_name], problems, False)
    return problems
