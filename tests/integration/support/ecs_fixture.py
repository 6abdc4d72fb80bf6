#!/usr/bin/env python3
"""Sets up, in the AWS emulator (moto_server) at $AWS_ENDPOINT_URL, what the gateway's ECS tests
read: a VPC with DNS hostnames (moto gives Fargate tasks private IPs only then), a subnet, and a
cluster running COUNT Fargate worker tasks. Prints the cluster's ARN.
Usage: ecs_fixture.py CLUSTER_NAME COUNT [GROUP (default service:fossa-worker)]"""
import os
import sys

import boto3


def main():
    name, count = sys.argv[1], int(sys.argv[2])
    group = sys.argv[3] if len(sys.argv) > 3 else "service:fossa-worker"
    endpoint, region = os.environ["AWS_ENDPOINT_URL"], os.environ["AWS_REGION"]
    ec2 = boto3.client("ec2", endpoint_url=endpoint, region_name=region)
    ecs = boto3.client("ecs", endpoint_url=endpoint, region_name=region)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    security_group = ec2.create_security_group(GroupName="fossa-workers", Description="fossa workers", VpcId=vpc)["GroupId"]
    cluster = ecs.create_cluster(clusterName=name)["cluster"]["clusterArn"]
    ecs.register_task_definition(
        family="fossa-worker", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
        containerDefinitions=[{"name": "fossa", "image": "fossa:latest", "cpu": 256, "memory": 512,
                               "portMappings": [{"containerPort": 2345}]}])
    ecs.run_task(cluster=cluster, taskDefinition="fossa-worker", launchType="FARGATE", count=count,
                 group=group,
                 networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [security_group],
                                                               "assignPublicIp": "DISABLED"}})
    print(cluster)


if __name__ == "__main__":
    main()
