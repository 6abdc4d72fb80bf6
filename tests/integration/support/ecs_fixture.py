#!/usr/bin/env python3
"""Sets up, in the AWS emulator (moto_server) at $AWS_ENDPOINT_URL, what the gateway's ECS tests
read: a VPC with DNS hostnames (moto gives Fargate tasks private IPs only then), a subnet, and a
cluster running COUNT Fargate tasks of GROUP. Prints the cluster's ARN.
Usage: ecs_fixture.py CLUSTER_NAME COUNT [--group GROUP (default service:fossa-worker)] [--deleted]
--deleted deletes the cluster again (ECS then reports it INACTIVE)."""
import argparse
import os

import boto3

RUN_TASK_LIMIT = 10  # RunTask starts at most 10 tasks a call, as in ECS


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("name")
    parser.add_argument("count", type=int)
    parser.add_argument("--group", default="service:fossa-worker")
    parser.add_argument("--deleted", action="store_true")
    args = parser.parse_args()
    endpoint, region = os.environ["AWS_ENDPOINT_URL"], os.environ["AWS_REGION"]
    ec2 = boto3.client("ec2", endpoint_url=endpoint, region_name=region)
    ecs = boto3.client("ecs", endpoint_url=endpoint, region_name=region)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    security_group = ec2.create_security_group(GroupName="fossa-workers", Description="fossa workers", VpcId=vpc)["GroupId"]
    cluster = ecs.create_cluster(clusterName=args.name)["cluster"]["clusterArn"]
    ecs.register_task_definition(
        family="fossa-worker", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
        containerDefinitions=[{"name": "fossa", "image": "fossa:latest", "cpu": 256, "memory": 512,
                               "portMappings": [{"containerPort": 2345}]}])
    left = args.count
    while left > 0:
        ecs.run_task(cluster=cluster, taskDefinition="fossa-worker", launchType="FARGATE",
                     count=min(left, RUN_TASK_LIMIT), group=args.group,
                     networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet],
                                                                   "securityGroups": [security_group],
                                                                   "assignPublicIp": "DISABLED"}})
        left -= RUN_TASK_LIMIT
    if args.deleted:
        ecs.delete_cluster(cluster=cluster)
    print(cluster)


if __name__ == "__main__":
    main()
