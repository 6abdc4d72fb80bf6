"""The AWS stacks (deploy/aws) as a user runs them: formatted and valid Terraform; up.sh's preflight
refusals; up.sh against the moto_server emulator, then what it made, read back through the AWS
API; then down.sh, and nothing left."""
import base64
import gzip
import ipaddress
import json
import os
import pathlib
import unittest

import yaml

import harness

STACK = "teststack"
PASSWORD = "a-gateway-password-for-tests"
ALLOWED = "203.0.113.7/32"


class Format(unittest.TestCase):
    def test_every_part_is_formatted(self):
        env = harness.terraform_env(harness.WorkDir("fossa-tf-fmt-").path)
        status, output = harness.run(["terraform", "fmt", "-check", "-recursive", "-diff", str(harness.DEPLOY_DIR)], env)
        self.assertEqual(status, 0, f"run terraform fmt -recursive deploy/aws:\n{output}")


class Validate(unittest.TestCase):
    def test_every_part_is_valid(self):
        work = harness.WorkDir("fossa-tf-validate-")
        try:
            env = harness.terraform_env(work.path)
            tree = harness.copy_deploy_tree(work.path)
            for part in harness.PARTS:
                with self.subTest(part=part):
                    status, output = harness.run(["terraform", "init", "-backend=false", "-input=false"], env, tree / part)
                    self.assertEqual(status, 0, output)
                    status, output = harness.run(["terraform", "validate", "-no-color"], env, tree / part)
                    self.assertEqual(status, 0, output)
        finally:
            work.remove()


class Preflight(unittest.TestCase):
    """up.sh and down.sh refuse bad settings before anything is made, saying what to do."""

    @classmethod
    def setUpClass(cls):
        cls.work = harness.WorkDir("fossa-tf-preflight-")
        cls.tree = harness.copy_deploy_tree(cls.work.path)
        base = harness.terraform_env(cls.work.path)
        cls.env = dict(base, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_REGION="eu-west-2",
                       GATEWAY_HTTP_PASSWORD=PASSWORD, FOSSA_ALLOWED_CIDR=ALLOWED, FOSSA_SKIP_IMAGES="1",
                       # Nothing may reach AWS here: an address that refuses at once.
                       AWS_ENDPOINT_URL="http://127.0.0.1:9")
        cls.env.pop("AWS_DEFAULT_REGION", None)

    @classmethod
    def tearDownClass(cls):
        cls.work.remove()

    def refused(self, script, args, expected, **changes):
        env = dict(self.env)
        for name, value in changes.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        status, output = harness.run([str(self.tree / script)] + args, env)
        self.assertNotEqual(status, 0, output)
        self.assertIn(expected, output)
        self.assertFalse(any((self.tree / part / "terraform.tfstate.d").exists() for part in harness.PARTS),
                         "a refused run must make nothing")

    def test_without_a_stack_name(self):
        self.refused("up.sh", [], "Usage: deploy/aws/up.sh")

    def test_with_a_bad_stack_name(self):
        self.refused("up.sh", ["--yes", "Bad_Name"], "stack name 'Bad_Name' is not valid")

    def test_without_a_region(self):
        self.refused("up.sh", ["--yes", STACK], "no AWS region: export AWS_REGION", AWS_REGION=None)

    def test_without_credentials(self):
        self.refused("up.sh", ["--yes", STACK], "no AWS credentials", AWS_ACCESS_KEY_ID=None,
                     AWS_PROFILE=None, AWS_SHARED_CREDENTIALS_FILE="/nonexistent", AWS_CONFIG_FILE="/nonexistent")

    def test_without_a_password(self):
        self.refused("up.sh", ["--yes", STACK], "GATEWAY_HTTP_PASSWORD is not set", GATEWAY_HTTP_PASSWORD=None)

    def test_with_a_short_password(self):
        self.refused("up.sh", ["--yes", STACK], "GATEWAY_HTTP_PASSWORD is too short", GATEWAY_HTTP_PASSWORD="short")

    def test_with_a_bad_allowed_cidr(self):
        self.refused("up.sh", ["--yes", STACK], "FOSSA_ALLOWED_CIDR 'everyone' is not an IPv4 CIDR", FOSSA_ALLOWED_CIDR="everyone")

    def test_down_of_an_unknown_stack(self):
        self.refused("down.sh", ["--yes", "nosuchstack"], "no part of stack 'nosuchstack' is known here")


