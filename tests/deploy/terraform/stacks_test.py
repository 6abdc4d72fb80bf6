"""The AWS stacks (deploy/aws) as a user runs them: formatted and valid Terraform; up.sh's preflight
refusals; up.sh against the moto_server emulator, then what it made, read back through the AWS
API; then down.sh, and nothing left."""
import base64
import gzip
import ipaddress
import json
import os
import pathlib
import re
import subprocess
import sys
import unittest
import urllib.request

import yaml

import harness
import rules
from data_bucket_checks import DataBucketChecks

sys.path.insert(0, str(harness.SOURCE_DIR / "tests" / "integration" / "support"))
import scaling_fixture  # noqa: E402 (the emulated stack's worker container, checked against the real one)

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

    def test_with_a_models_dir_that_is_not_a_project(self):
        self.refused("up.sh", ["--yes", STACK], "--models /nonexistent/models: no such directory",
                     FOSSA_MODELS_DIR="/nonexistent/models", FOSSA_SKIP_IMAGES=None)

    def test_with_a_models_dir_and_no_images(self):
        self.refused("up.sh", ["--yes", STACK], "FOSSA_MODELS_DIR builds your models into the worker image: unset FOSSA_SKIP_IMAGES",
                     FOSSA_MODELS_DIR=str(harness.SOURCE_DIR / "examples" / "external-models"))

    def test_with_a_bad_alarm_email(self):
        self.refused("up.sh", ["--yes", STACK], "FOSSA_ALARM_EMAIL 'ops at example.com' is not an e-mail address",
                     FOSSA_ALARM_EMAIL="ops at example.com")

    def test_down_of_an_unknown_stack(self):
        self.refused("down.sh", ["--yes", "nosuchstack"], "no part of stack 'nosuchstack' is known here")


class Static(unittest.TestCase):
    """What AWS would refuse, found in the Terraform code itself, before any emulator runs."""

    def blocks(self, kinds):
        """(file, resource type, name, body) of each resource of `kinds` in deploy/aws."""
        for path in sorted(harness.DEPLOY_DIR.glob("*/*.tf")):
            text = path.read_text()
            for match in re.finditer(r'^resource "([a-z0-9_]+)" "([a-z0-9_]+)" \{\n(.*?)^\}', text, re.S | re.M):
                if match.group(1) in kinds:
                    yield path.relative_to(harness.DEPLOY_DIR), match.group(1), match.group(2), match.group(3)

    def test_security_group_descriptions_are_ones_ec2_takes(self):
        kinds = ("aws_security_group", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule",
                 "aws_security_group_rule")
        seen = 0
        for path, kind, name, body in self.blocks(kinds):
            for description in re.findall(r'^\s*description\s*=\s*"((?:[^"\\]|\\.)*)"', body, re.M):
                seen += 1
                text = re.sub(r"\$\{[^}]*\}", "x", description)  # an interpolation stands for a name
                check = rules.ec2_group_description if kind == "aws_security_group" else rules.ec2_rule_description
                self.assertIsNone(check(text), f"{path}: {kind}.{name}")
        self.assertGreater(seen, 5, "the descriptions were found")

    def test_no_partition_or_dns_suffix_is_written_down(self):
        """arn:aws: and amazonaws.com are the commercial partition's: China's are arn:aws-cn: and
        amazonaws.com.cn. They come from the region (aws_partition, aws_service_principal)."""
        for path in sorted(harness.DEPLOY_DIR.glob("*/*.tf")):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                code = line.split("#", 1)[0]
                self.assertNotRegex(code, r"arn:aws:|amazonaws\.com", f"{path.relative_to(harness.DEPLOY_DIR)}:{number}")


class StuckDeployment(unittest.TestCase):
    """up.sh's wait for the services (lib.sh's wait_for_services): a deployment that never
    completes (moto runs no task) is reported, with how to recover, and fails up.sh."""

    def setUp(self):
        self.moto = harness.Emulator(running_tasks=0)

    def tearDown(self):
        self.moto.stop()

    def test_a_service_that_never_runs_is_reported(self):
        ec2, ecs = self.moto.client("ec2"), self.moto.client("ecs")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
        group = ec2.create_security_group(GroupName="workers", Description="workers", VpcId=vpc)["GroupId"]
        ecs.create_cluster(clusterName="stuck")
        ecs.register_task_definition(family="fossa-worker", networkMode="awsvpc", requiresCompatibilities=["FARGATE"],
                                     cpu="256", memory="512", containerDefinitions=[{"name": "fossa", "image": "fossa"}])
        ecs.create_service(cluster="stuck", serviceName="fossa-worker", taskDefinition="fossa-worker", desiredCount=2,
                           launchType="FARGATE", networkConfiguration={"awsvpcConfiguration": {
                               "subnets": [subnet], "securityGroups": [group]}})
        script = ('usage() { :; }; deploy_dir=$1; source "$1/lib.sh"; stack=stuck; region=eu-west-2; '
                  'wait_for_services stuck fossa-worker')
        # FOSSA_WAIT_MINUTES=0: one look, then the verdict.
        env = self.moto.env(dict(os.environ, FOSSA_WAIT_MINUTES="0"))
        status, output = harness.run(["bash", "-c", script, "up.sh", str(harness.DEPLOY_DIR)], env, timeout=120)
        self.assertEqual(status, 1, output)
        self.assertIn("not steady after 0 min", output)
        self.assertIn("fossa-worker\tIN_PROGRESS\t0\t2", output)
        self.assertIn("aws ecs update-service --region eu-west-2 --cluster stuck --service fossa-worker", output)



