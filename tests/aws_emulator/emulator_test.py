"""The emulator as the tests start it (launcher.py -> server.py): moto with our patches behind the
strict front, on one loopback port. What the front refuses never reaches moto; what it passes
does; a --patch module is loaded into it."""
import unittest

import botocore.exceptions

from launcher import Emulator


class TheEmulator(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.aws = Emulator(patches=["probe_patch"], environment={"FOSSA_PROBE_SETTING": "setting-1"})

    @classmethod
    def tearDownClass(cls):
        cls.aws.stop()

    def refused(self, call, code):
        with self.assertRaises(botocore.exceptions.ClientError) as raised:
            call()
        self.assertEqual(raised.exception.response["Error"]["Code"], code)
        return raised.exception.response

    def test_what_is_refused_is_not_made_and_what_passes_is(self):
        ecs = self.aws.client("ecs")
        ecs.create_cluster(clusterName="fossa-emulator")
        comma = [{"key": "fossa:metric-dimensions", "value": "ClusterName=fossa-emulator,ServiceName=fossa-worker"}]
        before = len(self.aws.refusals())
        self.refused(lambda: ecs.create_service(cluster="fossa-emulator", serviceName="fossa-worker", tags=comma),
                     "ValidationException")
        self.assertEqual(ecs.list_services(cluster="fossa-emulator")["serviceArns"], [], "moto never saw it")
        self.assertIn("ecs CreateService: ValidationException", self.aws.refusals()[before])
        ecs.create_service(cluster="fossa-emulator", serviceName="fossa-worker",
                           tags=[{"key": "fossa:metric-dimensions", "value": "ClusterName=fossa-emulator ServiceName=fossa-worker"}])
        self.assertEqual(len(ecs.list_services(cluster="fossa-emulator")["serviceArns"]), 1)

        ec2 = self.aws.client("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
        group = ec2.create_security_group(GroupName="fossa-emulator", Description="the gateway", VpcId=vpc)["GroupId"]
        rule = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "NAT'd"}]}
        self.refused(lambda: ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[rule]), "InvalidParameterValue")
        rule["IpRanges"][0]["Description"] = "NAT"
        ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[rule])
        [made] = ec2.describe_security_groups(GroupIds=[group])["SecurityGroups"]
        self.assertEqual(made["IpPermissions"][0]["IpRanges"], [{"CidrIp": "10.0.0.0/8", "Description": "NAT"}])

    def test_objects_go_through_whole(self):
        s3 = self.aws.client("s3")
        s3.create_bucket(Bucket="fossa-emulator", CreateBucketConfiguration={"LocationConstraint": self.aws.region})
        data = bytes(range(256)) * 4096
        s3.put_object(Bucket="fossa-emulator", Key="dir/a b+c.bin", Body=data)
        self.assertEqual(s3.get_object(Bucket="fossa-emulator", Key="dir/a b+c.bin")["Body"].read(), data)

    def test_our_patches_of_moto_are_in(self):
        scaling = self.aws.client("application-autoscaling")
        ecs = self.aws.client("ecs")
        ecs.create_cluster(clusterName="fossa-patched")
        ecs.create_service(cluster="fossa-patched", serviceName="s")
        arn = scaling.register_scalable_target(ServiceNamespace="ecs", ResourceId="service/fossa-patched/s",
                                               ScalableDimension="ecs:service:DesiredCount", MinCapacity=0,
                                               MaxCapacity=2, Tags={"Stack": "t"})["ScalableTargetARN"]
        self.assertEqual(scaling.list_tags_for_resource(ResourceARN=arn)["Tags"], {"Stack": "t"})
        role = self.aws.client("iam").create_service_linked_role(AWSServiceName="ecs.amazonaws.com")["Role"]
        self.assertEqual(role["RoleName"], "AWSServiceRoleForECS")

    def test_a_patch_module_is_loaded_into_the_emulator_with_its_settings(self):
        self.aws.wait_for_line(f"probe patch installed in {self.aws.process.pid} with setting-1")


if __name__ == "__main__":
    unittest.main()