class UpAndDown(unittest.TestCase):
    """The whole life of a stack on the emulator."""

    def setUp(self):
        self.work = harness.WorkDir("fossa-tf-stack-")
        self.tree = harness.copy_deploy_tree(self.work.path)
        self.moto = harness.Moto()
        self.env = self.moto.env(harness.terraform_env(self.work.path))
        self.env.update(GATEWAY_HTTP_PASSWORD=PASSWORD, FOSSA_ALLOWED_CIDR=ALLOWED, FOSSA_SKIP_IMAGES="1")
        self.ec2 = self.moto.client("ec2")
        self.ecs = self.moto.client("ecs")

    def tearDown(self):
        self.moto.stop()
        self.work.remove()

    def test_up_makes_the_stack_and_down_removes_it(self):
        status, output = harness.run([str(self.tree / "up.sh"), "--yes", STACK], self.env, timeout=900)
        self.assertEqual(status, 0, output)
        self.assertIn(f"== stack {STACK} is up ==", output)
        self.outputs = {part: self.terraform_outputs(part) for part in harness.PARTS}

        self.check_network()
        self.check_gateway_instance()
        self.check_security_groups()
        self.check_gateway_permissions()
        self.check_cluster_and_services()
        self.check_task_definitions()
        self.check_secrets()
        self.check_logs_and_images()
        self.check_nothing_changes_on_a_second_plan()

        status, output = harness.run([str(self.tree / "down.sh"), "--yes", STACK], self.env, timeout=900)
        self.assertEqual(status, 0, output)
        self.assertIn(f"== stack {STACK} is gone ==", output)
        self.check_nothing_is_left()

    # --- helpers ---------------------------------------------------------------------------------

    def terraform_outputs(self, part):
        status, output = harness.run(["terraform", "output", "-json"], self.env, self.tree / part)
        self.assertEqual(status, 0, output)
        return {name: value["value"] for name, value in json.loads(output).items()}

    def stack_filter(self):
        return [{"Name": "tag:Stack", "Values": [STACK]}]

    def stack_groups(self):
        groups = self.ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [self.vpc_id]}])["SecurityGroups"]
        return {g["GroupName"]: g for g in groups}

    # --- what up.sh made -------------------------------------------------------------------------

    def check_network(self):
        vpcs = self.ec2.describe_vpcs(Filters=self.stack_filter())["Vpcs"]
        self.assertEqual([v["CidrBlock"] for v in vpcs], ["192.168.0.0/16"])
        self.vpc_id = vpcs[0]["VpcId"]
        for attribute in ("enableDnsSupport", "enableDnsHostnames"):  # Cloud Map names resolve only with both
            value = self.ec2.describe_vpc_attribute(VpcId=self.vpc_id, Attribute=attribute)
            self.assertTrue(next(v for k, v in value.items() if k.lower() == attribute.lower())["Value"], attribute)
        subnets = {s["CidrBlock"]: s for s in self.ec2.describe_subnets(
            Filters=[{"Name": "vpc-id", "Values": [self.vpc_id]}])["Subnets"]}
        self.assertEqual(sorted(subnets), ["192.168.1.0/24", "192.168.2.0/24"])
        self.public_subnet = subnets["192.168.1.0/24"]["SubnetId"]
        self.private_subnet = subnets["192.168.2.0/24"]["SubnetId"]
        self.assertNotEqual(subnets["192.168.1.0/24"]["AvailabilityZone"], subnets["192.168.2.0/24"]["AvailabilityZone"])
        self.assertFalse(subnets["192.168.2.0/24"]["MapPublicIpOnLaunch"])

        def default_route(subnet):
            tables = self.ec2.describe_route_tables(
                Filters=[{"Name": "association.subnet-id", "Values": [subnet]}])["RouteTables"]
            self.assertEqual(len(tables), 1, f"subnet {subnet} has its own route table")
            return next(r for r in tables[0]["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0")

        igw = self.ec2.describe_internet_gateways(
            Filters=[{"Name": "attachment.vpc-id", "Values": [self.vpc_id]}])["InternetGateways"]
        self.assertEqual(default_route(self.public_subnet)["GatewayId"], igw[0]["InternetGatewayId"])
        self.private_default_route = default_route(self.private_subnet)

    def check_gateway_instance(self):
        reservations = self.ec2.describe_instances(Filters=self.stack_filter() + [
            {"Name": "instance-state-name", "Values": ["running", "pending"]}])["Reservations"]
        instances = [i for r in reservations for i in r["Instances"]]
        self.assertEqual(len(instances), 1)
        gateway = instances[0]
        self.assertEqual(gateway["InstanceId"], self.outputs["gateway"]["gateway_instance_id"])
        self.assertEqual(gateway["SubnetId"], self.public_subnet)
        self.assertEqual(gateway["InstanceType"], "t3.small")
        # The latest Amazon Linux 2023, as AWS publishes it: no AMI id written down anywhere.
        latest = self.moto.client("ssm").get_parameter(
            Name="/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")["Parameter"]["Value"]
        self.assertEqual(gateway["ImageId"], latest)
        # The private subnet goes out through the gateway's own network interface...
        primary = next(n for n in gateway["NetworkInterfaces"] if n["Attachment"]["DeviceIndex"] == 0)
        self.assertEqual(self.private_default_route.get("NetworkInterfaceId"), primary["NetworkInterfaceId"])
        # ...which forwards packets that are not its own.
        check = self.ec2.describe_instance_attribute(InstanceId=gateway["InstanceId"], Attribute="sourceDestCheck")
        self.assertFalse(check["SourceDestCheck"]["Value"])
        self.assertEqual(gateway["MetadataOptions"]["HttpTokens"], "required")
        self.assertNotIn("KeyName", gateway, "no key pair unless one is asked for")
        addresses = self.ec2.describe_addresses(Filters=[{"Name": "instance-id", "Values": [gateway["InstanceId"]]}])["Addresses"]
        self.assertEqual([a["PublicIp"] for a in addresses], [self.outputs["gateway"]["gateway_public_ip"]])
        self.assertEqual(self.outputs["gateway"]["gateway_url"], f"https://{addresses[0]['PublicIp']}/")

        # Its first boot: the provisioning files of the repository, the private CIDR, no password.
        user_data = self.ec2.describe_instance_attribute(InstanceId=gateway["InstanceId"], Attribute="userData")
        cloud_init = gzip.decompress(base64.b64decode(user_data["UserData"]["Value"])).decode()
        self.assertTrue(cloud_init.startswith("#cloud-config\n"))
        self.assertNotIn(PASSWORD, cloud_init)
        config = yaml.safe_load(cloud_init)  # what cloud-init will read
        files = {f["path"]: f for f in config["write_files"]}
        provision = harness.DEPLOY_DIR / "gateway" / "provision"
        for name, path, mode in (("fossa-nat", "/usr/local/sbin/fossa-nat", "0755"),
                                 ("fossa-gateway-run", "/usr/local/sbin/fossa-gateway-run", "0755"),
                                 ("fossa-nat.service", "/etc/systemd/system/fossa-nat.service", "0644"),
                                 ("fossa-nat-check.service", "/etc/systemd/system/fossa-nat-check.service", "0644"),
                                 ("fossa-nat-check.timer", "/etc/systemd/system/fossa-nat-check.timer", "0644"),
                                 ("fossa-gateway.service", "/etc/systemd/system/fossa-gateway.service", "0644")):
            self.assertIn(path, files, f"cloud-init installs {name}")
            self.assertEqual(files[path]["permissions"], mode, path)
            self.assertEqual(files[path]["content"].rstrip("\n"), (provision / name).read_text().rstrip("\n"),
                             f"{path} is the repository's {name}, byte for byte")
        self.assertEqual(files["/etc/fossa/nat.env"]["content"], "FOSSA_PRIVATE_CIDR=192.168.2.0/24\n")
        gateway_env = dict(line.split("=", 1) for line in files["/etc/fossa/gateway.env"]["content"].splitlines())
        self.assertEqual(gateway_env["FOSSA_GATEWAY_IMAGE"], self.outputs["gateway"]["ecr_repository_url"] + ":fossa-gateway")
        self.assertEqual((gateway_env["FOSSA_GATEWAY_HTTPS"], gateway_env["FOSSA_GATEWAY_PORT"]), ("1", "443"))
        self.assertEqual(gateway_env["FOSSA_REGION"], harness.REGION)
        [script] = config["runcmd"]
        self.assertIn("systemctl start fossa-nat.service", script)
        self.assertIn("systemctl enable fossa-nat.service fossa-nat-check.timer fossa-gateway.service", script)
        self.gateway_group_id = gateway["SecurityGroups"][0]["GroupId"]
        self.gateway_profile = gateway["IamInstanceProfile"]["Arn"]

    def check_security_groups(self):
        groups = self.stack_groups()
        prefix = f"fossa-{STACK}-"
        gateway, worker, broker = (groups[prefix + n] for n in ("gateway", "worker", "broker"))
        self.assertEqual(gateway["GroupId"], self.gateway_group_id)

        def rules(group):
            found = set()
            for rule in group["IpPermissions"]:
                port = rule.get("FromPort", "all")
                for r in rule.get("IpRanges", []):
                    found.add((rule["IpProtocol"], port, r["CidrIp"]))
                for r in rule.get("UserIdGroupPairs", []):
                    found.add((rule["IpProtocol"], port, r["GroupId"]))
            return found

        # Only the allowed CIDR reaches the web port, there is no SSH, the private subnet is NAT'd.
        self.assertEqual(rules(gateway), {("tcp", 443, ALLOWED), ("-1", "all", "192.168.2.0/24")})
        self.assertEqual(rules(worker), {("tcp", 2345, gateway["GroupId"])})
        self.assertEqual(rules(broker), {("tcp", 5672, worker["GroupId"])})
        for group in groups.values():
            for rule in group["IpPermissions"]:
                self.assertNotIn("0.0.0.0/0", [r["CidrIp"] for r in rule.get("IpRanges", [])],
                                 f"{group['GroupName']} is open to the world")

    def check_gateway_permissions(self):
        iam = self.moto.client("iam")
        profile = next(p for p in iam.list_instance_profiles()["InstanceProfiles"] if p["Arn"] == self.gateway_profile)
        role = profile["Roles"][0]["RoleName"]
        attached = [p["PolicyName"] for p in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]]
        self.assertEqual(attached, ["AmazonSSMManagedInstanceCore"])
        names = iam.list_role_policies(RoleName=role)["PolicyNames"]
        self.assertEqual(names, ["fossa-gateway"])
        document = iam.get_role_policy(RoleName=role, PolicyName=names[0])["PolicyDocument"]
        if isinstance(document, str):
            document = json.loads(document)
        repository_arn = self.outputs["gateway"]["ecr_repository_arn"]
        for statement in document["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            for action in actions:
                service, verb = action.split(":")
                self.assertNotIn("*", verb, f"no wildcard actions: {action}")
                if service == "ecs":
                    self.assertTrue(verb.startswith(("List", "Describe")), f"ECS read-only: {action}")
                elif service == "ecr" and verb != "GetAuthorizationToken":
                    self.assertEqual(resources, [repository_arn], f"{action} only on the stack's repository")
                elif service == "secretsmanager":
                    self.assertEqual(verb, "GetSecretValue")
                    self.assertEqual(len(resources), 1)
                    self.assertIn("gateway-password", resources[0])
                else:
                    self.assertEqual(action, "ecr:GetAuthorizationToken")

    def check_cluster_and_services(self):
        clusters = self.ecs.describe_clusters(clusters=[f"fossa-{STACK}"])["clusters"]
        self.assertEqual(clusters[0]["status"], "ACTIVE")
        self.cluster_arn = clusters[0]["clusterArn"]
        self.assertEqual(self.outputs["cluster"]["cluster_arn"], self.cluster_arn)
        self.assertEqual(sorted(clusters[0].get("capacityProviders", [])), ["FARGATE", "FARGATE_SPOT"])
        arns = self.ecs.list_services(cluster=self.cluster_arn)["serviceArns"]
        services = {s["serviceName"]: s for s in self.ecs.describe_services(cluster=self.cluster_arn, services=arns)["services"]}
        # fossa-worker: the name fossa-gateway's --worker-group (service:fossa-worker) expects.
        self.assertEqual({n: s["desiredCount"] for n, s in services.items()}, {"fossa-worker": 4, "rabbitmq": 1})
        for name, service in services.items():
            network = service["networkConfiguration"]["awsvpcConfiguration"]
            self.assertEqual(network["assignPublicIp"], "DISABLED", f"{name} has no public IP")
            self.assertEqual(network["subnets"], [self.private_subnet], f"{name} is in the private subnet")
        self.services = services

        # The broker's name: rabbitmq.<stack>.fossa.internal, kept by Cloud Map for the broker's service.
        discovery = self.moto.client("servicediscovery")
        namespaces = {n["Name"]: n for n in discovery.list_namespaces()["Namespaces"]}
        namespace = namespaces[f"{STACK}.fossa.internal"]
        self.assertEqual(namespace["Type"], "DNS_PRIVATE")
        details = discovery.get_namespace(Id=namespace["Id"])["Namespace"]
        self.assertIn("HostedZoneId", details["Properties"]["DnsProperties"])
        registries = services["rabbitmq"]["serviceRegistries"]
        self.assertEqual(len(registries), 1)
        registered = discovery.get_service(Id=registries[0]["registryArn"].split("/")[-1])["Service"]
        self.assertEqual(registered["Name"], "rabbitmq")
        self.assertEqual(registered["DnsConfig"]["NamespaceId"], namespace["Id"])
        self.assertEqual([r["Type"] for r in registered["DnsConfig"]["DnsRecords"]], ["A"])
        self.assertEqual(self.outputs["cluster"]["broker_host"], f"rabbitmq.{STACK}.fossa.internal")

    def task_definition(self, service):
        return self.ecs.describe_task_definition(taskDefinition=self.services[service]["taskDefinition"])["taskDefinition"]

    def check_task_definitions(self):
        secret = self.outputs["cluster"]["broker_secret_arn"]
        log_group = f"/fossa/{STACK}/ecs"

        worker = self.task_definition("fossa-worker")
        self.assertEqual((worker["cpu"], worker["memory"], worker["networkMode"]), ("256", "512", "awsvpc"))
        self.assertEqual(worker["requiresCompatibilities"], ["FARGATE"])
        self.assertNotIn("taskRoleArn", worker, "the nodes call no AWS API, so they get no role")
        [container] = worker["containerDefinitions"]
        self.assertEqual(container["image"], self.outputs["gateway"]["ecr_repository_url"] + ":fossa-worker")
        self.assertEqual([p["containerPort"] for p in container["portMappings"]], [2345])
        environment = {e["name"]: e["value"] for e in container["environment"]}
        self.assertEqual(environment, {"FOSSA_HTTP_PORT": "2345", "FOSSA_LOG_FORMAT": "json", "FOSSA_DRAIN_SECONDS": "100",
                                       "FOSSA_ACCEPTED_MODELS": "PartitionedExampleEtl"})
        self.assertEqual(container["secrets"], [{"name": "RABBITMQ_URL", "valueFrom": f"{secret}:url::"}])
        self.assertNotIn("RABBITMQ_URL", environment, "the broker URL carries a password: a secret, not environment")
        self.assertEqual(container["stopTimeout"], 120)
        # the image's own check (deploy/aws/images/node-healthcheck: GET /healthz)
        self.assertEqual(container["healthCheck"]["command"], ["CMD-SHELL", "/usr/local/bin/node-healthcheck"])
        self.assertEqual(container["logConfiguration"]["options"]["awslogs-group"], log_group)
        self.assertEqual(container["logConfiguration"]["options"]["awslogs-stream-prefix"], "fossa_worker")

        broker = self.task_definition("rabbitmq")
        self.assertEqual((broker["cpu"], broker["memory"]), ("256", "2048"))
        [container] = broker["containerDefinitions"]
        self.assertTrue(container["image"].split(":")[0].endswith("/rabbitmq"))
        self.assertEqual([p["containerPort"] for p in container["portMappings"]], [5672])
        self.assertEqual({s["name"]: s["valueFrom"] for s in container["secrets"]},
                         {"RABBITMQ_DEFAULT_USER": f"{secret}:username::", "RABBITMQ_DEFAULT_PASS": f"{secret}:password::"})
        environment = {e["name"]: e["value"] for e in container["environment"]}
        self.assertEqual(environment["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"], "-rabbit consumer_timeout 86400000")
        self.assertIn("healthCheck", container)
        self.assertEqual(container["logConfiguration"]["options"]["awslogs-stream-prefix"], "rabbit_mq")

        # The execution role may read this one secret and pull from the stack's repository only.
        iam = self.moto.client("iam")
        role = worker["executionRoleArn"].split("/")[-1]
        document = iam.get_role_policy(RoleName=role, PolicyName="fossa-task-execution")["PolicyDocument"]
        if isinstance(document, str):
            document = json.loads(document)
        by_action = {}
        for statement in document["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            for action in actions:
                by_action[action] = statement["Resource"]
        self.assertEqual(by_action["secretsmanager:GetSecretValue"], secret)
        self.assertEqual(by_action["ecr:BatchGetImage"], self.outputs["gateway"]["ecr_repository_arn"])

    def check_secrets(self):
        secrets = self.moto.client("secretsmanager")
        broker = json.loads(secrets.get_secret_value(SecretId=self.outputs["cluster"]["broker_secret_arn"])["SecretString"])
        self.assertEqual(broker["username"], "fossa")
        self.assertNotEqual(broker["password"], "guest")
        self.assertGreaterEqual(len(broker["password"]), 32)
        self.assertEqual(broker["url"], f"amqp://fossa:{broker['password']}@rabbitmq.{STACK}.fossa.internal:5672/")
        gateway = [s for s in secrets.list_secrets()["SecretList"] if "gateway-password" in s["Name"]]
        self.assertEqual(len(gateway), 1)
        self.assertEqual(secrets.get_secret_value(SecretId=gateway[0]["ARN"])["SecretString"], PASSWORD)
        # Write-only: neither password is in any Terraform state.
        for state in self.tree.glob("*/terraform.tfstate.d/*/terraform.tfstate"):
            text = state.read_text()
            self.assertNotIn(PASSWORD, text, state)
            self.assertNotIn(broker["password"], text, state)

    def check_logs_and_images(self):
        logs = self.moto.client("logs")
        groups = logs.describe_log_groups(logGroupNamePrefix=f"/fossa/{STACK}/")["logGroups"]
        self.assertEqual([(g["logGroupName"], g.get("retentionInDays")) for g in groups], [(f"/fossa/{STACK}/ecs", 7)])
        ecr = self.moto.client("ecr")
        [repository] = ecr.describe_repositories(repositoryNames=[f"fossa-{STACK}"])["repositories"]
        self.assertEqual(repository["repositoryUri"], self.outputs["gateway"]["ecr_repository_url"])
        self.assertTrue(repository["imageScanningConfiguration"]["scanOnPush"])
        policy = json.loads(ecr.get_lifecycle_policy(repositoryName=f"fossa-{STACK}")["lifecyclePolicyText"])
        self.assertEqual(policy["rules"][0]["action"]["type"], "expire")

    def check_nothing_changes_on_a_second_plan(self):
        """A second run of the same settings has nothing to do (up.sh is safe to run again). Not
        checkable for the cluster on the emulator: moto forgets a service's capacity provider
        strategy and the description of a rule that names a security group, so Terraform sees drift."""
        env = dict(self.env, TF_VAR_gateway_password=PASSWORD, TF_VAR_allowed_cidr=ALLOWED)
        for part in ("network", "gateway"):
            status, output = harness.run(["terraform", "plan", "-detailed-exitcode", "-input=false", "-no-color",
                                          f"-var=region={harness.REGION}", f"-var=stack={STACK}"], env, self.tree / part)
            self.assertEqual(status, 0, f"{part} plans changes after up.sh:\n{output}")

    # --- what down.sh left -----------------------------------------------------------------------

    def check_nothing_is_left(self):
        self.assertEqual(self.ec2.describe_vpcs(Filters=self.stack_filter())["Vpcs"], [])
        self.assertEqual(self.ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [self.vpc_id]}])["Subnets"], [])
        running = self.ec2.describe_instances(Filters=self.stack_filter() + [
            {"Name": "instance-state-name", "Values": ["pending", "running", "stopping", "stopped"]}])["Reservations"]
        self.assertEqual(running, [])
        self.assertEqual(self.ec2.describe_addresses()["Addresses"], [])
        remaining_groups = [g["GroupName"] for g in self.ec2.describe_security_groups()["SecurityGroups"]
                            if g["GroupName"].startswith(f"fossa-{STACK}")]
        self.assertEqual(remaining_groups, [])
        clusters = self.ecs.describe_clusters(clusters=[f"fossa-{STACK}"])
        self.assertNotIn("ACTIVE", [c["status"] for c in clusters["clusters"]])
        self.assertEqual(self.ecs.list_task_definitions(status="ACTIVE")["taskDefinitionArns"], [])
        self.assertEqual(self.moto.client("secretsmanager").list_secrets()["SecretList"], [])
        self.assertEqual(self.moto.client("logs").describe_log_groups(logGroupNamePrefix="/fossa/")["logGroups"], [])
        self.assertEqual(self.moto.client("ecr").describe_repositories()["repositories"], [])
        self.assertEqual(self.moto.client("servicediscovery").list_namespaces()["Namespaces"], [])
        iam = self.moto.client("iam")
        self.assertEqual([r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith(f"fossa-{STACK}")], [])
        self.assertEqual([p["InstanceProfileName"] for p in iam.list_instance_profiles()["InstanceProfiles"]], [])
        # and no workspace of the stack is left behind
        for part in harness.PARTS:
            status, output = harness.run(["terraform", "workspace", "list"], self.env, self.tree / part)
            self.assertNotIn(STACK, output, part)


if __name__ == "__main__":
    unittest.main()
