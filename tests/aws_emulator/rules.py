"""What AWS documents and enforces outside its service models, as a table: each rule names the
operations and members it applies to, what it refuses, the error AWS answers with, and the page
that documents it. The front (front.py) applies every rule to every request after the model's
own constraints (model_check.py); terraform_state.py applies the value rules to what Terraform
recorded, for what moto loses.

A rule's error is either a code of its own or the name of an error shape of the service's model
(such as IAM's LimitExceededException), which the front turns into the code and status of the
protocol the request came in (LimitExceeded, 409).

Each rule carries examples: one operation's parameters it refuses and ones it passes.
rules_test.py sends each example, as botocore would serialize it, through the front's check."""
import base64
import re
from dataclasses import dataclass, field


@dataclass
class Example:
    operation: str
    params: dict
    refused: bool


@dataclass
class Rule:
    name: str
    service: str
    operations: tuple
    select: str  # the members checked: "IpPermissions[].IpRanges[].Description"; "" for the whole input
    problem: object  # (value, context) -> the error message, or None when the value is fine
    error: str  # an AWS error code, or an error shape of the service's model
    source: str  # the AWS documentation that states the rule
    examples: list = field(default_factory=list)
    status: int = 400  # for a code of its own (an error shape brings its status)
    value_problem: object = None  # (value) -> message or None: the rule applied to one value (Terraform's state)
    after: object = None  # (operation, params, state): what a request that succeeded changes in the front's state
    after_operations: tuple = ()  # the operations `after` follows


@dataclass
class Context:
    params: dict  # the whole input
    state: dict  # the front's record of earlier requests (rules with `after`)


def on_value(check):
    """A rule problem of the value alone."""
    return lambda value, context: check(value)


def select(params, path):
    """(where, value) of each value at `path` in `params`: "A[].B" walks the list A."""
    if path == "":
        yield "", params
        return
    found = [("", params)]
    for part in path.split("."):
        is_list = part.endswith("[]")
        name = part[:-2] if is_list else part
        step = []
        for where, value in found:
            if not isinstance(value, dict) or value.get(name) is None:
                continue
            item = value[name]
            here = f"{where}.{name}" if where else name
            if is_list:
                step += [(f"{here}.{i}", v) for i, v in enumerate(item if isinstance(item, list) else [], 1)]
            else:
                step.append((here, item))
        found = step
    yield from found


# --- EC2 -----------------------------------------------------------------------------------------

EC2_TEXT = re.compile(r"[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]*")
EC2_TEXT_SET = "a-zA-Z0-9, space and ._-:/()#,@[]+=&;{}!$*"


def ec2_rule_description(text):
    if not isinstance(text, str) or (len(text) <= 255 and EC2_TEXT.fullmatch(text)):
        return None
    return (f"Invalid rule description '{text}': a security group rule's description is at most 255 characters "
            f"of {EC2_TEXT_SET}")


def ec2_group_description(text):
    if not isinstance(text, str) or (len(text) <= 255 and EC2_TEXT.fullmatch(text)):
        return None
    return (f"Value ({text}) for parameter GroupDescription is invalid: a security group's description is at most "
            f"255 characters of {EC2_TEXT_SET}")


def ec2_group_name(text):
    if not isinstance(text, str):
        return None
    if text.lower().startswith("sg-"):
        return f"Value ({text}) for parameter GroupName is invalid: group names may not start with 'sg-'"
    if len(text) > 255 or not EC2_TEXT.fullmatch(text):
        return (f"Value ({text}) for parameter GroupName is invalid: a security group's name is at most 255 "
                f"characters of {EC2_TEXT_SET}")
    return None


def user_data_size(text):
    try:
        raw = base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        return "Invalid BASE64 encoding of user data"
    if len(raw) > 16384:
        return f"User data is limited to 16384 bytes before base64 encoding; this is {len(raw)}"
    return None


def ec2_tag(tag):
    key, value = tag.get("Key"), tag.get("Value")
    if isinstance(key, str):
        if key.lower().startswith("aws:"):
            return f"Tag key '{key}': tag keys starting with 'aws:' are reserved for internal use"
        if len(key) > 128:
            return f"Tag key '{key[:40]}...' exceeds the maximum length of 128 characters"
    if isinstance(value, str) and len(value) > 256:
        return f"Tag value '{value[:40]}...' of key '{key}' exceeds the maximum length of 256 characters"
    return None


def hop_limit(value):
    if isinstance(value, int) and not 1 <= value <= 64:
        return f"The HTTP PUT response hop limit must be from 1 to 64, not {value}"
    return None


VOLUME_SIZES = {"gp2": (1, 16384), "gp3": (1, 16384), "io1": (4, 16384), "io2": (4, 65536),
                "st1": (125, 16384), "sc1": (125, 16384), "standard": (1, 1024)}


def volume_size(ebs):
    kind, size = ebs.get("VolumeType"), ebs.get("VolumeSize")
    if kind in VOLUME_SIZES and isinstance(size, int):
        low, high = VOLUME_SIZES[kind]
        if not low <= size <= high:
            return f"Volume of {size} GiB is out of range for {kind}: {low} to {high} GiB"
    return None


# --- IAM -----------------------------------------------------------------------------------------

def policy_size(document):
    """IAM's size of a policy: its characters, white space not counted."""
    return len(re.sub(r"\s", "", document or ""))


