"""What the cluster stack makes for the models' data (deploy/aws/cluster/data_bucket.tf), read back
through the AWS API during stacks_test.UpAndDown: the bucket with its policy, public access block
and lifecycle rule; the workers' task role, limited to that bucket; the S3 gateway endpoint on the
private subnet's route table; the plan when data_bucket names an existing bucket instead; and
nothing of it left after down.sh."""
import json

import harness

EXISTING_BUCKET = "an-existing-data-bucket"


def as_list(value):
    return value if isinstance(value, list) else [value]


def policy_document(document):
    return json.loads(document) if isinstance(document, str) else document


class DataBucketChecks:
    """A mixin for stacks_test.UpAndDown (self.moto, self.outputs, self.env, self.tree, STACK's
    vpc and subnets as check_network found them)."""

    def check_data_bucket(self, stack):
        s3 = self.moto.client("s3")
        bucket = self.outputs["cluster"]["data_bucket"]
        self.assertTrue(bucket.startswith(f"fossa-{stack}-data-"), bucket)
        self.assertIn(bucket, [b["Name"] for b in s3.list_buckets()["Buckets"]])

        block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        self.assertEqual(block, {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                                 "RestrictPublicBuckets": True})

        [statement] = policy_document(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]
        self.assertEqual((statement["Effect"], statement["Action"]), ("Deny", "s3:*"))
        self.assertEqual(sorted(as_list(statement["Resource"])), [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"])
        self.assertEqual(statement["Condition"], {"Bool": {"aws:SecureTransport": "false"}})

        [rule] = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
        self.assertEqual(rule["Status"], "Enabled")
        self.assertEqual(rule["AbortIncompleteMultipartUpload"], {"DaysAfterInitiation": 1})
        self.assertEqual(rule.get("Filter", {}).get("Prefix", ""), "", "the rule covers every key")

        self.check_worker_task_role(bucket)
        self.check_s3_endpoint()

    def check_worker_task_role(self, bucket):
        worker = self.ecs.describe_task_definition(
            taskDefinition=self.services["fossa-worker"]["taskDefinition"])["taskDefinition"]
        role_arn = self.outputs["cluster"]["worker_task_role_arn"]
        self.assertEqual(worker.get("taskRoleArn"), role_arn, "the workers run with the data bucket's role")
        iam = self.moto.client("iam")
        role = role_arn.split("/")[-1]
        trust = policy_document(iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"])
        self.assertEqual([s["Principal"] for s in trust["Statement"]], [{"Service": "ecs-tasks.amazonaws.com"}])
        self.assertEqual(iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"], [])
        self.assertEqual(iam.list_role_policies(RoleName=role)["PolicyNames"], ["fossa-data-bucket", "fossa-scale-in-protection"])
        # Its node protects its own task from scale-in (through the ECS agent): on this cluster's tasks only.
        protection = policy_document(iam.get_role_policy(RoleName=role, PolicyName="fossa-scale-in-protection")["PolicyDocument"])
        [statement] = protection["Statement"]
        self.assertEqual(sorted(as_list(statement["Action"])), ["ecs:GetTaskProtection", "ecs:UpdateTaskProtection"])
        cluster_arn = self.outputs["cluster"]["cluster_arn"]
        self.assertEqual(as_list(statement["Resource"]), [cluster_arn.replace(":cluster/", ":task/") + "/*"])
        document = policy_document(iam.get_role_policy(RoleName=role, PolicyName="fossa-data-bucket")["PolicyDocument"])
        granted = set()
        for statement in document["Statement"]:
            self.assertEqual(statement.get("Effect", "Allow"), "Allow")
            for action in as_list(statement["Action"]):
                for resource in as_list(statement["Resource"]):
                    granted.add((action, resource))
        self.assertEqual(granted, {
            ("s3:ListBucket", f"arn:aws:s3:::{bucket}"),
            ("s3:GetObject", f"arn:aws:s3:::{bucket}/*"),
            ("s3:PutObject", f"arn:aws:s3:::{bucket}/*"),
            ("s3:AbortMultipartUpload", f"arn:aws:s3:::{bucket}/*"),
        })

    def check_s3_endpoint(self):
        [table] = self.ec2.describe_route_tables(
            Filters=[{"Name": "association.subnet-id", "Values": [self.private_subnet]}])["RouteTables"]
        [endpoint] = self.ec2.describe_vpc_endpoints(
            Filters=[{"Name": "vpc-id", "Values": [self.vpc_id]}])["VpcEndpoints"]
        self.assertEqual(endpoint["VpcEndpointId"], self.outputs["cluster"]["s3_endpoint_id"])
        self.assertEqual((endpoint["ServiceName"], endpoint["VpcEndpointType"]),
                         (f"com.amazonaws.{harness.REGION}.s3", "Gateway"))
        self.assertEqual(endpoint["RouteTableIds"], [table["RouteTableId"]], "on the private subnet's route table")

    def check_an_existing_bucket_is_used_as_it_is(self, stack):
        """data_bucket names a bucket the stack did not make: the role is limited to it, and the plan
        makes no bucket, policy or lifecycle rule (the one the stack made would go)."""
        self.moto.client("s3").create_bucket(Bucket=EXISTING_BUCKET,
                                             CreateBucketConfiguration={"LocationConstraint": harness.REGION})
        cluster = self.tree / "cluster"
        status, output = harness.run(["terraform", "plan", "-input=false", "-no-color", "-out=existing.plan",
                                      f"-var=region={harness.REGION}", f"-var=stack={stack}",
                                      f"-var=data_bucket={EXISTING_BUCKET}"], self.env, cluster)
        self.assertEqual(status, 0, output)
        status, output = harness.run(["terraform", "show", "-json", "existing.plan"], self.env, cluster)
        self.assertEqual(status, 0, output)
        plan = json.loads(output)
        for change in plan["resource_changes"]:
            if change["type"].startswith("aws_s3_bucket"):
                self.assertEqual(change["change"]["actions"], ["delete"], change["address"])
        [policy] = [c for c in plan["resource_changes"] if c["address"] == "aws_iam_role_policy.worker_data"]
        resources = set()
        for statement in json.loads(policy["change"]["after"]["policy"])["Statement"]:
            resources.update(as_list(statement["Resource"]))
        self.assertEqual(resources, {f"arn:aws:s3:::{EXISTING_BUCKET}", f"arn:aws:s3:::{EXISTING_BUCKET}/*"})
        self.assertEqual(plan["planned_values"]["outputs"]["data_bucket"]["value"], EXISTING_BUCKET)

    def check_no_data_bucket_is_left(self, stack):
        names = [b["Name"] for b in self.moto.client("s3").list_buckets()["Buckets"]]
        self.assertEqual([n for n in names if n.startswith(f"fossa-{stack}-")], [])
        self.assertIn(EXISTING_BUCKET, names, "a bucket the stack did not make is never removed")
        endpoints = self.ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [self.vpc_id]}])["VpcEndpoints"]
        self.assertEqual([e for e in endpoints if e.get("State") not in ("deleted", "Deleted")], [])