class BusyWorkers(unittest.TestCase):
    """up.sh's wait for the services (lib.sh's wait_for_services) while a busy worker holds a new
    deployment back: the emulator runs the worker service's task as a real `fossa node`
    (tests/aws_emulator/ecs_workers.py), whose job protects it from scale-in; a new deployment
    (as up.sh starts for a new worker image) then cannot replace it until the job ends. The wait
    says so, and waits; it does not advise a new deployment, which could not help."""

    FIXTURE = harness.SOURCE_DIR / "tests" / "integration" / "support" / "scaling_fixture.py"
    TOKEN = "a-token-for-the-busy-workers-test"

    def setUp(self):
        self.work = harness.WorkDir("fossa-busy-workers-")
        program = os.environ.get("FOSSA_BIN", str(harness.SOURCE_DIR / "build" / "bin" / "fossa"))
        workers = {"services": ["fossa-worker"], "program": program, "log_dir": self.work.path}
        self.moto = harness.Emulator(patches=["ecs_workers"],
                                     environment={"FOSSA_EMULATOR_ECS_WORKERS": json.dumps(workers)})
        self.env = self.moto.env(dict(os.environ))
        # No broker is needed: the job runs on the node itself (its link keeps trying meanwhile).
        self.fixture("setup", "busy", "amqp://guest:guest@127.0.0.1:9/", "--desired", "1", "--api-token", self.TOKEN)

    def tearDown(self):
        self.moto.stop()
        self.work.remove()

    def fixture(self, *args):
        status, output = harness.run([sys.executable, str(self.FIXTURE), *args], self.env, timeout=120)
        self.assertEqual(status, 0, output)
        return output

    def wait_for_services(self, **limits):
        """lib.sh's wait_for_services as up.sh calls it, started (its output a pipe)."""
        script = ('usage() { :; }; deploy_dir=$1; source "$1/lib.sh"; stack=busy; region=eu-west-2; '
                  'wait_for_services busy fossa-worker')
        env = dict(self.env, **{name: str(value) for name, value in limits.items()})
        return subprocess.Popen(["bash", "-c", script, "up.sh", str(harness.DEPLOY_DIR)], env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def test_a_busy_worker_holds_a_deployment_and_up_sh_waits_for_it(self):
        task = self.moto.wait_for_line(" is RUNNING at ").split("ecs-workers: task ")[1].split()[0]
        address = json.loads(self.fixture("show", "busy"))["tasks"][0]["address"]
        gate = os.path.join(self.work.path, "gate")
        os.mkfifo(gate)
        request = urllib.request.Request(
            f"http://{address}:2345/api/0.01/task", method="POST",
            data=json.dumps({"model_class": "GateEtl", "resolver_context": {"gate": gate}}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.TOKEN}"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            self.assertEqual(answer.status, 200)
        self.moto.wait_for_line(f"task {task} scale-in protection on")

        self.fixture("redeploy", "busy")  # what up.sh does for a new worker image
        # One look, no time to wait for the busy worker: the verdict says why, and what not to do.
        waiting = self.wait_for_services(FOSSA_WAIT_MINUTES=0, FOSSA_BUSY_WAIT_MINUTES=0)
        output, _ = waiting.communicate(timeout=120)
        self.assertEqual(waiting.returncode, 1, output)
        self.assertIn("waiting for 1 busy worker(s) to finish their work", output)
        self.assertIn("after 0 min, 1 worker(s) of the old deployment are still busy", output)
        self.assertIn("(up to 0 min, FOSSA_BUSY_WAIT_MINUTES)", output)
        self.assertNotIn("--force-new-deployment", output, "a new deployment cannot help")

        # With time to wait: it waits, the job ends, the worker is replaced, the rollout completes.
        waiting = self.wait_for_services(FOSSA_WAIT_MINUTES=5, FOSSA_BUSY_WAIT_MINUTES=5)
        lines = []
        for line in waiting.stdout:
            lines.append(line)
            if "waiting for 1 busy worker(s)" in line:
                break
        self.assertIn("busy worker", "".join(lines))
        with open(gate, "wb") as opened:  # the job passes its gate and ends
            opened.write(b"x")
        output = "".join(lines) + waiting.communicate(timeout=240)[0]
        self.assertEqual(waiting.returncode, 0, output)
        self.assertIn("fossa-worker steady", output)
        self.assertIn(f"task {task} STOPPED (ServiceSchedulerInitiated, exit code 0)",
                      self.moto.wait_for_line(f"task {task} STOPPED"))
        shown = json.loads(self.fixture("show", "busy"))
        self.assertEqual((shown["running"], shown["rollouts"]), (1, ["COMPLETED"]))

class DatabaseAccess(unittest.TestCase):
    """A database outside the stack (cluster/database.tf): database_secrets become the workers' ECS
    secrets FOSSA_SECRET_<key>, which the execution role may read and nothing more;
    database_secrets_kms_keys adds kms:Decrypt on those keys only; database_egress becomes egress
    rules of the workers' group to exactly those addresses and ports. Without them: no policy, no
    rule. Bad values are refused before anything is made."""

    def setUp(self):
        self.work = harness.WorkDir("fossa-tf-database-")
        self.tree = harness.copy_deploy_tree(self.work.path)
        self.moto = harness.Emulator(running_tasks=4)
        self.env = self.moto.env(harness.terraform_env(self.work.path))
        self.env.update(GATEWAY_HTTP_PASSWORD=PASSWORD, FOSSA_ALLOWED_CIDR=ALLOWED, FOSSA_SKIP_IMAGES="1")

    def tearDown(self):
        self.moto.stop()
        self.work.remove()

    def settings(self, **variables):
        """cluster/<stack>.tfvars, as a user keeps them (HCL takes JSON's objects and lists)."""
        text = "".join(f"{name} = {json.dumps(value)}\n" for name, value in variables.items())
        (self.tree / "cluster" / f"{STACK}.tfvars").write_text(text)

    def apply_cluster(self):
        status, output = harness.run(["terraform", "apply", "-auto-approve", "-input=false", "-no-color",
                                      f"-var=region={harness.REGION}", f"-var=stack={STACK}", f"-var-file={STACK}.tfvars"],
                                     self.env, self.tree / "cluster", timeout=600)
        self.assertEqual(status, 0, output)

    def worker_container(self):
        ecs = self.moto.client("ecs")
        [service] = ecs.describe_services(cluster=f"fossa-{STACK}", services=["fossa-worker"])["services"]
        definition = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
        [container] = definition["containerDefinitions"]
        return definition, container

    def execution_policies(self):
        """{policy name: [(actions, resources)]} of the workers' execution role."""
        iam = self.moto.client("iam")
        definition, _ = self.worker_container()
        role = definition["executionRoleArn"].rsplit("/", 1)[1]
        policies = {}
        for name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
            document = iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
            document = json.loads(document) if isinstance(document, str) else document
            policies[name] = [(sorted(s["Action"] if isinstance(s["Action"], list) else [s["Action"]]),
                               sorted(s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]))
                              for s in document["Statement"]]
        return policies

    def worker_egress(self):
        ec2 = self.moto.client("ec2")
        [group] = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [f"fossa-{STACK}-worker"]}])["SecurityGroups"]
        rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group["GroupId"]]}])["SecurityGroupRules"]
        return sorted((r["IpProtocol"], r["FromPort"], r["ToPort"], r.get("CidrIpv4")) for r in rules if r["IsEgress"])

    def refused(self, expected, **variables):
        self.settings(**variables)
        status, output = harness.run(["terraform", "plan", "-input=false", "-no-color", f"-var=region={harness.REGION}",
                                      f"-var=stack={STACK}", f"-var-file={STACK}.tfvars"], self.env, self.tree / "cluster")
        self.assertEqual(status, 1, output)
        self.assertIn(expected, " ".join(output.replace("│", " ").split()))

    def test_database_secrets_and_egress_reach_the_workers_and_nothing_more(self):
        secrets = self.moto.client("secretsmanager")
        sales = secrets.create_secret(Name="prod/sales-db", SecretString=json.dumps({"username": "sales", "password": "pw"}))["ARN"]
        api_key = secrets.create_secret(Name="prod/api-key", SecretString="k")["ARN"]
        self.settings(database_secrets={"db_user": f"{sales}:username::", "db_password": f"{sales}:password::",
                                        "api_key": api_key},
                      database_egress=[{"address": "10.20.0.15", "port": 5432}, {"address": "10.30.0.0/24", "port": 3306}])
        status, output = harness.run([str(self.tree / "up.sh"), "--yes", STACK], self.env, timeout=900)
        self.assertEqual(status, 0, output)
        self.assertEqual(self.moto.refusals(), [])

        _, container = self.worker_container()
        given = {s["name"]: s["valueFrom"] for s in container["secrets"] if s["name"].startswith("FOSSA_SECRET_")}
        self.assertEqual(given, {"FOSSA_SECRET_db_user": f"{sales}:username::",
                                 "FOSSA_SECRET_db_password": f"{sales}:password::", "FOSSA_SECRET_api_key": api_key})
        self.assertEqual(self.execution_policies()["fossa-database-secrets"],
                         [(["secretsmanager:GetSecretValue"], sorted([sales, api_key]))],
                         "the two secrets, each once, and no kms:Decrypt without a key named")
        self.assertEqual(self.worker_egress(), [("-1", -1, -1, "0.0.0.0/0"), ("tcp", 3306, 3306, "10.30.0.0/24"),
                                                ("tcp", 5432, 5432, "10.20.0.15/32")])
        status, output = harness.run(["terraform", "output", "-raw", "worker_security_group_id"], self.env, self.tree / "cluster")
        self.assertEqual(status, 0, output)
        self.assertTrue(output.startswith("sg-"), output)
        # As EC2 and IAM keep them: a second plan has nothing to do.
        status, output = harness.run(["terraform", "plan", "-detailed-exitcode", "-input=false", "-no-color",
                                      f"-var=region={harness.REGION}", f"-var=stack={STACK}", f"-var-file={STACK}.tfvars"],
                                     self.env, self.tree / "cluster")
        self.assertEqual(status, 0, output)

        # A customer-managed key: kms:Decrypt with it, and only it (the stack never calls KMS itself).
        key = f"arn:aws:kms:{harness.REGION}:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        self.settings(database_secrets={"db_password": f"{sales}:password::"}, database_secrets_kms_keys=[key])
        self.apply_cluster()
        self.assertEqual(self.execution_policies()["fossa-database-secrets"],
                         [(["secretsmanager:GetSecretValue"], [sales]), (["kms:Decrypt"], [key])])

        # Neither setting: no FOSSA_SECRET_, no policy, no rule of them.
        self.settings()
        self.apply_cluster()
        _, container = self.worker_container()
        self.assertEqual(sorted(s["name"] for s in container["secrets"]), ["FOSSA_API_TOKEN", "RABBITMQ_URL"])
        self.assertEqual(sorted(self.execution_policies()), ["fossa-task-execution"])
        self.assertEqual(self.worker_egress(), [("-1", -1, -1, "0.0.0.0/0")])
        self.assertEqual(self.moto.refusals(), [])

        # Refused, saying what is wrong, before anything is made.
        self.refused("database_secrets: a key is a resolver-context key of letters, digits and underscores "
                     "(the workers get FOSSA_SECRET_<key>), not: 'db-password'",
                     database_secrets={"db-password": api_key})
        self.refused("database_secrets: db_password must be a Secrets Manager secret's full ARN",
                     database_secrets={"db_password": api_key.rsplit("-", 1)[0]})
        self.refused("database_secrets_kms_keys names keys for database_secrets, which is empty",
                     database_secrets_kms_keys=[key])
        self.refused("database_egress: 'db.internal' is not an IPv4 address or CIDR block",
                     database_egress=[{"address": "db.internal", "port": 5432}])
        self.refused("a CIDR block starts at its network's first address: 10.20.0.15/24 is 10.20.0.0/24",
                     database_egress=[{"address": "10.20.0.15/24", "port": 5432}])
        self.refused("database_egress: a port is a whole number from 1 to 65535, not 70000",
                     database_egress=[{"address": "10.20.0.15", "port": 70000}])