ROLE_INLINE_LIMIT = 10240


def inline_policies_of_role(value, context):
    role, name = context.params.get("RoleName"), context.params.get("PolicyName")
    others = sum(size for (r, n), size in context.state.get("inline", {}).items() if r == role and n != name)
    total = others + policy_size(context.params.get("PolicyDocument"))
    if total > ROLE_INLINE_LIMIT:
        return (f"Maximum policy size of {ROLE_INLINE_LIMIT} bytes exceeded for role {role}: its inline policies "
                f"would hold {total} characters (white space not counted)")
    return None


def remember_inline_policy(operation, params, state):
    inline = state.setdefault("inline", {})
    if operation == "PutRolePolicy":
        inline[(params["RoleName"], params["PolicyName"])] = policy_size(params.get("PolicyDocument"))
    elif operation == "DeleteRolePolicy":
        inline.pop((params["RoleName"], params["PolicyName"]), None)
    elif operation == "DeleteRole":
        for key in [k for k in inline if k[0] == params["RoleName"]]:
            del inline[key]


def trust_policy_size(document):
    if isinstance(document, str) and policy_size(document) > 2048:
        return f"Cannot exceed quota for ACLSizePerRole: 2048 (the trust policy holds {policy_size(document)} characters)"
    return None


def managed_policy_size(document):
    if isinstance(document, str) and policy_size(document) > 6144:
        return f"Cannot exceed quota for PolicySize: 6144 (the policy holds {policy_size(document)} characters)"
    return None


# --- S3 ------------------------------------------------------------------------------------------

def bucket_name(name):
    if not isinstance(name, str):
        return None
    reason = None
    if not 3 <= len(name) <= 63:
        reason = "3 to 63 characters"
    elif not re.fullmatch(r"[a-z0-9][a-z0-9.-]*[a-z0-9]", name):
        reason = "lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit"
    elif ".." in name:
        reason = "no two adjacent dots"
    elif re.fullmatch(r"\d+\.\d+\.\d+\.\d+", name):
        reason = "not an IP address"
    elif name.startswith(("xn--", "sthree-", "amzn-s3-demo-")):
        reason = "no prefix xn--, sthree- or amzn-s3-demo-"
    elif name.endswith(("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")):
        reason = "no suffix -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3"
    return None if reason is None else f"The specified bucket is not valid: '{name}' breaks S3's naming rules ({reason})"


# --- Secrets Manager -----------------------------------------------------------------------------

def secret_name(name):
    if isinstance(name, str) and not re.fullmatch(r"[A-Za-z0-9/_+=.@-]+", name):
        return f"Invalid name '{name}': a secret's name holds ASCII letters, digits and /_+=.@- only"
    return None


def recovery_window(params, context=None):
    window, force = params.get("RecoveryWindowInDays"), params.get("ForceDeleteWithoutRecovery")
    if window is not None and force:
        return "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays"
    if window is not None and not 7 <= window <= 30:
        return f"RecoveryWindowInDays must be from 7 to 30 days, not {window}"
    return None


# --- CloudWatch Logs -----------------------------------------------------------------------------

RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
                  2922, 3288, 3653)


def log_group_name(name):
    if isinstance(name, str) and name.startswith("aws/"):
        return f"Log group name '{name}': names starting with aws/ are reserved for AWS"
    return None


def retention_days(days):
    if isinstance(days, int) and days not in RETENTION_DAYS:
        return f"Invalid retention {days}: one of {', '.join(map(str, RETENTION_DAYS))} days"
    return None


# --- CloudWatch metrics --------------------------------------------------------------------------

def ascii_name(what, limit):
    def check(text):
        if not isinstance(text, str):
            return None
        if not text.isascii() or not text.strip() or len(text) > limit:
            return f"The value '{text}' for {what} is invalid: ASCII, at most {limit} characters, not only white space"
        return None
    return check


def namespace(text):
    problem = ascii_name("Namespace", 255)(text)
    if problem is None and isinstance(text, str) and text.startswith("AWS/"):
        problem = f"The value '{text}' for parameter Namespace is invalid: namespaces beginning with AWS/ are AWS's"
    return problem


def dimension(pair):
    name, value = pair.get("Name"), pair.get("Value")
    problem = ascii_name("a dimension's Name", 255)(name) or ascii_name("a dimension's Value", 1024)(value)
    if problem is None and isinstance(name, str) and name.startswith(":"):
        problem = f"The value '{name}' for a dimension's Name is invalid: it may not begin with a colon"
    return problem


