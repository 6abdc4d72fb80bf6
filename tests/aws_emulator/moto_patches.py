"""What moto 5.2 forgets or gets wrong that the tests need, put back: the tags of Application Auto
Scaling's scalable targets (ListTagsForResource is not implemented, and the AWS provider reads the
tags of every scalable target it makes), the capacity provider strategy an ECS service is created
with (without it every plan would replace the worker service), and the name of ECS's
service-linked role (AWSServiceRoleForECS; moto says AWSServiceRoleForecs). server.py applies them
at start."""
import json

import moto.iam.models

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
    strategy = self._get_param("capacityProviderStrategy")
    if strategy:
        service = self.ecs_backend._get_service(self._get_param("cluster", "default"), self._get_param("serviceName"))
        service.capacity_provider_strategy = strategy
    return answer


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
