"""moto_server, plus two things moto 5.2 forgets that the stacks' tests need: the tags of
Application Auto Scaling's scalable targets (ListTagsForResource is not implemented, and the AWS
provider reads the tags of every scalable target it makes), and the capacity provider strategy an
ECS service is created with (without it every plan would replace the worker service). Takes
moto_server's arguments.

With FOSSA_EMULATOR_ECS_WORKERS set (JSON), ECS worker services also run their tasks as real
processes: tests/aws_emulator/ecs_workers.py."""
import json
import pathlib
import sys

from moto import server
from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.ecs.responses import EC2ContainerServiceResponse

TAGS = {}  # resource ARN -> {key: value}, for this process's life


def _register_scalable_target(self):
    answer = _original_register(self)
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
    answer = _original_create_service(self)
    strategy = self._get_param("capacityProviderStrategy")
    if strategy:
        service = self.ecs_backend._get_service(self._get_param("cluster", "default"), self._get_param("serviceName"))
        service.capacity_provider_strategy = strategy
    return answer


_original_create_service = EC2ContainerServiceResponse.create_service
EC2ContainerServiceResponse.create_service = _create_service
_original_register = ApplicationAutoScalingResponse.register_scalable_target
ApplicationAutoScalingResponse.register_scalable_target = _register_scalable_target
ApplicationAutoScalingResponse.list_tags_for_resource = _list_tags_for_resource
ApplicationAutoScalingResponse.tag_resource = _tag_resource
ApplicationAutoScalingResponse.untag_resource = _untag_resource

if __name__ == "__main__":
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "aws_emulator"))
    import ecs_workers  # noqa: E402 (found beside the other emulator code, under tests/aws_emulator)

    ecs_workers.install_from_environment()
    server.main(sys.argv[1:])