def metric_value(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        size = abs(value)
        if value != value or size == float("inf") or (size != 0 and not 2.0 ** -360 <= size <= 2.0 ** 360):
            return f"The value {value} for parameter MetricData.member.N.Value is invalid: a finite number from 2^-360 to 2^360 in size, or 0"
    return None


def metric_count(data):
    if isinstance(data, list) and len(data) > 1000:
        return f"The collection MetricData must not have a size greater than 1000 (it has {len(data)})"
    return None


def whole_number(value):
    """An int from a value the front parsed, or as it came (a query protocol's text); None if neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def alarm_evaluation(params, context):
    period, periods = whole_number(params.get("Period")), whole_number(params.get("EvaluationPeriods"))
    if period is not None and period not in (10, 20, 30) and period % 60 != 0:
        return f"The parameter Period must be 10, 20, 30 or a multiple of 60 (it is {period})"
    if period is not None and periods is not None and period * periods > 86400:
        return (f"The evaluation of an alarm may span at most one day: Period {period} times "
                f"EvaluationPeriods {periods} is {period * periods} seconds")
    return None


TREAT_MISSING_DATA = ("breaching", "notBreaching", "ignore", "missing")


def treat_missing_data(value):
    if isinstance(value, str) and value not in TREAT_MISSING_DATA:
        return f"The value '{value}' for parameter TreatMissingData is invalid: one of {', '.join(TREAT_MISSING_DATA)}"
    return None


# --- SNS -----------------------------------------------------------------------------------------

SNS_TOPIC_NAME = re.compile(r"[a-zA-Z0-9_-]{1,256}")


def sns_topic_name(name):
    if isinstance(name, str):
        base = name[:-len(".fifo")] if name.endswith(".fifo") else name
        if not SNS_TOPIC_NAME.fullmatch(base) or len(name) > 256:
            return f"Invalid parameter: Topic Name '{name}': up to 256 letters, digits, underscores and hyphens (and .fifo)"
    return None


# --- ECS -----------------------------------------------------------------------------------------

ECS_NAME = re.compile(r"[a-zA-Z0-9_-]{1,255}")


def ecs_name(what):
    def check(name):
        if isinstance(name, str) and not ECS_NAME.fullmatch(name):
            return f"{what} '{name}' is not valid: up to 255 letters, digits, underscores and hyphens"
        return None
    return check


def ecs_tag(tag):
    for part in ("key", "value"):
        text = tag.get(part)
        if isinstance(text, str) and text.lower().startswith("aws:"):
            return f"Tag {part} '{text}': the prefix aws: is reserved for AWS"
    return None


# Fargate's task sizes: memory (MiB) for each CPU size (units).
FARGATE_SIZES = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4097, 1024)),
    1024: tuple(range(2048, 8193, 1024)),
    2048: tuple(range(4096, 16385, 1024)),
    4096: tuple(range(8192, 30721, 1024)),
    8192: tuple(range(16384, 61441, 4096)),
    16384: tuple(range(32768, 122881, 8192)),
}


def _units(text, unit, scale):
    """"256" -> 256; "0.25 vCPU" -> 256 (for CPU); "2 GB" -> 2048 (for memory); else None."""
    if text is None:
        return None
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(" + unit + r")?\s*", str(text), re.IGNORECASE)
    if not match:
        return None
    number = float(match.group(1))
    return int(number * scale) if match.group(2) else int(number)


def on_fargate(params):
    return "FARGATE" in (params.get("requiresCompatibilities") or [])


def fargate_task(params, context=None):
    if not on_fargate(params):
        return None
    if params.get("networkMode") != "awsvpc":
        return "Fargate only supports network mode 'awsvpc'"
    cpu, memory = _units(params.get("cpu"), "vcpu", 1024), _units(params.get("memory"), "gb", 1024)
    if cpu is None or memory is None:
        return "Fargate requires that 'cpu' and 'memory' be defined at the task level"
    if memory not in FARGATE_SIZES.get(cpu, ()):
        return (f"No Fargate configuration exists for given values: {params.get('cpu')} CPU, {params.get('memory')} memory. "
                "See the Amazon ECS documentation for the valid values")
    return None


def stop_timeout(container, context):
    timeout = container.get("stopTimeout")
    if on_fargate(context.params) and isinstance(timeout, int) and not 0 <= timeout <= 120:
        return f"Container '{container.get('name')}': stopTimeout {timeout} is outside 0 to 120 seconds, Fargate's range"
    return None


HEALTH_CHECK_RANGES = {"interval": (5, 300), "timeout": (2, 60), "retries": (1, 10), "startPeriod": (0, 300)}


def health_check(container):
    check = container.get("healthCheck") or {}
    for setting, (low, high) in HEALTH_CHECK_RANGES.items():
        value = check.get(setting)
        if isinstance(value, int) and not low <= value <= high:
            return (f"Container '{container.get('name')}': healthCheck {setting} {value} is outside "
                    f"{low} to {high}")
    return None


def at_most(count, what):
    def check(items):
        if isinstance(items, list) and len(items) > count:
            return f"{what}: at most {count} in one call, not {len(items)}"
        return None
    return check


def max_results(value):
    if isinstance(value, int) and not 1 <= value <= 100:
        return f"maxResults must be from 1 to 100, not {value}"
    return None


# --- Cloud Map, Application Auto Scaling ---------------------------------------------------------

def dns_namespace(name):
    if not isinstance(name, str):
        return None
    labels = name.rstrip(".").split(".")
    if len(name.rstrip(".")) > 253 or any(not 1 <= len(label) <= 63 for label in labels):
        return (f"Namespace name '{name}' is not a valid DNS name: labels of 1 to 63 characters, "
                "at most 255 in all with the dots")
    return None


def scalable_target(params, context=None):
    low, high = params.get("MinCapacity"), params.get("MaxCapacity")
    if isinstance(low, int) and isinstance(high, int) and low > high:
        return f"Minimum capacity {low} cannot be greater than maximum capacity {high}"
    if params.get("ServiceNamespace") == "ecs":
        if not re.fullmatch(r"service/[^/]+/[^/]+", params.get("ResourceId", "")):
            return f"Unsupported resource id '{params.get('ResourceId')}' for ECS: service/<cluster name>/<service name>"
        if params.get("ScalableDimension") != "ecs:service:DesiredCount":
            return f"Unsupported scalable dimension '{params.get('ScalableDimension')}' for ECS: ecs:service:DesiredCount"
    return None


# --- the table -----------------------------------------------------------------------------------

EC2_API = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference"
ECS_API = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference"


def _ingress(**range_or_pair):
    permission = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443}
    permission.update(range_or_pair)
    return {"GroupId": "sg-12345678", "IpPermissions": [permission]}


def _task_definition(cpu="256", memory="512", network="awsvpc", **container):
    spec = {"name": "fossa-worker", "image": "fossa:latest"}
    spec.update(container)
    task = {"family": "fossa-worker", "requiresCompatibilities": ["FARGATE"], "networkMode": network,
            "cpu": cpu, "memory": memory, "containerDefinitions": [spec]}
    return {k: v for k, v in task.items() if v is not None}


_POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "%s"}]}'


def _policy(characters):
    """A policy document of about `characters` characters without white space."""
    base = _POLICY % ""
    return _POLICY % ("arn:aws:s3:::b/" + "x" * max(0, characters - policy_size(base) - 15))


RULES = [
    Rule("ec2.rule-description", "ec2",
         ("AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
          "UpdateSecurityGroupRuleDescriptionsIngress", "UpdateSecurityGroupRuleDescriptionsEgress"),
         "IpPermissions[].IpRanges[].Description", on_value(ec2_rule_description), "InvalidParameterValue",
         f"{EC2_API}/API_IpRange.html",
         [Example("AuthorizeSecurityGroupIngress", _ingress(IpRanges=[{"CidrIp": "10.0.0.0/8", "Description": "NAT'd traffic"}]), True),
          Example("AuthorizeSecurityGroupIngress", _ingress(IpRanges=[{"CidrIp": "10.0.0.0/8", "Description": "NAT (traffic) out: 1-2 [a]"}]), False)],
         value_problem=ec2_rule_description),
    Rule("ec2.rule-description-ipv6", "ec2",
         ("AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
          "UpdateSecurityGroupRuleDescriptionsIngress", "UpdateSecurityGroupRuleDescriptionsEgress"),
         "IpPermissions[].Ipv6Ranges[].Description", on_value(ec2_rule_description), "InvalidParameterValue",
         f"{EC2_API}/API_Ipv6Range.html",
         [Example("AuthorizeSecurityGroupEgress", _ingress(Ipv6Ranges=[{"CidrIpv6": "::/0", "Description": "é"}]), True),
          Example("AuthorizeSecurityGroupEgress", _ingress(Ipv6Ranges=[{"CidrIpv6": "::/0", "Description": "anywhere"}]), False)],
         value_problem=ec2_rule_description),
    Rule("ec2.rule-description-group", "ec2",
         ("AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
          "UpdateSecurityGroupRuleDescriptionsIngress", "UpdateSecurityGroupRuleDescriptionsEgress"),
         "IpPermissions[].UserIdGroupPairs[].Description", on_value(ec2_rule_description), "InvalidParameterValue",
         f"{EC2_API}/API_UserIdGroupPair.html",
         [Example("AuthorizeSecurityGroupIngress", _ingress(UserIdGroupPairs=[{"GroupId": "sg-1", "Description": "the gateway's pages"}]), True),
          Example("AuthorizeSecurityGroupIngress", _ingress(UserIdGroupPairs=[{"GroupId": "sg-1", "Description": "the gateway pages"}]), False)],
         value_problem=ec2_rule_description),
    Rule("ec2.rule-description-prefix-list", "ec2",
         ("AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
          "UpdateSecurityGroupRuleDescriptionsIngress", "UpdateSecurityGroupRuleDescriptionsEgress"),
         "IpPermissions[].PrefixListIds[].Description", on_value(ec2_rule_description), "InvalidParameterValue",
         f"{EC2_API}/API_PrefixListId.html",
         [Example("AuthorizeSecurityGroupEgress", _ingress(PrefixListIds=[{"PrefixListId": "pl-1", "Description": "S3 \"endpoint\""}]), True),
          Example("AuthorizeSecurityGroupEgress", _ingress(PrefixListIds=[{"PrefixListId": "pl-1", "Description": "S3 endpoint"}]), False)],
         value_problem=ec2_rule_description),
    Rule("ec2.rule-description-modified", "ec2", ("ModifySecurityGroupRules",),
         "SecurityGroupRules[].SecurityGroupRule.Description", on_value(ec2_rule_description), "InvalidParameterValue",
         f"{EC2_API}/API_SecurityGroupRuleRequest.html",
         [Example("ModifySecurityGroupRules", {"GroupId": "sg-1", "SecurityGroupRules": [
             {"SecurityGroupRuleId": "sgr-1", "SecurityGroupRule": {"IpProtocol": "-1", "CidrIpv4": "0.0.0.0/0", "Description": "it's out"}}]}, True),
          Example("ModifySecurityGroupRules", {"GroupId": "sg-1", "SecurityGroupRules": [
              {"SecurityGroupRuleId": "sgr-1", "SecurityGroupRule": {"IpProtocol": "-1", "CidrIpv4": "0.0.0.0/0", "Description": "out"}}]}, False)],
         value_problem=ec2_rule_description),
    Rule("ec2.security-group-description", "ec2", ("CreateSecurityGroup",), "Description",
         on_value(ec2_group_description), "InvalidParameterValue", f"{EC2_API}/API_CreateSecurityGroup.html",
         [Example("CreateSecurityGroup", {"GroupName": "fossa-worker", "Description": "fossa's workers", "VpcId": "vpc-1"}, True),
          Example("CreateSecurityGroup", {"GroupName": "fossa-worker", "Description": "fossa workers: HTTP from the gateway", "VpcId": "vpc-1"}, False)],
         value_problem=ec2_group_description),
    Rule("ec2.security-group-name", "ec2", ("CreateSecurityGroup",), "GroupName",
         on_value(ec2_group_name), "InvalidParameterValue", f"{EC2_API}/API_CreateSecurityGroup.html",
         [Example("CreateSecurityGroup", {"GroupName": "sg-workers", "Description": "workers", "VpcId": "vpc-1"}, True),
          Example("CreateSecurityGroup", {"GroupName": "fossa-test-worker", "Description": "workers", "VpcId": "vpc-1"}, False)],
         value_problem=ec2_group_name),
    Rule("ec2.user-data-size", "ec2", ("RunInstances",), "UserData", on_value(user_data_size), "InvalidParameterValue",
         "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-add-user-data.html",
         [Example("RunInstances", {"ImageId": "ami-1", "MinCount": 1, "MaxCount": 1,
                                   "UserData": base64.b64encode(b"#" * 16385).decode()}, True),
          Example("RunInstances", {"ImageId": "ami-1", "MinCount": 1, "MaxCount": 1,
                                   "UserData": base64.b64encode(b"#" * 16384).decode()}, False)]),
    Rule("ec2.tag-specification", "ec2", ("RunInstances", "CreateSecurityGroup", "CreateVpc", "CreateSubnet",
                                          "AllocateAddress", "CreateRouteTable", "CreateInternetGateway",
                                          "CreateVpcEndpoint", "AuthorizeSecurityGroupIngress",
                                          "AuthorizeSecurityGroupEgress"),
         "TagSpecifications[].Tags[]", on_value(ec2_tag), "InvalidParameterValue",
         "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions",
         [Example("CreateVpc", {"CidrBlock": "10.0.0.0/16", "TagSpecifications": [
             {"ResourceType": "vpc", "Tags": [{"Key": "aws:stack", "Value": "x"}]}]}, True),
          Example("CreateVpc", {"CidrBlock": "10.0.0.0/16", "TagSpecifications": [
              {"ResourceType": "vpc", "Tags": [{"Key": "Stack", "Value": "x" * 256}]}]}, False)]),
    Rule("ec2.tags", "ec2", ("CreateTags",), "Tags[]", on_value(ec2_tag), "InvalidParameterValue",
         "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions",
         [Example("CreateTags", {"Resources": ["i-1"], "Tags": [{"Key": "Name", "Value": "x" * 257}]}, True),
          Example("CreateTags", {"Resources": ["i-1"], "Tags": [{"Key": "Name", "Value": "fossa-test-gateway"}]}, False)]),
    Rule("ec2.metadata-hop-limit", "ec2", ("RunInstances",), "MetadataOptions.HttpPutResponseHopLimit",
         on_value(hop_limit), "InvalidParameterValue", f"{EC2_API}/API_InstanceMetadataOptionsRequest.html",
         [Example("RunInstances", {"ImageId": "ami-1", "MinCount": 1, "MaxCount": 1, "MetadataOptions": {"HttpPutResponseHopLimit": 65}}, True),
          Example("RunInstances", {"ImageId": "ami-1", "MinCount": 1, "MaxCount": 1, "MetadataOptions": {"HttpPutResponseHopLimit": 2}}, False)]),
    Rule("ec2.metadata-hop-limit-modified", "ec2", ("ModifyInstanceMetadataOptions",), "HttpPutResponseHopLimit",
         on_value(hop_limit), "InvalidParameterValue", f"{EC2_API}/API_ModifyInstanceMetadataOptions.html",
         [Example("ModifyInstanceMetadataOptions", {"InstanceId": "i-1", "HttpPutResponseHopLimit": 0}, True),
          Example("ModifyInstanceMetadataOptions", {"InstanceId": "i-1", "HttpPutResponseHopLimit": 1}, False)]),
    Rule("ec2.volume-size", "ec2", ("RunInstances",), "BlockDeviceMappings[].Ebs", on_value(volume_size),
         "InvalidParameterValue", f"{EC2_API}/API_EbsBlockDevice.html",
         [Example("RunInstances", {"ImageId": "ami-1", "MinCount": 1, "MaxCount": 1, "BlockDeviceMappings": [
             {"DeviceName": "/dev/xvda", "Ebs": {"VolumeType": "gp3", "VolumeSize": 20000}}]}, True),
          Example("RunInstances", {"ImageId": "ami-1", "MinCount": 1, "MaxCount": 1, "BlockDeviceMappings": [
              {"DeviceName": "/dev/xvda", "Ebs": {"VolumeType": "gp3", "VolumeSize": 16}}]}, False)]),

    Rule("iam.inline-policies-per-role", "iam", ("PutRolePolicy",), "PolicyDocument", inline_policies_of_role,
         "LimitExceededException", "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
         [Example("PutRolePolicy", {"RoleName": "r", "PolicyName": "p", "PolicyDocument": _policy(10241)}, True),
          Example("PutRolePolicy", {"RoleName": "r", "PolicyName": "p", "PolicyDocument": _policy(10240) + "\n  \n"}, False)],
         after=remember_inline_policy, after_operations=("PutRolePolicy", "DeleteRolePolicy", "DeleteRole")),
    Rule("iam.trust-policy-size", "iam", ("CreateRole", "UpdateAssumeRolePolicy"), "",
         lambda params, context: trust_policy_size(params.get("AssumeRolePolicyDocument", params.get("PolicyDocument"))),
         "LimitExceededException", "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
         [Example("CreateRole", {"RoleName": "r", "AssumeRolePolicyDocument": _policy(2049)}, True),
          Example("UpdateAssumeRolePolicy", {"RoleName": "r", "PolicyDocument": _policy(2048)}, False)]),
    Rule("iam.managed-policy-size", "iam", ("CreatePolicy", "CreatePolicyVersion"), "PolicyDocument",
         on_value(managed_policy_size), "LimitExceededException",
         "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
         [Example("CreatePolicy", {"PolicyName": "p", "PolicyDocument": _policy(6145)}, True),
          Example("CreatePolicy", {"PolicyName": "p", "PolicyDocument": _policy(6144)}, False)]),

    Rule("s3.bucket-name", "s3", ("CreateBucket",), "Bucket", on_value(bucket_name), "InvalidBucketName",
         "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
         [Example("CreateBucket", {"Bucket": "Fossa_Data"}, True), Example("CreateBucket", {"Bucket": "a..b"}, True),
          Example("CreateBucket", {"Bucket": "192.168.5.4"}, True),
          Example("CreateBucket", {"Bucket": "fossa-test-data-20260101"}, False),
          Example("CreateBucket", {"Bucket": "data.example.com"}, False)],
         value_problem=bucket_name),

    Rule("secretsmanager.name", "secretsmanager", ("CreateSecret",), "Name", on_value(secret_name),
         "ValidationException", "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html",
         [Example("CreateSecret", {"Name": "fossa test/broker password"}, True),
          Example("CreateSecret", {"Name": "fossa-test-broker-20260101/x_y+z=w.v@u"}, False)],
         value_problem=secret_name),
    Rule("secretsmanager.recovery-window", "secretsmanager", ("DeleteSecret",), "", recovery_window,
         "InvalidParameterException", "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html",
         [Example("DeleteSecret", {"SecretId": "s", "RecoveryWindowInDays": 0}, True),
          Example("DeleteSecret", {"SecretId": "s", "RecoveryWindowInDays": 7, "ForceDeleteWithoutRecovery": True}, True),
          Example("DeleteSecret", {"SecretId": "s", "ForceDeleteWithoutRecovery": True}, False),
          Example("DeleteSecret", {"SecretId": "s", "RecoveryWindowInDays": 30}, False)]),

    Rule("logs.group-name", "logs", ("CreateLogGroup",), "logGroupName", on_value(log_group_name),
         "InvalidParameterException", "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
         [Example("CreateLogGroup", {"logGroupName": "aws/fossa"}, True),
          Example("CreateLogGroup", {"logGroupName": "/fossa/test/ecs"}, False)],
         value_problem=log_group_name),
    Rule("logs.retention", "logs", ("PutRetentionPolicy",), "retentionInDays", on_value(retention_days),
         "InvalidParameterException",
         "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html",
         [Example("PutRetentionPolicy", {"logGroupName": "/fossa/test/ecs", "retentionInDays": 10}, True),
          Example("PutRetentionPolicy", {"logGroupName": "/fossa/test/ecs", "retentionInDays": 7}, False)]),

    Rule("cloudwatch.namespace", "cloudwatch", ("PutMetricData",), "Namespace", on_value(namespace),
         "InvalidParameterValueException", "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html",
         [Example("PutMetricData", {"Namespace": "AWS/ECS", "MetricData": [{"MetricName": "m", "Value": 1.0}]}, True),
          Example("PutMetricData", {"Namespace": "Fossa/é", "MetricData": [{"MetricName": "m", "Value": 1.0}]}, True),
          Example("PutMetricData", {"Namespace": "Fossa/test", "MetricData": [{"MetricName": "m", "Value": 1.0}]}, False)],
         value_problem=namespace),
    Rule("cloudwatch.metric-name", "cloudwatch", ("PutMetricData",), "MetricData[].MetricName",
         on_value(ascii_name("MetricName", 255)), "InvalidParameterValueException",
         "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html",
         [Example("PutMetricData", {"Namespace": "Fossa/test", "MetricData": [{"MetricName": "  ", "Value": 1.0}]}, True),
          Example("PutMetricData", {"Namespace": "Fossa/test", "MetricData": [{"MetricName": "BacklogPerWorker", "Value": 1.0}]}, False)]),
    Rule("cloudwatch.dimension", "cloudwatch", ("PutMetricData",), "MetricData[].Dimensions[]", on_value(dimension),
         "InvalidParameterValueException", "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html",
         [Example("PutMetricData", {"Namespace": "Fossa/test", "MetricData": [
             {"MetricName": "m", "Value": 1.0, "Dimensions": [{"Name": ":ClusterName", "Value": "fossa-test"}]}]}, True),
          Example("PutMetricData", {"Namespace": "Fossa/test", "MetricData": [
              {"MetricName": "m", "Value": 1.0, "Dimensions": [{"Name": "ClusterName", "Value": "fossa-tést"}]}]}, True),
          Example("PutMetricData", {"Namespace": "Fossa/test", "MetricData": [
              {"MetricName": "m", "Value": 1.0, "Dimensions": [{"Name": "ClusterName", "Value": "fossa-test"}]}]}, False)]),
    Rule("cloudwatch.value", "cloudwatch", ("PutMetricData",), "MetricData[].Value", on_value(metric_value),
         "InvalidParameterValueException", "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html",
         [Example("PutMetricData", {"Namespace": "Fossa/test", "MetricData": [{"MetricName": "m", "Value": 2.0 ** 361}]}, True),
          Example("PutMetricData", {"Namespace": "Fossa/test", "MetricData": [{"MetricName": "m", "Value": 1e6}]}, False)]),
    Rule("cloudwatch.metric-count", "cloudwatch", ("PutMetricData",), "MetricData", on_value(metric_count),
         "InvalidParameterValueException", "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html",
         [Example("PutMetricData", {"Namespace": "Fossa/test", "MetricData": [{"MetricName": "m", "Value": 1.0}] * 1001}, True),
          Example("PutMetricData", {"Namespace": "Fossa/test", "MetricData": [{"MetricName": "m", "Value": 1.0}] * 1000}, False)]),

    Rule("cloudwatch.alarm-evaluation", "cloudwatch", ("PutMetricAlarm",), "", alarm_evaluation,
         "InvalidParameterValueException", "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
         [Example("PutMetricAlarm", {"AlarmName": "a", "EvaluationPeriods": 1, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                                     "Period": 90, "MetricName": "m", "Namespace": "Fossa/test", "Statistic": "Maximum", "Threshold": 1.0}, True),
          Example("PutMetricAlarm", {"AlarmName": "a", "EvaluationPeriods": 289, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                                     "Period": 300, "MetricName": "m", "Namespace": "Fossa/test", "Statistic": "Maximum", "Threshold": 1.0}, True),
          Example("PutMetricAlarm", {"AlarmName": "a", "EvaluationPeriods": 1, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                                     "Period": 300, "MetricName": "m", "Namespace": "Fossa/test", "Statistic": "Maximum", "Threshold": 1.0}, False)]),
    Rule("cloudwatch.treat-missing-data", "cloudwatch", ("PutMetricAlarm",), "TreatMissingData", on_value(treat_missing_data),
         "InvalidParameterValueException", "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
         [Example("PutMetricAlarm", {"AlarmName": "a", "EvaluationPeriods": 1, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                                     "TreatMissingData": "notbreaching"}, True),
          Example("PutMetricAlarm", {"AlarmName": "a", "EvaluationPeriods": 1, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                                     "TreatMissingData": "notBreaching"}, False)],
         value_problem=treat_missing_data),

    Rule("sns.topic-name", "sns", ("CreateTopic",), "Name", on_value(sns_topic_name),
         "InvalidParameterException", "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
         [Example("CreateTopic", {"Name": "fossa test alarms"}, True), Example("CreateTopic", {"Name": "x" * 257}, True),
          Example("CreateTopic", {"Name": "fossa-test-alarms"}, False), Example("CreateTopic", {"Name": "fossa_test.fifo"}, False)],
         value_problem=sns_topic_name),

    Rule("ecs.cluster-name", "ecs", ("CreateCluster",), "clusterName", on_value(ecs_name("Cluster name")),
         "InvalidParameterException", f"{ECS_API}/API_CreateCluster.html",
         [Example("CreateCluster", {"clusterName": "fossa.test"}, True), Example("CreateCluster", {"clusterName": "fossa-test"}, False)]),
    Rule("ecs.service-name", "ecs", ("CreateService",), "serviceName", on_value(ecs_name("Service name")),
         "InvalidParameterException", f"{ECS_API}/API_CreateService.html",
         [Example("CreateService", {"serviceName": "fossa worker"}, True), Example("CreateService", {"serviceName": "fossa-worker"}, False)]),
    Rule("ecs.family", "ecs", ("RegisterTaskDefinition",), "family", on_value(ecs_name("Family")),
         "InvalidParameterException", f"{ECS_API}/API_RegisterTaskDefinition.html",
         [Example("RegisterTaskDefinition", dict(_task_definition(), family="fossa:worker"), True),
          Example("RegisterTaskDefinition", _task_definition(), False)]),
    Rule("ecs.container-name", "ecs", ("RegisterTaskDefinition",), "containerDefinitions[].name",
         on_value(ecs_name("Container name")), "InvalidParameterException", f"{ECS_API}/API_ContainerDefinition.html",
         [Example("RegisterTaskDefinition", _task_definition(name="fossa/worker"), True),
          Example("RegisterTaskDefinition", _task_definition(name="fossa_worker-2"), False)]),
    Rule("ecs.tag-prefix", "ecs", ("CreateCluster", "CreateService", "RegisterTaskDefinition", "TagResource", "RunTask"),
         "tags[]", on_value(ecs_tag), "InvalidParameterException", f"{ECS_API}/API_Tag.html",
         [Example("TagResource", {"resourceArn": "arn:aws:ecs:eu-west-2:123456789012:cluster/c", "tags": [{"key": "aws:stack", "value": "x"}]}, True),
          Example("TagResource", {"resourceArn": "arn:aws:ecs:eu-west-2:123456789012:cluster/c", "tags": [{"key": "Stack", "value": "x"}]}, False)],
         value_problem=ecs_tag),
    Rule("ecs.fargate-task-size", "ecs", ("RegisterTaskDefinition",), "", fargate_task, "ClientException",
         "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size",
         [Example("RegisterTaskDefinition", _task_definition(cpu="256", memory="4096"), True),
          Example("RegisterTaskDefinition", _task_definition(network="bridge"), True),
          Example("RegisterTaskDefinition", _task_definition(cpu=None), True),
          Example("RegisterTaskDefinition", _task_definition(cpu="1 vCPU", memory="2 GB"), False),
          Example("RegisterTaskDefinition", _task_definition(cpu="8192", memory="20480"), False)]),
    Rule("ecs.stop-timeout", "ecs", ("RegisterTaskDefinition",), "containerDefinitions[]", stop_timeout, "ClientException",
         f"{ECS_API}/API_ContainerDefinition.html",
         [Example("RegisterTaskDefinition", _task_definition(stopTimeout=121), True),
          Example("RegisterTaskDefinition", _task_definition(stopTimeout=120), False)]),
    Rule("ecs.health-check", "ecs", ("RegisterTaskDefinition",), "containerDefinitions[]", on_value(health_check),
         "ClientException", f"{ECS_API}/API_HealthCheck.html",
         [Example("RegisterTaskDefinition", _task_definition(healthCheck={"command": ["CMD", "true"], "interval": 301}), True),
          Example("RegisterTaskDefinition", _task_definition(healthCheck={"command": ["CMD", "true"], "timeout": 1}), True),
          Example("RegisterTaskDefinition", _task_definition(healthCheck={"command": ["CMD", "true"], "interval": 30,
                                                                          "timeout": 5, "retries": 3, "startPeriod": 10}), False)]),
    Rule("ecs.describe-tasks", "ecs", ("DescribeTasks",), "tasks", on_value(at_most(100, "tasks")),
         "InvalidParameterException", f"{ECS_API}/API_DescribeTasks.html",
         [Example("DescribeTasks", {"tasks": [f"t{i}" for i in range(101)]}, True),
          Example("DescribeTasks", {"tasks": [f"t{i}" for i in range(100)]}, False)]),
    Rule("ecs.describe-clusters", "ecs", ("DescribeClusters",), "clusters", on_value(at_most(100, "clusters")),
         "InvalidParameterException", f"{ECS_API}/API_DescribeClusters.html",
         [Example("DescribeClusters", {"clusters": [f"c{i}" for i in range(101)]}, True),
          Example("DescribeClusters", {"clusters": ["c"]}, False)]),
    Rule("ecs.describe-services", "ecs", ("DescribeServices",), "services", on_value(at_most(10, "services")),
         "InvalidParameterException", f"{ECS_API}/API_DescribeServices.html",
         [Example("DescribeServices", {"services": [f"s{i}" for i in range(11)]}, True),
          Example("DescribeServices", {"services": [f"s{i}" for i in range(10)]}, False)]),
    Rule("ecs.max-results", "ecs", ("ListTasks", "ListServices", "ListClusters"), "maxResults", on_value(max_results),
         "InvalidParameterException", f"{ECS_API}/API_ListTasks.html",
         [Example("ListTasks", {"maxResults": 101}, True), Example("ListTasks", {"maxResults": 100}, False)]),

    Rule("servicediscovery.namespace-name", "servicediscovery", ("CreatePrivateDnsNamespace",), "Name",
         on_value(dns_namespace), "InvalidInput",
         "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html",
         [Example("CreatePrivateDnsNamespace", {"Name": "x" * 64 + ".fossa.internal", "Vpc": "vpc-1"}, True),
          Example("CreatePrivateDnsNamespace", {"Name": "test.fossa.internal", "Vpc": "vpc-1"}, False)],
         value_problem=dns_namespace),
    Rule("application-autoscaling.ecs-target", "application-autoscaling", ("RegisterScalableTarget",), "",
         scalable_target, "ValidationException",
         "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html",
         [Example("RegisterScalableTarget", {"ServiceNamespace": "ecs", "ResourceId": "service/c/s",
                                             "ScalableDimension": "ecs:service:DesiredCount", "MinCapacity": 5, "MaxCapacity": 4}, True),
          Example("RegisterScalableTarget", {"ServiceNamespace": "ecs", "ResourceId": "c/s",
                                             "ScalableDimension": "ecs:service:DesiredCount"}, True),
          Example("RegisterScalableTarget", {"ServiceNamespace": "ecs", "ResourceId": "service/c/s",
                                             "ScalableDimension": "ecs:service:DesiredCount", "MinCapacity": 0, "MaxCapacity": 4}, False)]),
]

BY_NAME = {rule.name: rule for rule in RULES}


def problems(service, operation, params, state):
    """(rule, where, message) of each rule the request breaks."""
    found = []
    for rule in RULES:
        if rule.service != service or operation not in rule.operations:
            continue
        context = Context(params, state)
        for where, value in select(params, rule.select):
            message = rule.problem(value, context)
            if message:
                found.append((rule, where, message))
    return found


def remember(service, operation, params, state):
    """After a request that succeeded: what the stateful rules keep of it."""
    for rule in RULES:
        if rule.after is not None and rule.service == service and operation in rule.after_operations:
            rule.after(operation, params, state)
