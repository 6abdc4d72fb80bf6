#!/usr/bin/env python3
"""The gateway's scaling, in the AWS emulator (moto_server) at $AWS_ENDPOINT_URL.

setup CLUSTER BROKER_URL [--desired N] [--max-workers N]
    A cluster with a fossa-worker service of N tasks (default 0) carrying the fossa:* tags that
    deploy/aws/cluster/scaling.tf sets, and the broker's secret (username, password, url) whose
    ARN the tags name. Prints the cluster's ARN.
show CLUSTER
    Prints, as JSON, the service's desiredCount and the BacklogPerWorker values CloudWatch holds
    for the cluster's dimensions, oldest first."""
import argparse
import datetime
import json
import os

import boto3

NAMESPACE = "Fossa/test"
METRIC = "BacklogPerWorker"


def clients():
    endpoint, region = os.environ["AWS_ENDPOINT_URL"], os.environ["AWS_REGION"]
    return {name: boto3.client(name, endpoint_url=endpoint, region_name=region)
            for name in ("ec2", "ecs", "secretsmanager", "cloudwatch")}


def dimensions(cluster):
    return [{"Name": "ClusterName", "Value": cluster}, {"Name": "ServiceName", "Value": "fossa-worker"}]


def setup(args):
    aws = clients()
    vpc = aws["ec2"].create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = aws["ec2"].create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    group = aws["ec2"].create_security_group(GroupName="fossa-worker", Description="workers", VpcId=vpc)["GroupId"]
    secret = aws["secretsmanager"].create_secret(
        Name=f"{args.cluster}-broker",
        SecretString=json.dumps({"username": "guest", "password": "guest", "url": args.broker_url}))["ARN"]
    cluster = aws["ecs"].create_cluster(clusterName=args.cluster)["cluster"]["clusterArn"]
    aws["ecs"].register_task_definition(
        family="fossa-worker", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
        containerDefinitions=[{"name": "fossa-worker", "image": "fossa:latest", "cpu": 256, "memory": 512}])
    tags = {
        "fossa:min-workers": "0",
        "fossa:max-workers": str(args.max_workers),
        "fossa:slots-per-worker": "1",
        "fossa:idle-minutes": "15",
        "fossa:metric-namespace": NAMESPACE,
        "fossa:metric-name": METRIC,
        "fossa:broker-secret": secret,
    }
    tags.update({f"fossa:metric-dimension:{d['Name']}": d["Value"] for d in dimensions(args.cluster)})
    aws["ecs"].create_service(
        cluster=cluster, serviceName="fossa-worker", taskDefinition="fossa-worker", desiredCount=args.desired,
        launchType="FARGATE", tags=[{"key": k, "value": v} for k, v in tags.items()],
        networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group], "assignPublicIp": "DISABLED"}})
    print(cluster)


def show(args):
    aws = clients()
    service = aws["ecs"].describe_services(cluster=args.cluster, services=["fossa-worker"])["services"][0]
    now = datetime.datetime.now(datetime.timezone.utc)
    points = aws["cloudwatch"].get_metric_statistics(
        Namespace=NAMESPACE, MetricName=METRIC, Dimensions=dimensions(args.cluster),
        StartTime=now - datetime.timedelta(hours=1), EndTime=now + datetime.timedelta(hours=1),
        Period=60, Statistics=["Maximum"])["Datapoints"]
    points.sort(key=lambda p: p["Timestamp"])
    print(json.dumps({"desired": service["desiredCount"], "metric": [p["Maximum"] for p in points]}))


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    made = commands.add_parser("setup")
    made.add_argument("cluster")
    made.add_argument("broker_url")
    made.add_argument("--desired", type=int, default=0)
    made.add_argument("--max-workers", type=int, default=4)
    shown = commands.add_parser("show")
    shown.add_argument("cluster")
    args = parser.parse_args()
    setup(args) if args.command == "setup" else show(args)


if __name__ == "__main__":
    main()
