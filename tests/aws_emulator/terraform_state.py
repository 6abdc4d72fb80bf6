"""What Terraform recorded (`terraform show -json`), held to the same rules as the requests: for what
the emulator loses on the way (moto drops the description of a security group rule that names
another group, so reading the rule back cannot show it), and for a check of a plan before any
request is made (`terraform show -json <planfile>`).

problems(document) -> ["<resource address>: <message>", ...]"""
import model_check
import rules


def _ecs_tag(key, value):
    found = [f"{p.path}: {p.constraint}" for p in model_check.shape_constraint_problems("ecs", "TagKey", key)]
    found += [f"'{value}': {p.constraint}" for p in model_check.shape_constraint_problems("ecs", "TagValue", value)]
    problem = rules.ecs_tag({"key": key, "value": value})
    return "; ".join(found + ([problem] if problem else [])) or None


def _log_group(name):
    found = [p.constraint for p in model_check.shape_constraint_problems("logs", "LogGroupName", name)]
    problem = rules.log_group_name(name)
    return "; ".join(found + ([problem] if problem else [])) or None


def _tags(values, check):
    for key, value in (values.get("tags_all") or values.get("tags") or {}).items():
        yield f"tag {key}", check(key, value)


def _checks(kind, values):
    """(what, message or None) of each value of one resource that a rule covers."""
    if kind == "aws_security_group":
        yield "name", rules.ec2_group_name(values.get("name"))
        yield "description", rules.ec2_group_description(values.get("description"))
        for direction in ("ingress", "egress"):
            for rule in values.get(direction) or []:
                yield f"{direction} rule", rules.ec2_rule_description(rule.get("description"))
    elif kind in ("aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_security_group_rule"):
        yield "description", rules.ec2_rule_description(values.get("description"))
    elif kind in ("aws_ecs_service", "aws_ecs_cluster", "aws_ecs_task_definition"):
        yield from _tags(values, _ecs_tag)
    elif kind == "aws_s3_bucket":
        yield "bucket", rules.bucket_name(values.get("bucket"))
    elif kind == "aws_secretsmanager_secret":
        yield "name", rules.secret_name(values.get("name"))
    elif kind == "aws_cloudwatch_log_group":
        yield "name", _log_group(values.get("name"))
    elif kind == "aws_service_discovery_private_dns_namespace":
        yield "name", rules.dns_namespace(values.get("name"))
    elif kind == "aws_sns_topic":
        yield "name", rules.sns_topic_name(values.get("name"))
    elif kind == "aws_cloudwatch_metric_alarm":
        yield "period", rules.alarm_evaluation({"Period": values.get("period"),
                                                "EvaluationPeriods": values.get("evaluation_periods")}, None)
        yield "treat_missing_data", rules.treat_missing_data(values.get("treat_missing_data"))


def _resources(module):
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from _resources(child)


def problems(document):
    """Every rule a state (`terraform show -json`) or a plan (its planned_values) breaks."""
    values = document.get("values") or document.get("planned_values") or {}
    found = []
    for resource in _resources(values.get("root_module", {})):
        for what, message in _checks(resource["type"], resource.get("values") or {}):
            if message:
                found.append(f"{resource['address']} {what}: {message}")
    return found
