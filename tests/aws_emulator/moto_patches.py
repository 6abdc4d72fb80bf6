"""What moto 5.2 forgets or gets wrong that the tests need, put back: the tags of Application Auto
Scaling's scalable targets (ListTagsForResource is not implemented, and the AWS provider reads the
tags of every scalable target it makes), the capacity provider strategy and the availability-zone
rebalancing an ECS service is created with (without them every plan would replace the worker
service, or update both services), the name of ECS's service-linked role (AWSServiceRoleForECS;
moto says AWSServiceRoleForecs), and the description of a security group rule that names another
group (DescribeSecurityGroupRules drops it, so Terraform would see every such rule drift and plan
it again). server.py applies them at start."""
import json

import moto.iam.models

from moto.ec2.models.security_groups import SecurityGroupRule

from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.ecs.responses import EC2ContainerServiceResponse

TAGS = {}  # resource ARN -> {key: value}, for this process's life


def _register_scalable_target(self):
    answer = _original["register"](self)
    arn = json.loads(answer)["ScalableTargetARN"]
    TAGS.setdefault(arn, {}).update(self._get_param("Tags") or {})
    return answer


def _list_tags_for_resource(self):
    return json.dumps({"Tags": TAGS.get(self._get_param("ResourceARN"), {})})


def _tag_resource(self):
    TAGS.setdefault(self._get_param("ResourceARN"), {}).update(self._get_param("Tags") or {})
    return json.dumps({})


def _untag_resource(self):
    tags = TAGS.get(self._get_param("ResourceARN"), {})
    for key in self._get_param("TagKeys") or []:
        tags.pop(key, None)
    return json.dumps({})


def _create_service(self):
    answer = _original["create_service"](self)
    service = self.ecs_backend._get_service(self._get_param("cluster", "default"), self._get_param("serviceName"))
    strategy = self._get_param("capacityProviderStrategy")
    if strategy:
        service.capacity_provider_strategy = strategy
    # UpdateService keeps it already (moto sets whatever an update names).
    rebalancing = self._get_param("availabilityZoneRebalancing")
    if rebalancing:
        service.availability_zone_rebalancing = rebalancing
    return answer


def _rule_description(rule):
    # moto reads a rule's description from its CIDR range only; a rule that names a group keeps
    # it with the group.
    return rule.ip_range.get("Description") or rule.source_group.get("Description")


_original = {}


def apply():
    if _original:
        return
    moto.iam.models.SERVICE_NAME_CONVERSION.setdefault("ecs", "ECS")
    _original["create_service"] = EC2ContainerServiceResponse.create_service
    _original["register"] = ApplicationAutoScalingResponse.register_scalable_target
    EC2ContainerServiceResponse.create_service = _create_service
    ApplicationAutoScalingResponse.register_scalable_target = _register_scalable_target
    ApplicationAutoScalingResponse.list_tags_for_resource = _list_tags_for_resource
    ApplicationAutoScalingResponse.tag_resource = _tag_resource
    ApplicationAutoScalingResponse.untag_resource = _untag_resource
    SecurityGroupRule.description = property(_rule_description)