class UpAndDown(DataBucketChecks, unittest.TestCase):
    """The whole life of a stack on the emulator."""

    def setUp(self):
        self.work = harness.WorkDir("fossa-tf-stack-")
        self.tree = harness.copy_deploy_tree(self.work.path)
        # Every service's deployment completes (moto runs no task: it is told how many run).
        self.moto = harness.Emulator(running_tasks=4)
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
        self.assertIn("the NAT is in place", output, "up.sh waits for the gateway's NAT before the cluster")
        self.assertLess(output.index("the NAT is in place"), output.index("== cluster"))
        self.assertIn("rabbitmq fossa-worker steady", output)
        self.outputs = {part: self.terraform_outputs(part) for part in harness.PARTS}
        self.check_aws_took_every_request_and_value()
        self.check_the_zone_and_why(output)

        self.check_network()
        self.check_gateway_instance()
        self.check_security_groups()
        self.check_gateway_permissions()
        self.check_cluster_and_services()
        self.check_task_definitions()
        self.check_data_bucket(STACK)
        self.check_secrets()
        self.check_logs_and_images()
        self.check_scaling()
        self.check_stalled_jobs_alarm(subscribed=None)
        self.check_nothing_changes_on_a_second_plan()
        self.check_plans_refused_or_in_place()
        self.check_other_regions_are_refused()
        self.check_a_second_up_keeps_what_it_should()
        self.check_an_existing_bucket_is_used_as_it_is(STACK)

        status, output = harness.run([str(self.tree / "down.sh"), "--yes", STACK], self.env, timeout=900)
        self.assertEqual(status, 0, output)
        self.assertIn(f"== stack {STACK} is gone ==", output)
        self.check_nothing_is_left()
        self.check_no_data_bucket_is_left(STACK)

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

    def check_aws_took_every_request_and_value(self):
        """The strict front refused nothing up.sh sent; and what Terraform recorded (which has
        what moto drops, such as the description of a rule that names a group) keeps to the same
        rules."""
        self.assertEqual(self.moto.refusals(), [])
        for part in harness.PARTS:
            status, output = harness.run(["terraform", "show", "-json"], self.env, self.tree / part)
            self.assertEqual(status, 0, output)
            self.assertEqual(harness.terraform_state.problems(json.loads(output)), [], part)
        # ECS's service-linked role, made before the first CreateService of a new account.
        self.moto.client("iam").get_role(RoleName="AWSServiceRoleForECS")

    def check_the_zone_and_why(self, output):
        zone = self.outputs["network"]["zone_id"]
        reason = "the first standard zone of eu-west-2 with both Fargate and t3.small"
        self.assertEqual(self.outputs["network"]["zone_reason"], reason)
        self.assertIn(f"up.sh: zone {zone}: {reason}", output)

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
        # One zone: NAT'd traffic crossing zones is billed, and one gateway gives no resilience anyway.
        self.assertEqual(subnets["192.168.1.0/24"]["AvailabilityZoneId"], subnets["192.168.2.0/24"]["AvailabilityZoneId"])
        self.assertEqual(subnets["192.168.2.0/24"]["AvailabilityZoneId"], self.outputs["network"]["zone_id"])
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
        for name, path, mode in (("fossa-provision", "/usr/local/sbin/fossa-provision", "0755"),
                                 ("fossa-provision.service", "/etc/systemd/system/fossa-provision.service", "0644"),
                                 ("fossa-nat", "/usr/local/sbin/fossa-nat", "0755"),
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
        self.assertEqual(gateway_env["FOSSA_API_TOKEN_SECRET"], self.outputs["gateway"]["api_token_secret_arn"])
        # It shows its own stack's cluster, not every cluster of the account.
        self.assertEqual(gateway_env["FOSSA_ECS_CLUSTER"], f"fossa-{STACK}")
        # Its job pages link to the workers' lines in the cluster part's log group (checked below).
        self.assertEqual(gateway_env["FOSSA_LOG_GROUP"], f"/fossa/{STACK}/ecs")
        # Its job records live on a volume of their own, attached to it, that outlives the instance.
        [records] = self.ec2.describe_volumes(VolumeIds=[gateway_env["FOSSA_RECORDS_VOLUME"]])["Volumes"]
        self.assertEqual((records["VolumeType"], records["Encrypted"]), ("gp3", True))
        self.assertEqual(records["AvailabilityZone"], gateway["Placement"]["AvailabilityZone"])
        self.assertEqual([(a["InstanceId"], a["Device"]) for a in records["Attachments"]], [(gateway["InstanceId"], "/dev/sdf")])
        # runcmd runs once: it only hands over to the unit that retries until the instance is provisioned.
        self.assertEqual(config["runcmd"], [["systemctl", "daemon-reload"], ["systemctl", "enable", "fossa-provision.service"],
                                            ["systemctl", "start", "--no-block", "fossa-provision.service"]])
        # On its interface (moto lists them only there for an instance launched with a public address).
        [group] = primary["Groups"]
        self.gateway_group_id = group["GroupId"]
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
        # AMQP from the workers, and from the gateway (the queue's depth, for scaling).
        self.assertEqual(rules(broker), {("tcp", 5672, worker["GroupId"]), ("tcp", 5672, gateway["GroupId"])})
        for group in groups.values():
            for rule in group["IpPermissions"]:
                self.assertNotIn("0.0.0.0/0", [r["CidrIp"] for r in rule.get("IpRanges", [])],
                                 f"{group['GroupName']} is open to the world")

    def policy_statements(self, role, name):
        document = self.moto.client("iam").get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
        if isinstance(document, str):
            document = json.loads(document)
        for statement in document["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            yield actions, resources, statement.get("Condition")

    def check_gateway_permissions(self):
        iam = self.moto.client("iam")
        profile = next(p for p in iam.list_instance_profiles()["InstanceProfiles"] if p["Arn"] == self.gateway_profile)
        role = profile["Roles"][0]["RoleName"]
        self.gateway_role = role
        attached = [p["PolicyName"] for p in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]]
        self.assertEqual(attached, ["AmazonSSMManagedInstanceCore"])
        names = iam.list_role_policies(RoleName=role)["PolicyNames"]
        self.assertEqual(sorted(names), ["fossa-gateway", "fossa-scale-workers"])
        repository_arn = self.outputs["gateway"]["ecr_repository_arn"]
        for actions, resources, _ in self.policy_statements(role, "fossa-gateway"):
            for action in actions:
                service, verb = action.split(":")
                self.assertNotIn("*", verb, f"no wildcard actions: {action}")
                if service == "ecs":
                    self.assertTrue(verb.startswith(("List", "Describe")), f"ECS read-only: {action}")
                elif service == "ecr" and verb != "GetAuthorizationToken":
                    # Pull only: the internet-facing gateway must not be able to replace the workers' image.
                    self.assertIn(verb, ("BatchCheckLayerAvailability", "BatchGetImage", "GetDownloadUrlForLayer"), action)
                    self.assertEqual(resources, [repository_arn], f"{action} only on the stack's repository")
                elif service == "secretsmanager":
                    # Its own password and the token it sends the nodes: nothing else.
                    self.assertEqual(verb, "GetSecretValue")
                    self.assertEqual(len(resources), 2)
                    self.assertEqual(sorted("gateway-password" in r for r in resources), [False, True])
                    self.assertIn(self.outputs["gateway"]["api_token_secret_arn"], resources)
                else:
                    self.assertEqual(action, "ecr:GetAuthorizationToken")

    def check_cluster_and_services(self):
        clusters = self.ecs.describe_clusters(clusters=[f"fossa-{STACK}"])["clusters"]
        self.assertEqual(clusters[0]["status"], "ACTIVE")
        self.cluster_arn = clusters[0]["clusterArn"]
        self.assertEqual(self.outputs["cluster"]["cluster_arn"], self.cluster_arn)
        self.assertEqual(sorted(clusters[0].get("capacityProviders", [])), ["FARGATE", "FARGATE_SPOT"])
        arns = self.ecs.list_services(cluster=self.cluster_arn)["serviceArns"]
        services = {s["serviceName"]: s for s in self.ecs.describe_services(
            cluster=self.cluster_arn, services=arns, include=["TAGS"])["services"]}
        # fossa-worker: the name fossa-gateway's --worker-group (service:fossa-worker) expects. A new
        # stack starts with max_workers.
        self.assertEqual({n: s["desiredCount"] for n, s in services.items()}, {"fossa-worker": 4, "rabbitmq": 1})
        # What the gateway's scaling reads (src/gateway/scaling/scaling.h's limits), on the service it scales.
        tags = {t["key"]: t["value"] for t in services["fossa-worker"]["tags"]}
        self.assertEqual({k: v for k, v in tags.items() if k.startswith("fossa:")},
                         {"fossa:min-workers": "0", "fossa:max-workers": "4", "fossa:slots-per-worker": "1",
                          "fossa:idle-minutes": "15", "fossa:metric-namespace": f"Fossa/{STACK}",
                          "fossa:metric-name": "BacklogPerWorker",
                          # the dimensions target tracking reads (check_scaling), one tag each (ECS's
                          # tag values take no comma), and the broker's secret the gateway may read
                          # (its policy, ibid.)
                          "fossa:metric-dimension:ClusterName": f"fossa-{STACK}",
                          "fossa:metric-dimension:ServiceName": "fossa-worker",
                          "fossa:broker-secret": self.outputs["cluster"]["broker_secret_arn"]})
        # Both providers always, so that a new Spot share is a deployment, not a new service.
        self.assertEqual(sorted((p["capacityProvider"], p.get("weight", 0)) for p in services["fossa-worker"]["capacityProviderStrategy"]),
                         [("FARGATE", 100), ("FARGATE_SPOT", 0)])
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
        [container] = worker["containerDefinitions"]
        self.assertEqual(container["image"], self.outputs["gateway"]["ecr_repository_url"] + ":fossa-worker")
        self.assertEqual([p["containerPort"] for p in container["portMappings"]], [2345])
        environment = {e["name"]: e["value"] for e in container["environment"]}
        # One task at a time on a quarter vCPU: the node's own default would count the host's CPUs.
        # No FOSSA_ACCEPTED_MODELS: the image's own list (accepted_models is empty by default).
        # FOSSA_BIND: the container's every address (a node binds loopback unless told otherwise).
        self.assertEqual(environment, {"FOSSA_HTTP_PORT": "2345", "FOSSA_BIND": "0.0.0.0", "FOSSA_LOG_FORMAT": "json",
                                       "FOSSA_DRAIN_SECONDS": "100", "FOSSA_MAX_CONCURRENT_TASKS": "1"})
        token_secret = self.outputs["gateway"]["api_token_secret_arn"]
        self.assertEqual(container["secrets"], [{"name": "RABBITMQ_URL", "valueFrom": f"{secret}:url::"},
                                                {"name": "FOSSA_API_TOKEN", "valueFrom": token_secret}])
        self.assertNotIn("RABBITMQ_URL", environment, "the broker URL carries a password: a secret, not environment")
        self.assertNotIn("FOSSA_API_TOKEN", environment)
        self.assertEqual(container["stopTimeout"], 120)
        # What the emulator's workers run with (tests/integration/support/scaling_fixture.py) is this.
        emulated = scaling_fixture.worker_container(secret, token_secret)
        for key in ("environment", "secrets"):
            self.assertEqual(sorted(container[key], key=lambda e: e["name"]), sorted(emulated[key], key=lambda e: e["name"]),
                             f"scaling_fixture.py's worker container differs in its {key}")
        self.assertEqual((container["stopTimeout"], container["name"]), (emulated["stopTimeout"], emulated["name"]))
        self.assertEqual([p["containerPort"] for p in container["portMappings"]],
                         [p["containerPort"] for p in emulated["portMappings"]])
        # the image's own check (deploy/aws/images/node-healthcheck: GET /healthz)
        self.assertEqual(container["healthCheck"]["command"], ["CMD-SHELL", "/usr/local/bin/node-healthcheck"])
        self.assertEqual(container["logConfiguration"]["options"]["awslogs-group"], log_group)
        self.assertEqual(container["logConfiguration"]["options"]["awslogs-stream-prefix"], "fossa_worker")

        broker = self.task_definition("rabbitmq")
        self.assertEqual((broker["cpu"], broker["memory"]), ("256", "2048"))
        [container] = broker["containerDefinitions"]
        self.assertEqual(container["image"], "public.ecr.aws/docker/library/rabbitmq:4.2")
        self.assertEqual([p["containerPort"] for p in container["portMappings"]], [5672])
        self.assertEqual({s["name"]: s["valueFrom"] for s in container["secrets"]},
                         {"RABBITMQ_DEFAULT_USER": f"{secret}:username::", "RABBITMQ_DEFAULT_PASS": f"{secret}:password::"})
        environment = {e["name"]: e["value"] for e in container["environment"]}
        self.assertEqual(environment["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"], "-rabbit consumer_timeout 86400000")
        # A TCP connect from bash, not an Erlang VM started inside a quarter vCPU.
        self.assertEqual(container["healthCheck"]["command"], ["CMD", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/5672"])
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
        self.assertEqual(sorted(by_action["secretsmanager:GetSecretValue"]), sorted([secret, token_secret]))
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
        token = secrets.get_secret_value(SecretId=self.outputs["gateway"]["api_token_secret_arn"])["SecretString"]
        self.assertGreaterEqual(len(token), 32)
        # Write-only: neither password is in any Terraform state.
        for state in self.tree.glob("*/terraform.tfstate.d/*/terraform.tfstate"):
            text = state.read_text()
            self.assertNotIn(PASSWORD, text, state)
            self.assertNotIn(broker["password"], text, state)
            self.assertNotIn(token, text, state)

    def check_logs_and_images(self):
        logs = self.moto.client("logs")
        groups = logs.describe_log_groups(logGroupNamePrefix=f"/fossa/{STACK}/")["logGroups"]
        self.assertEqual([(g["logGroupName"], g.get("retentionInDays")) for g in groups], [(f"/fossa/{STACK}/ecs", 7)])
        ecr = self.moto.client("ecr")
        [repository] = ecr.describe_repositories(repositoryNames=[f"fossa-{STACK}"])["repositories"]
        self.assertEqual(repository["repositoryUri"], self.outputs["gateway"]["ecr_repository_url"])
        self.assertTrue(repository["imageScanningConfiguration"]["scanOnPush"])
        policy = json.loads(ecr.get_lifecycle_policy(repositoryName=f"fossa-{STACK}")["lifecyclePolicyText"])
        # Each image's builds are counted apart: worker builds never expire the gateway's image.
        tagged = {tuple(r["selection"].get("tagPrefixList", [])): r["selection"]["countNumber"]
                  for r in policy["rules"] if r["selection"]["tagStatus"] == "tagged"}
        self.assertEqual(tagged, {("fossa-worker",): 10, ("fossa-gateway",): 10})
        self.assertTrue(all(r["action"]["type"] == "expire" for r in policy["rules"]))

    def plan(self, part, *variables, region=harness.REGION):
        """terraform plan in PART: (exit status, its output with Terraform's error boxes and line
        wrapping undone, so that a message reads as one line)."""
        env = dict(self.env, TF_VAR_gateway_password=PASSWORD, TF_VAR_allowed_cidr=ALLOWED)
        status, output = harness.run(["terraform", "plan", "-detailed-exitcode", "-input=false", "-no-color",
                                      f"-var=region={region}", f"-var=stack={STACK}"] + [f"-var={v}" for v in variables],
                                     env, self.tree / part)
        return status, " ".join(output.replace("│", " ").split())

    def check_nothing_changes_on_a_second_plan(self):
        """A second run of the same settings has nothing to do (up.sh is safe to run again), in
        every part (the emulator keeps the description of a rule that names a security group:
        tests/aws_emulator/moto_patches.py)."""
        for part in harness.PARTS:
            status, output = self.plan(part)
            self.assertEqual(status, 0, f"{part} plans changes after up.sh:\n{output}")

    def check_scaling(self):
        scaling = self.moto.client("application-autoscaling")
        resource = f"service/fossa-{STACK}/fossa-worker"
        [target] = scaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
        self.assertEqual((target["ResourceId"], target["ScalableDimension"], target["MinCapacity"], target["MaxCapacity"]),
                         (resource, "ecs:service:DesiredCount", 0, 4))
        [policy] = scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=resource)["ScalingPolicies"]
        self.assertEqual(policy["PolicyType"], "TargetTrackingScaling")
        tracking = policy["TargetTrackingScalingPolicyConfiguration"]
        self.assertEqual(tracking["TargetValue"], 1.0, "target: the slots of one worker")
        self.assertTrue(tracking["DisableScaleIn"], "scaling in would stop busy workers; the gateway does it when idle")
        metric = tracking["CustomizedMetricSpecification"]
        self.assertEqual((metric["Namespace"], metric["MetricName"], metric["Statistic"]), (f"Fossa/{STACK}", "BacklogPerWorker", "Average"))
        self.assertEqual({d["Name"]: d["Value"] for d in metric["Dimensions"]}, {"ClusterName": f"fossa-{STACK}", "ServiceName": "fossa-worker"})

        # The gateway may publish in this stack's namespace only, scale this one service only,
        # and read the broker's credentials (to ask the queue's depth); and may reach AMQP.
        worker_arn = self.services["fossa-worker"]["serviceArn"]
        found = {}
        for actions, resources, condition in self.policy_statements(self.gateway_role, "fossa-scale-workers"):
            for action in actions:
                found[action] = (resources, condition)
        self.assertEqual(set(found), {"cloudwatch:PutMetricData", "ecs:UpdateService", "ecs:ListTagsForResource",
                                      "secretsmanager:GetSecretValue"})
        self.assertEqual(found["cloudwatch:PutMetricData"][1], {"StringEquals": {"cloudwatch:namespace": f"Fossa/{STACK}"}})
        self.assertEqual(found["ecs:UpdateService"][0], [worker_arn])
        # The count, but not another task definition family (another task role), ECS Exec, a public
        # address, another subnet or the like: each condition binds only a request that carries it.
        family = self.task_definition("fossa-worker")["taskDefinitionArn"].rsplit(":", 1)[0]
        self.assertEqual(found["ecs:UpdateService"][1], {
            "ArnLikeIfExists": {"ecs:task-definition": f"{family}:*"},
            "StringEqualsIfExists": {"ecs:enable-execute-command": "false", "ecs:enable-service-connect": "false",
                                     "ecs:enable-vpc-lattice": "false", "ecs:enable-ebs-volumes": "false"},
            "BoolIfExists": {"ecs:auto-assign-public-ip": "false"},
            "ForAllValues:StringEquals": {"ecs:subnet": self.private_subnet}})
        self.assertEqual(found["ecs:ListTagsForResource"][0], [worker_arn])
        self.assertEqual(found["secretsmanager:GetSecretValue"][0], [self.outputs["cluster"]["broker_secret_arn"]])

    def check_stalled_jobs_alarm(self, subscribed):
        """The alarm on the gateway's StalledJobs (beside BacklogPerWorker: same namespace and
        dimensions) notifies the stack's SNS topic from one stalled job over 5 minutes, a minute
        with no value not counting; SUBSCRIBED, the address mailed through the topic (None: nobody)."""
        cloudwatch = self.moto.client("cloudwatch")
        [alarm] = cloudwatch.describe_alarms(AlarmNames=[f"fossa-{STACK}-stalled-jobs"])["MetricAlarms"]
        self.assertEqual((alarm["Namespace"], alarm["MetricName"], alarm["Statistic"], alarm["Period"], alarm["EvaluationPeriods"]),
                         (f"Fossa/{STACK}", "StalledJobs", "Maximum", 300, 1))
        self.assertEqual({d["Name"]: d["Value"] for d in alarm["Dimensions"]}, {"ClusterName": f"fossa-{STACK}", "ServiceName": "fossa-worker"})
        self.assertEqual((alarm["ComparisonOperator"], alarm["Threshold"], alarm["TreatMissingData"]),
                         ("GreaterThanOrEqualToThreshold", 1.0, "notBreaching"))
        topic = self.terraform_outputs("cluster")["alarm_topic_arn"]
        self.assertTrue(topic.endswith(f":fossa-{STACK}-alarms"), topic)
        self.assertEqual((alarm["AlarmActions"], alarm["OKActions"]), ([topic], [topic]))
        sns = self.moto.client("sns")
        self.assertIn(topic, [t["TopicArn"] for t in sns.list_topics()["Topics"]])
        subscriptions = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
        self.assertEqual([(s["Protocol"], s["Endpoint"]) for s in subscriptions], [("email", subscribed)] if subscribed else [])

    def check_plans_refused_or_in_place(self):
        # Another Spot share: the same service, deployed again (not replaced: that would stop every worker).
        status, output = self.plan("cluster", "worker_spot_percent=50")
        self.assertEqual(status, 2, output)
        self.assertIn("aws_ecs_service.worker will be updated in-place", output)
        self.assertNotIn("aws_ecs_service.worker must be replaced", output)
        # Sizes Fargate does not have are refused before anything is made.
        status, output = self.plan("cluster", "worker_cpu=256", "worker_memory=4096")
        self.assertEqual(status, 1, output)
        self.assertIn("worker_cpu 256 with worker_memory 4096 is not a Fargate size; with 256 CPU units: 512, 1024, 2048 MiB", output)
        status, output = self.plan("cluster", "broker_cpu=1024", "broker_memory=1024")
        self.assertEqual(status, 1, output)
        self.assertIn("is not a Fargate size", output)
        # A zone that is not one of the region's standard zones.
        status, output = self.plan("cluster", "alarm_email=ops at example.com")
        self.assertEqual(status, 1, output)
        self.assertIn("alarm_email must be an e-mail address such as ops@example.com, or empty for none", output)
        status, output = self.plan("network", "zone_id=euw2-az9")
        self.assertEqual(status, 1, output)
        self.assertIn("zone_id euw2-az9 is not a standard availability zone of eu-west-2", output)
        self.check_the_zone_has_fargate_and_the_gateways_type()
        # The Cloud Map service comes down with registered instances; the worker service is
        # redeployed in place on a new strategy.
        status, output = harness.run(["terraform", "show", "-json"], self.env, self.tree / "cluster")
        resources = {r["address"]: r["values"] for r in json.loads(output)["values"]["root_module"]["resources"]}
        self.assertTrue(resources["aws_service_discovery_service.broker"]["force_destroy"])
        self.assertTrue(resources["aws_ecs_service.worker"]["force_new_deployment"])

    def check_the_zone_has_fargate_and_the_gateways_type(self):
        """A new network's zone offers the gateway's instance type (the first standard zone may
        not) and runs Fargate (AWS lists the zones it runs in for a few regions); a gateway type
        its network's zone lacks is refused."""
        def zone_choice(region, *variables):
            env = dict(self.env, TF_WORKSPACE="zonecheck")
            harness.run(["terraform", "workspace", "new", "zonecheck"], self.env, self.tree / "network")
            try:
                status, output = harness.run(["terraform", "plan", "-input=false", "-no-color", f"-var=region={region}",
                                              "-var=stack=zonecheck"] + [f"-var={v}" for v in variables],
                                             env, self.tree / "network")
            finally:
                harness.run(["terraform", "workspace", "select", "default"], self.env, self.tree / "network")
                harness.run(["terraform", "workspace", "delete", "zonecheck"], self.env, self.tree / "network")
            return status, " ".join(output.replace("│", " ").split())

        ec2 = self.moto.client("ec2")
        offered = {o["Location"] for o in ec2.describe_instance_type_offerings(
            LocationType="availability-zone-id", Filters=[{"Name": "instance-type", "Values": ["c8i.large"]}])["InstanceTypeOfferings"]}
        zones = [z["ZoneId"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
        self.assertNotIn(zones[0], offered, "the emulator's first zone lacks the type, so the choice shows")
        status, output = zone_choice("eu-west-2", "gateway_instance_type=c8i.large")
        self.assertEqual(status, 0, output)
        self.assertIn(f'+ input = "{next(z for z in zones if z in offered)}"', output)
        status, output = zone_choice("ca-central-1", "zone_id=cac1-az4")
        self.assertEqual(status, 1, output)
        self.assertIn("Fargate does not run in cac1-az4: in ca-central-1 AWS lists only cac1-az1, cac1-az2 for it", output)
        status, output = self.plan("gateway", "instance_type=c8i.large")
        self.assertEqual(status, 1, output)
        self.assertIn(f"instance_type c8i.large is not offered in the network's zone {self.outputs['network']['zone_id']}",
                      output)

    def check_other_regions_are_refused(self):
        """A part planned in another region than the network's is refused, as are up.sh and
        down.sh; and the stack is still all there."""
        for part in ("gateway", "cluster"):
            status, output = self.plan(part, region="us-east-1")
            self.assertEqual(status, 1, output)
            self.assertIn("region us-east-1 is not the region of stack teststack's", output)
        for script in ("up.sh", "down.sh"):
            status, output = harness.run([str(self.tree / script), "--yes", STACK],
                                         dict(self.env, AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1"))
            self.assertNotEqual(status, 0, output)
            self.assertIn(f"stack '{STACK}' lives in eu-west-2, not us-east-1: export AWS_REGION=eu-west-2", output)
        for part in harness.PARTS:
            status, output = harness.run(["terraform", "state", "list"], self.env, self.tree / part)
            self.assertEqual(status, 0, output)
            self.assertGreater(len(output.split()), 3, f"{part} still holds its resources")

    def check_a_second_up_keeps_what_it_should(self):
        """up.sh again, from elsewhere (no FOSSA_ALLOWED_CIDR), with a new password, without
        AWS_REGION and with an address for the alarms, while scaling has set 1 worker: the count
        stays, the allowed CIDR stays, the password is stored, the address is subscribed."""
        self.ecs.update_service(cluster=f"fossa-{STACK}", service="fossa-worker", desiredCount=1)
        new_password = "a-new-gateway-password"
        env = dict(self.env, GATEWAY_HTTP_PASSWORD=new_password, FOSSA_ALARM_EMAIL="ops@example.com")
        for name in ("FOSSA_ALLOWED_CIDR", "AWS_REGION", "AWS_DEFAULT_REGION"):
            env.pop(name)
        status, output = harness.run([str(self.tree / "up.sh"), "--yes", STACK], env, timeout=900)
        self.assertEqual(status, 0, output)
        self.assertIn(f"the gateway keeps accepting {ALLOWED}", output)
        self.assertIn("GATEWAY_HTTP_PASSWORD differs from the stored password: storing it (version 2)", output)
        self.assertIn("which mails ops@example.com (once confirmed)", output)
        self.check_stalled_jobs_alarm(subscribed="ops@example.com")
        [worker] = self.ecs.describe_services(cluster=f"fossa-{STACK}", services=["fossa-worker"])["services"]
        self.assertEqual(worker["desiredCount"], 1, "up.sh must not reset the count scaling set")
        self.assertEqual(worker["serviceArn"], self.services["fossa-worker"]["serviceArn"])
        secrets = self.moto.client("secretsmanager")
        [secret] = [s for s in secrets.list_secrets()["SecretList"] if "gateway-password" in s["Name"]]
        self.assertEqual(secrets.get_secret_value(SecretId=secret["ARN"])["SecretString"], new_password)
        # The security group still lets in the allowed CIDR, and only it, on the web port (the rule
        # in EC2, not Terraform's echo of its variable).
        rules = self.ec2.describe_security_group_rules(
            Filters=[{"Name": "group-id", "Values": [self.gateway_group_id]}])["SecurityGroupRules"]
        self.assertEqual(sorted((r["IpProtocol"], r["FromPort"], r["ToPort"], r.get("CidrIpv4")) for r in rules
                                if not r["IsEgress"] and r["IpProtocol"] == "tcp"),
                         [("tcp", 443, 443, ALLOWED)])

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
